"""A run's result set: one folder, replaced whole, never file by file.

``kshare run`` writes its files into a hidden temporary folder beside the
target, then renames it into place; an old set is first renamed aside and
deleted only once the new one is in. A reader therefore finds the old set or
the new one, never a mixture (a full disk half-way through once left a new
``timeseries.parquet`` beside the old ``summary.json``). Because the whole
folder is replaced, a folder holding anything but a result set is refused
rather than deleted. Whether the folder can be written, and has room, is
checked before the simulation starts, so a read-only or full disk costs no
simulation time. Every failure is one line (``ResultSetError``): no
traceback, nothing half-written left behind. A temporary folder that a killed
run could not remove is hidden (``.<name>.<pid>.<token>[.old].partial``) and
deleted by the next run into the same folder once its process is gone.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path

import click

from sim.files import PARTIAL_GLOB, free_space_for
from sim.runner.lifeline import alive

#: Every file a result set may hold; an existing folder holding anything else is not replaced.
RESULT_FILES = ("timeseries.parquet", "timeseries.csv", "summary.json", "sharing.png")
#: Files only some result sets hold: every replication's rows, from ``kshare run --replications``.
OPTIONAL_FILES = ("replications.parquet",)
#: Room a result set needs: the chart and summary, plus each week's row in Parquet and CSV (measured under
#: 2 KB a week at every scale; the factor 2 leaves room for the old set while both exist).
FIXED_BYTES = 2_000_000
BYTES_PER_WEEK = 4_000


class ResultSetError(click.ClickException):
    """The result set cannot be written where asked; the message is one line and nothing was written."""


def needed_bytes(weeks: int) -> int:
    """Free space a result set of ``weeks`` weeks needs, generously."""
    return FIXED_BYTES + BYTES_PER_WEEK * (weeks + 1)


def check_folder(out: Path, weeks: int, runs: int = 1) -> None:
    """Refuse, before any simulating, a target that could not take a result set of ``weeks`` weeks.

    Proves the folder that will hold ``out`` writable by making and removing
    a temporary folder in it (in its nearest existing ancestor if it does not
    exist yet: nothing is created here, so a run refused later leaves no empty
    folders), and checks the free space there. Raises ``ResultSetError``.
    """
    if out.name in ("", ".."):
        raise ResultSetError(f"output folder '{out}': give a folder of its own, not '.', '..' or '/'")
    if out.is_symlink():
        raise ResultSetError(f"output folder '{out}': is a symbolic link; give the folder itself")
    if out.exists() and not out.is_dir():
        raise ResultSetError(f"output folder '{out}': is a file, not a folder")
    if out.is_dir():
        if not os.access(out, os.W_OK):
            raise ResultSetError(f"output folder '{out}': is read-only; give a folder you can write to")
        if Path.cwd().resolve().is_relative_to(out.resolve()):
            raise ResultSetError(f"output folder '{out}': is the working folder or holds it; give a folder of its own")
        foreign = sorted(p.name for p in out.iterdir() if not _ours(p.name))
        if foreign:
            more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
            raise ResultSetError(
                f"output folder '{out}': holds {foreign[0]!r}{more}, which is not part of a result set; "
                f"kshare run replaces the whole folder, so give a new or empty one"
            )
    try:
        free = free_space_for(out.absolute().parent)
    except OSError as error:
        raise _failed(out, error) from None
    # Replications write every run's rows beside the table of their means and bands (three columns an output).
    needed = needed_bytes(weeks if runs == 1 else weeks * (runs + 3))
    if free < needed:
        what = f"{weeks} weeks of results" if runs == 1 else f"{runs} runs of {weeks} weeks"
        raise ResultSetError(
            f"output folder '{out}': only {free / 1e6:.1f} MB free there, and {what} need about {needed / 1e6:.1f} MB"
        )


def write_set(out: Path, writers: dict[str, Callable[[Path], object]]) -> dict[str, Path]:
    """Write each file ``name`` with ``writers[name](path)`` and put them at ``out`` as one unit.

    Returns the final paths. On any failure (or interruption) the temporary
    folder is removed and a set already at ``out`` stays as it was; an
    ``OSError`` becomes a one-line ``ResultSetError``.
    """
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary(out)
        for name, write in writers.items():
            write(tmp / name)
        _swap(tmp, out)
        _remove_stale(out)
    except OSError as error:
        raise _failed(out, error) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return {name: out / name for name in writers}


def _ours(name: str) -> bool:
    """A file a result set holds, or a temporary file a killed write left (``sim.files.PARTIAL_GLOB``)."""
    return name in RESULT_FILES + OPTIONAL_FILES or fnmatch(name, PARTIAL_GLOB)


def _temporary(out: Path) -> Path:
    """A new hidden folder beside ``out`` (same file system, so the rename is atomic), with the usual mode."""
    path = out.with_name(f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")
    path.mkdir()
    return path


def _swap(new: Path, out: Path) -> None:
    """Rename ``new`` to ``out``; an old ``out`` is renamed aside first, restored on failure, then deleted."""
    if not out.exists():
        os.rename(new, out)
        return
    old = out.with_name(f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.old.partial")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove_stale(out: Path) -> None:
    """Delete what killed runs left beside ``out``: temporary folders whose process (the pid in the name) is gone."""
    for path in out.parent.glob(f".{glob.escape(out.name)}.*.partial"):
        pid = path.name[len(out.name) + 2 :].split(".")[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _failed(out: Path, error: OSError) -> ResultSetError:
    reason = (error.strerror or str(error) or type(error).__name__).splitlines()[0]
    return ResultSetError(
        f"output folder '{out}': cannot write the results there: {reason}; nothing was written, and results "
        f"already there are as they were"
    )

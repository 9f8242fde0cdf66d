"""Files that exist only whole, and names that are safe as file names.

A file is written under a temporary name beside it and renamed into place.

The rename (``os.replace``) is atomic on one file system, so a reader sees the
old file or the new one, never half of either; an interrupted or failed write
leaves the old file as it was and removes its temporary file. A temporary file
that a killed process could not remove matches ``PARTIAL_GLOB`` and is never a
whole result, so whoever owns the folder may delete it.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import click

#: What the temporary files look like to ``Path.glob``: ``.<name>.partial``, hidden, beside the file.
PARTIAL_GLOB = ".*.partial"


def partial_path(path: Path) -> Path:
    """The temporary name ``path`` is written under (it matches ``PARTIAL_GLOB``)."""
    return path.with_name(f".{path.name}.partial")


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Make ``path`` with ``write(temporary)``, then rename it into place.

    If ``write`` fails (or is interrupted) the temporary file is removed, the
    error goes on, and a file already at ``path`` is left as it was.
    """
    tmp = partial_path(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """``data`` as the file ``path``, whole or not at all (see ``atomic_write``)."""
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def free_space_for(folder: Path) -> int:
    """Free bytes where ``folder`` is or will be made, once that place is proved writable.

    Checked before any simulating, so that a read-only or full disk costs no
    run time: ``folder``'s nearest existing ancestor (itself if it exists) gets
    a temporary file made and removed, and nothing else is created. Raises
    ``OSError``; ``NotADirectoryError`` if that ancestor is a file.
    """
    where = next(place for place in (folder.absolute(), *folder.absolute().parents) if place.exists())
    if not where.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(where))
    with tempfile.TemporaryFile(dir=where):
        pass
    return shutil.disk_usage(where).free


# ----------------------------------------------------------------------------------------- names as file names
#: The longest name that may become a file or folder name, in characters and in UTF-8 bytes: under every file
#: system's 255-byte limit with room for the suffixes kshare adds (``_seed…_week….csv``, ``.<pid>.<token>.partial``).
MAX_STEM = 100
MAX_STEM_BYTES = 200


class UnsafeName(click.ClickException):
    """A name that would put a file outside its folder, or that no file system accepts.

    A ``ClickException`` so that every command prints its one line and exits 1
    without a traceback, wherever in the command the name is met.
    """


def safe_stem(name: str, what: str = "name", remedy: str = "or choose the folder with --out DIR") -> str:
    """``name`` itself if it is safe as one file or folder name; otherwise ``UnsafeName`` saying why.

    Names are refused rather than cleaned: a cleaned name would silently send
    two different scenarios (``a/b`` and ``a_b``) to one folder, the second
    replacing the first. Safe means: not empty, at most ``MAX_STEM``
    characters (and ``MAX_STEM_BYTES`` bytes), no path separator (``/`` or ``\\``), no control character
    (NUL, newline, ...), not starting with ``.`` (so not ``.``, ``..`` or a
    hidden name) and no space at either end. ``what`` names where the name came
    from, e.g. ``"scenario.toml: name"``.
    """
    reason = unsafe_reason(name)
    if reason is None:
        return name
    shown = repr(name if len(name) <= 40 else name[:40] + "…")
    raise UnsafeName(
        f"{what} {shown} cannot be used as a file or folder name: {reason}; give a plain name (no '/', '\\', "
        f"control characters or leading '.', at most {MAX_STEM} characters){f' {remedy}' if remedy else ''}"
    )


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` is not safe as a file or folder name (see ``safe_stem``), or None if it is."""
    if not name.strip():
        return "it is empty"
    if len(name) > MAX_STEM:
        return f"it is {len(name):,} characters long, more than {MAX_STEM}"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name):
        return "it holds a control character"
    if len(name.encode()) > MAX_STEM_BYTES:
        return f"it is {len(name.encode()):,} bytes long in UTF-8, more than {MAX_STEM_BYTES}"
    if "/" in name or "\\" in name:
        return "it holds a path separator ('/' or '\\')"
    if name.startswith("."):
        return "it starts with '.'"
    if name != name.strip():
        return "it starts or ends with a space"
    return None


def clean_stem(name: str, fallback: str = "scenario") -> str:
    """``name`` made safe by replacing, for file names the user sees before saving (the dashboard's downloads).

    Every run of characters other than ASCII letters, digits, ``_``, ``.`` and
    ``-`` becomes ``_``, leading dots and underscores go, and the result is cut
    to ``MAX_STEM``; what is left always passes ``safe_stem``.
    """
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).lstrip("_.")[:MAX_STEM].rstrip("_")
    return safe_stem(cleaned or fallback)


def results_folder(name: str, what: str = "name") -> Path:
    """The default output folder for ``name``: ``results/<name>``, refused (``UnsafeName``) if ``name`` is unsafe."""
    return Path("results") / safe_stem(name, what)

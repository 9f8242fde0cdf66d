"""Files that exist only whole: written under a temporary name beside them and renamed into place.

The rename (``os.replace``) is atomic on one file system, so a reader sees the
old file or the new one, never half of either; an interrupted or failed write
leaves the old file as it was and removes its temporary file. A temporary file
that a killed process could not remove matches ``PARTIAL_GLOB`` and is never a
whole result, so whoever owns the folder may delete it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

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

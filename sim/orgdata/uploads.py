"""Files uploaded to the dashboard, held in this process's memory and never written to disk.

An uploaded chart, ties or survey file is named by a pseudo-path, ``upload:<hash>/<file name>``, where
``<hash>`` is the first 16 hexadecimal digits of the SHA-256 of its bytes. A scenario stores that name where a
file on disk would have its path, so the upload is validated, cached (``sim.own_org``) and read
(``sim.orgdata.table.read_table``) as a file is, with the same limits and messages; only the bytes come from
here. The name cannot be a real path: no path kshare makes absolute begins with ``upload:`` (a relative path
that did would have been made absolute before it is read), and the same bytes always get the same name, so
what the name refers to never changes.

The store is bounded: at most ``MAX_FILES`` files and ``MAX_BYTES`` bytes in all, the least recently used
dropped first; a file larger than the largest file ``read_table`` accepts is refused before it is held.
A scenario whose upload was dropped is refused when it is read again, with a message asking for the file again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path, PurePath

from sim.orgdata.reader import LIMITS

PREFIX = "upload:"
#: How many uploaded files are held at once: a chart, its ties and survey, for a few sessions.
MAX_FILES = 12
#: The largest file held, the largest ``read_table`` accepts (a ties file), and the most held in all.
MAX_FILE_BYTES = max(LIMITS.chart_bytes, LIMITS.ties_bytes, LIMITS.survey_bytes)
MAX_BYTES = MAX_FILE_BYTES
#: Characters of a file's name kept in its pseudo-path.
MAX_NAME = 120

_held: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


class UploadTooLarge(ValueError):
    """A file larger than any file kshare reads."""


def is_upload(path: str | PurePath | None) -> bool:
    """Whether ``path`` names an uploaded file held here rather than a file on disk."""
    return isinstance(path, str | PurePath) and str(path).startswith(PREFIX)


def file_name(path: str | PurePath) -> str:
    """The name the file was uploaded under, as messages show it."""
    return str(path).removeprefix(PREFIX).partition("/")[2]


def digest(path: str | PurePath) -> str:
    """The hash in an upload's pseudo-path: the same name always means the same bytes."""
    return str(path).removeprefix(PREFIX).partition("/")[0]


def clean_name(name: str) -> str:
    """A browser's file name as kept: its last part only, without control characters, at most ``MAX_NAME``."""
    base = Path(str(name).replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable()).strip() or "upload.csv"
    return base[-MAX_NAME:]


def too_large(name: str, size: int) -> str:
    """Why a file of ``size`` bytes is not held, as ``read_table`` says it of a file on disk."""
    return f"{clean_name(name)}: is {size:,} bytes, larger than the limit of {MAX_FILE_BYTES:,} bytes"


def put(name: str, content: bytes) -> str:
    """Hold ``content``, uploaded as ``name``; returns its pseudo-path. Raises ``UploadTooLarge``."""
    if len(content) > MAX_FILE_BYTES:
        raise UploadTooLarge(too_large(name, len(content)))
    path = f"{PREFIX}{hashlib.sha256(content).hexdigest()[:16]}/{clean_name(name)}"
    with _lock:
        _held[path] = bytes(content)
        _held.move_to_end(path)
        while len(_held) > MAX_FILES or (len(_held) > 1 and sum(map(len, _held.values())) > MAX_BYTES):
            _held.popitem(last=False)
    return path


def get(path: str | PurePath) -> bytes | None:
    """The bytes uploaded under ``path``, or None if they are no longer held (or never were)."""
    with _lock:
        content = _held.get(str(path))
        if content is not None:
            _held.move_to_end(str(path))
        return content


def clear() -> None:
    """Drop every upload (tests)."""
    with _lock:
        _held.clear()

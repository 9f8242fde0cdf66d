"""Read one CSV file into trimmed text columns, refusing what is not a usable comma-separated UTF-8 table.

The file is read once into memory (after its size is checked, so a huge file is refused before any of it is
read), hashed for provenance and parsed by pyarrow's CSV reader, which is fast enough for tens of millions of
rows. Only the columns kshare knows are converted; the others (names, e-mail addresses, anything else) are
parsed past but never turned into values, and only their header names are kept, to be reported as ignored.
Every value is kept as text here; each file's own module decides what is a number.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from sim.orgdata.problems import Problem, problem_at, quote_values
from sim.scenario_files import shorten, unusable_path

UTF8_BOM = b"\xef\xbb\xbf"
#: Other separators a spreadsheet writes, named in the message that refuses them.
OTHER_DELIMITERS = {";": "semicolons (';')", "\t": "tabs", "|": "vertical bars ('|')"}
_CHUNK = 1 << 24  # bytes decoded at a time when checking the encoding, so the check needs no copy of the file


@dataclass
class Table:
    file: str  # the file as messages name it
    columns: dict[str, pa.Array]  # canonical (lower-case) name -> text, surrounding spaces removed
    n_rows: int
    ignored: list[str]  # header names of columns that were not read
    sha256: str
    n_bytes: int
    secret: bytes = field(repr=False)  # keyed hash of the contents: the pseudonyms' key (privacy.py)
    row_numbers: np.ndarray | None = field(default=None, repr=False)  # spreadsheet row of each record, if not i + 2

    def rows(self, where: np.ndarray) -> np.ndarray:
        """Spreadsheet row numbers of the records selected by a boolean mask or an index array."""
        index = np.flatnonzero(where) if where.dtype == bool else np.asarray(where)
        return self.row_numbers[index] if self.row_numbers is not None else index + 2

    def text(self, column: str) -> np.ndarray:
        """A column as a numpy array of Python strings (only for the columns whose values are kept)."""
        return np.asarray(self.columns[column].to_numpy(zero_copy_only=False), dtype=object)


def read_table(
    path: str | Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    max_rows: int,
    max_bytes: int,
    row_noun: str,
) -> tuple[Table | None, list[Problem]]:
    """The file's known columns as text, or None and the problems that stop it being read at all.

    Problems that concern only some rows (a ragged row) come back with a table, so that the file's other
    problems are found in the same pass.
    """
    file = shown_path(path)
    content, refused = _content(path, file, max_bytes)
    if content is None:
        return None, [refused]
    digest = hashlib.sha256(content).hexdigest()
    secret = hashlib.blake2b(content, key=b"kshare pseudonyms", digest_size=32).digest()
    body = content[len(UTF8_BOM) :] if content.startswith(UTF8_BOM) else content
    if not body[:4096].strip() and not body.strip():
        return None, [Problem(file, "is empty")]
    encoding = _encoding_problem(body)
    if encoding:
        return None, [Problem(file, encoding)]
    header_line = body[: _line_end(body)].decode("utf-8").rstrip("\r")
    header = next(csv.reader([header_line]))
    names = [name.strip() for name in header]
    known = set(required) | set(optional)
    problems = _header_problems(file, names, header_line, required, known)
    if problems:
        return None, problems
    use = {canonical(name): name for name in header if canonical(name) in known}
    ignored = [name for name in names if canonical(name) not in known and name]
    ragged: list[str] = []

    def skip(row: pcsv.InvalidRow) -> str:
        ragged.append(row.text)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.py_buffer(body),
            parse_options=pcsv.ParseOptions(invalid_row_handler=skip),
            convert_options=pcsv.ConvertOptions(
                include_columns=list(use.values()),
                column_types=dict.fromkeys(use.values(), pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        return None, [Problem(file, f"cannot be read as CSV: {shorten(str(error), 200)}")]
    n_rows = table.num_rows
    if n_rows == 0 and not ragged:
        return None, [Problem(file, f"has a header but no {row_noun}")]
    if n_rows > max_rows:
        return None, [Problem(file, f"has {n_rows:,} {row_noun}, more than the limit of {max_rows:,}")]
    columns = {
        canonical: pc.utf8_trim_whitespace(table.column(name).combine_chunks()) for canonical, name in use.items()
    }
    result = Table(file, columns, n_rows, ignored, digest, len(content), secret)
    if ragged or b"\n\n" in body or b"\n\r\n" in body:
        result.row_numbers, ragged_rows = _row_numbers(body, ragged, n_rows)
        if ragged:
            problems.append(
                problem_at(
                    file,
                    "",
                    ragged_rows,
                    f"has a different number of fields from the header's {len(header)}; "
                    "a value holding a comma must be in double quotes",
                )
            )
    return result, problems


def _content(path: str | Path, file: str, max_bytes: int) -> tuple[bytes | None, Problem]:
    """The file's bytes, from disk or from the dashboard's uploads (``sim.orgdata.uploads``), if they are within
    ``max_bytes``; else None and why not."""
    from sim.orgdata import uploads

    held = uploads.get(path) if uploads.is_upload(path) else None
    if uploads.is_upload(path) and held is None:
        return None, Problem(file, "is no longer held in memory (uploads are kept for a while only): upload it again")
    try:
        size = len(held) if held is not None else Path(path).stat().st_size
        if held is None and not Path(path).is_file():
            return None, Problem(file, "is not a file")
    except (OSError, ValueError) as error:
        missing = isinstance(error, FileNotFoundError)
        return None, Problem(file, "no such file" if missing else f"cannot be read: {unusable_path(error)}")
    if size > max_bytes:
        return None, Problem(file, f"is {size:,} bytes, larger than the limit of {max_bytes:,} bytes")
    try:
        return (held if held is not None else Path(path).read_bytes()), Problem(file, "")
    except OSError as error:
        return None, Problem(file, f"cannot be read: {unusable_path(error)}")


def shown_path(path: str | Path, limit: int = 80) -> str:
    """The path as messages show it: its end (the file's name) kept when it is long, control characters escaped.

    An upload is shown by the name it was uploaded under (``sim.orgdata.uploads``)."""
    from sim.orgdata import uploads

    text = uploads.file_name(path) if uploads.is_upload(path) else str(path)
    return shorten(text if len(text) <= limit else f"...{text[3 - limit :]}", limit)


def _line_end(body: bytes) -> int:
    end = body.find(b"\n", 0, 1_000_000)
    return len(body) if end < 0 else end


def _encoding_problem(body: bytes) -> str:
    """Why the bytes are not UTF-8 text, or '' if they are."""
    utf16 = "is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')"
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return utf16
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(body)
    for start in range(0, len(body), _CHUNK):
        chunk = bytes(view[start : start + _CHUNK])
        try:
            decoder.decode(chunk, final=start + _CHUNK >= len(body))
        except UnicodeDecodeError as error:
            where = start + error.start - (len(decoder.getstate()[0]) if error.start == 0 else 0)
            return _not_utf8(body, max(0, where))
        if b"\x00" in chunk:
            head = body[:400]
            if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
                return utf16
            return _not_utf8(body, start + chunk.index(b"\x00"))
    return ""


def _not_utf8(body: bytes, where: int) -> str:
    line = body.count(b"\n", 0, where) + 1
    return (
        f"is not UTF-8 text: byte {where + 1:,} (line {line:,}) is binary or in another encoding "
        "(such as Windows-1252); save the file as 'CSV UTF-8'"
    )


def _header_problems(
    file: str, names: list[str], line: str, required: tuple[str, ...], known: set[str]
) -> list[Problem]:
    for delimiter, said in OTHER_DELIMITERS.items():
        if line.count(delimiter) > line.count(","):  # a comma or two may sit inside a name
            return [
                Problem(
                    file,
                    f"is separated by {said}, not commas: kshare reads comma-separated files "
                    "(in Excel: save as 'CSV UTF-8 (Comma delimited)')",
                )
            ]
    problems = []
    lower = [canonical(name) for name in names]
    for name in sorted({n for n in lower if lower.count(n) > 1 and n in known}):
        problems.append(Problem(file, f"the header names column '{name}' more than once", name))
    for name in required:
        if name not in lower:
            near = difflib.get_close_matches(name, [n for n in names if canonical(n) not in known], n=1, cutoff=0.6)
            hint = f" (is '{shorten(near[0], 40)}' meant to be it?)" if near else ""
            found = quote_values(names, len(names)) if any(names) else "nothing"
            problems.append(Problem(file, f"required column is missing{hint}; the header has {found}", name))
    for name in names:
        near = difflib.get_close_matches(canonical(name), sorted(known - set(lower)), n=1, cutoff=0.8)
        if name and canonical(name) not in known and near and near[0] not in required:
            problems.append(
                Problem(
                    file,
                    f"not a column kshare reads, but close to '{near[0]}': rename it to be read, "
                    "or to something else to be ignored",
                    name,
                )
            )
    return problems


def canonical(name: str) -> str:
    """A header name as matched: without case, surrounding spaces, or the difference between ' ', '-' and '_'."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _row_numbers(body: bytes, ragged: list[str], n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Spreadsheet rows of the records read and of the ragged ones, when blank or ragged lines were skipped.

    pyarrow skips blank lines and (through our handler) ragged ones without saying where they were, so the
    records' rows are found from the lines themselves. This assumes no quoted value holds a line break; if one
    does, the numbers fall back to counting records.
    """
    data = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(data)]))
    lengths = stops - starts
    carriage = (lengths > 0) & (data[np.maximum(stops - 1, 0)] == ord("\r"))
    blank = (lengths - carriage) <= 0
    line_of = {}
    for text in ragged:
        at = body.find(text.encode("utf-8"))
        if at >= 0:
            line_of[text] = int(np.searchsorted(ends, at, side="left"))
    bad_lines = np.array(sorted({line_of[t] for t in ragged if t in line_of}), dtype=np.int64)
    keep = ~blank
    keep[0] = False  # the header
    keep[bad_lines] = False
    kept = np.flatnonzero(keep) + 1
    if len(kept) != n_rows:  # a quoted line break: count records instead
        return np.arange(2, n_rows + 2), np.zeros(0, dtype=np.int64)
    return kept, bad_lines + 1


_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


def numbers(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values of a text column as float64 (NaN where not a number), with masks of empty and non-numeric cells.

    Only plain decimal numbers are accepted (``12``, ``0.5``, ``1e3``): a decimal comma, a unit or a percent
    sign is refused rather than guessed at.
    """
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    numeric = pc.match_substring_regex(text, _NUMBER).to_numpy(zero_copy_only=False)
    cleaned = pc.if_else(pa.array(numeric), text, pa.scalar("nan"))
    values = pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False)
    return values, empty, ~numeric & ~empty

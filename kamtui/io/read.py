"""Reading a CSV or XLSX file into a header and rows of text, with exact line numbers.

RELIABILITY.md 17–19: UTF-8 with or without a BOM by default, other encodings only when
asked; ``newline=""``; physical line numbers; the csv module's field-size limit kept, so
an unterminated quote fails fast. Every problem is a ``FileProblem``: one line that says
where and what, and what to do about it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kamtui.errors import KamError

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
MAX_BYTES = 200 * 1024 * 1024
# Text a spreadsheet export prefixed with ' so it is not run as a formula (OWASP); we
# take the quote off again on the way in, so our own exports import back unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


class FileProblem(KamError):
    """The file cannot be read at all (not one bad value: the whole file)."""


@dataclass
class Row:
    line: int  # physical line (CSV) or row number (XLSX) where the record starts
    values: list[str]


@dataclass
class Table:
    """A file's first table: its header, and its data rows as text, *streamed*: iterating
    reads the file again each time (memory does not grow with the file). ``count`` and
    ``notes`` are complete once one iteration has finished."""

    path: Path
    headers: list[str]
    source: Callable[[], Iterator[Row]] = field(repr=False)
    kind: str = "csv"  # csv | xlsx
    sheet: str = ""
    notes: list[str] = field(default_factory=list)
    count: int = -1
    lines: int = 0  # physical lines (rows of a sheet), known before the rows are read
    progress: Callable[[int, int], None] | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[Row]:
        n = 0
        for row in self.source():
            n += 1
            if self.progress is not None and n % 5000 == 0:
                self.progress(min(row.line, self.lines), self.lines)
            yield row
        self.count = n
        if self.progress is not None:
            self.progress(self.lines, self.lines)


def unquote_formula(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def read_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Read ``path`` (CSV or XLSX); raise FileProblem with a clear message if unreadable."""
    if not path.exists():
        raise FileProblem(f"no file at {path}")
    if path.is_dir():
        raise FileProblem(f"{path} is a folder; name a .csv or .xlsx file")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix in XLSX_SUFFIXES:
        if not head.startswith(b"PK"):
            raise FileProblem(f"{path.name} is not an Excel workbook (.xlsx) inside; is it a CSV?")
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise FileProblem(
            f"{path.name} is an old Excel 97–2003 workbook: save it as .xlsx or CSV first"
        )
    if suffix in CSV_SUFFIXES:
        if head.startswith(b"PK\x03\x04"):
            raise FileProblem(
                f"{path.name} is a zip or Excel workbook, not a CSV: rename it to .xlsx"
            )
        return _read_csv(path, encoding)
    raise FileProblem(
        f"{path.name}: wrong file type {suffix or '(no extension)'!r}; "
        "kam imports .csv, .xlsx and its own .json dumps"
    )


# --- CSV ------------------------------------------------------------------------------------

CHUNK = 1 << 16
FOOTER_LIMIT = 50  # a report footer is a few lines; longer runs are data


def _codec(path: Path, head: bytes, encoding: str | None) -> tuple[str, int]:
    """The codec to read with and how many leading bytes to skip (a UTF-8 BOM)."""
    enc = encoding or "utf-8-sig"
    try:
        name = codecs.lookup(enc).name
    except LookupError:
        raise FileProblem(f"unknown encoding {enc!r} (try utf-8, cp1252 or latin-1)") from None
    if encoding is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(
            f"{path.name} is UTF-16 text (Excel 'Unicode text'): use --encoding utf-16"
        )
    if name in ("utf-8-sig", "utf-8"):
        # the BOM is skipped here, by us, so every offset below counts from the file's start
        return "utf-8", 3 if head.startswith(codecs.BOM_UTF8) else 0
    return name, 0


def _check_text(path: Path, codec: str, skip: int, encoding: str | None) -> tuple[str, int]:
    """Decode the whole file once, in chunks: the first invalid byte or NUL is reported
    with its line and byte offset. Returns the first non-blank line (for the delimiter)
    and the number of lines."""
    decoder = codecs.getincrementaldecoder(codec)()
    shown = "UTF-8" if codec == "utf-8" else codec
    lines = 0  # newlines decoded so far
    offset = skip  # bytes of the file consumed so far
    first, complete = "", False
    with path.open("rb") as fh:
        fh.seek(skip)
        while True:
            chunk = fh.read(CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                data = exc.object
                where = offset - pending + exc.start
                before = bytes(data[: exc.start]).decode(codec, errors="replace")
                hint = (
                    " — the file is probably from Windows Excel: try --encoding cp1252"
                    if codec.startswith("utf")
                    else ""
                )
                raise FileProblem(
                    f"line {lines + before.count(chr(10)) + 1}: byte 0x{data[exc.start]:02x} "
                    f"at byte offset {where} is not valid {shown} text{hint}"
                ) from None
            nul = text.find("\x00")
            if nul >= 0:
                raise FileProblem(
                    f"line {lines + text.count(chr(10), 0, nul) + 1}: the file contains a NUL "
                    f"byte — it is binary, or not {encoding or 'UTF-8'} text "
                    "(UTF-16? then use --encoding utf-16)"
                )
            if not complete and (first or text.strip()):
                first = (first + text).lstrip("\r\n")
                complete = "\n" in first
                first = first.split("\n", 1)[0]
            lines += text.count("\n")
            offset += len(chunk)
            if not chunk:
                return first, lines + 1


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(path: Path, codec: str, skip: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, values), blank records included."""
    with path.open("rb") as raw:
        raw.seek(skip)
        with io.TextIOWrapper(raw, encoding=codec, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            last = 0
            try:
                for record in reader:
                    start = last + 1
                    last = reader.line_num
                    yield start, record
            except csv.Error as exc:
                raise FileProblem(_csv_message(str(exc), last + 1)) from None


def _read_csv(path: Path, encoding: str | None) -> Table:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FileProblem(f"{path.name} is {size // 2**20} MB; kam imports files up to 200 MB")
    with path.open("rb") as fh:
        head = fh.read(4)
    codec, skip = _codec(path, head, encoding)
    first, lines = _check_text(path, codec, skip, encoding)
    if not first.strip():
        raise FileProblem(f"{path.name} is empty: no header and no rows")
    delimiter = _delimiter(first)
    headers: list[str] | None = None
    for _line, record in _records(path, codec, skip, delimiter):
        if any(v.strip() for v in record):
            headers = record
            break
    if headers is None:
        raise FileProblem(f"{path.name} is empty: no header and no rows")
    table = Table(path, headers, lambda: iter(()), "csv", lines=lines)

    def rows() -> Iterator[Row]:
        table.notes.clear()
        seen_header = False
        records = (
            Row(line, record if any(v.strip() for v in record) else [])
            for line, record in _records(path, codec, skip, delimiter)
        )
        for row in _without_footer(table, records, wide=len(headers) > 1):
            if not seen_header:  # the header is the first non-blank record
                if row.values:
                    seen_header = True
                continue
            yield row

    table.source = rows
    return table


def _csv_message(error: str, line: int) -> str:
    if "field larger than field limit" in error:
        limit = csv.field_size_limit()
        return (
            f"line {line}: a field is longer than {limit:,} characters — "
            "probably a quote that is never closed"
        )
    if "unexpected end of data" in error or "EOF" in error:
        return f"line {line}: unterminated quote — a quoted field runs to the end of the file"
    if "expected after" in error:
        return (
            f'line {line}: a quote ends in the middle of a field (write "" for a quote '
            "inside a quoted field)"
        )
    return f"line {line}: not a valid CSV record ({error})"


def _without_footer(table: Table, rows: Iterator[Row], *, wide: bool) -> Iterator[Row]:
    """Salesforce report exports end with a blank line and one-value lines (title,
    copyright, 'Confidential Information…'); drop them with a note. Blank lines elsewhere
    are dropped silently. Streaming: after a blank line, up to FOOTER_LIMIT one-value
    lines wait to see whether the file ends before a real row comes."""
    held: list[Row] | None = None  # lines after a blank line, while they look like a footer
    blank_line = 0
    for row in rows:
        if not row.values:
            if held is None:
                held, blank_line = [], row.line
            continue
        if held is not None:
            if wide and len(held) < FOOTER_LIMIT and len([v for v in row.values if v.strip()]) <= 1:
                held.append(row)
                continue
            yield from held
            held = None
        yield row
    if held:
        if wide:
            table.notes.append(
                f"ignored the report footer after line {blank_line - 1} "
                f"({len(held)} line{'s' if len(held) != 1 else ''}: "
                f"{held[0].values[0].strip()[:40]!r}…)"
            )
        else:
            yield from held


# --- XLSX -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A workbook cell as the text a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    return str(value)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    _names, chosen, headers, lines = _xlsx_header(path, sheet)
    table = Table(path, headers, lambda: iter(()), "xlsx", chosen, lines=lines)

    def rows() -> Iterator[Row]:
        seen_header = False
        for number, texts in _xlsx_rows(path, chosen):
            if not seen_header:
                seen_header = True
                continue
            yield Row(number, texts)

    table.source = rows
    return table


def _open_workbook(path: Path, *, data_only: bool) -> Any:
    import zipfile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"{path.name} is not a valid .xlsx workbook ({exc})") from None


def _xlsx_header(path: Path, sheet: str | None) -> tuple[list[str], str, list[str], int]:
    wb = _open_workbook(path, data_only=True)
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            # our own export holds one sheet per table: accounts are in "account"
            sheet = "account" if "account" in names else names[0]
        if sheet not in names:
            raise FileProblem(f"{path.name} has no sheet {sheet!r} (sheets: {', '.join(names)})")
        lines = wb[sheet].max_row or 0
    finally:
        wb.close()
    for _number, texts in _xlsx_rows(path, sheet):
        headers = list(texts)
        while headers and not headers[-1].strip():
            headers.pop()
        return names, sheet, headers, lines
    raise FileProblem(f"{path.name} is empty: sheet {sheet!r} has no header and no rows")


def _xlsx_rows(path: Path, sheet: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows as text. The workbook is read twice side by side: once for the
    values Excel saved, once for the formulas — a formula with no saved value (a file
    written by a program, never opened in Excel) would otherwise pass as an empty cell."""
    values_wb = _open_workbook(path, data_only=True)
    formulas_wb = _open_workbook(path, data_only=False)
    try:
        pairs = zip(
            values_wb[sheet].iter_rows(values_only=True),
            formulas_wb[sheet].iter_rows(),
            strict=False,
        )
        for number, (values, cells) in enumerate(pairs, start=1):
            texts = [cell_text(v) for v in values]
            for v, cell in zip(values, cells, strict=False):
                if v is None and getattr(cell, "data_type", None) == "f":
                    raise FileProblem(
                        f"sheet {sheet}, cell {cell.coordinate}: a formula with no saved value "
                        "— open and save the file in Excel, or export values"
                    )
            if not any(t.strip() for t in texts):
                continue
            for t in texts:
                if "\x00" in t:
                    raise FileProblem(f"line {number}: a cell contains a NUL byte")
            yield number, texts
    finally:
        values_wb.close()
        formulas_wb.close()

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
from collections.abc import Iterator
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
    """A file's first table: its header and its data rows, all as text."""

    path: Path
    headers: list[str]
    rows: list[Row]
    kind: str = "csv"  # csv | xlsx
    sheet: str = ""
    notes: list[str] = field(default_factory=list)


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


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    enc = encoding or "utf-8-sig"
    try:
        codecs.lookup(enc)
    except LookupError:
        raise FileProblem(f"unknown encoding {enc!r} (try utf-8, cp1252 or latin-1)") from None
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(
            f"{path.name} is UTF-16 text (Excel 'Unicode text'): use --encoding utf-16"
        )
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = (
            " — the file is probably from Windows Excel: try --encoding cp1252"
            if enc.replace("_", "-").lower().startswith("utf")
            else ""
        )
        raise FileProblem(
            f"line {line}: byte 0x{data[exc.start]:02x} is not valid {enc} text{hint}"
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, encoding: str | None) -> Table:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FileProblem(f"{path.name} is {size // 2**20} MB; kam imports files up to 200 MB")
    data = path.read_bytes()
    text = _decode(path, data, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise FileProblem(
            f"line {line}: the file contains a NUL byte — it is binary, or not {encoding or 'UTF-8'} "
            "text (UTF-16? then use --encoding utf-16)"
        )
    if not text.strip():
        raise FileProblem(f"{path.name} is empty: no header and no rows")
    first = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    rows: list[Row] = []
    headers: list[str] | None = None
    last = 0
    try:
        for record in reader:
            start = last + 1
            last = reader.line_num
            if not any(v.strip() for v in record):
                if headers is not None:
                    rows.append(Row(start, []))  # a blank line: kept to find report footers
                continue
            if headers is None:
                headers = record
            else:
                rows.append(Row(start, record))
    except csv.Error as exc:
        raise FileProblem(_csv_message(str(exc), last + 1)) from None
    if headers is None:
        raise FileProblem(f"{path.name} is empty: no header and no rows")
    table = Table(path, headers, rows, "csv")
    _drop_footer(table)
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


def _drop_footer(table: Table) -> None:
    """Salesforce report exports end with a blank line and one-value lines (title,
    copyright, 'Confidential Information…'); drop them with a note. Blank lines elsewhere
    are dropped silently."""
    rows = table.rows
    cut = None
    for i, row in enumerate(rows):
        if not row.values:
            rest = rows[i + 1 :]
            if rest and all(len([v for v in r.values if v.strip()]) <= 1 for r in rest):
                cut = i
                break
    if cut is not None and len(table.headers) > 1:
        footer = [r for r in rows[cut:] if r.values]
        if footer:
            table.notes.append(
                f"ignored the report footer after line {rows[cut].line - 1} "
                f"({len(footer)} line{'s' if len(footer) != 1 else ''}: "
                f"{footer[0].values[0].strip()[:40]!r}…)"
            )
        del rows[cut:]
    table.rows = [r for r in rows if r.values]


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
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"{path.name} is not a valid .xlsx workbook ({exc})") from None
    try:
        names = wb.sheetnames
        if sheet is None:
            # our own export holds one sheet per table: accounts are in "account"
            sheet = "account" if "account" in names else names[0]
        if sheet not in names:
            raise FileProblem(f"{path.name} has no sheet {sheet!r} (sheets: {', '.join(names)})")
        ws = wb[sheet]
        headers: list[str] | None = None
        rows: list[Row] = []
        for number, values in enumerate(_sheet_rows(ws), start=1):
            texts = [cell_text(v) for v in values]
            if not any(t.strip() for t in texts):
                continue
            for t in texts:
                if "\x00" in t:
                    raise FileProblem(f"line {number}: a cell contains a NUL byte")
            if headers is None:
                headers = texts
            else:
                rows.append(Row(number, texts))
    finally:
        wb.close()
    if headers is None:
        raise FileProblem(f"{path.name} is empty: sheet {sheet!r} has no header and no rows")
    while headers and not headers[-1].strip():
        headers.pop()
    return Table(path, headers, rows, "xlsx", sheet)


def _sheet_rows(ws: Any) -> Iterator[tuple[Any, ...]]:
    yield from ws.iter_rows(values_only=True)

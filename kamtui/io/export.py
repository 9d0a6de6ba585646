"""CSV (one file per table, in a folder) and XLSX (one sheet per table) exports.

Made for spreadsheets: money as decimal amounts (``revenue``, not ``revenue_minor``),
dates as dates, each account-linked table with the account's name beside its id, the
account table with its parent's and owner's names — so the account sheet imports back
unchanged with ``kam import``. Text cells that a spreadsheet would run as a formula
(starting with = + - @ tab CR NUL) are prefixed with ' (OWASP); numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kamtui.db import Database
from kamtui.io.files import check_target, make_folder, save_with, write_atomic
from kamtui.io.read import FORMULA_STARTS

FORMATS = ("json", "csv", "xlsx")


def neutralise(value: str) -> str:
    return "'" + value if value and value[0] in FORMULA_STARTS else value


@dataclass
class Sheet:
    name: str
    headers: list[str]
    kinds: list[str]  # text | int | money | date | datetime | decimal | bool
    rows: list[list[Any]]


def _kind(column: Any) -> str:
    from sqlalchemy import Boolean, Date, DateTime, Integer

    from kamtui.models import DecimalText

    t = column.type
    if column.name.endswith("_minor"):
        return "money"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, DecimalText):
        return "decimal"
    return "text"


def _money(i: int) -> Callable[[Any], Any]:
    cent = Decimal("0.01")
    return lambda r: None if r[i] is None else (Decimal(r[i]) / 100).quantize(cent)


def _plain(i: int) -> Callable[[Any], Any]:
    return lambda r: r[i]


def _lookup(i: int, names: dict[Any, Any]) -> Callable[[Any], Any]:
    return lambda r: names.get(r[i], "")


def sheets(db: Database) -> Iterator[Sheet]:
    """Every table as a sheet of typed values (money as Decimal amounts)."""
    from sqlalchemy import select

    from kamtui import models as m

    account_names = dict(db.fetch("SELECT id, name FROM account"))
    people = dict(db.fetch("SELECT id, name FROM person"))
    with db.engine.connect() as conn:
        for table in m.SQLModel.metadata.sorted_tables:
            columns = list(table.columns)
            headers: list[str] = []
            kinds: list[str] = []
            getters: list[Callable[[Any], Any]] = []
            for i, column in enumerate(columns):
                kind = _kind(column)
                name = column.name
                if kind == "money":
                    headers.append(name.removesuffix("_minor"))
                    kinds.append("money")
                    getters.append(_money(i))
                else:
                    headers.append(name)
                    kinds.append(kind)
                    getters.append(_plain(i))
                extra: tuple[str, dict[Any, Any]] | None = None
                if name == "account_id" and table.name != "account":
                    extra = ("account", account_names)
                elif table.name == "account" and name == "parent_id":
                    extra = ("parent", account_names)
                elif table.name == "account" and name == "owner_id":
                    extra = ("owner", people)
                if extra is not None:
                    headers.append(extra[0])
                    kinds.append("text")
                    getters.append(_lookup(i, extra[1]))
            order = list(table.primary_key.columns)
            rows = [[g(r) for g in getters] for r in conn.execute(select(table).order_by(*order))]
            yield Sheet(table.name, headers, kinds, rows)


def _csv_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "text":
        return neutralise(str(value))
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("date", "datetime"):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def export_csv(db: Database, out: Path) -> tuple[Path, int]:
    """One UTF-8 (with BOM, for Excel) CSV file per table in folder ``out``."""
    out = check_target(out, folder=True)
    make_folder(out)
    total = 0
    for sheet in sheets(db):

        def fill(fh: Any, sheet: Sheet = sheet) -> None:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(sheet.headers)
            for row in sheet.rows:
                writer.writerow([_csv_text(v, k) for v, k in zip(row, sheet.kinds, strict=True)])

        write_atomic(out / f"{sheet.name}.csv", fill, encoding="utf-8-sig")
        total += len(sheet.rows)
    return out, total


FORMATS_XLSX = {
    "money": "#,##0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
}


def export_xlsx(db: Database, out: Path) -> tuple[Path, int]:
    """One workbook, one sheet per table: typed cells, a bold frozen header."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    out = check_target(out)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    total = 0
    for sheet in sheets(db):
        ws = wb.create_sheet(sheet.name[:31])
        ws.freeze_panes = "A2"
        for i, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(header) + 4))
        head = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        styled = {i: FORMATS_XLSX[k] for i, k in enumerate(sheet.kinds) if k in FORMATS_XLSX}
        for row in sheet.rows:
            values: list[Any] = []
            for i, (value, kind) in enumerate(zip(row, sheet.kinds, strict=True)):
                if kind == "text" and isinstance(value, str):
                    value = neutralise(value)
                elif kind == "decimal" and value is not None:
                    value = Decimal(value)
                if i in styled and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = styled[i]
                    values.append(cell)
                else:
                    values.append(value)
            ws.append(values)
        total += len(sheet.rows)
    save_with(out, lambda p: wb.save(p))
    return out, total


def default_path(fmt: str, today: dt.date, folder: Path | None = None) -> Path:
    base = folder or Path.cwd()
    name = f"kam-export-{today.isoformat()}"
    path = base / (name if fmt == "csv" else f"{name}.{fmt}")
    n = 2
    while path.exists():
        path = base / (f"{name}-{n}" if fmt == "csv" else f"{name}-{n}.{fmt}")
        n += 1
    return path


def export(db: Database, fmt: str, out: Path) -> tuple[Path, int]:
    from kamtui.errors import KamError

    if fmt == "json":
        from kamtui.io.dump import export_json

        return export_json(db, out)
    if fmt == "csv":
        return export_csv(db, out)
    if fmt == "xlsx":
        return export_xlsx(db, out)
    raise KamError(f"unknown export format {fmt!r}: json, csv or xlsx")

"""Exports: the JSON dump restores every row of every table; CSV/XLSX are typed, safe
against formula injection, private (0600) and import back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import json
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from io_helpers import run_import, snapshot

from kamtui.db import Database
from kamtui.io.export import export, neutralise
from kamtui.migrate import open_database
from kamtui.migrations import HEAD

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)


def fill_every_table(db: Database) -> None:
    """The demo fills the foundation; put at least one row in every other table too,
    with the awkward types (decimals, booleans, dates, self references, NULLs)."""
    from sqlalchemy import insert, text

    from kamtui import models as m

    when = dt.datetime(2026, 5, 4, 10, 30, 15)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE account SET parent_id = 50 WHERE id = 3"))  # parent after child
        conn.execute(text("UPDATE account SET notes = '=SUM(A1:A9)', next_review = '2026-12-01', "
                          "stage = 4, stage_since = '2026-02-01', review_cadence = 'monthly' "
                          "WHERE id = 7"))  # fmt: skip
        rows: list[tuple[Any, dict[str, Any]]] = [
            (m.ScoringModel, {"id": 9001, "name": "Big ones (test)", "preset": "big", "threshold": 60,
                              "active": True, "version": 2}),
            (m.Criterion, {"id": 9001, "model_id": 9001, "name": "Revenue", "weight": 3,
                           "bands": "[1, 2, 3]", "auto_source": "revenue", "version": 1}),
            (m.Score, {"account_id": 1, "criterion_id": 9001, "value": 4, "note": "ok",
                       "updated_at": when, "version": 1}),
            (m.ScoreChange, {"account_id": 1, "criterion_id": 9001, "changed_at": when,
                             "old_value": None, "new_value": 4}),
            (m.NightmareTrait, {"id": 9001, "name": "Pays late (test)", "effect": "veto", "version": 1}),
            (m.AccountTrait, {"account_id": 2, "trait_id": 9001, "noted_at": when, "note": "-5 days"}),
            (m.StageChange, {"account_id": 7, "moved_at": when, "from_stage": 3, "to_stage": 4,
                             "note": "+ president met president"}),
            (m.Objective, {"id": 9001, "account_id": 7, "title": "Grow share", "metric": "%",
                           "baseline": Decimal("12.5"), "target": Decimal("30.125"),
                           "current": None, "due": dt.date(2027, 3, 31), "version": 1}),
            (m.Review, {"id": 9001, "account_id": 7, "scheduled_for": dt.date(2026, 12, 1),
                        "status": "open", "rating": None, "version": 1}),
            (m.ReviewItem, {"review_id": 9001, "position": 0, "text": "Needs", "done": True,
                            "version": 1}),
            (m.Action, {"account_id": 7, "objective_id": 9001, "review_id": 9001, "title": "@call",
                        "due": dt.date(2026, 11, 30), "priority": "high", "status": "doing",
                        "created_at": when, "version": 1}),
            (m.AccountExternalId, {"account_id": 7, "system": "hubspot",
                                   "external_id": "9100000007"}),
            (m.ValueDelivered, {"account_id": 7, "delivered_on": dt.date(2026, 9, 1),
                                "description": "Saved 3 %", "amount_minor": -1050, "version": 1}),
            (m.WarningSettings, {"id": 1, "revenue_drop_pct": 25, "stage_days": 120,
                                 "contact_days": 60, "version": 2}),
            (m.WarningTriage, {"warning_key": "review_overdue:7", "account_id": 7,
                               "rule": "review_overdue", "state": "snoozed",
                               "until": dt.date(2026, 12, 24), "reason": "", "figures": "2026-12-01",
                               "created_at": when, "version": 1}),
        ]  # fmt: skip
        for model, row in rows:
            conn.execute(insert(model.__table__), [row])


def fresh(tmp_path: Path, name: str) -> Database:
    target = Database.for_file(tmp_path / name)
    open_database(target)
    return target


def test_json_dump_restores_every_row_of_every_table(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.io.importer import apply_import, prepare_import
    from kamtui.io.plan import Options

    fill_every_table(demo_db)
    before = snapshot(demo_db)
    assert all(before.values()), [t for t, rows in before.items() if not rows]
    path, rows = export(demo_db, "json", tmp_path / "dump.json")
    assert rows == sum(len(r) for r in before.values())
    data = json.loads(path.read_text())
    assert data["schema_revision"] == HEAD
    assert data["settings"]["currency"] == "EUR"
    assert set(data["tables"]) == set(before)

    target = fresh(tmp_path, "restored.db")
    plan = prepare_import(target, path, Options(), dt.date(2026, 11, 16))
    assert plan.kind == "dump" and plan.ok
    apply_import(plan)
    assert snapshot(target) == before
    target.close()


def test_files_are_private_and_never_overwritten(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.errors import KamError

    for fmt, name in (("json", "a.json"), ("xlsx", "a.xlsx"), ("csv", "folder")):
        path, _ = export(demo_db, fmt, tmp_path / name)
        files = list(path.iterdir()) if path.is_dir() else [path]
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        with pytest.raises(KamError, match="exists already"):
            export(demo_db, fmt, tmp_path / name)
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_is_one_file_per_table_and_neutralises_formulas(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fill_every_table(demo_db)
    folder, _ = export(demo_db, "csv", tmp_path / "out")
    assert {p.stem for p in folder.glob("*.csv")} == set(snapshot(demo_db))
    with (folder / "account.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows["7"]["notes"] == "'=SUM(A1:A9)"
    assert rows["3"]["parent"] == rows["50"]["name"]
    assert "annual_revenue" in rows["1"] and "annual_revenue_minor" not in rows["1"]
    with (folder / "value_delivered.csv").open(encoding="utf-8-sig", newline="") as fh:
        value = next(r for r in csv.DictReader(fh) if r["description"] == "Saved 3 %")
    assert value["amount"] == "-10.50"  # a negative number stays a number
    with (folder / "action.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert "'@call" in {r["title"] for r in csv.DictReader(fh)}


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("+49 40", "'+49 40"), ("-x", "'-x"), ("@SUM", "'@SUM"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("\x00x", "'\x00x"), ("Acme", "Acme"), ("", "")],
)  # fmt: skip
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_xlsx_typed_cells_bold_frozen_header(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    fill_every_table(demo_db)
    path, _ = export(demo_db, "xlsx", tmp_path / "kam.xlsx")
    wb = load_workbook(path)
    assert set(wb.sheetnames) == set(snapshot(demo_db))
    ws = wb["account"]
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[8], strict=True)}  # account id 7
    assert row["id"].value == 7
    assert row["notes"].value == "'=SUM(A1:A9)"
    assert row["annual_revenue"].data_type == "n"
    assert isinstance(row["annual_revenue"].value, int | float)
    assert isinstance(row["next_review"].value, dt.datetime)
    assert row["next_review"].value.date() == dt.date(2026, 12, 1)
    value = wb["value_delivered"]
    header = [c.value for c in value[1]]
    amount, description = header.index("amount"), header.index("description")
    ours = next(r for r in value.iter_rows(min_row=2) if r[description].value == "Saved 3 %")
    assert ours[amount].value == -10.5  # a negative number, not neutralised text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_own_accounts_export_imports_back_unchanged(
    demo_db, today, tmp_path: Path, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    fill_every_table(demo_db)
    out, _ = export(demo_db, fmt, tmp_path / f"out.{fmt}" if fmt == "xlsx" else tmp_path / "out")
    source = out / "account.csv" if fmt == "csv" else out
    before = snapshot(demo_db)
    plan = run_import(demo_db, source, today)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 60)
    assert snapshot(demo_db) == before

    # and into an empty database it brings every field a user sees
    target = fresh(tmp_path, "empty.db")
    run_import(target, source, today)
    cols = ("name, external_id, website, industry, country, city, status, employees, "
            "annual_revenue_minor, financial_situation, infrastructure, business_strategy, "
            "incumbents, why_buy, why_buy_note, strength_of_position, notes, review_cadence, "
            "next_review")  # fmt: skip
    sql = (f"SELECT {cols}, (SELECT name FROM account p WHERE p.id = a.parent_id), "
           "(SELECT name FROM person o WHERE o.id = a.owner_id) FROM account a ORDER BY a.name")  # fmt: skip
    assert target.fetch(sql) == demo_db.fetch(sql)
    target.close()


def test_cli_export_default_name(demo_db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from kamtui.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(demo_db.path or demo_db.url), "export"])
    assert result.exit_code == 0, result.output
    written = list(tmp_path.glob("kam-export-*.json"))
    assert len(written) == 1 and "Exported" in result.output


def test_restore_replaces_the_settings_row_of_a_fresh_database(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from kamtui import models as m
    from kamtui.io.importer import apply_import, prepare_import
    from kamtui.io.plan import Options

    path, _ = export(demo_db, "json", tmp_path / "d.json")
    target = fresh(tmp_path, "t.db")
    with target.engine.begin() as conn:
        conn.execute(insert(m.Settings.__table__), [{"id": 1, "currency": "USD", "version": 1}])
    apply_import(prepare_import(target, path, Options(), dt.date(2026, 11, 16)))
    assert snapshot(target) == snapshot(demo_db)
    target.close()


# --- the criteria's short names (the matrix's column headings) ----------------------------------


def _short_names(db: Database) -> dict[int, str]:
    return dict(db.fetch("SELECT id, short_name FROM criterion ORDER BY id"))


def _add_own_criteria(db: Database) -> None:
    """Two criteria of the user's own in the active model: one short name typed, one made."""
    from kamtui.services.scoring import active_model
    from kamtui.services.scoring_store import save_criterion

    model = active_model(db)
    assert model is not None
    save_criterion(
        db, model.id, None, None, {"name": "Customer satisfaction", "short_name": "顧客"}
    )
    save_criterion(db, model.id, None, None, {"name": "Pays on time", "short_name": ""})


def test_short_names_survive_the_json_dump_and_the_csv_folder(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add_own_criteria(demo_db)
    held = _short_names(demo_db)
    assert "顧客" in held.values() and "PaysTime" in held.values() and "Revenue" in held.values()
    path, _ = export(demo_db, "json", tmp_path / "dump.json")
    target = fresh(tmp_path, "restored.db")
    assert run_import(target, path, dt.date(2026, 11, 16)).ok
    assert _short_names(target) == held
    target.close()
    folder, _ = export(demo_db, "csv", tmp_path / "csv")
    with (folder / "criterion.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert {int(r["id"]): r["short_name"] for r in csv.DictReader(fh)} == held


def test_a_dump_from_before_short_names_restores_them_made(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.scoring import active_model, model_criteria

    _add_own_criteria(demo_db)
    path, _ = export(demo_db, "json", tmp_path / "d.json")
    data = json.loads(path.read_text())
    data["schema_revision"] = "0007"  # as kam wrote it before revision 0008
    table = data["tables"]["criterion"]
    at = table["columns"].index("short_name")
    del table["columns"][at]
    for row in table["rows"]:
        del row[at]
    path.write_text(json.dumps(data))
    target = fresh(tmp_path, "t.db")
    assert run_import(target, path, dt.date(2026, 11, 16)).ok
    shorts = _short_names(target)
    assert "" not in shorts.values()
    model = active_model(target)
    assert model is not None
    # the presets' own short names, and the user's made from the name (the typed one
    # was not in the old dump)
    assert [c.short_name for c in model_criteria(target, model.id)] == [
        "Revenue", "Size", "Staff", "Ratio", "Fit", "Culture", "CustSat", "PaysTime",
    ]  # fmt: skip
    target.close()

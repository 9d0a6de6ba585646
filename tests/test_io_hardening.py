"""Issue 9 items 4, 5, 9, 10, 12: number bombs, hostile JSON dumps, invisible and
decomposed names, formula cells without values, and external ids per source system.
Each bad file is one clear line, and the database is unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from io_helpers import failure, run_import, snapshot

from kamtui.errors import ValidationError

SF = "Id,Name,AnnualRevenue,NumberOfEmployees\n"
TOO_MUCH_MONEY = "number too large (at most 92,233,720,368,547,758.07)"
TOO_MANY = "number too large (at most 9,223,372,036,854,775,807)"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("1,Acme,1e400,", f"line 2: column AnnualRevenue: {TOO_MUCH_MONEY}"),
        ("1,Acme,1" + "0" * 40 + ",", f"line 2: column AnnualRevenue: {TOO_MUCH_MONEY}"),
        ("1,Acme,1E999999999,", f"line 2: column AnnualRevenue: {TOO_MUCH_MONEY}"),
        ("1,Acme,92233720368547758.08,", f"line 2: column AnnualRevenue: {TOO_MUCH_MONEY}"),
        ("1,Acme,,1e30", f"line 2: column NumberOfEmployees: {TOO_MANY}"),
        ("1,Acme,,1e50000000", f"line 2: column NumberOfEmployees: {TOO_MANY}"),
        ("1,Acme,,9223372036854775808", f"line 2: column NumberOfEmployees: {TOO_MANY}"),
        ("1,Acme,NaN,", "line 2: column AnnualRevenue: 'NaN' is not an amount"),
        ("1,Acme,inf,", "line 2: column AnnualRevenue: 'inf' is not an amount"),
        ("1,Acme,,NaN", "line 2: column NumberOfEmployees: 'NaN' is not a whole number"),
    ],
)
def test_number_bombs_are_one_line_each(
    demo_db, today, tmp_path: Path, row: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bomb.csv"
    path.write_text(SF + row + "\n")
    before = snapshot(demo_db)
    assert expected in failure(demo_db, path, today).splitlines()
    assert snapshot(demo_db) == before


def test_the_largest_amount_that_fits_is_kept_exactly(db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "edge.csv"
    path.write_text(SF + "1,Acme,92233720368547758.07,9223372036854775807\n")
    run_import(db, path, today)
    assert db.fetch("SELECT annual_revenue_minor, employees FROM account") == [
        (2**63 - 1, 2**63 - 1)
    ]


def test_xlsx_huge_float_and_formula_without_value(db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Accounts"
    ws.append(["Name", "AnnualRevenue"])
    ws.append(["Acme", 1.5e308])
    wb.save(tmp_path / "float.xlsx")
    assert f"line 2: column AnnualRevenue: {TOO_MUCH_MONEY}" in failure(
        db, tmp_path / "float.xlsx", today
    )

    ws["B2"] = 5
    ws.append(["Bolt", 7])
    ws["B3"] = "=B2*2"  # openpyxl saves formulas without a cached value, as scripts do
    wb.save(tmp_path / "formula.xlsx")
    message = failure(db, tmp_path / "formula.xlsx", today)
    assert message == (
        "sheet Accounts, cell B3: a formula with no saved value — open and save the file "
        "in Excel, or export values"
    )
    assert db.fetch("SELECT COUNT(*) FROM account") == [(0,)]


def test_the_account_form_refuses_a_40_digit_revenue(demo_db, today) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.accounts import create_account, update_account

    with pytest.raises(ValidationError, match=r"Their annual revenue: number too large"):
        create_account(
            demo_db, {"name": "Big", "annual_revenue_minor": "1" + "0" * 40}, today=today
        )
    aid, version = demo_db.fetch("SELECT id, version FROM account ORDER BY id LIMIT 1")[0]
    with pytest.raises(ValidationError, match=r"Employees: number too large"):
        update_account(demo_db, aid, version, {"employees": "9" * 5000})


# --- hostile JSON dumps ----------------------------------------------------------------------

DUMP = {"format": "kamtui-dump", "format_version": 1, "schema_revision": "0002"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 100_000, "d.json is not a kam dump: its JSON is nested far too deeply"),
        (json.dumps({**DUMP, "tables": []}).encode(), '"tables" must be an object'),
        (json.dumps({**DUMP, "tables": {"account": []}}).encode(),
         "table account must be an object with columns and rows"),
        (json.dumps({**DUMP, "tables": {"account": {"columns": "id", "rows": []}}}).encode(),
         '"columns" must be a list of names'),
        (json.dumps({**DUMP, "tables": {"person": {"columns": ["id", "name"], "rows": {}}}}).encode(),
         '"rows" must be a list'),
        (json.dumps({**DUMP, "tables": {"person": {"columns": ["id", "name"],
                                                   "rows": [[1, 5], ["x", "Jo"], [2, None]]}}}).encode(),
         "table person, row 1, column name: expected text"),
        (json.dumps({**DUMP, "tables": {"person": {"columns": ["id", "name"],
                                                   "rows": [[1, "Jo"]]}}}).replace("1,", "1" + "0" * 30 + ",").encode(),
         "too large for any column"),
        (b'{"format": "kamtui-dump", "format_version": 1, "x": NaN}', "NaN is not a number kam stores"),
        (json.dumps({**DUMP, "schema_revision": ["0002"], "tables": {}}).encode(),
         '"schema_revision" must be text'),
    ],
)  # fmt: skip
def test_hostile_json_dumps_are_one_line(
    db, today, tmp_path: Path, content: bytes, expected: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "d.json"
    path.write_bytes(content)
    before = snapshot(db)
    message = failure(db, path, today)
    assert expected in message
    assert "Traceback" not in message
    assert snapshot(db) == before


def test_every_wrong_value_of_a_dump_is_listed(db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [[1, 5], ["x", "Jo"], [2, None]]
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps({**DUMP, "tables": {"person": {"columns": ["id", "name"], "rows": rows}}})
    )
    lines = failure(db, path, today).splitlines()
    assert lines[1:] == [
        "table person, row 1, column name: expected text",
        "table person, row 2, column id: expected a whole number",
        "table person, row 3, column name: cannot be empty (null)",
    ]


def test_cli_hostile_json_and_bomb_exit_non_zero_without_traceback(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000)
    bomb = tmp_path / "bomb.csv"
    bomb.write_text(SF + "1,Acme,,1e50000000\n")
    before = snapshot(demo_db)
    for path, expected in ((deep, "nested far too deeply"), (bomb, TOO_MANY)):
        run = subprocess.run(
            [sys.executable, "-m", "kamtui", "--db", str(demo_db.path), "import", str(path)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert run.returncode == 1
        assert expected in run.stderr and "Traceback" not in run.stderr
    assert snapshot(demo_db) == before


# --- names -------------------------------------------------------------------------------------


def test_nfc_and_nfd_names_are_one_account_and_invisible_names_are_refused(
    db, today, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    nfc, nfd = "Z\u00fcrich AG", "Zu\u0308rich AG"
    path = tmp_path / "a.csv"
    path.write_text(f"name,city\n{nfc},Zurich\n")
    run_import(db, path, today)
    path.write_text(f"name,city\n\u200b{nfd}\ufeff ,Zürich\n")
    plan = run_import(db, path, today)
    assert (plan.created, plan.updated) == (0, 1)
    assert db.fetch("SELECT name, city FROM account") == [(nfc, "Zürich")]

    path.write_text(f"name,city\n{nfd},A\n{nfc},B\n")
    assert "line 3: column name: duplicate name 'Zürich AG': already on line 2" in failure(
        db, path, today
    )
    path.write_text("name,city\n\u200b\u200d,Bern\n")
    assert "line 2: column name: only invisible characters" in failure(db, path, today)


def test_services_clean_names_when_creating_and_renaming(db, today) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.accounts import create_account, update_account

    first = create_account(db, {"name": "Zu\u0308rich AG\u200b"}, today=today)
    assert first.name == "Z\u00fcrich AG"
    with pytest.raises(ValidationError, match="exists already"):
        create_account(db, {"name": "Z\u00fcrich AG"}, today=today)
    with pytest.raises(ValidationError, match="Name: has only invisible characters"):
        create_account(db, {"name": "\u200b\u2060"}, today=today)
    other = create_account(db, {"name": "Bern AG"}, today=today)
    with pytest.raises(ValidationError, match="exists already"):
        update_account(db, other.id, other.version, {"name": "\ufeffZu\u0308rich AG"})


# --- external ids per source system ----------------------------------------------------------


def test_hubspot_after_salesforce_updates_the_same_accounts(db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.external_ids import external_ids

    sf = tmp_path / "sf.csv"
    sf.write_text("Id,Name,Industry\n0015g00000ABCdeAAH,Acme Corporation,Retail\n")
    run_import(db, sf, today)
    hub = tmp_path / "hub.csv"
    hub.write_text("Record ID,Company name,City\n9100000000,Acme Corporation,Leeds\n")
    plan = run_import(db, hub, today)
    assert (plan.created, plan.updated) == (0, 1), plan.describe()
    aid = db.fetch("SELECT id FROM account")[0][0]
    assert external_ids(db, aid) == [
        ("Salesforce", "0015g00000ABCdeAAH"),
        ("HubSpot", "9100000000"),
    ]
    assert db.fetch("SELECT external_id, industry, city FROM account") == [
        ("0015g00000ABCdeAAH", "Retail", "Leeds")  # the primary id stays the first one
    ]
    # now either system's id finds it, even under a new name
    hub.write_text("Record ID,Company name\n9100000000,Acme Corp\n")
    plan = run_import(db, hub, today)
    assert plan.updated == 1 and db.fetch("SELECT name FROM account") == [("Acme Corp",)]
    # a different HubSpot id for the same company is still a conflict, named by system
    hub.write_text("Record ID,Company name\n9100000999,Acme Corp\n")
    assert ("line 2: column Record ID: 'Acme Corp' exists with HubSpot id '9100000000', "
            "this row says '9100000999'") in failure(db, hub, today)  # fmt: skip


def test_another_named_source_and_contacts_by_its_id(db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.io.plan import Options
    from kamtui.services.external_ids import external_ids

    path = tmp_path / "pd.csv"
    path.write_text("name,external_id\nAcme,77\n")
    run_import(db, path, today, source="Pipedrive")
    aid = db.fetch("SELECT id FROM account")[0][0]
    assert external_ids(db, aid) == [("Pipedrive", "77")]
    contacts = tmp_path / "c.csv"
    contacts.write_text("First Name,Last Name,Email,AccountId\nAnna,Berg,a@b.example,77\n")
    run_import(db, contacts, today)
    assert db.fetch("SELECT account_id FROM contact") == [(aid,)]
    assert Options(source="x").source == "x"


def _db_at(path: Path, revision: str) -> object:
    from alembic import command

    from kamtui.db import Database
    from kamtui.migrate import _alembic_config

    db = Database.for_file(path)
    db.prepare_file()
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)  # type: ignore[arg-type]
    return db


BLANK = "'', '', '', '', '2026-01-01', '2026-01-01'"


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_migration_0003_moves_every_external_id(tmp_path: Path) -> None:
    from kamtui.migrate import upgrade

    db = _db_at(tmp_path / "old.db", "0002")
    with db.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(
            "INSERT INTO account (id, name, external_id, status, version, website, industry, "
            "country, city, created_at, updated_at) VALUES "
            f"(1, 'Acme', '0015g00000ABCdeAAH', 'key', 3, {BLANK}), "
            f"(2, 'Bolt', '9517530001', 'prospect', 1, {BLANK}), "
            f"(3, 'Crane', 'ERP-17', 'prospect', 1, {BLANK}), "
            f"(4, 'Dune', NULL, 'prospect', 1, {BLANK})"
        )
        conn.exec_driver_sql(
            "INSERT INTO contact (account_id, name, title, level, email, phone, version) "
            "VALUES (1, 'Anna', '', 'manager', '', '', 1)"
        )
    assert upgrade(db) is not None  # type: ignore[arg-type]
    assert db.fetch(  # type: ignore[attr-defined]
        "SELECT account_id, system, external_id FROM account_external_id ORDER BY account_id"
    ) == [
        (1, "salesforce", "0015g00000ABCdeAAH"),
        (2, "hubspot", "9517530001"),
        (3, "other", "ERP-17"),
    ]
    assert db.fetch("SELECT id, external_id, version FROM account ORDER BY id") == [  # type: ignore[attr-defined]
        (1, "0015g00000ABCdeAAH", 3),
        (2, "9517530001", 1),
        (3, "ERP-17", 1),
        (4, None, 1),
    ]
    assert db.fetch("SELECT COUNT(*) FROM contact") == [(1,)]  # type: ignore[attr-defined]
    assert db.check() == []  # type: ignore[attr-defined]


def test_a_dump_from_0002_restores_its_ids_per_system(demo_db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.db import Database
    from kamtui.io.export import export
    from kamtui.migrate import open_database

    path, _ = export(demo_db, "json", tmp_path / "d.json")
    data = json.loads(path.read_text())
    data["schema_revision"] = "0002"
    del data["tables"]["account_external_id"]
    path.write_text(json.dumps(data))
    target = Database.for_file(tmp_path / "t.db")
    open_database(target)
    run_import(target, path, today)
    held = demo_db.fetch("SELECT COUNT(*) FROM account WHERE external_id IS NOT NULL")[0][0]
    assert held and target.fetch("SELECT COUNT(*) FROM account_external_id") == [(held,)]
    target.close()

"""Files written the way Salesforce, HubSpot and Excel write them import correctly."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from io_helpers import FIXTURES, failure, run_import, snapshot

from kamtui.io.importer import prepare_import
from kamtui.io.plan import Options

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)


def accounts(db: Any) -> dict[str, dict[str, Any]]:
    rows = db.fetch(
        "SELECT a.name, a.external_id, a.status, a.industry, a.city, a.country, a.employees, "
        "a.annual_revenue_minor, a.website, p.name, o.name, a.notes, a.version "
        "FROM account a LEFT JOIN account p ON p.id = a.parent_id "
        "LEFT JOIN person o ON o.id = a.owner_id"
    )
    keys = ("external_id", "status", "industry", "city", "country", "employees", "revenue",
            "website", "parent", "owner", "notes", "version")  # fmt: skip
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def test_salesforce_data_loader_file(db, today) -> None:  # type: ignore[no-untyped-def]
    plan = run_import(db, FIXTURES / "salesforce_dataloader_accounts.csv", today)
    assert plan.format == "Salesforce (API names)"
    assert (plan.created, plan.updated, plan.unchanged) == (4, 0, 0)
    got = accounts(db)
    nordwind = got["Nordwind Logistik GmbH"]
    assert nordwind["parent"] == "Astoria Foods AG"  # the parent comes later in the file
    assert nordwind["revenue"] == 15_000_000_00  # "1.5E7", exactly
    assert nordwind["status"] == "customer"  # "Customer - Channel"
    assert nordwind["notes"] == "Depot partner of Astoria.\nTwo sites."
    assert got["Astoria Foods AG"]["city"] == "Zürich"
    assert got["Astoria Foods AG"]["notes"] == 'Says "we buy on quality"'
    assert got["Brightline Retail Ltd"]["status"] == "prospect"
    assert got["Calder Systems Inc"]["status"] == "prospect"  # a reseller is not a status
    assert got["Calder Systems Inc"]["revenue"] == 1_200_000_50
    assert any("OwnerId" in w for w in plan.warnings)
    assert any("Rating" in w and "Phone" in w for w in plan.warnings)
    history = db.fetch("SELECT COUNT(*) FROM status_change WHERE reason LIKE 'imported from%'")
    assert history[0][0] == 4


def test_weekly_export_in_upper_case_matches_by_id(db, today) -> None:  # type: ignore[no-untyped-def]
    run_import(db, FIXTURES / "salesforce_dataloader_accounts.csv", today)
    before = snapshot(db)
    plan = run_import(db, FIXTURES / "salesforce_weekly_Account.csv", today)
    assert plan.format == "Salesforce (API names)"
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 4)
    assert snapshot(db) == before


def test_report_export_footer_owners_and_key_accounts_kept(db, today) -> None:  # type: ignore[no-untyped-def]
    run_import(db, FIXTURES / "salesforce_dataloader_accounts.csv", today)
    db.fetch("SELECT 1")
    from kamtui.services.accounts import change_status

    astoria = db.fetch("SELECT id, version FROM account WHERE name = 'Astoria Foods AG'")[0]
    change_status(db, astoria[0], astoria[1], "key", "our biggest", today)
    plan = run_import(db, FIXTURES / "salesforce_report_accounts.csv", today)
    assert plan.format == "Salesforce (report)"
    assert any("report footer" in n for n in plan.notes)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 3, 0)  # owners added
    got = accounts(db)
    assert got["Astoria Foods AG"]["status"] == "key"  # a CRM "Customer" keeps our key account
    assert got["Astoria Foods AG"]["owner"] == "Jo Weber"
    assert got["Astoria Foods AG"]["version"] == 3  # bumped: open editors see it is stale
    assert got["Brightline Retail Ltd"]["owner"] == "Sam Patel"
    assert got["Astoria Foods AG"]["employees"] == 2400
    assert len(got) == 4


def test_hubspot_companies(db, today) -> None:  # type: ignore[no-untyped-def]
    plan = run_import(db, FIXTURES / "hubspot_companies.csv", today)
    assert plan.format == "HubSpot companies"
    got = accounts(db)
    assert got["Helios Energy BV"]["external_id"] == "9517530001"
    assert got["Helios Energy BV"]["website"] == "https://www.helios.example"
    assert got["Helios Energy BV"]["revenue"] == 48_000_000_00
    assert got["Helios Energy BV"]["status"] == "customer"
    assert got["Helios Energy BV"]["owner"] == "Maria Rossi"
    assert got["Helios Wind Services"]["website"] == "helioswind.example"  # domain as fallback
    assert got["Helios Wind Services"]["revenue"] == 1_100_04  # "$1,100.04"
    assert got["Helios Wind Services"]["parent"] == "Helios Energy BV"
    assert got["Helios Wind Services"]["status"] == "target"  # Opportunity
    assert got["Kestrel Analytics"]["status"] == "prospect"  # Lead
    assert got["Orbis Supply"]["status"] == "prospect"  # Type VENDOR: not a status
    assert got["Orbis Supply"]["city"] == "Poznań"


def test_hubspot_capitalisation_varies(db, today) -> None:  # type: ignore[no-untyped-def]
    plan = run_import(db, FIXTURES / "hubspot_companies_lowercase.csv", today)
    assert plan.format == "HubSpot companies"
    got = accounts(db)["Tidewater Marine"]
    assert (got["external_id"], got["website"], got["country"]) == (
        "77001", "tidewater.example", "Norway"
    )  # fmt: skip
    assert got["status"] == "prospect"


def test_hubspot_xlsx(db, today) -> None:  # type: ignore[no-untyped-def]
    plan = run_import(db, FIXTURES / "hubspot_companies.xlsx", today)
    assert plan.created == 2
    got = accounts(db)
    assert got["Quarry Stone Ltd"]["external_id"] == "9517530101"
    assert got["Quarry Stone Ltd"]["revenue"] == 25_000_000_50
    assert got["Ridgeway Pharma"]["employees"] == 1200
    assert got["Ridgeway Pharma"]["status"] == "prospect"


def test_excel_utf8_with_bom_and_generic_columns(db, today) -> None:  # type: ignore[no-untyped-def]
    assert failure(db, FIXTURES / "excel_utf8_bom.csv", today) == ""
    # the first header still matches although the file starts with a BOM
    plan = run_import(db, FIXTURES / "excel_utf8_bom.csv", today, decimal_comma=True)
    assert plan.format == "generic (kam columns)"
    got = accounts(db)
    assert got["Malmö Verkstad AB"]["status"] == "key"
    assert got["Malmö Verkstad AB"]["revenue"] == 2_500_00  # "€ 2.500" with a decimal comma
    assert got['=HYPERLINK("http://x")']["revenue"] == 1_200_00


def test_windows_cp1252_needs_and_takes_encoding(db, today) -> None:  # type: ignore[no-untyped-def]
    assert "--encoding cp1252" in failure(db, FIXTURES / "excel_cp1252.csv", today)
    run_import(db, FIXTURES / "excel_cp1252.csv", today, encoding="cp1252")
    assert {"Malmö Verkstad AB", "Café Noir SARL"} <= set(accounts(db))


def test_contacts_from_hubspot_and_salesforce(db, today) -> None:  # type: ignore[no-untyped-def]
    run_import(db, FIXTURES / "salesforce_dataloader_accounts.csv", today)
    run_import(db, FIXTURES / "hubspot_companies.csv", today)
    plan = run_import(db, FIXTURES / "hubspot_contacts.csv", today)
    assert (plan.kind, plan.format, plan.created) == ("contacts", "HubSpot contacts", 3)
    plan = run_import(db, FIXTURES / "salesforce_contacts.csv", today)
    assert (plan.format, plan.created) == ("Salesforce contacts", 2)
    rows = db.fetch(
        "SELECT c.name, a.name, c.title, c.level, c.email FROM contact c "
        "JOIN account a ON a.id = c.account_id ORDER BY c.name"
    )
    got = {r[0]: r[1:] for r in rows}
    assert got["Anna de Vries"] == (
        "Helios Energy BV", "Chief Procurement Officer", "executive",
        "anna.devries@helios.example",
    )  # fmt: skip
    assert got["Ben Okafor"][0] == "Helios Energy BV"  # company name in another case
    assert got["Clara Moreau"][2] == "director"  # Head of IT
    assert got["Greta Larsson"][:3] == ("Astoria Foods AG", "VP Purchasing", "vp")
    assert got["Hugo Brandt"][0] == "Nordwind Logistik GmbH"  # AccountId = external id
    again = run_import(db, FIXTURES / "hubspot_contacts.csv", today)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_economics_by_name_and_external_id(db, today) -> None:  # type: ignore[no-untyped-def]
    run_import(db, FIXTURES / "salesforce_dataloader_accounts.csv", today)
    plan = run_import(db, FIXTURES / "economics.csv", today)
    assert (plan.kind, plan.created) == ("economics", 3)
    rows = db.fetch(
        "SELECT a.name, p.period_start, p.kind, p.revenue_minor, p.cost_to_serve_minor, "
        "p.gross_profit_minor, p.receivables_minor FROM account_period p "
        "JOIN account a ON a.id = p.account_id ORDER BY a.name, p.period_start"
    )
    assert rows == [
        ("Astoria Foods AG", "2026-01-01", "quarter", 120000000, 8000000, 31050025, 40000000),
        ("Astoria Foods AG", "2026-04-01", "quarter", 110004, 10000, -5000, 0),
        ("Nordwind Logistik GmbH", "2026-07-01", "month", 2000000, 250000, 600000, 900000),
    ]
    plan = run_import(db, FIXTURES / "economics_decimal_comma.csv", today, decimal_comma=True)
    revenue = db.fetch("SELECT revenue_minor FROM account_period WHERE period_start='2026-07-01'"
                       " AND kind='quarter'")  # fmt: skip
    assert revenue == [(250050,)]  # "€ 2.500,50"


def test_update_by_name_any_case_and_dry_run_writes_nothing(demo_db, today, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name, ext = demo_db.fetch("SELECT name, external_id FROM account WHERE id = 5")[0]
    path = tmp_path / "update.csv"
    path.write_text(
        "Account Name,Industry,Annual Revenue\n"
        f'{name.upper()},Robotics,"$1,234.50"\n'
        "Brand New Ltd,Retail,\n"
    )
    before = snapshot(demo_db)
    plan = prepare_import(demo_db, path, Options(), today)
    assert (plan.created, plan.updated, plan.unchanged) == (1, 1, 0)
    assert snapshot(demo_db) == before  # a dry run (a preview) writes nothing
    run_import(demo_db, path, today)
    got = accounts(demo_db)
    assert got[name]["industry"] == "Robotics"
    assert got[name]["revenue"] == 123450
    assert got[name]["external_id"] == ext  # kept: an empty cell never erases
    assert "BRAND NEW LTD" not in got and "Brand New Ltd" in got
    assert len(got) == 61


def test_cli_dry_run_and_import(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from kamtui.cli import cli

    src = tmp_path / "sf.csv"
    shutil.copy(FIXTURES / "salesforce_dataloader_accounts.csv", src)
    before = snapshot(demo_db)
    runner = CliRunner()
    args = ["--db", str(demo_db.path or demo_db.url), "import", str(src)]
    result = runner.invoke(cli, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert (
        "Dry run, nothing written: 4 accounts to create, 0 to update, 0 unchanged." in result.output
    )
    assert snapshot(demo_db) == before
    result = runner.invoke(cli, [*args, "--map", "Rating=notes", "--map", "Phone="])
    assert result.exit_code == 0, result.output
    assert "Imported sf.csv: 4 created, 0 updated, 0 unchanged." in result.output
    assert accounts(demo_db)["Brightline Retail Ltd"]["notes"] == ""
    assert accounts(demo_db)["Calder Systems Inc"]["notes"] == "Cold"  # Rating mapped to notes


@pytest.mark.parametrize(
    ("raw", "current", "expected"),
    [("Customer", "key", "key"), ("Customer - Direct", "former", "former"),
     ("Prospect", "target", "target"), ("Customer", "prospect", "customer"),
     ("Prospect", "customer", "prospect")],
)  # fmt: skip
def test_crm_status_never_loses_a_finer_status(raw: str, current: str, expected: str) -> None:
    from kamtui.io.headers import map_status, refine_crm_status

    status = map_status(raw)
    assert status is not None
    assert refine_crm_status(current, status) == expected


def test_unknown_columns_are_named_in_a_warning(db, today, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sheet.csv"
    path.write_text("Name,Favourite Colour,Industry\nAcme,blue,Retail\n")
    plan = run_import(db, path, today)
    assert plan.created == 1
    assert any("Favourite Colour" in w and "--map" in w for w in plan.warnings)


def test_forced_format_changes_what_columns_mean(db, today, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.csv"
    path.write_text("Name,Type,Revenue\nAcme,Customer,100\n")
    generic = prepare_import(db, path, Options(fmt="generic"), today)
    assert generic.format == "generic (kam columns)"
    assert any("Type" in w for w in generic.warnings)  # 'Type' means nothing to kam's columns
    hub = prepare_import(db, path, Options(fmt="hubspot"), today)
    assert hub.format == "HubSpot companies"
    assert any("Revenue" in w for w in hub.warnings)


def test_a_change_made_elsewhere_after_the_preview_stops_the_import(
    demo_db, today, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from kamtui.errors import StaleError
    from kamtui.io.importer import apply_import
    from kamtui.services.accounts import update_account

    name, version = demo_db.fetch("SELECT name, version FROM account WHERE id = 9")[0]
    path = tmp_path / "u.csv"
    path.write_text(f"Name,Industry\n{name},Shipbuilding\nFresh Co,Retail\n")
    plan = prepare_import(demo_db, path, Options(), today)
    assert (plan.created, plan.updated) == (1, 1)
    update_account(demo_db, 9, version, {"city": "Bremen"})  # someone else, meanwhile
    before = snapshot(demo_db)
    with pytest.raises(StaleError, match="changed elsewhere since the preview"):
        apply_import(plan)
    assert snapshot(demo_db) == before  # not even the new account went in


def test_salesforce_15_character_ids_match_18_character_ones(db, today, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_import(db, FIXTURES / "salesforce_dataloader_accounts.csv", today)
    path = tmp_path / "report.csv"
    path.write_text(
        "Account ID,Account Name,Parent Account ID,Employees\n"
        "0015g00000ABCde,Nordwind Logistik GmbH,0015g00000ABCdf,130\n"
    )
    plan = run_import(db, path, today)
    assert (plan.created, plan.updated) == (0, 1)
    got = accounts(db)["Nordwind Logistik GmbH"]
    assert got["employees"] == 130
    assert got["external_id"] == "0015g00000ABCdeAAH"  # the full id is kept
    assert got["parent"] == "Astoria Foods AG"

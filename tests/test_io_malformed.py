"""Every kind of bad file is refused with its own clear message, and changes nothing."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from io_helpers import failure, snapshot

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)

SF = "Id,Name,Type,ParentId,AnnualRevenue,NumberOfEmployees\r\n"
GEN = "name,external_id,parent,status,annual_revenue,employees,next_review,review_cadence\n"
ECO = "Account,Period,Revenue,Cost to serve,Gross profit,Receivables\n"
CON = "First Name,Last Name,Email,Job Title,Company Name\n"
BIG = "x" * 140_000

CASES: list[tuple[str, str, bytes, dict[str, object], str]] = [
    # (id, file name, content, options, expected fragment of the message)
    ("empty", "a.csv", b"", {}, "is empty"),
    ("only-bom", "a.csv", codecs.BOM_UTF8, {}, "is empty"),
    ("only-blank-lines", "a.csv", b"\r\n\r\n  \n", {}, "is empty"),
    ("header-only", "a.csv", SF.encode(), {}, "has a header but no rows"),
    ("no-name-column", "a.csv", b"Industry,City\nRetail,Leeds\n", {}, "has no name column"),
    ("wrong-type-pdf", "a.pdf", b"%PDF-1.4\n", {}, "wrong file type '.pdf'"),
    ("old-xls", "a.xls", b"\xd0\xcf\x11\xe0", {}, "old Excel 97"),
    ("xlsx-not-zip", "a.xlsx", b"Name\nAcme\n", {}, "not an Excel workbook"),
    ("xlsx-broken-zip", "a.xlsx", b"PK\x03\x04garbage", {}, "not a valid .xlsx"),
    ("csv-is-zip", "a.csv", b"PK\x03\x04\x14\x00", {}, "rename it to .xlsx"),
    ("unterminated-quote", "a.csv", (SF + '1,"Acme,Customer,,5,3\r\n2,B,,,,\r\n').encode(), {},
     "line 2: unterminated quote"),
    ("quote-mid-field", "a.csv", (SF + '1,"Acme"x,Customer,,5,3\r\n').encode(), {},
     "line 2: a quote ends in the middle of a field"),
    ("nul-byte", "a.csv", (SF + "1,Ac\x00me,,,,\r\n").encode(), {}, "line 2: the file contains a NUL byte"),
    ("field-too-big", "a.csv", (SF + f'1,"{BIG}",,,,\r\n').encode(), {},
     "line 2: a field is longer than 131,072 characters"),
    ("not-utf8", "a.csv", SF.encode() + b"1,Caf\xe9 Noir,,,,\r\n", {},
     "line 2: byte 0xe9 at byte offset 60 is not valid UTF-8 text — the file is probably from Windows Excel: try --encoding cp1252"),
    ("bom-then-bad-byte-line-3", "a.csv", codecs.BOM_UTF8 + b"Name,City\nAcme,Bern\nCaf\xe9,Genf\n", {},
     "line 3: byte 0xe9 at byte offset 26 is not valid UTF-8"),
    ("bom-then-bad-utf8", "a.csv", codecs.BOM_UTF8 + b"\xff\xfeName\n", {}, "--encoding cp1252"),
    ("utf16", "a.csv", "Name\r\nAcme\r\n".encode("utf-16"), {}, "--encoding utf-16"),
    ("unknown-encoding", "a.csv", b"Name\nAcme\n", {"encoding": "klingon"}, "unknown encoding 'klingon'"),
    ("negative-amount", "a.csv", (SF + "1,Acme,,,-5,3\r\n").encode(), {},
     "line 2: column AnnualRevenue: '-5': cannot be negative"),
    ("line-counts-physical-lines", "a.csv", (SF + '1,"Acme\nWest\nSide",,,,\r\n2,Bolt,,,-5,\r\n').encode(),
     {}, "line 5: column AnnualRevenue: '-5': cannot be negative"),
    ("text-amount", "a.csv", (SF + "1,Acme,,,lots,3\r\n").encode(), {},
     "line 2: column AnnualRevenue: 'lots' is not an amount"),
    ("decimal-comma-without-flag", "a.csv", (SF + '1,Acme,,,"2.500,50",3\r\n').encode(), {},
     "use --decimal-comma"),
    ("unknown-status", "a.csv", (SF + "1,Acme,Friend,,,\r\n").encode(), {},
     "line 2: column Type: 'Friend' is not a status"),
    ("unknown-status-generic", "a.csv", (GEN + "Acme,,,vip,,,,\n").encode(), {}, "'vip' is not a status"),
    ("duplicate-name", "a.csv", (SF + "1,Acme,,,,\r\n2,ACME ,,,,\r\n").encode(), {},
     "line 3: column Name: duplicate name 'ACME': already on line 2"),
    ("duplicate-id", "a.csv", (SF + "1,Acme,,,,\r\n1,Bolt,,,,\r\n").encode(), {},
     "line 3: column Id: duplicate id '1': already on line 2"),
    ("empty-name", "a.csv", (SF + "1,,,,,\r\n").encode(), {}, "every account needs a name"),
    ("too-many-values", "a.csv", (SF + "1,Acme,,,,,surplus\r\n").encode(), {},
     "line 2: 7 values but the header has 6 columns"),
    ("too-few-values", "a.csv", (SF + "1,Acme\r\n").encode(), {}, "2 values but the header has 6"),
    ("duplicate-header", "a.csv", b"Name,City,name\nAcme,Leeds,x\n", {}, "appears twice"),
    ("unknown-parent", "a.csv", (SF + "1,Acme,,999,,\r\n").encode(), {},
     "column ParentId: no account with id or name '999'"),
    ("own-parent", "a.csv", (SF + "1,Acme,,1,,\r\n").encode(), {}, "cannot be its own parent"),
    ("parent-loop", "a.csv", (SF + "1,Acme,,2,,\r\n2,Bolt,,1,,\r\n").encode(), {}, "parents form a loop"),
    ("negative-employees", "a.csv", (SF + "1,Acme,,,,-3\r\n").encode(), {}, "cannot be negative"),
    ("text-employees", "a.csv", (SF + "1,Acme,,,,many\r\n").encode(), {}, "'many' is not a whole number"),
    ("bad-date", "a.csv", (GEN + "Acme,,,,,,31/12/2026,\n").encode(), {}, "'31/12/2026' is not a date"),
    ("bad-cadence", "a.csv", (GEN + "Acme,,,,,,,weekly\n").encode(), {}, "'weekly' is not one of"),
    ("name-too-long", "a.csv", (SF + f"1,{'N' * 201},,,,\r\n").encode(), {}, "longer than 200 characters"),
    ("unknown-map-field", "a.csv", (SF + "1,Acme,,,,\r\n").encode(), {"mapping": {"Type": "colour"}},
     "--map: 'colour' is not a accounts field"),
    ("map-missing-column", "a.csv", (SF + "1,Acme,,,,\r\n").encode(), {"mapping": {"Rating": "notes"}},
     "--map: the file has no column 'rating'"),
    ("economics-bad-period", "e.csv", (ECO + "Astoria,2026-Q5,1,1,1,\n").encode(), {}, "is not a period"),
    ("economics-unknown-account", "e.csv", (ECO + "Nobody Ltd,2026-Q1,1,1,1,\n").encode(), {},
     "column Account: no account with id or name 'Nobody Ltd'"),
    ("economics-negative-revenue", "e.csv", (ECO + "{a},2026-Q1,-1,1,1,\n").encode(), {}, "cannot be negative"),
    ("economics-duplicate-period", "e.csv", (ECO + "{a},2026-Q1,1,1,1,\n{a},2026-q1,2,1,1,\n").encode(), {},
     "the same account and period are on line 2"),
    ("economics-missing-columns", "e.csv", b"Account,Period,Revenue\nX,2026-Q1,1\n", {},
     "missing the columns cost to serve, gross profit"),
    ("contacts-bad-email", "c.csv", (CON + "Anna,Berg,anna(at)x,Buyer,{a}\n").encode(), {},
     "'anna(at)x' is not an e-mail address"),
    ("contacts-unknown-company", "c.csv", (CON + "Anna,Berg,a@b.example,Buyer,Nobody Ltd\n").encode(), {},
     "no account with id or name 'Nobody Ltd'"),
    ("contacts-no-account-column", "c.csv", b"First Name,Last Name,Email\nAnna,Berg,a@b.example\n", {},
     "no account column"),
    ("json-not-a-dump", "d.json", json.dumps({"accounts": []}).encode(), {}, "is not a kam export"),
    ("json-broken", "d.json", b'{"format": "kamtui-dump", ', {}, "is not valid JSON"),
    ("json-into-full-database", "d.json",
     json.dumps({"format": "kamtui-dump", "format_version": 1, "schema_revision": "0002",
                 "tables": {}}).encode(), {}, "this database is not empty"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "opts", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_bad_file_is_refused_and_changes_nothing(
    demo_db, today, tmp_path: Path, name: str, content: bytes, opts: dict, expected: str
) -> None:  # type: ignore[no-untyped-def]
    account = demo_db.fetch("SELECT name FROM account ORDER BY id LIMIT 1")[0][0]
    path = tmp_path / name
    path.write_bytes(content.replace(b"{a}", account.encode()))
    before = snapshot(demo_db)
    message = failure(demo_db, path, today, **opts)
    assert expected in message
    assert snapshot(demo_db) == before


def test_missing_file(db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "no file at" in failure(db, tmp_path / "nope.csv", today)


def test_at_most_twenty_problems_are_listed(demo_db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "many.csv"
    path.write_text(SF + "".join(f"{i},Acme {i},,,-{i},\r\n" for i in range(1, 26)))
    before = snapshot(demo_db)
    message = failure(demo_db, path, today)
    assert "25 problems, nothing was changed" in message
    assert message.count("cannot be negative") == 20
    assert "line 2: column AnnualRevenue" in message
    assert snapshot(demo_db) == before


def test_cli_refuses_with_one_line_per_problem_and_no_traceback(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from kamtui.cli import cli

    path = tmp_path / "bad.csv"
    path.write_text(SF + "1,Acme,,,-5,\r\n2,Acme,,,,\r\n")
    before = snapshot(demo_db)
    result = CliRunner().invoke(
        cli, ["--db", str(demo_db.path or demo_db.url), "import", str(path)]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "line 2: column AnnualRevenue: '-5': cannot be negative" in result.output
    assert "line 3: column Name: duplicate name 'Acme': already on line 2" in result.output
    assert "bad.csv was not imported: 2 problems, nothing was changed" in result.output
    assert snapshot(demo_db) == before

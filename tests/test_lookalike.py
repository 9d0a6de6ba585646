"""Look-alikes (issue 12): the key-account profile, the ranking and its reasons, vetoes,
weights, too little data, and ``kam lookalikes`` — through the services and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kamtui.cli import cli
from kamtui.errors import StaleError, ValidationError
from kamtui.services import accounts as svc
from kamtui.services import lookalike as la
from kamtui.services.scoring_store import save_trait, set_account_traits

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)

TODAY = dt.date(2026, 11, 16)

KEY = {"industry": "Industrial automation", "country": "Germany"}
KEY_SIZES = (("2000", "300,000,000"), ("3000", "450,000,000"), ("5000", "700,000,000"))


def _add(db: Any, name: str, status: str = "prospect", **fields: str) -> int:
    account = svc.create_account(db, {"name": name, **fields}, today=TODAY)
    assert account.id is not None
    if status != "prospect":
        svc.change_status(db, account.id, account.version, status, "test", TODAY)
    return account.id


def _keys(db: Any) -> list[int]:
    """Three key accounts sharing an industry, a country and a size band."""
    return [
        _add(db, f"Key {i}", "key", employees=e, annual_revenue_minor=r, **KEY)
        for i, (e, r) in enumerate(KEY_SIZES, start=1)
    ]


def _ranked(db: Any, **kw: Any) -> la.Ranking:
    ranking, _ = la.lookalikes(db, TODAY, **kw)
    return ranking


def _names(ranking: la.Ranking) -> list[str]:
    return [a.name for a, _ in ranking.ranked]


def test_a_prospect_like_the_key_accounts_ranks_above_one_that_differs_on_all_three(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    _add(db, "Unlike", industry="Hospitality", country="Spain", employees="12")
    _add(db, "Alike", employees="3200", annual_revenue_minor="400,000,000", **KEY)
    ranking = _ranked(db)
    assert ranking.enough
    assert _names(ranking) == ["Alike", "Unlike"]
    (_, high), (_, low) = ranking.ranked
    assert high > low and 0 <= low < high <= 100
    assert high >= 90  # the same industry, country and size band; only strength unknown
    assert low <= 10


def test_the_reasons_name_the_fields_and_say_match_or_mismatch(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    _add(db, "Alike", employees="3200", **KEY)
    _add(db, "Unlike", industry="Hospitality", country="Spain", employees="12")
    ranking = _ranked(db)
    by_name = {a.name: a for a, _ in ranking.ranked}
    alike = {r.field: r for r in ranking.explain(by_name["Alike"])}
    assert alike["industry"].verdict == "match"
    assert alike["industry"].text == "industry Industrial automation, like 3 of 3 key accounts"
    assert alike["country"].text == "country Germany, like 3 of 3 key accounts"
    assert "3,200 employees, inside the key accounts' 2,169–4,514" in alike["employees"].text
    assert alike["revenue"].verdict == "unknown" and "revenue unknown" in alike["revenue"].text
    unlike = {r.field: r for r in ranking.explain(by_name["Unlike"])}
    assert unlike["industry"].verdict == "mismatch"
    assert unlike["industry"].text == (
        "industry Hospitality: no key account (3 of 3 are in Industrial automation)"
    )
    assert "country Spain: no key account" in unlike["country"].text
    assert "12 employees, far below the key accounts' 2,169–4,514" in unlike["employees"].text
    assert unlike["employees"].verdict == "mismatch"


def test_vetoed_accounts_are_never_ranked_and_say_why(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    veto = save_trait(db, None, None, {"name": "Abusive to our staff", "effect": "veto"})
    late = save_trait(db, None, None, {"name": "Pays late", "effect": "penalty", "penalty": "10"})
    bad = _add(db, "Perfect but abusive", employees="3000", **KEY)
    late_id = _add(db, "Pays late GmbH", employees="3000", **KEY)
    _add(db, "Clean GmbH", employees="3000", **KEY)
    set_account_traits(db, bad, [veto.id])
    set_account_traits(db, late_id, [late.id])
    for customers in (False, True):
        ranking = _ranked(db, customers=customers)
        assert "Perfect but abusive" not in _names(ranking)
        assert [a.name for a in ranking.vetoed] == ["Perfect but abusive"]
        assert ranking.vetoed[0].veto == "Abusive to our staff"
    reasons = la.explain(ranking.scorer, ranking.vetoed[0])
    assert reasons[0].text.startswith("vetoed: Abusive to our staff")
    # a penalty trait no key account has is a mismatch, and costs similarity
    assert _names(ranking) == ["Clean GmbH", "Pays late GmbH"]
    late_account = next(a for a, _ in ranking.ranked if a.name == "Pays late GmbH")
    traits = next(r for r in ranking.explain(late_account) if r.field == "traits")
    assert traits.text == "has ‘Pays late’, which no key account has"
    assert traits.verdict == "mismatch"
    assert "vetoed" in la.format_text(ranking) and "Perfect but abusive (Abusive" in (
        la.format_text(ranking)
    )


def test_a_vetoed_key_account_is_left_out_of_the_profile(db) -> None:  # type: ignore[no-untyped-def]
    keys = _keys(db)
    veto = save_trait(db, None, None, {"name": "Asks us to bend the rules", "effect": "veto"})
    set_account_traits(db, keys[0], [veto.id])
    ranking = _ranked(db)
    assert ranking.profile.size == 2 and not ranking.enough
    assert "only 2 key accounts (1 more vetoed)" in la.too_few_text(ranking.profile)


def test_the_profile_says_what_the_key_accounts_share_with_shares(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    _add(db, "Other key", "key", industry="Retail", country="Germany", employees="4000")
    lines = la.profile_lines(_ranked(db).profile)
    assert "Industry: 3 of 4 are in Industrial automation (then 1 Retail)" in lines
    assert "Country: 4 of 4 are in Germany" in lines
    assert any(line.startswith("Employees: ") and " of 4 have " in line for line in lines)
    assert "Nightmare traits: none of the 4 has one" in lines


def test_with_too_few_key_accounts_nothing_is_ranked(db) -> None:  # type: ignore[no-untyped-def]
    _add(db, "Only key", "key", **KEY)
    _add(db, "Prospect", **KEY)
    ranking = _ranked(db)
    assert not ranking.enough and ranking.ranked == []
    text = la.too_few_text(ranking.profile)
    assert "only 1 key account" in text and "at least 3" in text and "view 3" in text


def test_customers_not_yet_key_are_ranked_only_when_asked(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    _add(db, "A customer", "customer", **KEY)
    _add(db, "A target", "target", **KEY)
    assert _names(_ranked(db)) == ["A target"]
    assert sorted(_names(_ranked(db, customers=True))) == ["A customer", "A target"]


def test_free_text_counts_through_shared_words(db) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        _add(db, f"Key {i}", "key", business_strategy="Investing in automation of plants", **KEY)
    _add(db, "Words", business_strategy="Automation investments in two plants", **KEY)
    _add(db, "Other words", business_strategy="Moving to e-commerce", **KEY)
    ranking = _ranked(db)
    assert _names(ranking) == ["Words", "Other words"]
    by_name = {a.name: a for a, _ in ranking.ranked}
    said = next(r for r in ranking.explain(by_name["Words"]) if r.field == "business_strategy")
    assert said.text.startswith("business strategy: “automation”, “plant”")
    assert said.text.endswith("like 3 of 3 key accounts")
    other = next(
        r for r in ranking.explain(by_name["Other words"]) if r.field == "business_strategy"
    )
    assert other.verdict == "mismatch" and "no words in common" in other.text


def test_weights_change_the_ranking_and_are_kept_with_optimistic_checks(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    _add(db, "Same industry", industry="Industrial automation", country="France")
    _add(db, "Same country", industry="Retail", country="Germany")
    ranking, stored = la.lookalikes(db, TODAY)
    assert _names(ranking) == ["Same industry", "Same country"]  # industry weighs 3, country 2
    versions = {k: v for k, (_, v) in stored.items()}
    kept = la.save_weights(db, {"industry": 1, "country": 5}, versions)
    assert kept["industry"][0] == 1 and kept["country"][0] == 5
    assert _names(la.lookalikes(db, TODAY)[0]) == ["Same country", "Same industry"]
    with pytest.raises(StaleError):  # the versions read before the save are stale now
        la.save_weights(db, {"industry": 2}, versions)
    with pytest.raises(ValidationError):
        la.parse_weight("11", "Industry")
    assert la.parse_weight(" 4 ", "Industry") == 4


def test_change_statuses_promotes_several_in_one_transaction(db) -> None:  # type: ignore[no-untyped-def]
    a, b = _add(db, "A"), _add(db, "B")
    va, vb = svc.get_account(db, a).version, svc.get_account(db, b).version
    with pytest.raises(StaleError):  # all or nothing
        svc.change_statuses(db, {a: va, b: vb + 5}, "target", "looks like our key accounts", TODAY)
    assert svc.get_account(db, a).status == "prospect"
    names = svc.change_statuses(db, {a: va, b: vb}, "target", "looks like our keys", TODAY)
    assert names == ["A", "B"]
    history = svc.status_history(db, a)
    assert history[0].new_status == "target" and history[0].reason == "looks like our keys"


def test_json_lists_name_status_similarity_and_reasons_best_first(db) -> None:  # type: ignore[no-untyped-def]
    _keys(db)
    _add(db, "Alike", employees="3000", **KEY)
    _add(db, "Unlike", industry="Hospitality")
    out = la.as_json(_ranked(db))
    assert [o["name"] for o in out] == ["Alike", "Unlike"]
    assert all({"name", "status", "similarity", "reasons"} <= set(o) for o in out)
    assert out[0]["similarity"] > out[1]["similarity"]
    assert any("industry" in r for r in out[0]["reasons"])
    assert la.as_json(_ranked(db), top=1) == out[:1]


# --- the command line, from a CSV through kam import ------------------------------------------


CSV = """Name,Status,Industry,Country,Employees,Annual Revenue
Key One,key,Industrial automation,Germany,2000,300000000
Key Two,key,Industrial automation,Germany,3000,450000000
Key Three,key,Industrial automation,Germany,5000,700000000
Unlike Ltd,prospect,Hospitality,Spain,12,900000
Alike GmbH,prospect,Industrial automation,Germany,3200,400000000
Target AG,target,Industrial automation,France,2500,
"""


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_kam_lookalikes_after_kam_import(db_arg: str, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(CSV, encoding="utf-8")
    result = _run("--db", db_arg, "import", str(path))
    assert result.exit_code == 0, result.stderr
    result = _run("--db", db_arg, "lookalikes")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "What your 3 key accounts have in common:" in out
    assert "Industry: 3 of 3 are in Industrial automation" in out
    assert out.index("Alike GmbH") < out.index("Target AG") < out.index("Unlike Ltd")
    assert "1. Alike GmbH (prospect)" in out
    assert "industry Industrial automation, like 3 of 3 key accounts" in out
    result = _run("--db", db_arg, "lookalikes", "--json", "--top", "2")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ["Alike GmbH", "Target AG"]
    assert rows[0]["status"] == "prospect" and rows[1]["status"] == "target"
    assert 0 <= rows[1]["similarity"] < rows[0]["similarity"] <= 100
    assert any(r.startswith("✓ country Germany") for r in rows[0]["reasons"])


def test_kam_lookalikes_with_too_few_key_accounts_says_what_to_do(
    db_arg: str, tmp_path: Path
) -> None:
    path = tmp_path / "few.csv"
    path.write_text("Name,Status\nKey,key\nProspect,prospect\n", encoding="utf-8")
    assert _run("--db", db_arg, "import", str(path)).exit_code == 0
    for args in ((), ("--json",)):
        result = _run("--db", db_arg, "lookalikes", *args)
        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "only 1 key account" in lines[0]
        assert "Traceback" not in result.stderr


# --- the migration (0007) on a database that holds data ----------------------------------------


def test_migration_0007_keeps_the_data_and_starts_with_default_weights(tmp_path: Path) -> None:
    import sqlite3

    from battery_helpers import add_rows_0001, at_revision, content

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.migrations import HEAD

    path = tmp_path / "old.db"
    at_revision(path, "0004")
    add_rows_0001(path, accounts=4)
    before = content(path)
    assert "lookalike_weight" not in before
    database = Database.for_file(path)
    open_database(database)
    after = content(path)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert after["lookalike_weight"] == []
    assert la.read_weights(database) == {f.key: (f.weight, None) for f in la.FIELDS}
    # four key accounts from before the upgrade make a profile; nothing to rank yet
    ranking, _ = la.lookalikes(database, TODAY)
    assert ranking.profile.size == 4 and ranking.ranked == []
    la.save_weights(database, {"industry": 5}, {"industry": None})
    assert la.read_weights(database)["industry"] == (5, 1)
    database.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    conn.close()

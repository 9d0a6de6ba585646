"""The dashboard's services without Textual: portfolio figures (recomputed in plain SQL),
the health score and its parts, the early-warning rules, triage kept across restarts,
``kam portfolio`` and ``kam alerts`` (issue 11)."""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kamtui.cli import cli
from kamtui.db import Database
from kamtui.errors import StaleError, ValidationError
from kamtui.services import early_warnings as ew
from kamtui.services import portfolio as pf
from kamtui.services.account_facts import AccountFacts, Facts, read_facts
from kamtui.services.health import PARTS, PartRule, health
from kamtui.services.reviews import due_state, list_due

pytestmark = pytest.mark.both_dbs

TODAY = dt.date(2026, 11, 16)


@pytest.fixture
def demo300(db: Any) -> Any:
    from kamtui.services.demo import build_demo

    build_demo(db, accounts=300, seed=7, today=TODAY)
    return db


def _db_arg(db: Database) -> str:
    return str(db.path) if db.path is not None else str(db.url)


# --- portfolio ---------------------------------------------------------------------------------


def test_portfolio_json_is_exactly_the_figures_recomputed_in_sql(demo300: Any) -> None:
    result = CliRunner().invoke(
        cli, ["--db", _db_arg(demo300), "portfolio", "--json", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert (got["window_start"], got["window_end"]) == ("2025-10-01", "2026-09-30")
    per = """SELECT account_id, SUM(revenue_minor) AS rev, SUM(gross_profit_minor) AS gp
             FROM account_period WHERE period_start >= ? AND period_start <= ?
             GROUP BY account_id HAVING SUM(revenue_minor) > 0"""
    window = [got["window_start"], got["window_end"]]
    n = demo300.fetch(f"SELECT COUNT(*) FROM ({per}) t", window)[0][0]
    assert got["accounts_with_revenue"] == n and n > 50
    k = math.ceil(0.2 * n)
    total_rev, total_gp = demo300.fetch(f"SELECT SUM(rev), SUM(gp) FROM ({per}) t", window)[0]
    top_rev = demo300.fetch(
        f"SELECT SUM(rev) FROM (SELECT rev FROM ({per}) t ORDER BY rev DESC LIMIT {k}) u", window
    )[0][0]
    top_gp = demo300.fetch(
        f"SELECT SUM(gp) FROM (SELECT gp FROM ({per}) t ORDER BY gp DESC LIMIT {k}) u", window
    )[0][0]
    assert got["top20_revenue_share"] == int(top_rev) / int(total_rev)
    assert got["top20_gross_profit_share"] == int(top_gp) / int(total_gp)
    top10 = f"SELECT rev FROM ({per}) t ORDER BY rev DESC LIMIT 10"
    low5 = demo300.fetch(
        f"SELECT SUM(rev) FROM (SELECT rev FROM ({top10}) a ORDER BY rev ASC LIMIT 5) b", window
    )[0][0]
    high5 = demo300.fetch(
        f"SELECT SUM(rev) FROM (SELECT rev FROM ({top10}) a ORDER BY rev DESC LIMIT 5) b", window
    )[0][0]
    assert got["lose5of10_revenue_share_min"] == int(low5) / int(total_rev)
    assert got["lose5of10_revenue_share_max"] == int(high5) / int(total_rev)
    assert 0 < got["lose5of10_revenue_share_min"] < got["lose5of10_revenue_share_max"] < 1
    assert (
        got["key_accounts"]
        == demo300.fetch("SELECT COUNT(*) FROM account WHERE status = 'key'")[0][0]
    )


def test_the_window_is_the_accounts_views_4q() -> None:
    from kamtui.services.economics import last_four_quarters

    start, end = last_four_quarters(TODAY)
    assert (start, end - dt.timedelta(days=1)) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def test_portfolio_text_names_the_figures(demo_db: Any) -> None:
    result = CliRunner().invoke(
        cli, ["--db", _db_arg(demo_db), "portfolio", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "Top 20 % share: revenue" in result.output
    assert "Lose 5 of the top 10: revenue" in result.output
    assert "Traceback" not in result.output


def test_pure_concentration_figures() -> None:
    assert pf.top_count(0) == 0 and pf.top_count(1) == 1 and pf.top_count(5) == 1
    assert pf.top_count(6) == 2 and pf.top_count(10) == 2 and pf.top_count(11) == 3
    assert pf.top_share([]) is None and pf.top_share([0, 0]) is None
    assert pf.top_share([50, 30, 20, 0, 0]) == 0.5
    assert pf.cumulative_shares([1, 3]) == [0.75, 1.0]
    assert pf.accounts_for([0.5, 0.8, 1.0]) == 2
    rows = [(f"A{i}", 100 - i * 10, 10 * (i % 3)) for i in range(10)]  # 100, 90, … 10
    e = pf.exposure(rows)
    total = sum(r[1] for r in rows)
    assert e.revenue_min == (10 + 20 + 30 + 40 + 50) / total
    assert e.revenue_max == (100 + 90 + 80 + 70 + 60) / total
    assert e.names_max == ("A0", "A1", "A2", "A3", "A4")
    gp = sorted(r[2] for r in rows)
    assert e.profit_min == sum(gp[:5]) / sum(gp) and e.profit_max == sum(gp[-5:]) / sum(gp)
    few = pf.exposure([("A", 60, 6), ("B", 40, 4)])  # fewer than 10: lose them all
    assert few.revenue_min == few.revenue_max == 1.0
    assert pf.exposure([]).revenue_max is None


# --- health --------------------------------------------------------------------------------------


def _facts(**kw: Any) -> AccountFacts:
    base: dict[str, Any] = {
        "id": 1,
        "name": "Acme",
        "status": "key",
        "stage": 3,
        "stage_since": TODAY,
    }
    base.update(kw)
    return AccountFacts(**base)


def test_health_is_the_sum_of_its_parts_and_explains_them() -> None:
    good = _facts(
        revenue=120, revenue_prev=100, periods=((100, 10), (110, 10), (120, 11), (130, 12)),
        next_review=TODAY + dt.timedelta(days=5), last_rating=5,
    )  # fmt: skip
    h = health(good, TODAY)
    assert h.score == 100 == sum(p.points for p in h.parts)
    assert [p.name for p in h.parts] == [r.name for r in PARTS]
    bad = _facts(
        revenue=50, revenue_prev=100, periods=((100, 10), (100, 40)),
        next_review=TODAY - dt.timedelta(days=45), last_rating=1,
        overdue_actions=((1, TODAY), (2, TODAY), (3, TODAY)), vetoes="Pays late",
    )  # fmt: skip
    h = health(bad, TODAY)
    assert h.score == 0 and all(p.points == 0 for p in h.parts)
    assert "-50 % on the four quarters before" in h.parts[0].text
    assert h.parts[2].text == "overdue 45d" and h.parts[5].text == "veto: Pays late"
    unknown = health(_facts(), TODAY)
    assert "no data" in unknown.parts[0].text and "no rating yet" in unknown.parts[3].text
    assert 0 < unknown.score < 100
    assert "Revenue trend 10/20" in unknown.parts_text


def test_a_feature_adds_a_health_part_and_the_total_stays_out_of_100() -> None:
    extra = [*PARTS, PartRule("Contacts", 20, lambda a, today: (0.0, "single-threaded"))]
    h = health(_facts(revenue=1, revenue_prev=1), TODAY, extra)
    assert sum(p.maximum for p in h.parts) == 100
    assert h.parts[-1].text == "single-threaded" and h.parts[-1].points == 0


# --- warnings -------------------------------------------------------------------------------------


def test_review_overdue_warns_for_exactly_the_accounts_view_6_marks(demo300: Any) -> None:
    view6 = {
        r.account_id
        for r in list_due(demo300, TODAY)
        if due_state(r.next_review, TODAY) == "overdue"
    }
    assert view6, "the demo has overdue reviews"
    alerts = ew.all_alerts(demo300, TODAY)
    assert {a.account_id for a in alerts if a.rule == "review_overdue"} == view6
    result = CliRunner().invoke(
        cli, ["--db", _db_arg(demo300), "alerts", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(alerts)
    names = {r.name for r in list_due(demo300, TODAY) if r.account_id in view6}
    for name in names:
        assert any(line.startswith(f"{name}: review overdue") for line in lines), name


def test_alerts_exit_0_without_warnings_and_2_on_an_error(db: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", _db_arg(db), "alerts", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    result = CliRunner().invoke(cli, ["--db", str(bad), "alerts"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def _portfolio(*accounts: AccountFacts, capacity: int = 12, threshold: int | None = 60) -> Facts:
    return Facts(TODAY, list(accounts), threshold, capacity)


def test_each_rule_names_the_account_the_reason_and_the_figures() -> None:
    t = ew.Thresholds()
    drop = _facts(
        id=2,
        name="Dropco",
        revenue_prev_q=1000_00,
        revenue_last_q=800_00,
        last_quarter=dt.date(2026, 7, 1),
    )
    small = _facts(id=3, name="Dipco", revenue_prev_q=1000_00, revenue_last_q=801_00)
    old = _facts(id=4, name="Oldco", stage=2, stage_since=TODAY - dt.timedelta(days=181))
    fresh = _facts(id=5, name="Newco", stage_since=TODAY - dt.timedelta(days=180))
    low = _facts(id=6, name="Lowco", score=59.9, rank=7)
    rec = _facts(id=7, name="Owes", periods=((100, 10), (100, 11), (100, 13), (100, 16)))
    late = _facts(
        id=8, name="Lateco", overdue_actions=((9, dt.date(2026, 10, 1)), (4, dt.date(2026, 10, 2)))
    )
    found = ew.find_alerts(_portfolio(drop, small, old, fresh, low, rec, late, capacity=6), t)
    by = {(a.rule, a.account): a for a in found}
    assert by[("revenue_drop", "Dropco")].reason == "revenue down 20 % in 2026-Q3 (1.0k → 800)"
    assert ("revenue_drop", "Dipco") not in by
    assert by[("stage_unchanged", "Oldco")].reason.startswith("stage 2 unchanged for 181 days")
    assert ("stage_unchanged", "Newco") not in by
    assert by[("score_below", "Lowco")].reason == "score 59.9 below the threshold 60 (rank 7)"
    assert by[("receivables", "Owes")].reason.startswith(
        "receivables growing faster than revenue (10 % → 16 %"
    )
    assert by[("action_overdue", "Lateco")].reason == "2 actions overdue (oldest due 2026-10-01)"
    assert by[("over_capacity", "Portfolio")].reason.startswith(
        "7 key accounts for a capacity of 6"
    )
    assert found[0].severity == 1  # most severe first
    stricter = ew.find_alerts(_portfolio(small), ew.Thresholds(revenue_drop_pct=10))
    assert [a.rule for a in stricter] == ["revenue_drop"]


def test_a_feature_adds_facts_a_rule_and_a_health_part(demo_db: Any) -> None:
    """How the contact log (issue 10) plugs in: a reader fills ``extra`` in one query,
    a rule and a health part judge it."""
    from kamtui.services import account_facts as af
    from kamtui.services import health as hm

    def reader(db: Any, today: dt.date, facts: Facts) -> None:
        for aid, n in db.fetch("SELECT account_id, COUNT(*) FROM contact GROUP BY account_id"):
            if aid in facts.by_id:
                facts.by_id[aid].extra["contacts"] = n

    def single(facts: Facts, t: ew.Thresholds) -> Any:
        for a in facts.accounts:
            if a.status == "key" and a.extra.get("contacts", 0) < 2:
                yield ew.Alert(f"single:{a.id}", "single", a.id, a.name, "single-threaded", "")

    part = PartRule(
        "Contacts", 10, lambda a, today: (min(1.0, a.extra.get("contacts", 0) / 3), "contacts")
    )
    af.FACT_READERS.append(reader)
    hm.PARTS.append(part)
    try:
        facts = read_facts(demo_db, TODAY)
        assert any(a.extra.get("contacts") for a in facts.accounts)
        assert health(facts.accounts[0], TODAY).parts[-1].name == "Contacts"
        ew.register(ew.Rule("single", "Single-threaded", single))
        ew.find_alerts(facts, ew.Thresholds())
    finally:
        af.FACT_READERS.remove(reader)
        hm.PARTS.remove(part)
        if "single" in ew.RULE_TITLES:
            ew.RULES[:] = [r for r in ew.RULES if r.id != "single"]
            del ew.RULE_TITLES["single"]


def test_rules_are_pluggable() -> None:
    rule = ew.Rule(
        "test_rule",
        "A test rule",
        lambda facts, t: [ew.Alert("test_rule:1", "test_rule", 1, "Acme", "why", "x")],
    )
    ew.register(rule)
    try:
        assert any(a.rule == "test_rule" for a in ew.find_alerts(_portfolio(), ew.Thresholds()))
    finally:
        ew.RULES.remove(rule)
        del ew.RULE_TITLES["test_rule"]


# --- triage -------------------------------------------------------------------------------------


def _first(db: Any, rule: str) -> ew.Alert:
    return next(a for a in ew.all_alerts(db, TODAY) if a.rule == rule and a.current)


def test_snooze_and_dismiss_persist_across_restarts_and_dismissed_come_back_on_new_figures(
    demo300: Any, new_db: Any
) -> None:
    review = _first(demo300, "review_overdue")
    action = _first(demo300, "action_overdue")
    ew.snooze(demo300, review, "+7", TODAY)
    ew.dismiss(demo300, action, "  agreed with   the customer ")
    demo300.close()
    again = Database(url=demo300.url) if demo300.path is None else Database.for_file(demo300.path)
    try:
        by = {a.key: a for a in ew.all_alerts(again, TODAY)}
        assert (
            by[review.key].triage == "snoozed" and by[review.key].triage_note == "until 2026-11-23"
        )
        assert by[action.key].triage == "dismissed"
        assert by[action.key].triage_note == "agreed with the customer"
        current = {a.key for a in ew.current_alerts(again, TODAY)}
        assert review.key not in current and action.key not in current
        # a week later the snooze is over
        later = {a.key: a for a in ew.all_alerts(again, TODAY + dt.timedelta(days=7))}
        assert later[review.key].current
        # one more overdue action changes the figures: the dismissed warning comes back
        assert action.account_id is not None
        from kamtui.services.plans import create_action

        create_action(
            again, {"account": action.account, "title": "Call back", "due": "2026-11-01"}, TODAY
        )
        back = {a.key: a for a in ew.all_alerts(again, TODAY)}[action.key]
        assert back.current and back.triage_note.startswith("back:")
        ew.restore(again, review.key)
        assert {a.key: a for a in ew.all_alerts(again, TODAY)}[review.key].current
    finally:
        again.close()


def test_triage_refuses_bad_input(demo_db: Any) -> None:
    alert = _first(demo_db, "action_overdue")
    with pytest.raises(ValidationError, match="a day after today"):
        ew.snooze(demo_db, alert, TODAY.isoformat(), TODAY)
    with pytest.raises(ValidationError, match="not a date"):
        ew.snooze(demo_db, alert, "next week", TODAY)
    with pytest.raises(ValidationError, match="say why"):
        ew.dismiss(demo_db, alert, "   ")
    assert ew.read_triage(demo_db) == {}


def test_thresholds_are_kept_in_settings_and_checked(db: Any) -> None:
    assert ew.get_thresholds(db) == ew.Thresholds()
    saved = ew.save_thresholds(db, None, {"revenue_drop_pct": "30", "stage_days": "90"})
    assert (saved.revenue_drop_pct, saved.stage_days, saved.contact_days) == (30, 90, 90)
    with pytest.raises(StaleError):
        ew.save_thresholds(db, None, {"stage_days": "10"})
    with pytest.raises(ValidationError, match="from 1 to 100"):
        ew.save_thresholds(db, saved.version, {"revenue_drop_pct": "0"})
    with pytest.raises(ValidationError, match="whole number"):
        ew.save_thresholds(db, saved.version, {"stage_days": "soon"})


def test_facts_agree_with_the_accounts_view_and_the_matrix(demo300: Any) -> None:
    from kamtui.services.account_list import list_rows
    from kamtui.services.scoring import load_matrix

    facts = read_facts(demo300, TODAY)
    rows = {r.id: r for r in list_rows(demo300, TODAY)}
    mx = load_matrix(demo300, TODAY)
    for a in facts.accounts:
        assert (a.revenue, a.profit, a.cost) == (
            rows[a.id].revenue,
            rows[a.id].profit,
            rows[a.id].cost,
        )
        i = mx.index[a.id]
        assert (a.score, a.rank) == (mx.totals[i], mx.ranks[i])


def test_the_upgrade_to_0006_keeps_the_data(tmp_path: Path) -> None:
    from alembic import command

    from kamtui import migrate
    from kamtui.migrations import HEAD

    path = tmp_path / "old.db"
    database = Database.for_file(path)
    database.prepare_file()
    with database.engine.connect() as conn, conn.begin():
        command.upgrade(migrate._alembic_config(conn), "0004")  # type: ignore[arg-type]
    database.close()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO account (id, name, website, industry, country, city, status, financial_situation,"
        " infrastructure, business_strategy, incumbents, why_buy_note, notes, created_at, updated_at,"
        " review_cadence, next_review, version) VALUES (1, 'Acme', '', '', '', '', 'key', '', '', '', '',"
        " '', '', '2026-01-01', '2026-01-01', 'monthly', '2026-10-01', 1)"
    )
    raw.commit()
    raw.close()
    reopened = Database.for_file(path)
    migrate.open_database(reopened)
    try:
        assert migrate.read_state(reopened).revision == HEAD
        assert reopened.fetch("SELECT name FROM account")[0][0] == "Acme"
        assert reopened.check() == []
        alert = _first(reopened, "review_overdue")
        ew.dismiss(reopened, alert, "visited last week")
        assert ew.current_alerts(reopened, TODAY) == []
    finally:
        reopened.close()


def test_the_scores_alone_are_the_scores_with_parts(demo300: Any) -> None:
    from kamtui.services.health import health_scores

    facts = read_facts(demo300, TODAY)
    assert health_scores(facts.accounts, TODAY) == [health(a, TODAY).score for a in facts.accounts]
    assert len({h for h in health_scores(facts.accounts, TODAY)}) > 5  # it tells accounts apart

"""kam review-pack and kam calendar; the calendar file is parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from click.testing import CliRunner

from kamtui.cli import cli
from kamtui.services import reviews as rv
from kamtui.services.review_pack import calendar_ics, review_pack

TODAY = dt.date(2026, 11, 16)


def _key_account(db) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    row = rv.list_due(db, TODAY)[0]
    return row.account_id, row.name


def test_review_pack_has_the_last_review_actions_value_and_changes(demo_db) -> None:  # type: ignore[no-untyped-def]
    from kamtui import models as m

    aid, name = _key_account(demo_db)
    last = rv.past_reviews(demo_db, aid)[0]
    with demo_db.session() as s:
        s.add(
            m.StageChange(
                account_id=aid,
                moved_at=dt.datetime(2026, 11, 1, 9),
                from_stage=4,
                to_stage=5,
                note="they asked for a review",
            )
        )
    rv.add_value(demo_db, aid, {"delivered_on": "2026-11-10", "description": "Cut lead time | 10 → 6 days", "amount_minor": "12,000.50"}, TODAY)  # fmt: skip

    text = review_pack(demo_db, name.upper(), TODAY)
    assert text.startswith(f"# Account review: {name}\n")
    assert f"## Last review, held {last.held_on.isoformat()}" in text
    assert f"**Satisfaction:** {last.rating}/5" in text
    assert f"- [{'x' if last.items[0].done else ' '}] {last.items[0].text}" in text
    assert "### Done since" in text and "### Open" in text
    assert "| 2026-11-10 | Cut lead time \\| 10 → 6 days | 12,000 |" in text
    assert "**total**" in text
    assert "4 Relationships grow → 5 Do we still like you? — they asked for a review" in text
    assert "## Changes of score" in text


def test_review_pack_command_writes_a_private_file(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, name = _key_account(demo_db)
    out = tmp_path / "pack.md"
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "kam.db"), "review-pack", name, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(f"# Account review: {name}")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_review_pack_of_an_unknown_account_is_one_clear_line(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "kam.db"), "review-pack", "No Such Company"]
    )
    assert result.exit_code != 0
    assert "no account named 'No Such Company'" in result.output
    assert "Traceback" not in result.output


def test_calendar_parses_back_with_stable_uids(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    out = tmp_path / "kam.ics"
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "kam.db"), "calendar", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    cal = Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    reviews = {str(e["UID"]): e for e in events if str(e["UID"]).startswith("review-")}
    actions = [e for e in events if str(e["UID"]).startswith("action-")]
    due = rv.list_due(demo_db, TODAY)
    assert set(reviews) == {f"review-{r.account_id}@kamtui" for r in due}
    open_with_due = demo_db.fetch(
        "SELECT COUNT(*) FROM action WHERE status != 'done' AND due IS NOT NULL"
    )[0][0]
    assert len(actions) == open_with_due
    first = reviews[f"review-{due[0].account_id}@kamtui"]
    start = first.decoded("DTSTART")
    assert start == due[0].next_review and not isinstance(start, dt.datetime)  # all-day
    assert first.decoded("DTEND") == due[0].next_review + dt.timedelta(days=1)
    assert str(first["SUMMARY"]) == f"Review: {due[0].name}"
    # the same export twice gives the same UIDs (a calendar updates, never duplicates)
    again = Calendar.from_ical(calendar_ics(demo_db, TODAY))
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in events
    )


def test_calendar_keeps_long_titles_and_special_characters_and_filters_by_owner(demo_db) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    from kamtui import models as m
    from kamtui.errors import KamError

    aid, name = _key_account(demo_db)
    title = "Prüfen; Angebot, Lieferzeit — " + "sehr lange Überschrift " * 5
    with demo_db.session() as s:
        s.add(
            m.Action(account_id=aid, title=title.strip(), due=dt.date(2026, 12, 3), status="doing")
        )
    cal = Calendar.from_ical(calendar_ics(demo_db, TODAY))
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert f"Action: {title.strip()} ({name})" in summaries

    owner = demo_db.fetch(
        "SELECT p.name FROM account a JOIN person p ON p.id = a.owner_id WHERE a.id = ?", [aid]
    )[0][0]
    mine = Calendar.from_ical(calendar_ics(demo_db, TODAY, owner=owner.upper()))
    assert f"review-{aid}@kamtui" in {str(e["UID"]) for e in mine.walk("VEVENT")}
    assert len(list(mine.walk("VEVENT"))) < len(summaries)
    import pytest

    with pytest.raises(KamError, match="nobody named"):
        calendar_ics(demo_db, TODAY, owner="Nobody Here")

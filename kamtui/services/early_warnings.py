"""Early warnings (seed 004: monitor routinely, detect issues in time) and their triage.

Each rule is a plain function over the portfolio's facts (``account_facts.read_facts``)
that yields :class:`Alert` s naming the account, the reason and the figures. The rules are
``RULES``; a feature adds its own with :func:`register` (``services/plan_warnings.py``:
the account plan's contact log and SWOT bring "decision maker not contacted in N days"
and "High threat with no action").

Triage: a warning can be snoozed until a date or dismissed with a reason; both are kept
in ``warning_triage`` by the warning's key (rule and account). A dismissed warning keeps
the figures it had then: it comes back as soon as its figures change (a review due on a
new date, one more overdue action, another quarter's drop). Snoozing and dismissing
write through the ORM, so ``ctrl+z`` takes them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, StaleError, ValidationError
from kamtui.money import format_compact
from kamtui.services import fields as f
from kamtui.services.account_facts import AccountFacts, Facts, load_extensions, read_facts
from kamtui.services.economics import format_period
from kamtui.services.lifecycle import FAIL, receivables_check
from kamtui.services.reviews import due_state

MONITORED = ("key", "customer")  # revenue and receivables rules: accounts that buy from us


@dataclass(frozen=True)
class Thresholds:
    revenue_drop_pct: int = 20
    stage_days: int = 180
    contact_days: int = 90
    version: int | None = None  # None: the defaults (no row saved yet)


@dataclass(frozen=True)
class Alert:
    key: str  # rule:account id ("over_capacity" for the portfolio)
    rule: str
    account_id: int | None
    account: str  # the account's name, or "Portfolio"
    reason: str  # with the figures, in words
    figures: str  # what must change for a dismissed warning to come back
    severity: int = 2  # 1 high, 2 medium, 3 low (sorting; the reason says why)
    triage: str = ""  # "" (current), "snoozed" or "dismissed"
    triage_note: str = ""  # "until 2026-12-01", the dismissal's reason, "back: figures changed"

    @property
    def current(self) -> bool:
        return self.triage == ""

    @property
    def line(self) -> str:
        """``ACCOUNT: reason`` (kam alerts)."""
        return f"{self.account}: {self.reason}"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    find: Callable[[Facts, Thresholds], Iterable[Alert]]


def _alert(rule: str, a: AccountFacts, reason: str, figures: str, severity: int = 2) -> Alert:
    return Alert(f"{rule}:{a.id}", rule, a.id, a.name, reason, figures, severity)


def review_overdue(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    """Every account view 6 marks overdue (``reviews.due_state``), however old."""
    for a in facts.accounts:
        if a.next_review is not None and due_state(a.next_review, facts.today) == "overdue":
            late = (facts.today - a.next_review).days
            yield _alert(
                "review_overdue", a, f"review overdue {late}d (due {a.next_review.isoformat()})",
                a.next_review.isoformat(), 1 if a.status == "key" else 2,
            )  # fmt: skip


def action_overdue(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    for a in facts.accounts:
        if a.overdue_actions:
            n = len(a.overdue_actions)
            oldest = a.overdue_actions[0][1]
            what = "action" if n == 1 else "actions"
            yield _alert(
                "action_overdue", a, f"{n} {what} overdue (oldest due {oldest.isoformat()})",
                ",".join(str(i) for i, _ in sorted(a.overdue_actions)),
            )  # fmt: skip


def revenue_drop(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    """The last complete quarter down ``revenue_drop_pct`` % or more on the one before."""
    for a in facts.accounts:
        prev, last = a.revenue_prev_q, a.revenue_last_q
        if a.status not in MONITORED or prev <= 0:
            continue
        if last * 100 <= prev * (100 - t.revenue_drop_pct):
            drop = (1 - last / prev) * 100
            quarter = format_period(a.last_quarter, "quarter") if a.last_quarter else "last quarter"
            yield _alert(
                "revenue_drop", a,
                f"revenue down {drop:.0f} % in {quarter} ({format_compact(prev)} → {format_compact(last)})",
                f"{quarter}:{prev}:{last}", 1 if a.status == "key" else 2,
            )  # fmt: skip


def receivables_growth(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    """The stage-2 check of the lifecycle board (``lifecycle.receivables_check``)."""
    for a in facts.accounts:
        if a.status not in MONITORED or receivables_check(a.periods) != FAIL:
            continue
        (rev0, rec0), (rev1, rec1) = a.periods[0], a.periods[-1]
        yield _alert(
            "receivables", a,
            f"receivables growing faster than revenue ({rec0 * 100 / rev0:.0f} % → "
            f"{rec1 * 100 / rev1:.0f} % of revenue over {len(a.periods)} periods)",
            ";".join(f"{r}:{c}" for r, c in a.periods),
        )  # fmt: skip


def stage_unchanged(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    for a in facts.accounts:
        if a.status != "key" or a.stage is None or a.stage_since is None:
            continue
        days = (facts.today - a.stage_since).days
        if days > t.stage_days:
            yield _alert(
                "stage_unchanged", a,
                f"stage {a.stage} unchanged for {days} days (since {a.stage_since.isoformat()})",
                f"{a.stage}:{a.stage_since.isoformat()}", 3,
            )  # fmt: skip


def over_capacity(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    n = facts.key_count
    if n > facts.capacity:
        yield Alert(
            "over_capacity", "over_capacity", None, "Portfolio",
            f"{n} key accounts for a capacity of {facts.capacity}: {n - facts.capacity} more than you can serve",
            f"{n}:{facts.capacity}", 1,
        )  # fmt: skip


def score_below(facts: Facts, t: Thresholds) -> Iterable[Alert]:
    """A key account whose total in the active model is below the model's threshold."""
    if facts.threshold is None:
        return
    for a in facts.accounts:
        if a.status == "key" and a.score is not None and a.score < facts.threshold:
            yield _alert(
                "score_below", a,
                f"score {a.score:.1f} below the threshold {facts.threshold} (rank {a.rank})",
                f"{a.score:.1f}:{facts.threshold}",
            )  # fmt: skip


RULES: list[Rule] = [
    Rule("review_overdue", "Review overdue", review_overdue),
    Rule("action_overdue", "Action overdue", action_overdue),
    Rule("revenue_drop", "Revenue down quarter on quarter", revenue_drop),
    Rule("receivables", "Receivables outgrow revenue", receivables_growth),
    Rule("stage_unchanged", "Stage unchanged", stage_unchanged),
    Rule("over_capacity", "More key accounts than capacity", over_capacity),
    Rule("score_below", "Key account below the threshold", score_below),
]
RULE_TITLES = {r.id: r.title for r in RULES}


def register(rule: Rule) -> None:
    """Add a rule (another feature's: contact log, SWOT); once per id."""
    if rule.id not in RULE_TITLES:
        RULES.append(rule)
        RULE_TITLES[rule.id] = rule.title


def find_alerts(facts: Facts, thresholds: Thresholds) -> list[Alert]:
    """Every rule's hits, most severe first, then by account name (no triage applied)."""
    load_extensions()
    found = [alert for rule in RULES for alert in rule.find(facts, thresholds)]
    found.sort(key=lambda x: (x.severity, x.account.lower(), x.rule))
    return found


# --- thresholds -------------------------------------------------------------------------------

THRESHOLD_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("revenue_drop_pct", "Revenue drop, quarter on quarter (%)", f.count, "warn at this drop or more; default 20"),
        f.FieldSpec("stage_days", "Stage unchanged for more than (days)", f.count, "key accounts; default 180"),
        f.FieldSpec("contact_days", "Decision maker not contacted for (days)", f.count, "no contact-log entry naming them; default 90"),
    )
}  # fmt: skip


def get_thresholds(db: Database) -> Thresholds:
    rows = db.fetch(
        "SELECT revenue_drop_pct, stage_days, contact_days, version FROM warning_settings "
        "WHERE id = 1"
    )
    return Thresholds(*rows[0]) if rows else Thresholds()


def save_thresholds(db: Database, version: int | None, raw: Mapping[str, str]) -> Thresholds:
    """Save the typed thresholds (optimistic: refused if changed elsewhere since read)."""
    from sqlalchemy.orm.exc import StaleDataError

    values: dict[str, Any] = {}
    for name, text in raw.items():
        spec = THRESHOLD_FIELDS[name]
        value = f.parse_value(spec, text)
        if value is None:
            raise ValidationError(name, f"{spec.label}: a whole number")
        if name == "revenue_drop_pct" and not 1 <= value <= 100:
            raise ValidationError(name, f"{spec.label}: from 1 to 100")
        if name != "revenue_drop_pct" and not 1 <= value <= 3650:
            raise ValidationError(name, f"{spec.label}: from 1 to 3650")
        values[name] = value
    stale = "the warning thresholds were changed elsewhere since you opened them"
    try:
        with db.session() as s:
            row = s.get(m.WarningSettings, 1)
            if row is None:
                if version is not None:
                    raise StaleError(stale)
                row = m.WarningSettings(id=1)
            elif row.version != version:
                raise StaleError(stale)
            for k, v in values.items():
                setattr(row, k, v)
            s.add(row)
    except StaleDataError:
        raise StaleError(stale) from None
    return get_thresholds(db)


# --- triage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageRow:
    key: str
    state: str
    until: dt.date | None
    reason: str
    figures: str


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def read_triage(db: Database) -> dict[str, TriageRow]:
    return {
        r[0]: TriageRow(r[0], r[1], _date(r[2]), r[3], r[4])
        for r in db.fetch("SELECT warning_key, state, until, reason, figures FROM warning_triage")
    }


def apply_triage(
    alerts: Iterable[Alert], triage: Mapping[str, TriageRow], today: dt.date
) -> list[Alert]:
    """Each alert marked snoozed (until a later day) or dismissed (figures unchanged);
    a dismissed alert whose figures changed is current again, and says so."""
    out = []
    for alert in alerts:
        t = triage.get(alert.key)
        if t is None:
            out.append(alert)
        elif t.state == "snoozed" and t.until is not None and t.until > today:
            out.append(replace(alert, triage="snoozed", triage_note=f"until {t.until.isoformat()}"))
        elif t.state == "dismissed" and t.figures == alert.figures:
            out.append(replace(alert, triage="dismissed", triage_note=t.reason))
        elif t.state == "dismissed":
            out.append(replace(alert, triage_note="back: its figures changed since dismissed"))
        else:
            out.append(alert)
    return out


def all_alerts(db: Database, today: dt.date, facts: Facts | None = None) -> list[Alert]:
    """Every warning with its triage state (current ones first within each severity)."""
    facts = facts if facts is not None else read_facts(db, today)
    return apply_triage(find_alerts(facts, get_thresholds(db)), read_triage(db), today)


def current_alerts(db: Database, today: dt.date) -> list[Alert]:
    """The warnings that are neither snoozed nor dismissed (``kam alerts``)."""
    return [a for a in all_alerts(db, today) if a.current]


def _upsert(db: Database, alert: Alert, **values: Any) -> m.WarningTriage:
    from sqlalchemy import select

    with db.session() as s:
        row = s.scalars(
            select(m.WarningTriage).where(m.WarningTriage.warning_key == alert.key)  # type: ignore[arg-type]
        ).one_or_none()
        if row is None:
            row = m.WarningTriage(
                warning_key=alert.key, account_id=alert.account_id, rule=alert.rule
            )
        for k, v in values.items():
            setattr(row, k, v)
        s.add(row)
        s.flush()
    return row


def snooze(db: Database, alert: Alert, until: str, today: dt.date) -> m.WarningTriage:
    """Hide the warning until ``until`` (a later day: YYYY-MM-DD, or +N days)."""
    day = parse_until(until, today)
    return _upsert(db, alert, state="snoozed", until=day, reason="", figures=alert.figures)


def parse_until(raw: str, today: dt.date) -> dt.date:
    value = raw.strip()
    if value.startswith("+") and value[1:].rstrip("d").isdigit():
        days = int(value[1:].rstrip("d"))
        if days < 1:
            raise ValidationError("until", "Until: at least one day from today")
        return today + dt.timedelta(days=days)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            "until", f"Until: {value!r} is not a date (YYYY-MM-DD or +7)"
        ) from None
    if day <= today:
        raise ValidationError("until", "Until: a day after today")
    return day


def dismiss(db: Database, alert: Alert, reason: str) -> m.WarningTriage:
    """Hide the warning while its figures stay as they are now; the reason is kept."""
    why = " ".join(reason.split())
    if not why:
        raise ValidationError("reason", "Reason: say why (it is kept with the dismissal)")
    if len(why) > 500:
        raise ValidationError("reason", "Reason: at most 500 characters")
    return _upsert(db, alert, state="dismissed", until=None, reason=why, figures=alert.figures)


def restore(db: Database, key: str) -> None:
    """Show a snoozed or dismissed warning again."""
    from sqlalchemy import select

    with db.session() as s:
        row = s.scalars(
            select(m.WarningTriage).where(m.WarningTriage.warning_key == key)  # type: ignore[arg-type]
        ).one_or_none()
        if row is None:
            raise NotFoundError("this warning is not snoozed or dismissed (changed elsewhere?)")
        s.delete(row)


# --- what view 1 shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertBoard:
    """View 1's warnings, with the health of each account they name (plain data)."""

    alerts: list[Alert]
    health: dict[int, Any]  # account id → health.Health
    key_health: tuple[int, ...]  # the health scores of the key accounts
    thresholds: Thresholds
    model_name: str | None = None


def alert_board(db: Database, today: dt.date) -> AlertBoard:
    from kamtui.services.health import health

    facts = read_facts(db, today)
    thresholds = get_thresholds(db)
    alerts = apply_triage(find_alerts(facts, thresholds), read_triage(db), today)
    wanted = {a.account_id for a in alerts if a.account_id is not None}
    wanted.update(a.id for a in facts.accounts if a.status == "key")
    scores = {aid: health(facts.by_id[aid], today) for aid in wanted}
    key = tuple(scores[a.id].score for a in facts.accounts if a.status == "key")
    return AlertBoard(alerts, scores, key, thresholds, facts.model_name)

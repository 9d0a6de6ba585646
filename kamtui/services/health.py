"""The health score of an account: 0–100, the sum of parts that are always shown.

Pure rules on an account's facts (``account_facts.AccountFacts``); no database, no
Textual. Each part has a maximum and says in words why it earned what it did, so the
score is never a mystery: "Revenue trend 12/20 (−8 % on the four quarters before)".
A part without data earns half its points and says "no data", so an account is neither
rewarded nor punished for what nobody recorded.

The list of parts is ``PARTS``: a feature adds its own (relationship coverage, stale
contacts — the account plan's contact log) by appending a :class:`PartRule`; the maxima
are scaled so the total stays 0–100 whatever the parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from kamtui.services.account_facts import AccountFacts
from kamtui.services.lifecycle import FAIL, PASS, receivables_check


class Part(NamedTuple):
    name: str
    points: int
    maximum: int
    text: str

    @property
    def short(self) -> str:
        return f"{self.name} {self.points:g}/{self.maximum}"


class Health(NamedTuple):
    score: int  # 0–100
    parts: tuple[Part, ...]

    @property
    def parts_text(self) -> str:
        """One line: 'Revenue trend 20/20 · Receivables 15/15 · …'."""
        return " · ".join(p.short for p in self.parts)

    @property
    def weakest(self) -> Part | None:
        short = [p for p in self.parts if p.points < p.maximum]
        return min(short, key=lambda p: p.points / p.maximum) if short else None


@dataclass(frozen=True)
class PartRule:
    name: str
    maximum: int
    judge: Callable[[AccountFacts, dt.date], tuple[float, str]]  # (0–1 of the maximum, why)


def _pct(new: int, old: int) -> float:
    return (new / old - 1) * 100


def revenue_trend(a: AccountFacts, today: dt.date) -> tuple[float, str]:
    """Full marks when the last four quarters are at least the four before; nothing at
    −40 % or worse; linear between."""
    if a.revenue_prev <= 0:
        return 0.5, "no data (no revenue in the four quarters before)"
    change = _pct(a.revenue, a.revenue_prev)
    fraction = 1.0 if change >= 0 else max(0.0, 1 + change / 40)
    return fraction, f"{change:+.0f} % on the four quarters before"


def receivables(a: AccountFacts, today: dt.date) -> tuple[float, str]:
    result = receivables_check(a.periods)
    if result == PASS:
        return 1.0, "grow no faster than revenue"
    if result == FAIL:
        return 0.0, "growing faster than revenue"
    return 0.5, "no data"


def review_cadence(a: AccountFacts, today: dt.date) -> tuple[float, str]:
    if a.next_review is None:
        return 0.25, "no review scheduled"
    late = (today - a.next_review).days
    if late <= 0:
        return 1.0, f"on cadence (next {a.next_review.isoformat()})"
    if late <= 30:
        return 0.5, f"overdue {late}d"
    return 0.0, f"overdue {late}d"


def satisfaction(a: AccountFacts, today: dt.date) -> tuple[float, str]:
    if a.last_rating is None:
        return 0.5, "no rating yet"
    return (a.last_rating - 1) / 4, f"last review rated {a.last_rating}/5"


def overdue_actions(a: AccountFacts, today: dt.date) -> tuple[float, str]:
    n = len(a.overdue_actions)
    if n == 0:
        return 1.0, "none overdue"
    return max(0.0, 1 - n / 3), f"{n} overdue"


def nightmare_traits(a: AccountFacts, today: dt.date) -> tuple[float, str]:
    if a.vetoes:
        return 0.0, f"veto: {a.vetoes}"
    if a.penalties:
        return max(0.0, 1 - a.penalties / 30), f"{', '.join(a.traits)} (−{a.penalties} pts)"
    return 1.0, "none"


PARTS: list[PartRule] = [
    PartRule("Revenue trend", 20, revenue_trend),
    PartRule("Receivables", 15, receivables),
    PartRule("Review", 20, review_cadence),
    PartRule("Satisfaction", 15, satisfaction),
    PartRule("Actions", 15, overdue_actions),
    PartRule("Traits", 15, nightmare_traits),
]


@lru_cache(maxsize=16)
def scaled_maxima(maxima: tuple[int, ...]) -> tuple[int, ...]:
    """The parts' maxima scaled to add up to exactly 100 (largest remainder)."""
    total = sum(maxima)
    if total <= 0:
        return tuple(0 for _ in maxima)
    exact = [m * 100 / total for m in maxima]
    out = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: out[i] - exact[i])
    for i in by_remainder[: 100 - sum(out)]:
        out[i] += 1
    return tuple(out)


def health(a: AccountFacts, today: dt.date, parts: Sequence[PartRule] | None = None) -> Health:
    """The score and its parts; the maxima are scaled to add up to 100."""
    rules = PARTS if parts is None else parts
    out = []
    for rule, maximum in zip(rules, scaled_maxima(tuple(r.maximum for r in rules)), strict=True):
        fraction, why = rule.judge(a, today)
        points = round(max(0.0, min(1.0, fraction)) * maximum)
        out.append(Part(rule.name, points, maximum, why))
    return Health(min(100, sum(p[1] for p in out)), tuple(out))


def health_text(h: Health) -> str:
    """'♥ 72 — Revenue trend 20/20 · …' (a glyph and a number, never colour alone)."""
    return f"♥ {h.score} — {h.parts_text}"


def health_scores(accounts: Sequence[AccountFacts], today: dt.date) -> list[int]:
    """Only the scores (the Accounts view's column): the same rules and points as
    :func:`health`, without building the parts."""
    rules = PARTS
    pairs = list(zip(rules, scaled_maxima(tuple(r.maximum for r in rules)), strict=True))
    out = []
    for a in accounts:
        total = 0
        for rule, maximum in pairs:
            fraction = rule.judge(a, today)[0]
            total += round(max(0.0, min(1.0, fraction)) * maximum)
        out.append(min(100, total))
    return out

"""The arithmetic of the scoring matrix: plain functions on plain lists.

A score is a whole number from 1 to the criterion's ``scale_max``. It becomes a
fraction from 0 to 1 (the bottom of the scale is 0, the top 1); a *cost* criterion
("more is worse") is turned round, so a 5 out of 5 there counts as 0. The weighted
total is ``100 × Σ weightᵢ·fractionᵢ / Σ weightᵢ``: always 0–100 whatever the number of
criteria, their weights or scales, so totals of different models can be compared.
An unscored cell counts as 0, so a half-scored account never qualifies by accident.
Nightmare-trait penalties are subtracted in points (never below 0); a veto does not
change the total, it stops the account from qualifying.

Ranks are competition ranks ("1, 2, 2, 4") on totals rounded to one decimal, the
precision shown on screen, so two totals that look equal share a rank.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import repeat
from operator import add, mul


def normalised(value: int | None, scale_max: int, direction: str = "benefit") -> float:
    """A score as a fraction 0–1 (cost criteria turned round); unscored is 0."""
    if value is None:
        return 0.0
    fraction = 1.0 if scale_max <= 1 else (min(max(value, 1), scale_max) - 1) / (scale_max - 1)
    return 1.0 - fraction if direction == "cost" else fraction


def band_score(measure: float | None, bands: Sequence[float]) -> int | None:
    """The scale value of a measure: 1 below the first limit, +1 for each limit reached."""
    if measure is None:
        return None
    return 1 + bisect_right(bands, measure)


def weighted_total(
    values: Sequence[int | None],
    weights: Sequence[int],
    scales: Sequence[int],
    directions: Sequence[str],
    penalty: int = 0,
) -> float:
    """One account's total, 0–100, rounded to one decimal."""
    fractions = [[normalised(v, s, d)] for v, s, d in zip(values, scales, directions, strict=True)]
    return compute_totals(fractions, weights, [penalty])[0]


def compute_totals(
    fractions: Sequence[Sequence[float]], weights: Sequence[int], penalties: Sequence[int]
) -> list[float]:
    """Totals for every account: ``fractions`` is one column (a list over accounts) per
    criterion."""
    sums = weighted_sums(fractions, weights, len(penalties))
    return totals_from_sums(sums, sum(w for w in weights if w > 0), penalties)


def weighted_sums(
    fractions: Sequence[Sequence[float]], weights: Sequence[int], n: int
) -> list[float]:
    """Σ weight·fraction per account, column by column with ``map`` (fast in CPython)."""
    acc: list[float] = [0.0] * n
    for weight, column in zip(weights, fractions, strict=True):
        if weight > 0:
            acc = add_column(acc, column, weight)
    return acc


def add_column(acc: list[float], column: Sequence[float], factor: float) -> list[float]:
    return list(map(add, acc, map(mul, column, repeat(float(factor)))))


def totals_from_sums(
    sums: Sequence[float], weight_sum: int, penalties: Sequence[int]
) -> list[float]:
    """0–100, penalties off, never below 0, rounded (half up) to the one decimal shown.
    Float floor division keeps this ten times faster than ``round(x, 1)`` or ``int()``
    followed by a division (which goes through arbitrary-precision integers)."""
    if weight_sum <= 0:
        return [0.0] * len(sums)
    scale = 1000.0 / weight_sum
    if not any(penalties):
        return [(a * scale + 0.5) // 1 / 10 for a in sums]
    return [
        t // 1 / 10 if (t := a * scale - 10 * p + 0.5) >= 1 else 0.0
        for a, p in zip(sums, penalties, strict=True)
    ]


def competition_ranks(totals: Sequence[float], members: Sequence[int] | None = None) -> list[int]:
    """Competition ranks (1, 2, 2, 4), highest total first. With ``members`` only those
    indices are ranked; the others get rank 0 (not ranked)."""
    return ranked_order(totals, members)[0]


def ranked_order(
    totals: Sequence[float], members: Sequence[int] | None = None
) -> tuple[list[int], list[int]]:
    """(ranks, indices best first): the ranks of ``competition_ranks`` and the order."""
    indices = list(range(len(totals))) if members is None else list(members)
    indices.sort(key=totals.__getitem__, reverse=True)
    ranks = [0] * len(totals)
    previous: float | None = None
    rank = 0
    for position, i in enumerate(indices, start=1):
        total = totals[i]
        if total != previous:
            rank, previous = position, total
        ranks[i] = rank
    return ranks, indices


def rank_changes(before: Sequence[int], after: Sequence[int]) -> list[int]:
    """Places moved up (positive) or down (negative); 0 when either is unranked."""
    return [b - a if a and b else 0 for b, a in zip(before, after, strict=True)]


def format_total(total: float) -> str:
    """A total as every view shows it: one decimal ("80.4", "100.0")."""
    return f"{total:.1f}"


def change_text(delta: int) -> str:
    if delta > 0:
        return f"▲{delta}"
    if delta < 0:
        return f"▼{-delta}"
    return ""

"""The scoring matrix: the active model, its criteria, scores, traits and qualification.

``load_matrix`` reads everything the matrix view needs in a handful of plain queries
and returns a ``Matrix``: columns of scores kept in lists, so a what-if weight change
re-ranks 10,000 accounts in pure Python without touching the database. Every write is
one short transaction; every score change is kept in ``score_change``.

The arithmetic lives in ``scoring_math``; the presets and default traits in
``scoring_presets``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from kamtui.db import Database
from kamtui.services.economics import last_four_quarters, previous_four_quarters
from kamtui.services.scoring_math import (
    add_column,
    band_score,
    normalised,
    rank_changes,
    ranked_order,
    totals_from_sums,
    weighted_sums,
)
from kamtui.services.scoring_presets import AUTO_UNITS, DEFAULT_BANDS

CANDIDATES = ("target", "customer", "key")


@dataclass(frozen=True)
class ModelInfo:
    id: int
    name: str
    preset: str | None
    threshold: int
    version: int


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    name: str
    description: str
    weight: int
    scale_max: int
    direction: str
    auto_source: str | None
    bands: tuple[float, ...]
    version: int
    short_name: str = ""  # the column heading when the name does not fit

    @property
    def automatic(self) -> bool:
        return self.auto_source is not None


@dataclass(frozen=True)
class TraitInfo:
    id: int
    name: str
    description: str
    effect: str
    penalty: int
    version: int


def parse_bands(raw: str | None, source: str | None, scale_max: int) -> tuple[float, ...]:
    """Band limits from their JSON; the source's defaults when missing or unusable."""
    if raw:
        try:
            values = tuple(float(x) for x in json.loads(raw))
            if values and list(values) == sorted(values):
                return values
        except (ValueError, TypeError):
            pass
    default = DEFAULT_BANDS.get(source or "", ())
    return default[: max(0, scale_max - 1)]


def _fraction_table(c: CriterionInfo) -> dict[int | None, float]:
    table: dict[int | None, float] = {None: 0.0}
    for v in range(0, 12):
        table[v] = normalised(v, c.scale_max, c.direction)
    return table


@dataclass
class Matrix:
    """Everything the matrix view shows, as plain lists indexed by row (account)."""

    model: ModelInfo | None
    criteria: list[CriterionInfo]
    ids: list[int]
    names: list[str]
    statuses: list[str]
    values: list[list[int | None]]  # one list per criterion, over rows
    measures: list[list[float | None]]  # raw measure of automatic criteria (else empty)
    notes: dict[tuple[int, int], str]  # (row, criterion index) → evidence note
    score_versions: dict[tuple[int, int], int]
    penalties: list[int]
    vetoes: list[str]  # reason, "" when not vetoed
    trait_names: dict[int, list[str]]  # row → names of its ticked traits
    capacity: int = 12
    scope: tuple[str, ...] = CANDIDATES
    weights: list[int] = field(default_factory=list)
    totals: list[float] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)
    base_totals: list[float] = field(default_factory=list)
    base_ranks: list[int] = field(default_factory=list)
    _fractions: list[list[float]] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    _sums: list[float] = field(default_factory=list)
    ranked: list[int] = field(default_factory=list)  # members, best total first
    qualify_count: int = 0
    _key_count: int = 0

    def __post_init__(self) -> None:
        self.index = {aid: i for i, aid in enumerate(self.ids)}
        self.weights = [c.weight for c in self.criteria]
        self._fractions = [
            list(map(_fraction_table(c).__getitem__, column))
            for c, column in zip(self.criteria, self.values, strict=True)
        ]
        self.set_scope(self.scope)

    # --- state ---------------------------------------------------------------------------

    @property
    def threshold(self) -> int:
        return self.model.threshold if self.model else 60

    @property
    def saved_weights(self) -> list[int]:
        return [c.weight for c in self.criteria]

    @property
    def what_if(self) -> bool:
        return self.weights != self.saved_weights

    def in_scope(self, row: int) -> bool:
        return self.statuses[row] in self.scope

    def set_scope(self, scope: Sequence[str]) -> None:
        self.scope = tuple(scope)
        self.members = [i for i, s in enumerate(self.statuses) if s in self.scope]
        self._key_count = self.statuses.count("key")
        self.rerank()
        self.mark_baseline()

    def mark_baseline(self) -> None:
        """Rank changes are shown against this moment (load, or weights kept)."""
        self.base_totals = list(self.totals)
        self.base_ranks = list(self.ranks)

    def rerank(self) -> None:
        """Totals and ranks from scratch (after loading, or weights kept/reset)."""
        self._sums = weighted_sums(self._fractions, self.weights, len(self.ids))
        self._finish()

    def _finish(self) -> None:
        wsum = sum(w for w in self.weights if w > 0)
        self.totals = totals_from_sums(self._sums, wsum, self.penalties)
        self.ranks, self.ranked = ranked_order(self.totals, self.members)
        count, threshold, totals, vetoes = 0, self.threshold, self.totals, self.vetoes
        for i in self.ranked:
            if totals[i] < threshold:
                break
            if not vetoes[i]:
                count += 1
        self.qualify_count = count

    def set_weight(self, ci: int, weight: int) -> None:
        """A what-if weight: one pass over the column, then totals and ranks."""
        self._set_weights({ci: max(0, min(100, weight))})

    def _set_weights(self, changes: dict[int, int]) -> None:
        changed = False
        for ci, weight in changes.items():
            delta = weight - self.weights[ci]
            if delta:
                self.weights[ci] = weight
                self._sums = add_column(self._sums, self._fractions[ci], delta)
                changed = True
        if changed:
            self._finish()

    def reset_weights(self) -> None:
        """Back to the saved weights (only the changed columns are recomputed)."""
        self._set_weights(dict(enumerate(self.saved_weights)))

    def weights_saved(self, criteria: list[CriterionInfo]) -> None:
        """The what-if weights were kept: they are the baseline now."""
        self.criteria = criteria
        if self.weights != self.saved_weights:  # changed elsewhere meanwhile
            self.weights = self.saved_weights
            self.rerank()
        self.mark_baseline()

    def set_value(self, row: int, ci: int, value: int | None, note: str, version: int) -> None:
        c = self.criteria[ci]
        self.values[ci][row] = value
        old = self._fractions[ci][row]
        new = self._fractions[ci][row] = normalised(value, c.scale_max, c.direction)
        self._sums[row] += self.weights[ci] * (new - old)
        if note:
            self.notes[(row, ci)] = note
        else:
            self.notes.pop((row, ci), None)
        if value is None:
            self.score_versions.pop((row, ci), None)
        else:
            self.score_versions[(row, ci)] = version
        self._finish()

    def set_model(self, model: ModelInfo) -> None:
        """A new threshold (or name) for the model."""
        self.model = model
        self._finish()

    def set_traits(self, row: int, traits: Sequence[TraitInfo]) -> None:
        self.penalties[row] = sum(t.penalty for t in traits if t.effect == "penalty")
        self.vetoes[row] = ", ".join(t.name for t in traits if is_veto(t.effect))
        self.trait_names[row] = [t.name for t in traits]
        if not traits:
            del self.trait_names[row]
        self._finish()

    def set_status(self, row: int, status: str) -> None:
        self.statuses[row] = status
        self._key_count = self.statuses.count("key")
        self.members = [i for i, s in enumerate(self.statuses) if s in self.scope]
        self._finish()

    # --- derived -------------------------------------------------------------------------

    def qualifies(self, row: int) -> bool:
        return not self.vetoes[row] and self.totals[row] >= self.threshold

    def qualified_before(self, row: int) -> bool:
        return not self.vetoes[row] and self.base_totals[row] >= self.threshold

    def rank_change(self, row: int) -> int:
        return rank_changes([self.base_ranks[row]], [self.ranks[row]])[0]

    def key_count(self) -> int:
        return self._key_count

    def to_promote(self) -> list[int]:
        """In scope, qualifying, not key yet; best first."""
        rows = [i for i in self.members if self.statuses[i] != "key" and self.qualifies(i)]
        return sorted(rows, key=lambda i: -self.totals[i])

    def to_demote(self) -> list[int]:
        """Key accounts below the threshold or vetoed; worst first."""
        rows = [i for i, s in enumerate(self.statuses) if s == "key" and not self.qualifies(i)]
        return sorted(rows, key=lambda i: self.totals[i])

    def why_not(self, row: int) -> str:
        """Why an account does not qualify, in words ('' when it does)."""
        if self.vetoes[row]:
            return f"vetoed: {self.vetoes[row]}"
        if self.totals[row] < self.threshold:
            return f"{self.totals[row]:.1f} is below the threshold {self.threshold}"
        return ""

    def capacity_warning(self) -> str:
        n = self.key_count()
        if n > self.capacity:
            return (
                f"⚠ {n} key accounts for a capacity of {self.capacity}: "
                f"{n - self.capacity} more than you can serve"
            )
        return ""


# --- reading ------------------------------------------------------------------------------

SOURCE_COLUMNS = (
    "employees", "their_revenue", "revenue_4q", "gross_profit_4q", "revenue_cost_ratio",
    "growth_4q",
)  # fmt: skip
MEASURES_SQL = """
SELECT a.id, a.employees, a.annual_revenue_minor / 100.0,
       CASE WHEN e.rev <> 0 OR e.gp <> 0 OR e.cost <> 0 THEN e.rev / 100.0 END,
       CASE WHEN e.rev <> 0 OR e.gp <> 0 OR e.cost <> 0 THEN e.gp / 100.0 END,
       CASE WHEN e.cost > 0 THEN e.rev * 1.0 / e.cost END,
       CASE WHEN e.prev > 0 THEN (e.rev * 1.0 / e.prev - 1) * 100 END
FROM account a
LEFT JOIN (
    SELECT account_id,
           SUM(CASE WHEN period_start >= ? THEN revenue_minor ELSE 0 END) AS rev,
           SUM(CASE WHEN period_start >= ? THEN gross_profit_minor ELSE 0 END) AS gp,
           SUM(CASE WHEN period_start >= ? THEN cost_to_serve_minor ELSE 0 END) AS cost,
           SUM(CASE WHEN period_start < ? THEN revenue_minor ELSE 0 END) AS prev
    FROM account_period
    WHERE period_start >= ? AND period_start < ?{sub}
    GROUP BY account_id
) e ON e.account_id = a.id
{where}
ORDER BY a.id
"""


def _in(column: str, ids: Sequence[int] | None) -> tuple[str, list[int]]:
    """`` AND column IN (?, …)`` for a subset of accounts; nothing for all of them."""
    if ids is None:
        return "", []
    if not ids:
        return " AND 1 = 0", []  # IN () is SQLite-only
    return f" AND {column} IN ({','.join('?' * len(ids))})", list(ids)


def account_measures(
    db: Database, today: dt.date, ids: Sequence[int] | None = None
) -> dict[str, dict[int, float | None]]:
    """The automatic sources, one column per source (account id → value); money in
    whole currency units, growth in %, the ratio as a plain number. One query; ``ids``
    limits it to those accounts."""
    start, end = last_four_quarters(today)
    prev_start, _ = previous_four_quarters(today)
    s, e, p = start.isoformat(), end.isoformat(), prev_start.isoformat()
    sub, sub_params = _in("account_id", ids)
    where, where_params = _in("a.id", ids)
    sql = MEASURES_SQL.format(sub=sub, where=f"WHERE 1 = 1{where}")
    rows = db.fetch(sql, [s, s, s, s, p, e, *sub_params, *where_params])
    ids = [r[0] for r in rows]
    return {
        source: dict(zip(ids, [r[k] for r in rows], strict=True))
        for k, source in enumerate(SOURCE_COLUMNS, start=1)
    }


def format_measure(source: str, value: float | None) -> str:
    if value is None:
        return "no data"
    unit = AUTO_UNITS.get(source, "")
    if unit == "money":
        from kamtui.money import format_compact

        return format_compact(int(value * 100))
    if unit == "%":
        return f"{value:+.1f} %"
    if unit == "×":
        return f"{value:.1f}×"
    return f"{value:,.0f}"


def active_model(db: Database) -> ModelInfo | None:
    rows = db.fetch(
        "SELECT id, name, preset, threshold, version FROM scoring_model "
        "WHERE active ORDER BY id LIMIT 1"  # a boolean: no "= 1" on PostgreSQL
    )
    return ModelInfo(*rows[0]) if rows else None


def list_models(db: Database) -> list[tuple[ModelInfo, bool]]:
    rows = db.fetch(
        "SELECT id, name, preset, threshold, version, active FROM scoring_model ORDER BY id"
    )
    return [(ModelInfo(*r[:5]), bool(r[5])) for r in rows]


def model_criteria(db: Database, model_id: int) -> list[CriterionInfo]:
    from kamtui.services.short_names import default_short_name

    rows = db.fetch(
        "SELECT id, name, description, weight, scale_max, direction, auto_source, bands, "
        "version, short_name FROM criterion WHERE model_id = ? ORDER BY position, id",
        [model_id],
    )
    shorts = [r[9] for r in rows]
    for i, r in enumerate(rows):
        if not shorts[i]:  # written without one (by hand, in SQL): made from the name
            shorts[i] = default_short_name(r[1], [s for s in shorts if s])
    return [
        CriterionInfo(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], parse_bands(r[7], r[6], r[4]), r[8], short
        )
        for r, short in zip(rows, shorts, strict=True)
    ]


def is_veto(effect: str) -> bool:
    """A vetoing nightmare trait: an account that has one never qualifies in the matrix
    and is never ranked as a look-alike (the one definition of a veto)."""
    return effect == "veto"


def ticked_traits(
    db: Database, ids: Sequence[int] | None = None
) -> list[tuple[int, str, str, int]]:
    """(account id, trait name, effect, penalty) of every ticked nightmare trait, by
    name; ``ids`` limits it to those accounts. One query."""
    trait_sql, trait_params = _in("at.account_id", ids)
    return [
        (r[0], r[1], r[2], r[3])
        for r in db.fetch(
            "SELECT at.account_id, t.name, t.effect, t.penalty FROM account_trait at "
            f"JOIN nightmare_trait t ON t.id = at.trait_id WHERE 1 = 1{trait_sql} "
            "ORDER BY t.name",
            trait_params,
        )
    ]


def list_traits(db: Database) -> list[TraitInfo]:
    rows = db.fetch(
        "SELECT id, name, description, effect, penalty, version FROM nightmare_trait "
        "ORDER BY effect DESC, name"
    )
    return [TraitInfo(*r) for r in rows]


def load_matrix(
    db: Database,
    today: dt.date,
    *,
    scope: Sequence[str] = CANDIDATES,
    prepare: bool = True,
    ids: Sequence[int] | None = None,
) -> Matrix:
    """The active model with every account's scores (plain lists; a few queries).

    ``ids`` reads only those accounts: their totals are the same as in the whole
    matrix (a total depends on its own account alone), their ranks are not."""
    from kamtui.services.scoring_store import ensure_defaults

    if prepare:
        ensure_defaults(db)
    fetch = db.fetch
    model = active_model(db)
    criteria = model_criteria(db, model.id) if model else []
    account_sql, account_params = _in("id", ids)
    accounts = fetch(
        f"SELECT id, name, status FROM account WHERE 1 = 1{account_sql} ORDER BY id",
        account_params,
    )
    ids = [a[0] for a in accounts]
    index = {aid: i for i, aid in enumerate(ids)}
    n = len(ids)
    values: list[list[int | None]] = [[None] * n for _ in criteria]
    measures: list[list[float | None]] = [[] for _ in criteria]
    notes: dict[tuple[int, int], str] = {}
    versions: dict[tuple[int, int], int] = {}
    position = {c.id: ci for ci, c in enumerate(criteria)}
    if any(c.automatic for c in criteria):
        known = account_measures(db, today, ids)
        for ci, c in enumerate(criteria):
            if c.auto_source is None:
                continue
            source = c.auto_source
            column = list(map(known[source].get, ids))
            measures[ci] = column
            values[ci] = [
                min(band_score(x, c.bands) or 1, c.scale_max) if x is not None else None
                for x in column
            ]
    if model is not None:
        score_sql, score_params = _in("s.account_id", ids)
        for aid, cid, value, note, version in fetch(
            "SELECT s.account_id, s.criterion_id, s.value, s.note, s.version FROM score s "
            f"JOIN criterion c ON c.id = s.criterion_id WHERE c.model_id = ?{score_sql}",
            [model.id, *score_params],
        ):
            col = position.get(cid)
            row = index.get(aid)
            if col is None or row is None or criteria[col].automatic:
                continue
            values[col][row] = value
            versions[(row, col)] = version
            if note:
                notes[(row, col)] = note
    penalties = [0] * n
    vetoes: dict[int, list[str]] = {}
    trait_names: dict[int, list[str]] = {}
    for aid, name, effect, penalty in ticked_traits(db, ids):
        row = index.get(aid)
        if row is None:
            continue
        trait_names.setdefault(row, []).append(name)
        if is_veto(effect):
            vetoes.setdefault(row, []).append(name)
        else:
            penalties[row] += penalty
    capacity = fetch("SELECT key_account_capacity FROM settings WHERE id = 1")
    return Matrix(
        model=model,
        criteria=criteria,
        ids=ids,
        names=[a[1] for a in accounts],
        statuses=[a[2] for a in accounts],
        values=values,
        measures=measures,
        notes=notes,
        score_versions=versions,
        penalties=penalties,
        vetoes=[", ".join(vetoes[i]) if i in vetoes else "" for i in range(n)],
        trait_names=trait_names,
        capacity=capacity[0][0] if capacity else 12,
        scope=tuple(scope),
    )


def account_totals(db: Database, today: dt.date, ids: Sequence[int]) -> dict[int, float]:
    """The matrix total (0–100, one decimal) of each account in the active model: the
    one score every view shows (matrix, lifecycle cards, the account's Scores section).
    Empty when there is no model yet. Never writes (no defaults are seeded)."""
    if not ids:
        return {}
    wanted = set(ids)
    # a long list of ids would exceed the parameter limit: read them all instead
    mx = load_matrix(db, today, prepare=False, ids=ids if len(wanted) <= 500 else None)
    if mx.model is None:
        return {}
    return {aid: t for aid, t in zip(mx.ids, mx.totals, strict=True) if aid in wanted}


@dataclass(frozen=True)
class ScoreHistoryRow:
    changed_at: dt.datetime
    criterion: str
    model: str
    old_value: int | None
    new_value: int | None
    note: str


def score_history(db: Database, account_id: int) -> list[ScoreHistoryRow]:
    """Every score change of an account, newest first, in every model."""
    rows = db.fetch(
        "SELECT h.changed_at, c.name, m.name, h.old_value, h.new_value, h.note "
        "FROM score_change h JOIN criterion c ON c.id = h.criterion_id "
        "JOIN scoring_model m ON m.id = c.model_id "
        "WHERE h.account_id = ? ORDER BY h.changed_at DESC, h.id DESC",
        [account_id],
    )
    out = []
    for when, crit, model, old, new, note in rows:
        stamp = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
        out.append(ScoreHistoryRow(stamp, crit, model, old, new, note))
    return out

"""Look-alikes: the profile of today's key accounts, and every prospect and target ranked
by how much it looks like them, with the reasons (seed 000, "key account mapping").

The method, in words (the view's help says the same):

* **The profile** is made of today's key accounts (status ``key``) that no vetoing
  nightmare trait rules out. A field is part of it once at least ``MIN_KEY`` of them
  have it filled in; a pattern of fewer is noise.
* **Per-field similarity**, 0 to 1, of an account to the profile:

  - *industry, country, why they buy*: the share of key accounts (of those with the
    field filled in) that have the same value — "industry like 7 of 9 key accounts";
  - *employees, their annual revenue*: 1 inside the key accounts' band (their middle
    80 %, from the 10th to the 90th percentile), then falling with the distance on a
    log scale: 0 at ten times below or above it;
  - *our strength of position*: 1 when at least the key accounts' median, less for each
    point below it;
  - *revenue-to-cost ratio*: 1 at or above the key accounts' band, halving the ratio
    below it takes it to 0;
  - *business strategy, infrastructure, supplier relationships, financial situation*:
    the best word overlap with one key account (words in common / words in either;
    short and common words left out);
  - *nightmare traits* (penalties): the share of key accounts that have the account's
    trait ("has 'Pays late', which no key account has" is 0).

* **The similarity** is the weighted mean of the fields that can be compared, × 100.
  Industry, country, employees, their revenue and strength of position always count
  (unknown counts as no match: research fills the gap); why they buy, revenue-to-cost
  ratio, the free-text fields and traits count only where the account has them (a
  prospect has no economics and no reason to buy from us yet).
* Accounts with a **vetoing** trait (``scoring.is_veto``) are never ranked; they are
  listed apart with the reason.

Everything is pure Python over plain rows: :func:`read_portfolio` does the few queries,
:func:`build_profile` and :func:`rank` do the arithmetic (10,000 accounts well under a
second: ``bench/bench_lookalike.py``), :func:`explain` writes the reasons of one
account when they are asked for. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kamtui.db import Database
from kamtui.errors import KamError, StaleError, ValidationError
from kamtui.services.economics import last_four_quarters
from kamtui.services.scoring import is_veto, ticked_traits

MIN_KEY = 3  # key accounts needed for a profile, and for a field to be part of it
BAND = (0.1, 0.9)  # the size band: from this percentile to that one
MAX_WEIGHT = 10
RANKED = ("prospect", "target")  # who is ranked; customers not yet key as an option
WITH_CUSTOMERS = ("prospect", "target", "customer")


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    weight: int  # default
    kind: str  # category | size | strength | ratio | words | traits
    always: bool  # counts even when the account does not have it (as no match)


FIELDS: tuple[FieldDef, ...] = (
    FieldDef("industry", "Industry", 3, "category", True),
    FieldDef("country", "Country", 2, "category", True),
    FieldDef("employees", "Employees", 2, "size", True),
    FieldDef("revenue", "Their annual revenue", 2, "size", True),
    FieldDef("strength", "Our strength of position", 1, "strength", True),
    FieldDef("why_buy", "Why they buy", 1, "category", False),
    FieldDef("ratio", "Revenue-to-cost ratio", 1, "ratio", False),
    FieldDef("business_strategy", "Business strategy", 1, "words", False),
    FieldDef("infrastructure", "Infrastructure", 1, "words", False),
    FieldDef("incumbents", "Supplier relationships", 1, "words", False),
    FieldDef("financial_situation", "Financial situation", 1, "words", False),
    FieldDef("traits", "Nightmare traits", 2, "traits", False),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
DEFAULT_WEIGHTS = {f.key: f.weight for f in FIELDS}
TEXT_FIELDS = ("business_strategy", "infrastructure", "incumbents", "financial_situation")


class Account(NamedTuple):
    """One account as the look-alikes see it: plain data, read in one query."""

    id: int
    name: str
    status: str
    version: int
    industry: str
    country: str
    employees: int | None
    revenue: int | None  # their annual revenue, minor units
    why_buy: str | None
    strength: int | None
    ratio: float | None  # our revenue / cost to serve over the last four quarters
    business_strategy: str
    infrastructure: str
    incumbents: str
    financial_situation: str
    traits: tuple[str, ...]  # penalty traits, by name
    veto: str  # names of its vetoing traits, "" when none


# --- reading -------------------------------------------------------------------------------

ACCOUNTS_SQL = """
SELECT a.id, a.name, a.status, a.version, a.industry, a.country, a.employees,
       a.annual_revenue_minor, a.why_buy, a.strength_of_position,
       CASE WHEN e.cost > 0 THEN e.rev * 1.0 / e.cost END,
       a.business_strategy, a.infrastructure, a.incumbents, a.financial_situation
FROM account a
LEFT JOIN (
    SELECT account_id, SUM(revenue_minor) AS rev, SUM(cost_to_serve_minor) AS cost
    FROM account_period
    WHERE period_start >= ? AND period_start < ?
    GROUP BY account_id
) e ON e.account_id = a.id
WHERE a.status <> 'former'
ORDER BY a.id
"""


def read_portfolio(db: Database, today: dt.date) -> list[Account]:
    """Every account but former key accounts, with its traits: two plain queries."""
    start, end = last_four_quarters(today)
    traits: dict[int, list[str]] = {}
    vetoes: dict[int, list[str]] = {}
    for aid, name, effect, _penalty in ticked_traits(db):
        (vetoes if is_veto(effect) else traits).setdefault(aid, []).append(name)
    out = []
    for r in db.fetch(ACCOUNTS_SQL, [start.isoformat(), end.isoformat()]):
        aid = r[0]
        out.append(
            Account(
                aid, r[1], r[2], r[3], r[4] or "", r[5] or "", r[6], r[7], r[8], r[9],
                float(r[10]) if r[10] is not None else None, r[11] or "", r[12] or "",
                r[13] or "", r[14] or "", tuple(traits.get(aid, ())),
                ", ".join(vetoes.get(aid, ())),
            )
        )  # fmt: skip
    return out


def read_weights(db: Database) -> dict[str, tuple[int, int | None]]:
    """``{field: (weight, version)}`` for every field; version None: the default."""
    stored = {r[0]: (int(r[1]), int(r[2])) for r in db.fetch(
        "SELECT field, weight, version FROM lookalike_weight"
    )}  # fmt: skip
    return {f.key: stored.get(f.key, (f.weight, None)) for f in FIELDS}


def parse_weight(raw: str, label: str, key: str = "weight") -> int:
    value = raw.strip() or "0"
    if not value.isdigit() or int(value) > MAX_WEIGHT:
        raise ValidationError(key, f"{label}: a whole number from 0 to {MAX_WEIGHT}")
    return int(value)


def save_weight_form(
    db: Database, raw: Mapping[str, str], versions: Mapping[str, int | None]
) -> dict[str, tuple[int, int | None]]:
    """The weights form: ``{field: typed weight}``, each checked beside its field, then
    kept in one transaction (:func:`save_weights`)."""
    weights = {
        key: parse_weight(typed, FIELD_BY_KEY[key].label, key)
        for key, typed in raw.items()
        if key in FIELD_BY_KEY
    }
    return save_weights(db, weights, versions)


def save_weights(
    db: Database, weights: Mapping[str, int], versions: Mapping[str, int | None]
) -> dict[str, tuple[int, int | None]]:
    """Keep the weights (one transaction); ``versions`` are those read (None: there was
    no row). A weight changed elsewhere meanwhile refuses the whole save."""
    from sqlalchemy.orm.exc import StaleDataError

    from kamtui import models as m

    stale = "the look-alike weights were changed elsewhere since you read them; try again"
    try:
        with db.session() as s:
            for key, weight in weights.items():
                if key not in FIELD_BY_KEY:
                    raise KamError(f"no look-alike field named {key!r}")
                if not 0 <= weight <= MAX_WEIGHT:
                    raise ValidationError(
                        "weight", f"Weight: a whole number from 0 to {MAX_WEIGHT}"
                    )
                row = s.get(m.LookalikeWeight, key)
                if (row.version if row is not None else None) != versions.get(key):
                    raise StaleError(stale)
                if row is None:
                    if weight == FIELD_BY_KEY[key].weight:
                        continue  # the default already: nothing to keep
                    row = m.LookalikeWeight(field=key, weight=weight)
                elif row.weight == weight:
                    continue
                row.weight = weight
                s.add(row)
    except StaleDataError:
        raise StaleError(stale) from None
    return read_weights(db)


# --- the profile -----------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


STOP_WORDS = frozenset(
    """about above after again against all also and any are because been before being
    below between both but can cannot could did does doing down during each few for from
    further had has have having her here hers him his how into its itself just more most
    much not now off once only other our ours out over own same she should some such
    than that the their theirs them then there these they this those through too under
    until very was were what when where which while who whom why will with would you
    your yours per via next year years one two three four five new across within
    without among around well like many lot lots""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_]{3,}")


def words(text: str) -> frozenset[str]:
    """The meaningful words of a free text: lower case, three letters or more, common
    words left out, a plural 's' taken off ('plants' and 'plant' are one word)."""
    out = set()
    for w in _WORD.findall(text.casefold()):
        if w in STOP_WORDS:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


@dataclass(frozen=True)
class Category:
    """How the key accounts spread over the values of one field."""

    known: int  # key accounts with the field filled in
    counts: dict[str, int]  # normalised value → key accounts
    spelling: dict[str, str]  # normalised value → as most often written

    def top(self, n: int = 3) -> list[tuple[str, int]]:
        ordered = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(self.spelling[k], c) for k, c in ordered[:n]]


@dataclass(frozen=True)
class Band:
    """The middle of the key accounts' values of a size or ratio (log scale)."""

    known: int
    low: float
    high: float
    inside: int  # key accounts inside [low, high]
    median: float


@dataclass(frozen=True)
class Vocabulary:
    known: int  # key accounts with the text filled in
    sets: list[frozenset[str]]  # each key account's words
    users: dict[str, list[int]]  # word → the key accounts (indexes into sets) using it


@dataclass
class Profile:
    """What today's key accounts have in common (the fields with enough data)."""

    keys: list[Account]
    left_out: list[Account]  # key accounts with a veto: not a pattern to copy
    categories: dict[str, Category] = field(default_factory=dict)
    bands: dict[str, Band] = field(default_factory=dict)
    strength_median: float | None = None
    strength_known: int = 0
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    traits: Counter[str] = field(default_factory=Counter)

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def enough(self) -> bool:
        return self.size >= MIN_KEY

    def has(self, key: str) -> bool:
        if key in ("industry", "country", "why_buy"):
            return key in self.categories
        if key in ("employees", "revenue", "ratio"):
            return key in self.bands
        if key == "strength":
            return self.strength_median is not None
        if key in TEXT_FIELDS:
            return key in self.vocabularies
        return key == "traits"


def _category(values: Iterable[str | None]) -> Category | None:
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for v in values:
        n = _norm(v)
        if n:
            counts[n] += 1
            spellings.setdefault(n, Counter())[" ".join((v or "").split())] += 1
    known = sum(counts.values())
    if known < MIN_KEY:
        return None
    spelling = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
    return Category(known, dict(counts), spelling)


def _band(values: Iterable[float | None]) -> Band | None:
    known = sorted(float(v) for v in values if v is not None and v > 0)
    if len(known) < MIN_KEY:
        return None
    logs = [math.log10(v) for v in known]
    low, high = 10 ** _quantile(logs, BAND[0]), 10 ** _quantile(logs, BAND[1])
    inside = sum(1 for v in known if low * (1 - 1e-9) <= v <= high * (1 + 1e-9))
    return Band(len(known), low, high, inside, 10 ** _quantile(logs, 0.5))


def build_profile(accounts: Iterable[Account]) -> Profile:
    everyone = [a for a in accounts if a.status == "key"]
    keys = [a for a in everyone if not a.veto]
    profile = Profile(keys, [a for a in everyone if a.veto])
    for key in ("industry", "country", "why_buy"):
        found = _category(getattr(a, key) for a in keys)
        if found is not None:
            profile.categories[key] = found
    for key in ("employees", "revenue", "ratio"):
        band = _band(getattr(a, key) for a in keys)
        if band is not None:
            profile.bands[key] = band
    strengths = sorted(a.strength for a in keys if a.strength is not None)
    if len(strengths) >= MIN_KEY:
        profile.strength_median = _quantile(strengths, 0.5)
        profile.strength_known = len(strengths)
    for key in TEXT_FIELDS:
        sets = [w for w in (words(getattr(a, key)) for a in keys) if w]
        if len(sets) >= MIN_KEY:
            users: dict[str, list[int]] = {}
            for i, ws in enumerate(sets):
                for w in ws:
                    users.setdefault(w, []).append(i)
            profile.vocabularies[key] = Vocabulary(len(sets), sets, users)
    for a in keys:
        profile.traits.update(a.traits)
    return profile


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _money(minor: float) -> str:
    from kamtui.money import format_compact

    return format_compact(int(minor))


def _size_text(key: str, value: float) -> str:
    if key == "employees":
        return f"{_n(value)} employees"
    if key == "revenue":
        return f"{_money(value)} revenue"
    return f"{value:.1f}×"


def _band_text(key: str, band: Band, *, unit: bool = True) -> str:
    if key == "employees":
        return f"{_n(band.low)}–{_n(band.high)}" + (" employees" if unit else "")
    if key == "revenue":
        return f"{_money(band.low)}–{_money(band.high)}" + (" revenue" if unit else "")
    return f"{band.low:.1f}–{band.high:.1f}×"


def profile_lines(profile: Profile) -> list[str]:
    """What the key accounts have in common, one statement per field, each with the
    share of key accounts behind it: "7 of 9 are in Industrial automation"."""
    n = profile.size
    lines = []
    labels = {"industry": "are in", "country": "are in", "why_buy": "buy from us for"}
    for key in ("industry", "country", "why_buy"):
        cat = profile.categories.get(key)
        if cat is None:
            continue
        top = cat.top(3)
        first = f"{top[0][1]} of {cat.known} {labels[key]} {top[0][0]}"
        rest = ", ".join(f"{c} {v}" for v, c in top[1:])
        lines.append(f"{FIELD_BY_KEY[key].label}: {first}" + (f" (then {rest})" if rest else ""))
    for key in ("employees", "revenue", "ratio"):
        band = profile.bands.get(key)
        if band is not None:
            lines.append(
                f"{FIELD_BY_KEY[key].label}: {band.inside} of {band.known} have "
                f"{_band_text(key, band) if key != 'ratio' else 'revenue-to-cost ' + _band_text(key, band)}"
            )
    if profile.strength_median is not None:
        at_least = sum(
            1 for a in profile.keys
            if a.strength is not None and a.strength >= profile.strength_median
        )  # fmt: skip
        lines.append(
            f"Our strength of position: {at_least} of {profile.strength_known} at "
            f"{profile.strength_median:g}/5 or more"
        )
    for key in TEXT_FIELDS:
        vocab = profile.vocabularies.get(key)
        if vocab is None:
            continue
        common = sorted(vocab.users.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:3]
        said = ", ".join(f"“{w}” {len(u)}" for w, u in common if len(u) > 1)
        lines.append(
            f"{FIELD_BY_KEY[key].label}: {vocab.known} of {n} filled in"
            + (f"; words they share: {said}" if said else "; no words in common")
        )
    if profile.traits:
        said = ", ".join(f"{c} of {n} ‘{t}’" for t, c in profile.traits.most_common(3))
        lines.append(f"Nightmare traits: {said}")
    else:
        lines.append(f"Nightmare traits: none of the {n} has one")
    if profile.left_out:
        names = ", ".join(a.name for a in profile.left_out[:3])
        more = f" and {len(profile.left_out) - 3} more" if len(profile.left_out) > 3 else ""
        lines.append(f"Left out, vetoed: {names}{more}")
    return lines


def too_few_text(profile: Profile) -> str:
    """Why nothing is ranked with fewer than MIN_KEY key accounts, and what to do."""
    n = profile.size
    have = "no key accounts" if n == 0 else f"only {n} key account{'s' if n != 1 else ''}"
    vetoed = f" ({len(profile.left_out)} more vetoed)" if profile.left_out else ""
    return (
        f"You have {have}{vetoed}: a profile needs at least {MIN_KEY}, or the ranking would "
        "be noise. Choose your key accounts first — score them in the matrix (view 3) and "
        "promote the best customers with K, or change an account's status with ctrl+t — "
        "then come back; meanwhile view 3 ranks accounts by your own criteria."
    )


# --- similarity --------------------------------------------------------------------------------


def _log_distance(value: float, low: float, high: float) -> float:
    """How far outside [low, high], in factors of ten (0 inside)."""
    if value < low:
        return math.log10(low / value)
    if value > high:
        return math.log10(value / high)
    return 0.0


class Scorer:
    """Per-field similarity functions of one profile, memoised by value (a portfolio
    repeats its industries, countries and sizes)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._memo: dict[str, dict[Any, float | None]] = {f.key: {} for f in FIELDS}
        self.active = [f for f in FIELDS if profile.has(f.key)]

    def score(self, key: str, a: Account) -> float | None:
        """0–1, or None when the field does not count for this account."""
        value = self._value(key, a)
        memo = self._memo[key]
        try:
            return memo[value]
        except KeyError:
            pass
        result = memo[value] = self._compute(key, value)
        return result

    @staticmethod
    def _value(key: str, a: Account) -> Any:
        if key == "industry":
            return _norm(a.industry)
        if key == "country":
            return _norm(a.country)
        if key == "why_buy":
            return _norm(a.why_buy)
        return getattr(a, key)

    def _compute(self, key: str, value: Any) -> float | None:
        p = self.profile
        f = FIELD_BY_KEY[key]
        if f.kind == "category":
            if not value:
                return 0.0 if f.always else None
            cat = p.categories[key]
            return cat.counts.get(value, 0) / cat.known
        if f.kind in ("size", "ratio"):
            if value is None or value <= 0:
                return 0.0 if f.always else None
            band = p.bands[key]
            if key == "ratio":
                return 1.0 if value >= band.low else max(0.0, 1 - math.log2(band.low / value))
            return max(0.0, 1 - _log_distance(float(value), band.low, band.high))
        if f.kind == "strength":
            if value is None:
                return 0.0
            median = p.strength_median or 1
            if value >= median:
                return 1.0
            return max(0.0, 1 - (median - value) / max(1.0, median - 1))
        if f.kind == "words":
            mine = words(value) if value else frozenset()
            if not mine:
                return None
            return self._overlap(key, mine)[0]
        if f.kind == "traits":
            if not value:
                return None
            return min(p.traits.get(t, 0) for t in value) / p.size
        return None  # pragma: no cover

    def _overlap(self, key: str, mine: frozenset[str]) -> tuple[float, list[str]]:
        """The best Jaccard overlap with one key account, and the shared words (most
        used by key accounts first)."""
        vocab = self.profile.vocabularies[key]
        shared_with: Counter[int] = Counter()
        common = []
        for w in mine:
            users = vocab.users.get(w)
            if users:
                common.append(w)
                shared_with.update(users)
        best = 0.0
        for i, k in shared_with.items():
            best = max(best, k / (len(mine) + len(vocab.sets[i]) - k))
        common.sort(key=lambda w: (-len(vocab.users[w]), w))
        return best, common


def similarity(scores: Sequence[float | None], weights: Sequence[int]) -> float:
    """The weighted mean of the fields that count, 0–100."""
    total = wsum = 0.0
    for s, w in zip(scores, weights, strict=True):
        if s is not None and w > 0:
            total += w * s
            wsum += w
    return 100 * total / wsum if wsum else 0.0


@dataclass
class Ranking:
    """The look-alike ranking: best first; vetoed accounts apart."""

    profile: Profile
    scorer: Scorer
    weights: dict[str, int]
    scope: tuple[str, ...]
    ranked: list[tuple[Account, float]]  # best first
    vetoed: list[Account]

    @property
    def enough(self) -> bool:
        return self.profile.enough

    def explain(self, a: Account) -> list[Reason]:
        return explain(self.scorer, a, self.weights)


def rank(
    accounts: Sequence[Account],
    weights: Mapping[str, int] | None = None,
    scope: Sequence[str] = RANKED,
    profile: Profile | None = None,
) -> Ranking:
    """Rank the accounts of ``scope`` (not key, not vetoed) by similarity to the profile
    of the key accounts among ``accounts``. With too few key accounts nothing is ranked
    (``Ranking.enough`` is False)."""
    profile = profile if profile is not None else build_profile(accounts)
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    scorer = Scorer(profile)
    wanted = set(scope) - {"key", "former"}
    members = [a for a in accounts if a.status in wanted]
    vetoed = [a for a in members if a.veto]
    ranked: list[tuple[Account, float]] = []
    if profile.enough:
        active = [(f.key, weights[f.key]) for f in scorer.active if weights[f.key] > 0]
        score = scorer.score
        for a in members:
            if a.veto:
                continue
            total = wsum = 0.0
            for key, w in active:
                s = score(key, a)
                if s is not None:
                    total += w * s
                    wsum += w
            ranked.append((a, 100 * total / wsum if wsum else 0.0))
        ranked.sort(key=lambda pair: (-pair[1], pair[0].name.casefold()))
    return Ranking(profile, scorer, weights, tuple(scope), ranked, vetoed)


# --- reasons ------------------------------------------------------------------------------------


class Reason(NamedTuple):
    field: str
    verdict: str  # match | partial | mismatch | unknown
    score: float | None  # 0–1; None when it does not count
    text: str

    @property
    def glyph(self) -> str:
        return GLYPHS[self.verdict]

    def __str__(self) -> str:
        return f"{self.glyph} {self.text}"


GLYPHS = {"match": "✓", "partial": "~", "mismatch": "✗", "unknown": "?"}


def _verdict(s: float | None) -> str:
    if s is None:
        return "unknown"
    if s >= 0.75:
        return "match"
    return "partial" if s > 0 else "mismatch"


def explain(scorer: Scorer, a: Account, weights: Mapping[str, int] | None = None) -> list[Reason]:
    """The reason behind each field that counts (or could, were it known), in words
    that name the field: "industry like 7 of 9 key accounts"."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    p = scorer.profile
    out: list[Reason] = []
    if a.veto:
        out.append(Reason("traits", "mismatch", None, f"vetoed: {a.veto} — never ranked"))
    for f in scorer.active:
        if weights.get(f.key, 0) <= 0:
            continue
        key = f.key
        s = scorer.score(key, a)
        text = _reason_text(scorer, p, key, a, s)
        if text is None:
            continue
        unknown = not scorer._value(key, a)  # not filled in (it counts as no match)
        out.append(Reason(key, "unknown" if unknown else _verdict(s), s, text))
    return out


def _reason_text(scorer: Scorer, p: Profile, key: str, a: Account, s: float | None) -> str | None:
    label = FIELD_BY_KEY[key].label.lower()
    if key in ("industry", "country", "why_buy"):
        cat = p.categories[key]
        raw = getattr(a, key)
        value = " ".join((raw or "").split())
        top_value, top_count = cat.top(1)[0]
        verb = "buy for" if key == "why_buy" else "are in"
        most = f"{top_count} of {cat.known} {verb} {top_value}"
        if not value:
            if key == "why_buy":
                return None
            return f"{label} unknown ({most})"
        same = cat.counts.get(_norm(value), 0)
        if same:
            return f"{label} {value}, like {same} of {cat.known} key accounts"
        return f"{label} {value}: no key account ({most})"
    if key in ("employees", "revenue", "ratio"):
        band = p.bands[key]
        value = getattr(a, key)
        where = _band_text(key, band, unit=False)
        if value is None or value <= 0:
            if key == "ratio":
                return None
            return f"{label} unknown (key accounts: {_band_text(key, band)})"
        shown = _size_text(key, value)
        if key == "ratio":
            shown = f"revenue-to-cost {value:.1f}×"
            if value >= band.low:
                return f"{shown}, like the key accounts ({band.low:.1f}–{band.high:.1f}×)"
            return f"{shown}, below the key accounts' {band.low:.1f}–{band.high:.1f}×"
        if band.low * (1 - 1e-9) <= value <= band.high * (1 + 1e-9):
            return f"{shown}, inside the key accounts' {where}"
        side = "below" if value < band.low else "above"
        how = "far " if (s or 0) < 0.3 else "just " if (s or 0) >= 0.75 else ""
        return f"{shown}, {how}{side} the key accounts' {where}"
    if key == "strength":
        median = p.strength_median or 0
        if a.strength is None:
            return f"our strength of position unknown (key accounts: typically {median:g}/5)"
        if a.strength >= median:
            return f"our strength of position {a.strength}/5, as with key accounts ({median:g}/5)"
        return f"our strength of position {a.strength}/5, below key accounts' {median:g}/5"
    if key in TEXT_FIELDS:
        text = getattr(a, key)
        mine = words(text) if text else frozenset()
        if not mine:
            return None
        vocab = p.vocabularies[key]
        _, common = scorer._overlap(key, mine)
        if not common:
            return f"{label}: no words in common with the key accounts'"
        said = ", ".join(f"“{w}”" for w in common[:3])
        sharing = len({i for w in common for i in vocab.users[w]})
        return f"{label}: {said}, like {sharing} of {vocab.known} key accounts"
    if key == "traits":
        if not a.traits:
            return None
        parts = []
        for t in a.traits:
            c = p.traits.get(t, 0)
            parts.append(
                f"has ‘{t}’, which no key account has" if c == 0
                else f"has ‘{t}’, like {c} of {p.size} key accounts"
            )  # fmt: skip
        return "; ".join(parts)
    return None  # pragma: no cover


def reason_texts(reasons: Iterable[Reason]) -> list[str]:
    return [r.text for r in reasons]


def summary(reasons: Sequence[Reason], limit: int = 4) -> str:
    """The reasons on one line: "✓ industry … · ✗ country …"."""
    return " · ".join(str(r) for r in reasons[:limit])


# --- one call for the view and the command line --------------------------------------------------


def lookalikes(
    db: Database, today: dt.date, *, customers: bool = False
) -> tuple[Ranking, dict[str, tuple[int, int | None]]]:
    """Read and rank (prospects and targets; with ``customers`` customers not yet key
    too); the weights read, with their versions, for an edit."""
    stored = read_weights(db)
    weights = {k: w for k, (w, _) in stored.items()}
    accounts = read_portfolio(db, today)
    scope = WITH_CUSTOMERS if customers else RANKED
    return rank(accounts, weights, scope), stored


def as_json(ranking: Ranking, top: int | None = None) -> list[dict[str, Any]]:
    """The ranking as plain objects, best first (``kam lookalikes --json``)."""
    out = []
    for n, (a, sim) in enumerate(ranking.ranked[:top] if top else ranking.ranked, start=1):
        reasons = ranking.explain(a)
        out.append(
            {
                "rank": n,
                "id": a.id,
                "name": a.name,
                "status": a.status,
                "similarity": round(sim),
                "reasons": [str(r) for r in reasons],
                "fields": [
                    {"field": r.field, "verdict": r.verdict,
                     "score": None if r.score is None else round(r.score, 3), "text": r.text}
                    for r in reasons
                ],
            }
        )  # fmt: skip
    return out


def format_text(ranking: Ranking, top: int | None = None) -> str:
    """The profile and the ranking as text (``kam lookalikes``)."""
    p = ranking.profile
    lines = [f"What your {p.size} key accounts have in common:"]
    lines += [f"  {line}" for line in profile_lines(p)]
    lines.append("")
    shown = ranking.ranked[:top] if top else ranking.ranked
    who = (
        "prospects, targets and customers"
        if "customer" in ranking.scope
        else "prospects and targets"
    )
    if not shown:
        lines.append(f"No {who} to rank.")
    else:
        lines.append(f"Look-alikes among {len(ranking.ranked):,} {who}, best first:")
        width = len(str(len(shown)))
        for n, (a, sim) in enumerate(shown, start=1):
            lines.append(f"{n:>{width}}. {a.name} ({a.status}) — {round(sim)}")
            for r in ranking.explain(a):
                lines.append(f"{'':>{width}}    {r}")
    if ranking.vetoed:
        names = ", ".join(f"{a.name} ({a.veto})" for a in ranking.vetoed[:5])
        more = f" and {len(ranking.vetoed) - 5} more" if len(ranking.vetoed) > 5 else ""
        lines.append("")
        lines.append(f"Not ranked, vetoed: {names}{more}.")
    return "\n".join(lines) + "\n"

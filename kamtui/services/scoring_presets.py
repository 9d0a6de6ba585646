"""The seven key-account definitions of seed 001 as ready scoring models, and the
default nightmare traits of seed 000. Plain data; no Textual, no database.

Every preset carries the three selection factors of seed 004 (revenue-to-cost ratio,
product compatibility and existing connections, cultural fit), weighted to suit it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Automatic sources: what the program already knows about an account.
AUTO_SOURCES: dict[str, str] = {
    "gross_profit_4q": "Gross profit over the last four quarters",
    "revenue_4q": "Revenue over the last four quarters",
    "revenue_cost_ratio": "Revenue divided by the cost to serve (last four quarters)",
    "growth_4q": "Revenue growth, last four quarters vs the four before (%)",
    "employees": "Their number of employees",
    "their_revenue": "Their own annual revenue",
}
# Units in which band limits are typed: money in whole currency units, growth in %.
AUTO_UNITS: dict[str, str] = {
    "gross_profit_4q": "money",
    "revenue_4q": "money",
    "revenue_cost_ratio": "×",
    "growth_4q": "%",
    "employees": "people",
    "their_revenue": "money",
}
# Ascending limits for a 1–5 scale: below the first limit scores 1, at or above the
# last scores 5. Editable per criterion (stored as JSON in ``Criterion.bands``).
DEFAULT_BANDS: dict[str, tuple[float, ...]] = {
    "gross_profit_4q": (7_500, 11_000, 16_000, 30_000),
    "revenue_4q": (25_000, 40_000, 60_000, 100_000),
    "revenue_cost_ratio": (7, 9, 12, 18),
    "growth_4q": (-5, 2, 8, 15),
    "employees": (75, 115, 160, 300),
    "their_revenue": (15_000_000, 25_000_000, 40_000_000, 75_000_000),
}


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    description: str
    weight: int
    direction: str = "benefit"
    auto_source: str | None = None
    scale_max: int = 5
    # the column heading when the name does not fit (≤ 8 cells; see short_names)
    short_name: str = ""


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    question: str
    warning: str
    criteria: tuple[CriterionSpec, ...]
    threshold: int = 60


def _ratio(weight: int) -> CriterionSpec:
    return CriterionSpec(
        "Revenue-to-cost ratio",
        "More revenue at less cost to serve is ideal (seed 004).",
        weight,
        auto_source="revenue_cost_ratio",
        short_name="Ratio",
    )


def _compat(weight: int) -> CriterionSpec:
    return CriterionSpec(
        "Product fit & connections",
        "They need what we offer, and we already know people there (seed 004).",
        weight,
        short_name="Fit",
    )


def _culture(weight: int) -> CriterionSpec:
    return CriterionSpec(
        "Cultural fit", "They mesh with the way we work (seed 004).", weight, short_name="Culture"
    )


REVENUE = CriterionSpec(
    "Revenue 4Q", "What they bought from us in the last four quarters.", 3,
    auto_source="revenue_4q", short_name="Revenue",
)  # fmt: skip
PROFIT = CriterionSpec(
    "Gross profit 4Q", "Our gross profit on them in the last four quarters.", 3,
    auto_source="gross_profit_4q", short_name="Profit",
)  # fmt: skip
GROWTH = CriterionSpec(
    "Growth 4Q", "Their revenue with us, last four quarters against the four before.", 3,
    auto_source="growth_4q", short_name="Growth",
)  # fmt: skip
STAFF_DEMANDS = CriterionSpec(
    "Demands on our staff", "Time and nerves they take; more is worse.", 2, direction="cost",
    short_name="Strain",
)  # fmt: skip


def _w(spec: CriterionSpec, weight: int) -> CriterionSpec:
    return CriterionSpec(
        spec.name, spec.description, weight, spec.direction, spec.auto_source, spec.scale_max,
        spec.short_name,
    )  # fmt: skip


PRESETS: tuple[Preset, ...] = (
    Preset(
        "big", "The BIG ones", "Are they just the big ones?",
        "What about tomorrow's oak trees? Do you always let the sales statistics decide for you?",
        (
            _w(REVENUE, 5),
            CriterionSpec("Their size", "Their own annual revenue.", 3, auto_source="their_revenue", short_name="Size"),
            CriterionSpec("Employees", "How many people they employ.", 2, auto_source="employees", short_name="Staff"),
            _ratio(1), _compat(1), _culture(1),
        ),
    ),
    Preset(
        "mustnt_lose", "The ones you MUSTN'T LOSE", "Are they the ones you mustn't lose?",
        "You'll do anything to keep them happy, even if it kills you… What if it is "
        "unprofitable to please this particular whim of theirs?",
        (
            _w(REVENUE, 3), _w(PROFIT, 3),
            CriterionSpec("Reference value", "Others buy from us because they do.", 2, short_name="Ref val"),
            CriterionSpec("Pain if lost", "How hard losing them would hit us.", 3, short_name="Pain"),
            _w(STAFF_DEMANDS, 1), _ratio(2), _compat(1), _culture(1),
        ),
    ),
    Preset(
        "future_profit", "FUTURE profit", "Are they the ones that offer future profit?",
        "Where does today's profit come from? What happens if they've been over-valued "
        "before they pay off?",
        (
            _w(GROWTH, 4),
            CriterionSpec("Untapped potential", "Share of their spend we do not have yet.", 4, short_name="Untapped"),
            CriterionSpec("Their size", "Their own annual revenue.", 2, auto_source="their_revenue", short_name="Size"),
            _ratio(2), _compat(2), _culture(1),
        ),
    ),
    Preset(
        "staff_focus", "Where our staff FOCUS", "Are they the ones your team should look after?",
        "So what happens with the rest, do they just ignore them? Why are your staff "
        "focussing on them anyway?",
        (
            CriterionSpec("Relationship depth", "Peer-level contacts on both sides.", 3, short_name="Access"),
            _w(PROFIT, 2), _w(STAFF_DEMANDS, 2), _ratio(2), _compat(2), _culture(2),
        ),
    ),
    Preset(
        "extra_effort", "EXTRA effort, EXTRA return",
        "Are they the ones where extra effort brings extra returns?",
        "What does return mean? How many accounts can you do this for – and at what cost "
        "to your business and your other customers?",
        (
            CriterionSpec("Untapped potential", "Share of their spend we do not have yet.", 4, short_name="Untapped"),
            CriterionSpec("Responds to effort", "Past extra effort paid back.", 3, short_name="Payback"),
            _w(STAFF_DEMANDS, 2), _ratio(3), _compat(2), _culture(1),
        ),
    ),
    Preset(
        "demanding", "The DEMANDING ones", "Are they the ones that demand more of you?",
        "Every industry has its loud mouths – does that make them more important? Just how "
        "profitable do their demands make them?",
        (
            CriterionSpec("What they demand", "Service level, custom work, attention asked.", 3, short_name="Demands"),
            _w(PROFIT, 3), _ratio(3), _compat(1), _culture(1),
        ),
    ),
    Preset(
        "direction", "Where YOUR business wants to go",
        "Are they the ones that take your business where you want it to go?",
        "Could these be the best? Are you certain? The future is never clear, and "
        "organisational plans change, yours included.",
        (
            CriterionSpec("Fits our strategy", "Where we want to be in three years.", 4, short_name="Strategy"),
            CriterionSpec("Opens new markets", "New segments, regions or capabilities.", 3, short_name="Markets"),
            _w(GROWTH, 2), _ratio(1), _compat(2), _culture(2),
        ),
    ),
)  # fmt: skip

PRESET_BY_KEY: dict[str, Preset] = {p.key: p for p in PRESETS}
# the hand-chosen short names of the preset criteria, by lower-case name
PRESET_SHORT_NAMES: dict[str, str] = {
    c.name.lower(): c.short_name for p in PRESETS for c in p.criteria
}


@dataclass(frozen=True)
class TraitSpec:
    name: str
    description: str
    effect: str  # "penalty" or "veto"
    penalty: int = 0


DEFAULT_TRAITS: tuple[TraitSpec, ...] = (
    TraitSpec("Pays late", "Invoices paid well past terms.", "penalty", 10),
    TraitSpec("Constant scope creep", "Always a little more for the same price.", "penalty", 10),
    TraitSpec("Abusive to our staff", "We do not put our people through that.", "veto"),
    TraitSpec("Demands that kill our margin", "Every deal ends below cost.", "penalty", 15),
    TraitSpec("Only one contact on their side", "Single-threaded: one departure and we are out.", "penalty", 5),
    TraitSpec("Asks us to bend the rules", "Unethical or unlawful requests.", "veto"),
)  # fmt: skip

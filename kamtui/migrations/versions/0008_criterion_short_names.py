"""Short names of scoring criteria: the matrix heads a column with one when the full name
does not fit (at 80 columns "Revenue 4Q", "Their size" and "Employees" showed as "Rev4Q*
TheSi* Emplo*").

Every criterion gets one: a preset criterion its hand-chosen short name, any other one
made from its name, no two alike in a model. The presets' names and the abbreviation are
frozen copies of ``services.scoring_presets.PRESET_SHORT_NAMES`` and
``services.short_names`` as they were at this revision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import re
from collections.abc import Collection, Sequence
from itertools import product

import sqlalchemy as sa
from alembic import op
from rich.cells import cell_len, get_character_cell_size

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIDTH = 8
PRESET_SHORT_NAMES = {
    "revenue 4q": "Revenue", "their size": "Size", "employees": "Staff",
    "revenue-to-cost ratio": "Ratio", "product fit & connections": "Fit",
    "cultural fit": "Culture", "gross profit 4q": "Profit", "reference value": "Ref val",
    "pain if lost": "Pain", "demands on our staff": "Strain", "growth 4q": "Growth",
    "untapped potential": "Untapped", "relationship depth": "Access",
    "responds to effort": "Payback", "what they demand": "Demands",
    "fits our strategy": "Strategy", "opens new markets": "Markets",
}  # fmt: skip
FILLERS = frozenset({
    "a", "an", "and", "are", "at", "by", "for", "from", "how", "if", "in", "is", "it", "its",
    "of", "on", "or", "our", "per", "than", "the", "their", "them", "they", "to", "us", "vs",
    "we", "what", "which", "who", "with",
})  # fmt: skip
_SPLIT = re.compile(r"[\s\-–—&/+,.;:()\[\]{}'\"!?]+")
_VOWELS = frozenset("aeiouäöüàáâèéêìíîòóôùúûåæøœ")


def fits(text: str, width: int = WIDTH) -> bool:
    return cell_len(text) <= width


def cut(text: str, width: int) -> str:
    """The first ``width`` cells of ``text`` (a double-width character that would
    straddle the edge is left out)."""
    out, used = [], 0
    for ch in text:
        size = get_character_cell_size(ch)
        if used + size > width:
            break
        out.append(ch)
        used += size
    return "".join(out)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _kept_whole(word: str) -> bool:
    """Numbers, acronyms and words with inner capitals ("4Q", "NPS", "SaaS")."""
    return any(ch.isdigit() for ch in word) or sum(ch.isupper() for ch in word) >= 2


def _is_vowel(word: str, i: int) -> bool:
    ch = word[i].lower()
    if ch == "y":  # a vowel unless a vowel follows it ("Employ", "Loyal")
        return i > 0 and not (i + 1 < len(word) and word[i + 1].lower() in _VOWELS)
    return ch in _VOWELS


def syllables(word: str) -> list[str]:
    """The prefixes of ``word`` that end at a syllable as abbreviations cut it: after a
    vowel and the consonants that follow it ("Revenue" → Rev, Reven, Revenue;
    "Cultural" → Cult, Cultur, Cultural). The last one is the whole word."""
    if _kept_whole(word):
        return [word]
    out: list[str] = []
    i, n = 0, len(word)
    while i < n and not _is_vowel(word, i):
        i += 1
    while i < n:
        while i < n and _is_vowel(word, i):
            i += 1
        while i < n and not _is_vowel(word, i):
            i += 1
        out.append(word[:i])
    return out or [word]


def _words(name: str) -> list[str]:
    words = [w for w in _SPLIT.split(name) if w]
    meaningful = [w for w in words if w.lower() not in FILLERS]
    return meaningful or words


def short_name_for(name: str, width: int = WIDTH, taken: Collection[str] = ()) -> str:
    """A heading of at most ``width`` cells for a criterion named ``name``, unlike every
    name in ``taken`` (compared without case).

    The name itself when it fits; else its meaningful words (filler words dropped:
    "Pain if lost" → "Pain lost"), then run together ("PainLost"); a long single word
    keeps the syllables that fit ("Employees" → "Employ"); several words keep their
    first syllables ("Cultural fit" → "CultFit", "Relationship depth" → "RelDepth"),
    and as few as can be only their initial ("Gross profit 4Q" → "GrossP4Q"). Numbers
    and acronyms stay whole ("Revenue 4Q" → "Rev4Q"). A clash takes a number: "Fit",
    "Fit2", "Fit3"."""
    name = " ".join(name.split())
    return unique(_abbreviate(name, width), width, taken)


def _abbreviate(name: str, width: int) -> str:
    if not name:
        return "?"
    if fits(name, width):
        return name
    words = _words(name)
    spaced = _cap(" ".join(words))
    if fits(spaced, width):
        return spaced
    if len(words) == 1:
        word = words[0]
        kept = [p for p in syllables(word) if fits(p, width)]
        return _cap(kept[-1] if kept else cut(word, width))
    joined = "".join(_cap(w) for w in words)
    if fits(joined, width):
        return joined
    best = max(
        (c for c in product(*(_forms(w) for w in words[:MAX_WORDS])) if fits("".join(c), width)),
        key=lambda c: (-sum(len(p) == 1 for p in c), cell_len("".join(c)), [len(p) for p in c]),
        default=None,
    )
    return "".join(best) if best else cut(joined, width)


MAX_WORDS = 6  # the words after these are left out of a heading


def _forms(word: str) -> list[str]:
    """How a word may appear in a heading of several: whole, its first syllable (with
    all its consonants, or only the first: "Cult", "Cul"), or its initial; numbers and
    acronyms only whole."""
    if _kept_whole(word):
        return [word]
    first = syllables(word)[0]
    i = 0
    while i < len(first) and not _is_vowel(first, i):
        i += 1
    while i < len(first) and _is_vowel(first, i):
        i += 1
    forms = [word, first, first[: i + 1], word[:1]]
    return list(dict.fromkeys(_cap(f) for f in forms if f))


def unique(short: str, width: int = WIDTH, taken: Collection[str] = ()) -> str:
    """``short``, or with the first number that makes it unlike every one of ``taken``."""
    used = {t.lower() for t in taken}
    if short.lower() not in used:
        return short
    n = 2
    while True:
        candidate = cut(short, width - len(str(n))).rstrip() + str(n)
        if candidate.lower() not in used:
            return candidate
        n += 1


def _short_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        chosen = PRESET_SHORT_NAMES.get(" ".join(name.split()).lower())
        if chosen is not None and chosen.lower() not in {s.lower() for s in out}:
            out.append(chosen)
        else:
            out.append(short_name_for(name, WIDTH, out))
    return out


def upgrade() -> None:
    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_name", sa.String(length=40), server_default="", nullable=False)
        )
    conn = op.get_bind()
    models: dict[int, list[tuple[int, str]]] = {}
    for cid, model_id, name in conn.execute(
        sa.text("SELECT id, model_id, name FROM criterion ORDER BY model_id, position, id")
    ):
        models.setdefault(model_id, []).append((cid, name))
    rows = [
        {"cid": cid, "short": short}
        for criteria in models.values()
        for (cid, _), short in zip(criteria, _short_names([n for _, n in criteria]), strict=True)
    ]
    if rows:
        conn.execute(sa.text("UPDATE criterion SET short_name = :short WHERE id = :cid"), rows)


def downgrade() -> None:
    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.drop_column("short_name")

"""The customer's buying process mapped to our selling process (seed 003).

Milestones of their buying, in order, each with their owner (a contact), what they
require, our matching selling step and owner, and a status: *aligned*, *gap* or
*unknown*, with a note on how our process adapts where it does not align (ours adapts,
theirs does not). A default template ships; saving an account's map as the template
makes it the starting point for the next account.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, ValidationError
from kamtui.services import fields as f

# (milestone, what they require, our matching selling step)
DEFAULT_TEMPLATE: tuple[tuple[str, str, str], ...] = (
    ("Need identified", "A problem worth solving and an internal sponsor", "Discovery and needs analysis"),
    ("Budget approved", "A business case with payback", "Business case and ROI model"),
    ("Shortlist", "Qualified suppliers, references", "Credentials, references, site visit"),
    ("Trial", "A test plan with success criteria", "Pilot with agreed success criteria"),
    ("Decision", "Commercial offer and risk review", "Proposal and negotiation"),
    ("Contract", "Legal and procurement terms", "Contract and onboarding plan"),
    ("Renewal", "Proof of the value delivered", "Reviews and value report"),
)  # fmt: skip
STATUS_GLYPH = {"aligned": "=", "gap": "≠", "unknown": "?"}
MAX_TEMPLATE = 30

STEP_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("milestone", "Their milestone", f.text(required=True)),
        f.FieldSpec("owner", "Their owner", f.text(), "a contact of this account"),
        f.FieldSpec("requires", "What they require", f.text(max_length=1000)),
        f.FieldSpec("our_step", "Our selling step", f.text()),
        f.FieldSpec("our_owner", "Our owner", f.text(), "one of our people"),
        f.FieldSpec("status", "Status", f.choice(m.BUYING_STATUSES), "aligned / gap / unknown"),
        f.FieldSpec("adapt", "How our process adapts", f.text(max_length=1000)),
    )
}
CHOICES: dict[str, tuple[str, ...]] = {"status": m.BUYING_STATUSES}


@dataclass(frozen=True)
class StepRow:
    id: int
    version: int
    position: int
    milestone: str
    owner: str
    requires: str
    our_step: str
    our_owner: str
    status: str
    adapt: str

    @property
    def gap(self) -> bool:
        return self.status == "gap"

    @property
    def values(self) -> dict[str, str]:
        return {
            "milestone": self.milestone, "owner": self.owner, "requires": self.requires,
            "our_step": self.our_step, "our_owner": self.our_owner, "status": self.status,
            "adapt": self.adapt,
        }  # fmt: skip


def list_steps(db: Database, account_id: int) -> list[StepRow]:
    rows = db.fetch(
        "SELECT b.id, b.version, b.position, b.milestone, COALESCE(c.name, ''), b.requires, "
        "b.our_step, COALESCE(p.name, ''), b.status, b.adapt FROM buying_step b "
        "LEFT JOIN contact c ON c.id = b.customer_owner_id "
        "LEFT JOIN person p ON p.id = b.our_owner_id "
        "WHERE b.account_id = ? ORDER BY b.position, b.id",
        [account_id],
    )
    return [StepRow(*r) for r in rows]


def _resolve_people(s: Any, account_id: int, values: dict[str, Any], step: m.BuyingStep) -> None:
    from sqlmodel import func, select

    if "owner" in values:
        name = values.pop("owner")
        step.customer_owner_id = None
        if name:
            found = s.exec(
                select(m.Contact.id).where(
                    m.Contact.account_id == account_id, func.lower(m.Contact.name) == name.lower()
                )
            ).first()
            if found is None:
                raise ValidationError(
                    "owner", f"Their owner: no contact of this account named {name!r}"
                )
            step.customer_owner_id = found
    if "our_owner" in values:
        name = values.pop("our_owner")
        step.our_owner_id = None
        if name:
            found = s.exec(
                select(m.Person.id).where(func.lower(m.Person.name) == name.lower())
            ).first()
            if found is None:
                raise ValidationError("our_owner", f"Our owner: nobody named {name!r}")
            step.our_owner_id = found


def save_step(
    db: Database, account_id: int, step_id: int | None, version: int | None, raw: Mapping[str, str]
) -> m.BuyingStep:
    from sqlmodel import func, select

    values = f.parse_all(STEP_FIELDS, raw, unknown="refuse")
    if step_id is None:
        if not values.get("milestone"):
            raise ValidationError("milestone", "Their milestone: cannot be empty")
        with db.session() as s:
            if s.get(m.Account, account_id) is None:
                raise NotFoundError("this account no longer exists (deleted elsewhere?)")
            top = s.exec(
                select(func.max(m.BuyingStep.position)).where(m.BuyingStep.account_id == account_id)
            ).one()
            step = m.BuyingStep(account_id=account_id, milestone=values["milestone"])
            step.position = (top or 0) + 1
            _resolve_people(s, account_id, values, step)
            for k, v in values.items():
                setattr(step, k, v if v is not None else "unknown" if k == "status" else "")
            s.add(step)
            s.flush()
        return step
    assert version is not None
    with db.edit(m.BuyingStep, step_id, version, "milestone") as (s, step):
        _resolve_people(s, step.account_id, values, step)
        for k, v in values.items():
            setattr(step, k, v if v is not None else "unknown" if k == "status" else "")
    return step


def move_step(db: Database, step_id: int, version: int, delta: int) -> m.BuyingStep:
    """Move a milestone one place earlier (-1) or later (+1), swapping with its neighbour."""
    from sqlmodel import select

    with db.edit(m.BuyingStep, step_id, version, "milestone") as (s, step):
        steps = list(
            s.exec(
                select(m.BuyingStep)
                .where(m.BuyingStep.account_id == step.account_id)
                .order_by(m.BuyingStep.position, m.BuyingStep.id)  # type: ignore[arg-type]
            )
        )
        i = next(k for k, st in enumerate(steps) if st.id == step_id)
        j = i + delta
        if not 0 <= j < len(steps):
            raise ValidationError("position", "already the " + ("first" if delta < 0 else "last"))
        steps[i], steps[j] = steps[j], steps[i]
        for pos, st in enumerate(steps, start=1):
            if st.position != pos:
                st.position = pos
                s.add(st)
    return step


def delete_step(db: Database, step_id: int) -> None:
    with db.session() as s:
        step = s.get(m.BuyingStep, step_id)
        if step is not None:
            s.delete(step)


# --- the template -----------------------------------------------------------------------------


def parse_template(raw: str | None) -> list[tuple[str, str, str]]:
    if not raw:
        return list(DEFAULT_TEMPLATE)
    try:
        items = json.loads(raw)
    except ValueError:
        return list(DEFAULT_TEMPLATE)
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list) and len(item) == 3 and str(item[0]).strip():
            out.append((str(item[0]).strip(), str(item[1]), str(item[2])))
    return out or list(DEFAULT_TEMPLATE)


def get_template(db: Database) -> list[tuple[str, str, str]]:
    rows = db.fetch("SELECT buying_template FROM settings WHERE id = 1")
    return parse_template(rows[0][0] if rows else None)


def apply_template(db: Database, account_id: int) -> int:
    """Add the template's milestones after the account's own; how many were added."""
    from sqlmodel import func, select

    template = get_template(db)
    with db.session() as s:
        if s.get(m.Account, account_id) is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        have = {
            name.lower()
            for name in s.exec(
                select(m.BuyingStep.milestone).where(m.BuyingStep.account_id == account_id)
            )
        }
        top = (
            s.exec(
                select(func.max(m.BuyingStep.position)).where(m.BuyingStep.account_id == account_id)
            ).one()
            or 0
        )
        added = 0
        for milestone, requires, our_step in template:
            if milestone.lower() in have:
                continue
            added += 1
            s.add(
                m.BuyingStep(
                    account_id=account_id, position=top + added, milestone=milestone,
                    requires=requires, our_step=our_step, status="unknown",
                )
            )  # fmt: skip
    if not added:
        raise ValidationError("template", "every milestone of the template is on the map already")
    return added


def save_template(db: Database, steps: Sequence[tuple[str, str, str]]) -> int:
    """Make these milestones (milestone, requires, our step) the template."""
    clean = [(a.strip(), b.strip(), c.strip()) for a, b, c in steps if a.strip()]
    if not clean:
        raise ValidationError("template", "the map is empty: add milestones first")
    if len(clean) > MAX_TEMPLATE:
        raise ValidationError("template", f"a template holds at most {MAX_TEMPLATE} milestones")
    with db.session() as s:
        settings = s.get(m.Settings, 1)
        if settings is None:
            settings = m.Settings(id=1)
        settings.buying_template = json.dumps([list(t) for t in clean], ensure_ascii=False)
        s.add(settings)
    return len(clean)


def save_map_as_template(db: Database, account_id: int) -> int:
    return save_template(
        db, [(r.milestone, r.requires, r.our_step) for r in list_steps(db, account_id)]
    )

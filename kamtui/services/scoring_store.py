"""Writes of the scoring matrix: presets, scores (with history), weights, threshold,
capacity, criteria and nightmare traits. One short transaction per user action;
optimistic concurrency on every versioned row (compare the version the user read)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import KamError, NotFoundError, StaleError, ValidationError
from kamtui.services.scoring import CriterionInfo, ModelInfo, TraitInfo, model_criteria
from kamtui.services.scoring_presets import (
    AUTO_SOURCES,
    DEFAULT_BANDS,
    DEFAULT_TRAITS,
    PRESET_BY_KEY,
)

STALE = "changed elsewhere since you read it; the matrix was reloaded, try again"


@contextmanager
def _write(db: Database) -> Iterator[Any]:
    from sqlalchemy.orm.exc import StaleDataError

    try:
        with db.session() as s:
            yield s
    except StaleDataError:
        raise StaleError(f"this record was {STALE}") from None


def _now() -> Any:
    from kamtui.models import _now as now

    return now()


def ensure_defaults(db: Database) -> None:
    """First use: seed the default nightmare traits and a model from the first preset."""
    from sqlalchemy.exc import IntegrityError

    if db.fetch("SELECT 1 FROM scoring_model LIMIT 1"):
        return
    try:
        if not db.fetch("SELECT 1 FROM nightmare_trait LIMIT 1"):
            with db.session() as s:
                for t in DEFAULT_TRAITS:
                    s.add(
                        m.NightmareTrait(
                            name=t.name, description=t.description, effect=t.effect,
                            penalty=t.penalty,
                        )
                    )  # fmt: skip
        apply_preset(db, "big")
    except IntegrityError:  # another program did it at the same moment
        pass


def apply_preset(db: Database, key: str) -> ModelInfo:
    """Make the preset's model active, creating it the first time. A new model takes
    over the scores of same-named criteria from the model active before."""
    from sqlmodel import select

    preset = PRESET_BY_KEY.get(key)
    if preset is None:
        raise KamError(f"no preset named {key!r}")
    with _write(db) as s:
        models = list(s.exec(select(m.ScoringModel)))
        before = next((x for x in models if x.active), None)
        target = next((x for x in models if x.preset == key), None)
        for x in models:
            if x.active and x is not target:
                x.active = False
                s.add(x)
        if target is None:
            names = {x.name.lower() for x in models}
            name, n = preset.title, 2
            while name.lower() in names:
                name, n = f"{preset.title} ({n})", n + 1
            target = m.ScoringModel(name=name, preset=key, threshold=preset.threshold)
            s.add(target)
            s.flush()
            assert target.id is not None
            for pos, spec in enumerate(preset.criteria):
                source = spec.auto_source
                bands = DEFAULT_BANDS[source][: spec.scale_max - 1] if source else None
                c = m.Criterion(
                    model_id=target.id, name=spec.name, short_name=spec.short_name,
                    description=spec.description, weight=spec.weight, scale_max=spec.scale_max,
                    direction=spec.direction, position=pos, auto_source=source,
                    bands=json.dumps(bands) if bands else None,
                )  # fmt: skip
                s.add(c)
            s.flush()
        if before is not None and before is not target:
            criteria = list(s.exec(select(m.Criterion).where(m.Criterion.model_id == target.id)))
            _copy_scores(s, before, criteria)
        if not target.active:
            target.active = True
            s.add(target)
        s.flush()
        assert target.id is not None
        return ModelInfo(target.id, target.name, target.preset, target.threshold, target.version)


def _copy_scores(s: Any, before: m.ScoringModel, criteria: list[m.Criterion]) -> None:
    """Carry scores of same-named hand-scored criteria over from the model used before,
    where this model has none yet (the seed 004 factors are in every model)."""
    from sqlalchemy import insert, text

    old = s.execute(
        text(
            "SELECT id, name, scale_max FROM criterion "
            "WHERE model_id = :model AND auto_source IS NULL"
        ),
        {"model": before.id},
    ).all()
    by_name = {name.lower(): (cid, scale) for cid, name, scale in old}
    for c in criteria:
        match = by_name.get(c.name.lower())
        if c.auto_source or match is None or match[1] != c.scale_max:
            continue
        rows = s.execute(
            text(
                "SELECT account_id, value, note FROM score WHERE criterion_id = :old "
                "AND account_id NOT IN (SELECT account_id FROM score WHERE criterion_id = :new)"
            ),
            {"old": match[0], "new": c.id},
        ).all()
        if not rows:
            continue
        s.execute(
            insert(m.Score.__table__),  # type: ignore[attr-defined]
            [{"account_id": a, "criterion_id": c.id, "value": v, "note": note,
              "updated_at": _now(), "version": 1} for a, v, note in rows],
        )  # fmt: skip
        s.execute(
            insert(m.ScoreChange.__table__),  # type: ignore[attr-defined]
            [{"account_id": a, "criterion_id": c.id, "changed_at": _now(), "old_value": None,
              "new_value": v, "note": f"taken over from “{before.name}”"} for a, v, _ in rows],
        )  # fmt: skip


# --- scores ---------------------------------------------------------------------------------


def parse_score(raw: str, scale_max: int) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= scale_max:
        raise ValidationError("value", f"Score: a whole number from 1 to {scale_max}, or empty")
    return int(value)


def set_score(
    db: Database,
    account_id: int,
    criterion_id: int,
    value: int | None,
    note: str,
    version: int | None,
) -> int:
    """Save one score (None clears it) and keep the change in the history. ``version``
    is the score's version when read (None: there was no score). Returns the new
    version (0 when cleared)."""
    from sqlmodel import select

    note = note.strip()
    with _write(db) as s:
        criterion = s.get(m.Criterion, criterion_id)
        if criterion is None:
            raise NotFoundError("this criterion no longer exists (deleted elsewhere?)")
        if criterion.auto_source:
            raise KamError(f"“{criterion.name}” is automatic: change its bands instead (e)")
        if value is not None and not 1 <= value <= criterion.scale_max:
            raise ValidationError(
                "value", f"Score: a whole number from 1 to {criterion.scale_max}, or empty"
            )
        score = s.exec(
            select(m.Score).where(
                m.Score.account_id == account_id, m.Score.criterion_id == criterion_id
            )
        ).first()
        if (score is None) != (version is None) or (score is not None and score.version != version):
            raise StaleError(f"this score was {STALE}")
        old = score.value if score is not None else None
        if score is not None and old == value and score.note == note:
            return score.version
        s.add(m.ScoreChange(account_id=account_id, criterion_id=criterion_id, old_value=old,
                            new_value=value, note=note))  # fmt: skip
        if value is None:
            if score is not None:
                s.delete(score)
            return 0
        if score is None:
            score = m.Score(
                account_id=account_id, criterion_id=criterion_id, value=value, note=note
            )
        else:
            score.value, score.note, score.updated_at = value, note, _now()
        s.add(score)
        s.flush()
        return score.version


def save_weights(
    db: Database, model_id: int, weights: Mapping[int, tuple[int, int]]
) -> list[CriterionInfo]:
    """Keep what-if weights: ``{criterion_id: (version read, new weight)}``."""
    with _write(db) as s:
        for cid, (version, weight) in weights.items():
            c = s.get(m.Criterion, cid)
            if c is None or c.version != version:
                raise StaleError(f"a criterion was {STALE}")
            if weight < 0:
                raise ValidationError("weight", "Weight: cannot be negative")
            if c.weight != weight:
                c.weight = weight
                s.add(c)
    return model_criteria(db, model_id)


def set_threshold(db: Database, model_id: int, version: int, raw: str) -> ModelInfo:
    value = raw.strip()
    if not value.isdigit() or not 0 <= int(value) <= 100:
        raise ValidationError("threshold", "Threshold: a whole number from 0 to 100")
    with _write(db) as s:
        model = s.get(m.ScoringModel, model_id)
        if model is None:
            raise NotFoundError("this scoring model no longer exists")
        if model.version != version:
            raise StaleError(f"the scoring model was {STALE}")
        model.threshold = int(value)
        s.add(model)
        s.flush()
        assert model.id is not None
        return ModelInfo(model.id, model.name, model.preset, model.threshold, model.version)


def set_capacity(db: Database, raw: str) -> int:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise ValidationError("capacity", "Capacity: a whole number of key accounts, at least 1")
    with _write(db) as s:
        settings = s.get(m.Settings, 1) or m.Settings(id=1)
        settings.key_account_capacity = int(value)
        s.add(settings)
    return int(value)


# --- criteria -----------------------------------------------------------------------------


def parse_criterion(raw: Mapping[str, str]) -> dict[str, Any]:
    """The criterion's values from a form; ``short_name`` is '' when none was typed
    (made from the name when saved) and missing when the form had no such field."""
    from kamtui.services.short_names import short_name_problem

    name = raw.get("name", "").strip()
    if not name or len(name) > 200:
        raise ValidationError("name", "Name: between 1 and 200 characters")
    short: str | None = None
    if "short_name" in raw:
        short = " ".join(raw["short_name"].split())
        problem = short_name_problem(short) if short else ""
        if problem:
            raise ValidationError("short_name", problem)
    weight = raw.get("weight", "1").strip() or "0"
    if not weight.isdigit() or int(weight) > 100:
        raise ValidationError("weight", "Weight: a whole number from 0 to 100")
    scale = raw.get("scale_max", "5").strip() or "5"
    if not scale.isdigit() or not 2 <= int(scale) <= 10:
        raise ValidationError("scale_max", "Scale: from 1 to N, N a whole number from 2 to 10")
    direction = raw.get("direction", "benefit").strip().lower() or "benefit"
    if direction not in m.DIRECTIONS:
        raise ValidationError("direction", "Direction: benefit (more is better) or cost")
    source = raw.get("auto_source", "").strip().lower() or None
    if source is not None and source not in AUTO_SOURCES:
        raise ValidationError(
            "auto_source", f"Automatic source: empty or one of {', '.join(AUTO_SOURCES)}"
        )
    bands: list[float] | None = None
    if source is not None:
        text = raw.get("bands", "").replace(";", ",").strip()
        if not text:
            bands = list(DEFAULT_BANDS[source][: int(scale) - 1])
        else:
            try:
                bands = [float(x.replace("_", "").replace(" ", "")) for x in text.split(",")]
            except ValueError:
                raise ValidationError("bands", "Bands: numbers separated by commas") from None
        if len(bands) != int(scale) - 1 or bands != sorted(bands):
            raise ValidationError(
                "bands", f"Bands: {int(scale) - 1} ascending limits for a 1–{scale} scale"
            )
    values = {
        "name": name, "description": raw.get("description", "").strip(), "weight": int(weight),
        "scale_max": int(scale), "direction": direction, "auto_source": source,
        "bands": json.dumps(bands) if bands is not None else None,
    }  # fmt: skip
    if short is not None:
        values["short_name"] = short
    return values


def _short_name(typed: str | None, name: str, found: m.Criterion | None, taken: list[str]) -> str:
    """The short name to keep: the one typed (unlike the model's others), else the one
    made from the name. One that was made from the old name follows a new name."""
    from kamtui.services.short_names import default_short_name, short_name_problem

    if found is not None and typed in (None, found.short_name) and found.short_name:
        # unchanged: kept, unless it was made from the old name and the name changed
        made = found.short_name == default_short_name(found.name, taken)
        if not made or name == found.name:
            return found.short_name
        typed = ""
    if not typed:
        return default_short_name(name, taken)
    problem = short_name_problem(typed, taken)
    if problem:
        raise ValidationError("short_name", problem)
    return typed


def save_criterion(
    db: Database, model_id: int, criterion_id: int | None, version: int | None,
    raw: Mapping[str, str],
) -> int:  # fmt: skip
    """Add (criterion_id None) or edit a criterion; returns its id."""
    from sqlmodel import select

    values = parse_criterion(raw)
    typed = values.pop("short_name", None)
    with _write(db) as s:
        others = s.exec(
            select(m.Criterion.id, m.Criterion.short_name).where(m.Criterion.model_id == model_id)
        ).all()
        taken = [short for cid, short in others if cid != criterion_id and short]
        if criterion_id is None:
            values["short_name"] = _short_name(typed, values["name"], None, taken)
            c = m.Criterion(model_id=model_id, position=len(others), **values)
        else:
            found = s.get(m.Criterion, criterion_id)
            if found is None:
                raise NotFoundError("this criterion no longer exists")
            if found.version != version:
                raise StaleError(f"this criterion was {STALE}")
            values["short_name"] = _short_name(typed, values["name"], found, taken)
            c = found
            for k, v in values.items():
                setattr(c, k, v)
        s.add(c)
        s.flush()
        assert c.id is not None
        return c.id


def delete_criterion(db: Database, criterion_id: int) -> None:
    with _write(db) as s:
        c = s.get(m.Criterion, criterion_id)
        if c is not None:
            s.delete(c)


# --- nightmare traits ---------------------------------------------------------------------


def account_trait_ids(db: Database, account_id: int) -> set[int]:
    rows = db.fetch("SELECT trait_id FROM account_trait WHERE account_id = ?", [account_id])
    return {r[0] for r in rows}


def set_account_traits(db: Database, account_id: int, trait_ids: Sequence[int]) -> None:
    """Tick exactly these traits for the account (one transaction)."""
    from sqlmodel import select

    wanted = set(trait_ids)
    with _write(db) as s:
        current = list(
            s.exec(select(m.AccountTrait).where(m.AccountTrait.account_id == account_id))
        )
        for row in current:
            if row.trait_id not in wanted:
                s.delete(row)
        have = {row.trait_id for row in current}
        for tid in wanted - have:
            s.add(m.AccountTrait(account_id=account_id, trait_id=tid))


def save_trait(
    db: Database, trait_id: int | None, version: int | None, raw: Mapping[str, str]
) -> TraitInfo:
    from sqlmodel import func, select

    name = raw.get("name", "").strip()
    if not name or len(name) > 200:
        raise ValidationError("name", "Name: between 1 and 200 characters")
    effect = raw.get("effect", "penalty").strip().lower()
    if effect not in m.TRAIT_EFFECTS:
        raise ValidationError("effect", "Effect: penalty (points off) or veto (never qualifies)")
    points = raw.get("penalty", "0").strip() or "0"
    if not points.isdigit() or int(points) > 100:
        raise ValidationError("penalty", "Penalty: whole points from 0 to 100")
    with _write(db) as s:
        clash = s.exec(
            select(m.NightmareTrait.id).where(func.lower(m.NightmareTrait.name) == name.lower())
        ).first()
        if clash is not None and clash != trait_id:
            raise ValidationError("name", f"Name: a trait named {name!r} exists already")
        if trait_id is None:
            t = m.NightmareTrait(name=name)
        else:
            found = s.get(m.NightmareTrait, trait_id)
            if found is None:
                raise NotFoundError("this trait no longer exists")
            if found.version != version:
                raise StaleError(f"this trait was {STALE}")
            t = found
        t.name, t.effect, t.penalty = name, effect, int(points) if effect == "penalty" else 0
        t.description = raw.get("description", "").strip()
        s.add(t)
        s.flush()
        assert t.id is not None
        return TraitInfo(t.id, t.name, t.description, t.effect, t.penalty, t.version)


def delete_trait(db: Database, trait_id: int) -> None:
    with _write(db) as s:
        t = s.get(m.NightmareTrait, trait_id)
        if t is not None:
            s.delete(t)

"""Demo data for the scoring matrix: every preset's model (one active), the default
nightmare traits, scores for targets, customers and key accounts that follow their
economics, a few ticked traits and vetoes, and some score history."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kamtui import models as m
from kamtui.services.demo import DemoContext
from kamtui.services.economics import last_four_quarters
from kamtui.services.scoring_presets import DEFAULT_BANDS, DEFAULT_TRAITS, PRESETS

ACTIVE = "big"
NOTES = (
    "met their COO at the trade fair",
    "uses our products in two plants",
    "procurement prefers long contracts",
    "asked for a joint roadmap",
    "same values on safety and quality",
    "new CFO; budget under review",
)


def fill_demo(ctx: DemoContext) -> None:
    from sqlalchemy import insert, text

    conn, rng = ctx.conn, ctx.rng
    now = dt.datetime.combine(ctx.today, dt.time(9, 0))
    start, end = last_four_quarters(ctx.today)
    revenue = dict(
        conn.execute(
            text(
                "SELECT account_id, SUM(revenue_minor) FROM account_period "
                "WHERE period_start >= :s AND period_start < :e GROUP BY account_id"
            ),
            {"s": start, "e": end},
        ).all()
    )
    scored = [a for a in ctx.account_ids if ctx.statuses[a] in ("target", "customer", "key")]
    # how strong each account looks, 0–1: revenue rank, key status and chance
    ranked = sorted(scored, key=lambda a: revenue.get(a, 0))
    strength = {
        a: min(1.0, 0.55 * i / max(1, len(ranked) - 1) + (0.25 if ctx.statuses[a] == "key" else 0)
               + rng.uniform(0, 0.3))
        for i, a in enumerate(ranked)
    }  # fmt: skip

    trait_rows = [
        {"id": i + 1, "name": t.name, "description": t.description, "effect": t.effect,
         "penalty": t.penalty, "version": 1}
        for i, t in enumerate(DEFAULT_TRAITS)
    ]  # fmt: skip
    conn.execute(insert(m.NightmareTrait.__table__), trait_rows)  # type: ignore[attr-defined]
    penalty_ids = [r["id"] for r in trait_rows if r["effect"] == "penalty"]
    veto_ids = [r["id"] for r in trait_rows if r["effect"] == "veto"]

    scores: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    criterion_id = 0
    for model_id, preset in enumerate(PRESETS, start=1):
        conn.execute(
            insert(m.ScoringModel.__table__),  # type: ignore[attr-defined]
            [{"id": model_id, "name": preset.title, "preset": preset.key,
              "threshold": preset.threshold, "active": preset.key == ACTIVE, "version": 1}],
        )  # fmt: skip
        rows = []
        for pos, spec in enumerate(preset.criteria):
            criterion_id += 1
            source = spec.auto_source
            bands = DEFAULT_BANDS[source][: spec.scale_max - 1] if source else None
            rows.append(
                {"id": criterion_id, "model_id": model_id, "name": spec.name,
                 "short_name": spec.short_name, "description": spec.description, "weight": spec.weight,
                 "scale_max": spec.scale_max, "direction": spec.direction, "position": pos,
                 "auto_source": source, "bands": json.dumps(bands) if bands else None,
                 "version": 1}
            )  # fmt: skip
            if source is not None or preset.key != ACTIVE:
                continue
            for a in scored:
                if rng.random() < 0.12:  # not every account is scored on everything
                    continue
                base = strength[a] if spec.direction == "benefit" else 1 - strength[a]
                value = max(1, min(spec.scale_max, round(1 + base * 4 + rng.gauss(0, 0.7))))
                note = rng.choice(NOTES) if rng.random() < 0.1 else ""
                scores.append(
                    {"account_id": a, "criterion_id": criterion_id, "value": value,
                     "note": note, "updated_at": now, "version": 1}
                )  # fmt: skip
                if rng.random() < 0.15:
                    old = max(1, min(spec.scale_max, value + rng.choice((-1, 1))))
                    when = now - dt.timedelta(days=rng.randint(30, 300))
                    history.append(_change(a, criterion_id, when, None, old, "first assessment"))
                    history.append(_change(a, criterion_id, now, old, value, note or "reviewed"))
                else:
                    history.append(_change(a, criterion_id, now, None, value, note))
        conn.execute(insert(m.Criterion.__table__), rows)  # type: ignore[attr-defined]
    if scores:
        conn.execute(insert(m.Score.__table__), scores)  # type: ignore[attr-defined]
        conn.execute(insert(m.ScoreChange.__table__), history)  # type: ignore[attr-defined]

    ticks = []
    for a in scored:
        r = rng.random()
        if r < 0.01 and veto_ids:
            ticks.append(
                {"account_id": a, "trait_id": rng.choice(veto_ids), "noted_at": now, "note": ""}
            )
        elif r < 0.10 and penalty_ids:
            ticks.append(
                {"account_id": a, "trait_id": rng.choice(penalty_ids), "noted_at": now, "note": ""}
            )
    # at least one veto among the strongest, so the matrix shows why it never qualifies
    if veto_ids and scored:
        best = max(scored, key=lambda a: strength[a])
        if not any(t["account_id"] == best for t in ticks):
            ticks.append({"account_id": best, "trait_id": veto_ids[0], "noted_at": now, "note": ""})
    if ticks:
        conn.execute(insert(m.AccountTrait.__table__), ticks)  # type: ignore[attr-defined]
    ctx.extra["scores"] = len(scores)
    ctx.extra["nightmare traits ticked"] = len(ticks)


def _change(
    account_id: int, criterion_id: int, when: dt.datetime, old: int | None, new: int, note: str
) -> dict[str, Any]:
    return {
        "account_id": account_id, "criterion_id": criterion_id, "changed_at": when,
        "old_value": old, "new_value": new, "note": note,
    }  # fmt: skip

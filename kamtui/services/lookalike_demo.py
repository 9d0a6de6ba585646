"""Demo data for the look-alikes (view 7): the weights a manager who takes seed 000 at
its word would set — our own strength of position counts double ("are you really set
up to deal with extremely large complex multinationals?")."""

from __future__ import annotations

from kamtui import models as m
from kamtui.services.demo import DemoContext
from kamtui.services.lookalike import DEFAULT_WEIGHTS

DEMO_WEIGHTS = {"strength": 2 * DEFAULT_WEIGHTS["strength"]}


def fill_demo(ctx: DemoContext) -> None:
    from sqlalchemy import insert

    ctx.conn.execute(
        insert(m.LookalikeWeight.__table__),  # type: ignore[attr-defined]
        [{"field": k, "weight": w, "version": 1} for k, w in DEMO_WEIGHTS.items()],
    )

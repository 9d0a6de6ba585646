"""One score everywhere: the lifecycle card (◆) shows the scoring-matrix total.

On a 300-account demo the board once computed its own "cheap total" (value/scale, no
automatic criteria, no trait penalties, unscored criteria left out) and 5 of 9 key
accounts showed a figure 5+ points away from the matrix (100 on the board, 80.4 in the
matrix). Both now come from ``scoring.account_totals`` / ``load_matrix``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from textual.widgets import Static
from ui_helpers import settle as _settle

from kamtui.app import make_app
from kamtui.services import lifecycle as lc
from kamtui.services import scoring_store as store
from kamtui.services.scoring import account_totals, list_traits, load_matrix
from kamtui.services.scoring_math import format_total

TODAY = dt.date(2026, 11, 16)


@pytest.fixture
def demo300(db: Any) -> Any:
    from kamtui.services.demo import build_demo

    build_demo(db, accounts=300, seed=7, today=TODAY)
    return db


def _matrix_shown(db: Any) -> dict[int, str]:
    mx = load_matrix(db, TODAY)
    return {aid: format_total(mx.totals[i]) for i, aid in enumerate(mx.ids)}


def test_card_score_is_the_matrix_total_for_every_key_account(demo300: Any) -> None:
    rows = lc.board_rows(demo300, TODAY)
    assert len(rows) >= 5
    shown = _matrix_shown(demo300)
    for row in rows:
        assert row.score is not None
        assert format_total(row.score) == shown[row.id], row.name


def test_penalties_unscored_and_automatic_criteria_count_the_same(demo300: Any) -> None:
    """The cases where the old card formula went wrong, made explicit on one account."""
    [first, *_] = lc.board_rows(demo300, TODAY)
    mx = load_matrix(demo300, TODAY)
    manual = [c for c in mx.criteria if not c.automatic]
    assert manual and any(c.automatic for c in mx.criteria)
    # clear one manual score (unscored counts 0 in the matrix) and tick a penalty trait
    row = mx.index[first.id]
    ci = mx.criteria.index(manual[0])
    version = mx.score_versions.get((row, ci))
    if version is not None:
        store.set_score(demo300, first.id, manual[0].id, None, "", version)
    penalty = next(t for t in list_traits(demo300) if t.effect == "penalty")
    store.set_account_traits(demo300, first.id, [penalty.id])
    [after] = lc.board_rows(demo300, TODAY, first.id)
    mx = load_matrix(demo300, TODAY)
    assert mx.penalties[mx.index[first.id]] == penalty.penalty
    assert after.score == mx.totals[mx.index[first.id]]
    assert account_totals(demo300, TODAY, [first.id]) == {first.id: after.score}


def test_no_model_no_score(demo_db: Any) -> None:
    from sqlalchemy import text

    with demo_db.engine.begin() as conn:  # the demo always seeds a model: switch it off
        conn.execute(text("UPDATE scoring_model SET active = 0"))
    assert account_totals(demo_db, TODAY, [1, 2]) == {}
    assert all(r.score is None for r in lc.board_rows(demo_db, TODAY))


async def test_board_and_matrix_views_show_the_same_figure(demo300: Any) -> None:
    app = make_app(demo300, today=TODAY, welcome=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        on_cards: dict[str, str] = {}
        for column in app.screen.board.columns:
            for i in range(len(column.source)):
                card = column.source[i]
                found = re.search(r"◆(\d+\.\d)", card.detail)
                assert found, card.detail
                on_cards[card.title] = found.group(1)
        assert len(on_cards) >= 5
        await app.switch_mode("matrix")
        await _settle(app, pilot)
        screen = app.screen
        for name, figure in on_cards.items():
            await pilot.press("slash")
            box = screen.query_one("#filter")
            box.value = name.lower()  # type: ignore[attr-defined]
            await pilot.press("enter", "g", "j")
            await pilot.pause()
            info = str(screen.query_one("#info", Static).render())
            assert f"{name} · key · total {figure} " in info, (name, figure, info)

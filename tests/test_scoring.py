"""The scoring services, without Textual: arithmetic, ranks, what-ifs, vetoes, bands,
presets, history and optimistic concurrency."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kamtui.errors import StaleError, ValidationError
from kamtui.services import scoring_store as store
from kamtui.services.accounts import create_account
from kamtui.services.scoring import CriterionInfo, Matrix, TraitInfo, load_matrix, score_history
from kamtui.services.scoring_math import (
    band_score,
    competition_ranks,
    normalised,
    rank_changes,
    weighted_total,
)

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)

# --- arithmetic ----------------------------------------------------------------------------


def test_normalised_runs_from_zero_to_one_and_cost_is_turned_round() -> None:
    assert normalised(1, 5) == 0.0
    assert normalised(3, 5) == 0.5
    assert normalised(5, 5) == 1.0
    assert normalised(5, 5, "cost") == 0.0
    assert normalised(1, 5, "cost") == 1.0
    assert normalised(None, 5) == 0.0  # unscored counts as nothing


def test_total_is_0_to_100_whatever_the_scales_and_weights() -> None:
    assert weighted_total([5, 10], [3, 7], [5, 10], ["benefit", "benefit"]) == 100.0
    assert weighted_total([1, 1], [3, 7], [5, 10], ["benefit", "benefit"]) == 0.0
    # the middle of a 1–5 and of a 1–9 scale weigh the same
    assert weighted_total([3], [1], [5], ["benefit"]) == weighted_total([5], [1], [9], ["benefit"])
    # ten criteria or two: a perfect account is 100 either way
    assert weighted_total([5] * 10, [1] * 10, [5] * 10, ["benefit"] * 10) == 100.0


def test_a_high_cost_score_lowers_the_total() -> None:
    dirs = ["benefit", "cost"]
    low_demands = weighted_total([5, 1], [1, 1], [5, 5], dirs)
    high_demands = weighted_total([5, 5], [1, 1], [5, 5], dirs)
    assert low_demands == 100.0
    assert high_demands == 50.0


def test_penalties_come_off_in_points_but_never_below_zero() -> None:
    assert weighted_total([5], [1], [5], ["benefit"], penalty=15) == 85.0
    assert weighted_total([2], [1], [5], ["benefit"], penalty=40) == 0.0


def test_zero_weights_give_zero_not_a_crash() -> None:
    assert weighted_total([5, 5], [0, 0], [5, 5], ["benefit", "benefit"]) == 0.0


def test_bands_map_a_measure_onto_the_scale() -> None:
    bands = (10, 20, 30, 40)
    assert band_score(5, bands) == 1
    assert band_score(10, bands) == 2  # reaching a limit moves up
    assert band_score(39.9, bands) == 4
    assert band_score(1_000, bands) == 5
    assert band_score(None, bands) is None


def test_competition_ranks_share_places_and_skip() -> None:
    assert competition_ranks([90.0, 80.0, 80.0, 70.0]) == [1, 2, 2, 4]
    assert competition_ranks([50.0, 70.0, 70.0, 70.0, 10.0]) == [4, 1, 1, 1, 5]
    # only members are ranked
    assert competition_ranks([90.0, 80.0, 70.0], members=[1, 2]) == [0, 1, 2]


def test_rank_changes_are_places_moved_up() -> None:
    assert rank_changes([3, 1, 2], [1, 2, 3]) == [2, -1, -1]
    assert rank_changes([0, 4], [2, 4]) == [0, 0]


# --- the in-memory matrix ---------------------------------------------------------------------


def _matrix(values: list[list[int | None]], weights: list[int], statuses: list[str]) -> Matrix:
    n = len(statuses)
    criteria = [
        CriterionInfo(i + 1, f"C{i + 1}", "", w, 5, "benefit", None, (), 1)
        for i, w in enumerate(weights)
    ]
    return Matrix(
        model=None, criteria=criteria, ids=list(range(1, n + 1)),
        names=[f"A{i}" for i in range(1, n + 1)], statuses=statuses, values=values,
        measures=[[] for _ in weights], notes={}, score_versions={}, penalties=[0] * n,
        vetoes=[""] * n, trait_names={},
    )  # fmt: skip


def test_what_if_weight_reranks_and_escape_restores() -> None:
    # A is strong on C1, B on C2; C1 weighs more, so A leads
    mx = _matrix([[5, 1, 3], [1, 5, 3]], [3, 1], ["customer", "customer", "target"])
    assert mx.ranks == [1, 3, 2]
    mx.set_weight(1, 5)  # now C2 weighs more
    assert mx.what_if
    assert mx.ranks == [3, 1, 2]
    assert [mx.rank_change(i) for i in range(3)] == [-2, 2, 0]
    mx.reset_weights()
    assert not mx.what_if
    assert mx.ranks == [1, 3, 2]


def test_what_if_marks_rows_that_cross_the_threshold() -> None:
    mx = _matrix([[5, 1], [1, 5]], [3, 1], ["customer", "customer"])
    assert mx.threshold == 60
    assert mx.qualifies(0) and not mx.qualifies(1)
    mx.set_weight(0, 1)
    mx.set_weight(1, 3)
    assert mx.qualifies(1) and not mx.qualified_before(1)  # crossed upwards
    assert not mx.qualifies(0) and mx.qualified_before(0)  # fell below


def test_a_veto_never_qualifies_and_says_why() -> None:
    mx = _matrix([[5, 5]], [1], ["customer", "key"])
    veto = TraitInfo(1, "Abusive to our staff", "", "veto", 0, 1)
    mx.set_traits(0, [veto])
    mx.set_traits(1, [veto])
    assert mx.totals[0] == 100.0  # the total stays, the account does not qualify
    assert not mx.qualifies(0)
    assert "Abusive to our staff" in mx.why_not(0)
    assert mx.to_promote() == []
    assert mx.to_demote() == [1]  # a vetoed key account is up for demotion


def test_penalty_trait_lowers_the_total() -> None:
    mx = _matrix([[5]], [1], ["customer"])
    mx.set_traits(0, [TraitInfo(1, "Pays late", "", "penalty", 10, 1)])
    assert mx.totals == [90.0]


def test_capacity_warning_when_key_accounts_exceed_it() -> None:
    mx = _matrix([[5, 5, 5]], [1], ["key", "key", "key"])
    mx.capacity = 3
    assert mx.capacity_warning() == ""
    mx.capacity = 2
    assert "3 key accounts for a capacity of 2" in mx.capacity_warning()


def test_scope_ranks_only_candidates() -> None:
    mx = _matrix([[5, 4, 3]], [1], ["prospect", "customer", "key"])
    assert mx.ranks == [0, 1, 2]
    mx.set_scope(("prospect", "customer", "key"))
    assert mx.ranks == [1, 2, 3]


# --- with the database ----------------------------------------------------------------------


def _customer(db: Any, name: str, today: dt.date, status: str = "customer") -> int:
    account = create_account(db, {"name": name}, status=status, today=today)
    assert account.id is not None
    return account.id


def _col(mx: Matrix, name: str) -> int:
    return next(i for i, c in enumerate(mx.criteria) if c.name == name)


def test_first_use_creates_the_big_preset_and_default_traits(db: Any, today: dt.date) -> None:
    mx = load_matrix(db, today)
    assert mx.model is not None and mx.model.preset == "big"
    names = [c.name for c in mx.criteria]
    for factor in ("Revenue-to-cost ratio", "Product fit & connections", "Cultural fit"):
        assert factor in names  # seed 004 factors in every model
    traits = [r[0] for r in db.fetch("SELECT name FROM nightmare_trait")]
    assert "Pays late" in traits and "Abusive to our staff" in traits


def test_every_preset_has_its_warning_and_the_seed_004_factors() -> None:
    from kamtui.services.scoring_presets import PRESETS

    assert len(PRESETS) == 7
    assert "oak trees" in PRESETS[0].warning
    for preset in PRESETS:
        names = {c.name for c in preset.criteria}
        assert {"Revenue-to-cost ratio", "Product fit & connections", "Cultural fit"} <= names
        assert preset.warning


def test_score_changes_are_kept_with_old_new_and_note(db: Any, today: dt.date) -> None:
    aid = _customer(db, "Acme", today)
    mx = load_matrix(db, today)
    crit = mx.criteria[_col(mx, "Cultural fit")]
    v1 = store.set_score(db, aid, crit.id, 3, "first meeting", None)
    v2 = store.set_score(db, aid, crit.id, 5, "joint workshop went well", v1)
    assert v2 > v1
    history = score_history(db, aid)
    assert [(h.old_value, h.new_value, h.note) for h in history] == [
        (3, 5, "joint workshop went well"),
        (None, 3, "first meeting"),
    ]
    mx = load_matrix(db, today)
    row = mx.index[aid]
    assert mx.values[_col(mx, "Cultural fit")][row] == 5
    assert mx.notes[(row, _col(mx, "Cultural fit"))] == "joint workshop went well"


def test_a_stale_score_edit_is_refused_and_changes_nothing(db: Any, today: dt.date) -> None:
    aid = _customer(db, "Acme", today)
    crit = load_matrix(db, today).criteria[-1]
    v1 = store.set_score(db, aid, crit.id, 3, "", None)
    store.set_score(db, aid, crit.id, 4, "elsewhere", v1)
    with pytest.raises(StaleError):
        store.set_score(db, aid, crit.id, 1, "mine", v1)
    assert db.fetch("SELECT value FROM score")[0][0] == 4
    assert len(score_history(db, aid)) == 2


def test_bad_scores_are_refused(db: Any) -> None:
    for raw in ("0", "6", "x", "2.5"):
        with pytest.raises(ValidationError):
            store.parse_score(raw, 5)
    assert store.parse_score(" ", 5) is None
    assert store.parse_score("5", 5) == 5


def test_automatic_criterion_takes_its_band_from_the_figures(db: Any, today: dt.date) -> None:
    from kamtui.services.records import save_period

    aid = _customer(db, "Bigco", today)
    # 4 quarters × 30,000 = 120,000 revenue: above the top revenue band (100,000)
    for q in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"):
        save_period(db, aid, None, None, {"period": q, "revenue_minor": "30000",
                                          "cost_to_serve_minor": "3000", "gross_profit_minor": "9000"})  # fmt: skip
    mx = load_matrix(db, today)
    row = mx.index[aid]
    assert mx.values[_col(mx, "Revenue 4Q")][row] == 5
    assert mx.measures[_col(mx, "Revenue 4Q")][row] == 120_000
    assert mx.values[_col(mx, "Revenue-to-cost ratio")][row] == 3  # 10× is in 9–12
    with pytest.raises(Exception, match="automatic"):
        store.set_score(db, aid, mx.criteria[_col(mx, "Revenue 4Q")].id, 2, "", None)


def test_bands_can_be_edited_and_are_checked(db: Any, today: dt.date) -> None:
    mx = load_matrix(db, today)
    assert mx.model is not None
    c = mx.criteria[_col(mx, "Employees")]
    raw = {"name": c.name, "weight": "2", "scale_max": "5", "direction": "benefit",
           "auto_source": "employees", "bands": "10, 20, 30"}  # fmt: skip
    with pytest.raises(ValidationError, match="4 ascending"):
        store.save_criterion(db, mx.model.id, c.id, c.version, raw)
    raw["bands"] = "10, 5, 30, 40"
    with pytest.raises(ValidationError):
        store.save_criterion(db, mx.model.id, c.id, c.version, raw)
    raw["bands"] = "10, 20, 30, 40"
    store.save_criterion(db, mx.model.id, c.id, c.version, raw)
    assert load_matrix(db, today).criteria[_col(mx, "Employees")].bands == (10, 20, 30, 40)


def test_kept_weights_are_saved(db: Any, today: dt.date) -> None:
    mx = load_matrix(db, today)
    assert mx.model is not None
    c = mx.criteria[0]
    store.save_weights(db, mx.model.id, {c.id: (c.version, 9)})
    assert load_matrix(db, today).criteria[0].weight == 9
    with pytest.raises(StaleError):  # the version read is old now
        store.save_weights(db, mx.model.id, {c.id: (c.version, 2)})


def test_a_new_preset_takes_over_same_named_scores(db: Any, today: dt.date) -> None:
    aid = _customer(db, "Acme", today)
    mx = load_matrix(db, today)
    store.set_score(db, aid, mx.criteria[_col(mx, "Cultural fit")].id, 4, "shared values", None)
    model = store.apply_preset(db, "future_profit")
    mx = load_matrix(db, today)
    assert mx.model == model and mx.model.preset == "future_profit"
    assert mx.values[_col(mx, "Cultural fit")][mx.index[aid]] == 4
    # switching back re-activates the first model, it does not make another
    store.apply_preset(db, "big")
    assert len(db.fetch("SELECT id FROM scoring_model")) == 2


def test_threshold_and_capacity_are_checked(db: Any, today: dt.date) -> None:
    mx = load_matrix(db, today)
    assert mx.model is not None
    with pytest.raises(ValidationError):
        store.set_threshold(db, mx.model.id, mx.model.version, "101")
    model = store.set_threshold(db, mx.model.id, mx.model.version, "72")
    assert model.threshold == 72
    with pytest.raises(ValidationError):
        store.set_capacity(db, "0")
    store.set_capacity(db, "8")
    assert load_matrix(db, today).capacity == 8


def test_vetoed_account_from_the_database(db: Any, today: dt.date) -> None:
    aid = _customer(db, "Nightmare Ltd", today)
    load_matrix(db, today)
    veto = next(t for t in store_traits(db) if t.effect == "veto")
    store.set_account_traits(db, aid, [veto.id])
    mx = load_matrix(db, today)
    assert mx.vetoes[mx.index[aid]] == veto.name
    store.set_account_traits(db, aid, [])
    assert load_matrix(db, today).vetoes[mx.index[aid]] == ""


def store_traits(db: Any) -> list[TraitInfo]:
    from kamtui.services.scoring import list_traits

    return list_traits(db)


def test_demo_fills_scores_traits_and_vetoes(demo_db: Any, today: dt.date) -> None:
    mx = load_matrix(demo_db, today)
    assert mx.model is not None and mx.model.preset == "big"
    manual = [i for i, c in enumerate(mx.criteria) if not c.automatic]
    scored = sum(1 for ci in manual for v in mx.values[ci] if v is not None)
    assert scored > 20
    assert any(mx.vetoes)
    assert len(demo_db.fetch("SELECT id FROM scoring_model")) == 7


def test_switching_to_an_existing_model_fills_its_gaps(demo_db: Any, today: dt.date) -> None:
    big = load_matrix(demo_db, today)
    col = _col(big, "Cultural fit")
    scored = [big.ids[i] for i, v in enumerate(big.values[col]) if v is not None]
    assert scored
    store.apply_preset(demo_db, "future_profit")  # made by the demo, unscored so far
    future = load_matrix(demo_db, today)
    fcol = _col(future, "Cultural fit")
    for aid in scored[:5]:
        row = future.index[aid]
        assert future.values[fcol][row] == big.values[col][big.index[aid]]

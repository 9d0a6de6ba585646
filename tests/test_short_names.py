"""Short names of scoring criteria: the matrix's column headings when the full names do
not fit (at 80 columns the headings read "Rev4Q* TheSi* Emplo*")."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from kamtui.errors import ValidationError
from kamtui.services import scoring_store as store
from kamtui.services.scoring import load_matrix
from kamtui.services.scoring_presets import PRESETS
from kamtui.services.short_names import default_short_names, short_name_for

TODAY = dt.date(2026, 11, 16)


# --- the presets' hand-chosen short names -------------------------------------------------------


def test_every_preset_criterion_has_a_readable_short_name_unique_in_its_preset() -> None:
    for preset in PRESETS:
        shorts = [c.short_name for c in preset.criteria]
        assert all(shorts), preset.key
        assert all(cell_len(s) <= 8 for s in shorts), shorts
        assert len({s.lower() for s in shorts}) == len(shorts), preset.key
    big = {c.name: c.short_name for c in PRESETS[0].criteria}
    assert big["Revenue 4Q"] == "Revenue" and big["Their size"] == "Size"
    assert big["Product fit & connections"] == "Fit"


# --- the abbreviation of the user's own criteria ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Margin", "Margin"),  # fits: as it is
        ("What they demand", "Demand"),  # filler words dropped
        ("Pain if lost", "PainLost"),  # then run together
        ("Employees", "Employ"),  # one long word: the syllables that fit
        ("Cultural fit", "CultFit"),  # several: their first syllables
        ("Relationship depth", "RelDepth"),
        ("Fits our strategy", "FitStrat"),
        ("Revenue 4Q", "Rev4Q"),  # numbers stay whole
        ("Net Promoter NPS", "NPromNPS"),  # so do acronyms; one word left as its initial
        ("Gross profit 4Q", "GrossP4Q"),
        ("顧客満足度の高さ", "顧客満足"),  # eight cells of double-width characters
    ],
)
def test_short_name_for_drops_fillers_and_keeps_initial_syllables(name: str, short: str) -> None:
    assert short_name_for(name, 8) == short


def test_short_names_fit_their_width_and_are_unique_in_the_matrix() -> None:
    names = [
        "Speed of decision making in procurement and legal review",
        "Cultural fit", "Cultural fits", "Cultural fitness", "x" * 200, "  ", "Ω" * 30,
    ]  # fmt: skip
    for width in (4, 6, 8):
        taken: list[str] = []
        for name in names:
            short = short_name_for(name, width, taken)
            assert short and cell_len(short) <= width, (name, short)
            assert short.lower() not in {t.lower() for t in taken}
            taken.append(short)
    assert short_name_for("Fit", 8, ["fit"]) == "Fit2"
    assert short_name_for("Strategic", 8, ["Strateg"]) == "Strateg2"


def test_a_model_takes_the_presets_short_names_then_makes_the_rest() -> None:
    names = ["Revenue 4Q", "Their size", "Sales revenue", "Revenue 4q", "Cultural fit"]
    assert default_short_names(names) == ["Revenue", "Size", "SalesRev", "Rev4q", "Culture"]


# --- saved with the criterion --------------------------------------------------------------------


def test_a_new_criterion_gets_a_short_name_and_a_typed_one_is_checked(db: Any) -> None:
    mx = load_matrix(db, TODAY)
    assert mx.model is not None
    assert [c.short_name for c in mx.criteria] == [c.short_name for c in PRESETS[0].criteria]
    model = mx.model.id
    made = store.save_criterion(db, model, None, None, {"name": "Pays on time", "short_name": ""})
    typed = store.save_criterion(db, model, None, None, {"name": "Margin", "short_name": " Marg "})
    shorts = {c.id: c.short_name for c in load_matrix(db, TODAY).criteria}
    assert shorts[made] == "PaysTime" and shorts[typed] == "Marg"
    for short, says in [
        ("Ratio", "heads another column"),  # case aside, the preset's one
        ("fit", "heads another column"),
        ("Nine cell", "at most 8 cells"),
        ("-Cost", "not starting with -"),
        ("Auto*", "ending with *"),
    ]:
        with pytest.raises(ValidationError, match=says) as refused:
            store.save_criterion(db, model, None, None, {"name": "Other", "short_name": short})
        assert refused.value.field == "short_name"


def test_a_made_short_name_follows_a_new_name_and_a_chosen_one_stays(db: Any) -> None:
    mx = load_matrix(db, TODAY)
    assert mx.model is not None
    model = mx.model.id
    cid = store.save_criterion(db, model, None, None, {"name": "Pays on time", "short_name": ""})

    def edit(**raw: str) -> str:
        c = next(c for c in load_matrix(db, TODAY).criteria if c.id == cid)
        fields = {"name": c.name, "short_name": c.short_name, **raw}
        store.save_criterion(db, model, cid, c.version, fields)
        return next(c.short_name for c in load_matrix(db, TODAY).criteria if c.id == cid)

    assert edit(name="Pays its bills") == "PaysBil"  # made from the name: it follows
    assert edit(short_name="Payer") == "Payer"
    assert edit(name="Pays on time") == "Payer"  # chosen: it stays


# --- the migration (0008) on a database that holds data ----------------------------------------


def test_migration_0008_gives_every_criterion_a_short_name(tmp_path: Path) -> None:
    from battery_helpers import add_rows_0001, at_revision, content

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.migrations import HEAD

    path = tmp_path / "old.db"
    at_revision(path, "0007")
    add_rows_0001(path, accounts=2)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO scoring_model (id, name, preset, threshold, active, version) "
        "VALUES (1, 'Mine', NULL, 60, 1, 1)"
    )
    criteria = ["Revenue 4Q", "Cultural fit", "Pays on time", "Cultural  fit", "Cultural fit"]
    for pos, name in enumerate(criteria, start=1):
        conn.execute(
            "INSERT INTO criterion (id, model_id, name, description, weight, scale_max, "
            "direction, position, version) VALUES (?, 1, ?, '', 1, 5, 'benefit', ?, 1)",
            (pos, name, pos),
        )
    conn.execute("INSERT INTO score (account_id, criterion_id, value, note, updated_at, version)"
                 " VALUES (1, 2, 4, 'kept', '2026-01-01', 1)")  # fmt: skip
    conn.commit()
    conn.close()
    before = content(path)
    database = Database.for_file(path)
    open_database(database)
    after = content(path)
    for table, rows in before.items():
        if table not in ("alembic_version", "criterion"):
            assert after[table] == rows, table
    shorts = [r[0] for r in database.fetch("SELECT short_name FROM criterion ORDER BY position")]
    assert shorts == ["Revenue", "Culture", "PaysTime", "CultFit", "CultFit2"]
    assert shorts == default_short_names(criteria)  # the frozen copy agrees with today's
    mx = load_matrix(database, TODAY)
    assert [c.short_name for c in mx.criteria] == shorts
    assert mx.values[1][mx.index[1]] == 4
    database.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    conn.close()

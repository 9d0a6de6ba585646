"""Two programs on one database: no lost update, no corruption, one upgrade."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from pathlib import Path

from db_helpers import increment

from kamtui import migrate
from kamtui.db import Database
from kamtui.services import accounts as svc

TODAY = dt.date(2026, 11, 16)
ROUNDS = 60


def test_two_processes_lose_no_update(tmp_path: Path) -> None:
    database = Database.for_file(tmp_path / "shared.db")
    migrate.open_database(database)
    account = svc.create_account(database, {"name": "Contended Ltd", "employees": "0"}, today=TODAY)
    database.close()
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=increment, args=(str(database.path), account.id, ROUNDS, out))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    stale = out.get() + out.get()
    reopened = Database.for_file(tmp_path / "shared.db")
    # every save that reported success is in the file; conflicts were refused, not lost
    assert svc.get_account(reopened, account.id).employees == 2 * ROUNDS
    assert reopened.check() == []
    assert stale >= 0
    reopened.close()


def _open(path: str, out: mp.Queue) -> None:  # type: ignore[type-arg]
    database = Database.for_file(Path(path))
    migrate.open_database(database)
    out.put(migrate.read_state(database).revision)
    database.close()


def test_two_programs_starting_together_upgrade_once(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_open, args=(str(path), out)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert {out.get() for _ in procs} == {migrate.HEAD}
    database = Database.for_file(path)
    assert database.fetch("SELECT COUNT(*) FROM alembic_version")[0][0] == 1
    assert database.check() == []
    database.close()

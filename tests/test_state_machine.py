"""A Hypothesis state machine over the accounts services (RELIABILITY.md 21)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kamtui import migrate
from kamtui.db import Database
from kamtui.errors import StaleError, ValidationError
from kamtui.services import accounts as svc

TODAY = dt.date(2026, 11, 16)
names = st.text(alphabet="abcdeAB ", min_size=0, max_size=6)


class AccountsMachine(RuleBasedStateMachine):
    """The model: name (casefolded) → (id, version, employees)."""

    @initialize()
    def open_db(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.db = Database.for_file(Path(self.tmp.name) / "sm.db")
        migrate.open_database(self.db)
        self.model: dict[int, dict[str, object]] = {}

    def teardown(self) -> None:
        self.db.close()
        self.tmp.cleanup()

    def _taken(self, name: str, except_id: int | None = None) -> bool:
        return any(
            str(v["name"]).lower() == name.lower() for k, v in self.model.items() if k != except_id
        )

    @rule(name=names, employees=st.integers(-3, 50))
    def create(self, name: str, employees: int) -> None:
        expect_ok = bool(name.strip()) and employees >= 0 and not self._taken(name.strip())
        try:
            account = svc.create_account(
                self.db, {"name": name, "employees": str(employees)}, today=TODAY
            )
        except ValidationError:
            assert not expect_ok
            return
        assert expect_ok
        assert account.id is not None
        self.model[account.id] = {
            "name": name.strip(),
            "version": account.version,
            "employees": employees,
        }

    @precondition(lambda self: self.model)
    @rule(data=st.data(), employees=st.integers(-2, 50), rename=st.one_of(st.none(), names))
    def edit_fresh(self, data: st.DataObject, employees: int, rename: str | None) -> None:
        account_id = data.draw(st.sampled_from(sorted(self.model)))
        entry = self.model[account_id]
        raw = {"employees": str(employees)}
        if rename is not None:
            raw["name"] = rename
        ok = employees >= 0 and (
            rename is None or (bool(rename.strip()) and not self._taken(rename.strip(), account_id))
        )
        try:
            saved = svc.update_account(self.db, account_id, int(entry["version"]), raw)  # type: ignore[call-overload]
        except ValidationError:
            assert not ok
            return
        assert ok
        entry.update(version=saved.version, employees=employees)
        if rename is not None:
            entry["name"] = rename.strip()

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def edit_stale(self, data: st.DataObject) -> None:
        account_id = data.draw(st.sampled_from(sorted(self.model)))
        entry = self.model[account_id]
        try:
            svc.update_account(self.db, account_id, int(entry["version"]) - 1, {"employees": "999"})  # type: ignore[call-overload]
        except StaleError:
            return
        raise AssertionError("a stale edit was saved")

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        account_id = data.draw(st.sampled_from(sorted(self.model)))
        svc.delete_account(self.db, account_id)
        del self.model[account_id]

    @invariant()
    def database_matches_model(self) -> None:
        if not hasattr(self, "db"):
            return
        rows = {r.id: r for r in svc.list_rows(self.db, TODAY)}
        assert set(rows) == set(self.model)
        for account_id, entry in self.model.items():
            assert rows[account_id].name == entry["name"]
        assert self.db.check() == []


AccountsMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAccountsMachine = AccountsMachine.TestCase

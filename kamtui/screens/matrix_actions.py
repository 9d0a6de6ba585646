"""What the keys of the scoring matrix do: edit and nudge scores, what-if weights,
presets, threshold and capacity, promotion, traits, history and criteria. A mixin of
``MatrixScreen``, kept apart so each module stays readable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import Input

from kamtui.errors import KamError, StaleError, ValidationError
from kamtui.screens.base import KamScreen
from kamtui.screens.dbwork import DbWork
from kamtui.widgets.grid import CellGrid

if TYPE_CHECKING:
    from kamtui.services.scoring import Matrix


class MatrixActions(DbWork, KamScreen):
    mx: Matrix | None
    saved_versions: dict[tuple[int, int], int]  # score versions written since the load
    grid: CellGrid
    order: list[int]
    sort_key: tuple[str, int]
    sort_reverse: bool
    filter_text: str
    qualification: bool
    show_all: bool

    # provided by MatrixScreen
    def load(self) -> Any: ...
    def rebuild(self, *, keep_account: int | None = None) -> None: ...
    def after_change(self, *, resort: bool = True) -> None: ...
    def update_texts(self) -> None: ...
    def current_row(self) -> int | None: ...
    def current_account(self) -> int | None: ...

    def _stale(self, exc: KamError) -> None:
        self.notify(str(exc), severity="error")
        if isinstance(exc, StaleError):
            self.load()

    # --- scores and weights --------------------------------------------------------------------

    @on(CellGrid.CellSelected)
    def selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField
        from kamtui.services.scoring_store import parse_score, set_score

        mx = self.mx
        if mx is None or not mx.criteria:
            return
        ci = self.grid.cursor_column
        c = mx.criteria[ci]
        row = self.current_row()
        if row is None:

            def save_weight(values: dict[str, str]) -> int:
                raw = values["weight"].strip()
                if not raw.isdigit() or int(raw) > 100:
                    raise ValidationError("weight", "Weight: a whole number from 0 to 100")
                return int(raw)

            def weight_done(weight: int | None) -> None:
                if weight is not None and self.mx is not None:
                    self.mx.set_weight(ci, weight)
                    self.after_change(resort=self.sort_key[0] == "rank")

            field = FormField(
                "weight", "Weight (0–100; a what-if until you press w)", str(mx.weights[ci])
            )
            self.app.push_screen(
                FormDialog(f"Weight of {c.name}", [field], save_weight), weight_done
            )
            return
        if c.automatic:
            self.notify(
                f"“{c.name}” is automatic (from the account's figures); e edits its bands.",
                title="Automatic criterion",
            )
            return
        account_id, name = mx.ids[row], mx.names[row]
        version = mx.score_versions.get((row, ci))
        current = mx.values[ci][row]

        def save(values: dict[str, str]) -> tuple[int | None, str, int]:
            value = parse_score(values["value"], c.scale_max)
            note = values["note"].strip()
            try:
                new_version = set_score(self.kam.db, account_id, c.id, value, note, version)
            except StaleError:
                self.load()
                raise
            return value, note, new_version

        def done(result: tuple[int | None, str, int] | None) -> None:
            if result is not None and self.mx is mx:
                mx.set_value(row, ci, *result)
                self.after_change()

        fields = [
            FormField("value", f"Score 1–{c.scale_max} (empty clears it)", "" if current is None else str(current)),
            FormField("note", "Evidence note: why this score?", mx.notes.get((row, ci), "")),
        ]  # fmt: skip
        self.app.push_screen(FormDialog(f"{name} — {c.name}", fields, save), done)

    def action_nudge(self, delta: int) -> None:
        """+ / - on a score: shown at once, saved on the writer thread in order (so fast
        presses add up), undoable; a refused save reads the matrix again."""
        from kamtui.services.scoring_store import set_score
        from kamtui.services.undo import UndoLabel

        mx = self.mx
        if mx is None or not mx.criteria:
            return
        ci = self.grid.cursor_column
        row = self.current_row()
        if row is None:
            mx.set_weight(ci, mx.weights[ci] + delta)
            self.after_change(resort=self.sort_key[0] == "rank")
            return
        c = mx.criteria[ci]
        if c.automatic:
            self.notify(f"“{c.name}” is automatic; e edits its bands.")
            return
        old = mx.values[ci][row]
        new = (1 if delta > 0 else None) if old is None else max(1, min(c.scale_max, old + delta))
        if new is None or new == old:
            return
        note = mx.notes.get((row, ci), "")
        key = (mx.ids[row], c.id)
        start = mx.score_versions.get((row, ci))
        latest = self.saved_versions

        def save(db: Any) -> int:
            version = set_score(db, key[0], key[1], new, note, latest.get(key, start))
            latest[key] = version
            return version

        def saved(version: int) -> None:
            if self.mx is mx and mx.values[ci][row] == new:
                mx.score_versions[(row, ci)] = version

        def refused(exc: KamError) -> None:
            self.notify(f"Not saved: {exc}", severity="error", timeout=6)
            latest.clear()
            self.load()

        mx.set_value(row, ci, new, note, start or 0)
        self.after_change()
        label = UndoLabel(
            f"{mx.names[row]}'s {c.name} score", "·" if old is None else str(old), str(new)
        )
        self.db_write("matrix-score", save, then=saved, failed=refused, undo=label)

    def action_keep_weights(self) -> None:
        from kamtui.services.scoring_store import save_weights

        mx = self.mx
        if mx is None or mx.model is None or not mx.what_if:
            return
        changes = {
            c.id: (c.version, w)
            for c, w in zip(mx.criteria, mx.weights, strict=True)
            if c.weight != w
        }
        try:
            criteria = save_weights(self.kam.db, mx.model.id, changes)
        except KamError as exc:
            self._stale(exc)
            return
        mx.weights_saved(criteria)
        self.after_change(resort=False)
        self.notify("Weights kept: the model now uses them.")

    def action_back(self) -> None:
        mx = self.mx
        box = self.query_one("#filter", Input)
        if box.has_focus or (mx is not None and not mx.what_if and box.has_class("visible")):
            box.value = ""
            box.remove_class("visible")
            self.filter_text = ""
            self.grid.focus()
            self.rebuild(keep_account=self.current_account())
        elif mx is not None and mx.what_if:
            mx.reset_weights()
            self.after_change(resort=self.sort_key[0] == "rank")
            self.notify("Back to the saved weights.")
        elif self.filter_text or self.query_one("#filter").has_class("visible"):
            box = self.query_one("#filter", Input)
            box.value = ""
            box.remove_class("visible")
            self.filter_text = ""
            self.grid.focus()
            self.rebuild(keep_account=self.current_account())
        elif self.qualification:
            self.action_qualification()

    # --- filter, sort, scope -----------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip().lower()
        self.rebuild(keep_account=self.current_account())

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.grid.focus()

    def action_sort_column(self) -> None:
        key = ("criterion", self.grid.cursor_column)
        self.sort_reverse = not self.sort_reverse if self.sort_key == key else False
        self.sort_key = key
        self.rebuild(keep_account=self.current_account())

    def action_sort_rank(self) -> None:
        self.sort_reverse = not self.sort_reverse if self.sort_key[0] == "rank" else False
        self.sort_key = ("rank", 0)
        self.rebuild(keep_account=self.current_account())

    def action_toggle_all(self) -> None:
        from kamtui.services.scoring import CANDIDATES

        if self.mx is None:
            return
        self.show_all = not self.show_all
        everything = ("prospect", "target", "customer", "key", "former")
        self.mx.set_scope(everything if self.show_all else CANDIDATES)
        self.rebuild(keep_account=self.current_account())

    def action_qualification(self) -> None:
        self.qualification = not self.qualification
        self.rebuild()
        self.grid.move_to(1 if self.order else 0)

    def action_reload(self) -> None:
        self.load()

    # --- model: preset, threshold, capacity, criteria ------------------------------------------

    def action_preset(self) -> None:
        from kamtui.screens.dialogs.scoring import PresetDialog
        from kamtui.services.scoring_presets import PRESETS
        from kamtui.services.scoring_store import apply_preset

        active = self.mx.model.preset if self.mx and self.mx.model else None

        def chosen(key: str | None) -> None:
            if key is None:
                return
            try:
                model = apply_preset(self.kam.db, key)
            except KamError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Scoring with “{model.name}”.")
            self.load()

        self.app.push_screen(PresetDialog(PRESETS, active), chosen)

    def action_threshold(self) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField
        from kamtui.services.scoring_store import set_threshold

        mx = self.mx
        if mx is None or mx.model is None:
            return
        model = mx.model

        def save(values: dict[str, str]) -> Any:
            return set_threshold(self.kam.db, model.id, model.version, values["threshold"])

        def done(result: Any) -> None:
            if result is not None and self.mx is mx:
                mx.set_model(result)
                self.after_change(resort=self.qualification)

        field = FormField(
            "threshold", "Threshold: the total (0–100) that qualifies", str(model.threshold)
        )
        self.app.push_screen(FormDialog("Threshold", [field], save), done)

    def action_capacity(self) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField
        from kamtui.services.scoring_store import set_capacity

        mx = self.mx
        if mx is None:
            return

        def done(result: int | None) -> None:
            if result is not None:
                mx.capacity = result
                self.update_texts()

        field = FormField("capacity", "How many key accounts can you serve well?", str(mx.capacity))
        save = lambda values: set_capacity(self.kam.db, values["capacity"])  # noqa: E731
        self.app.push_screen(FormDialog("Key-account capacity", [field], save), done)

    def _criterion_form(self, index: int | None) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField
        from kamtui.services.scoring_presets import AUTO_SOURCES
        from kamtui.services.scoring_store import save_criterion

        mx = self.mx
        if mx is None or mx.model is None:
            return
        model_id = mx.model.id
        c = mx.criteria[index] if index is not None else None

        def save(values: dict[str, str]) -> int:
            return save_criterion(
                self.kam.db, model_id, c.id if c else None, c.version if c else None, values
            )

        def number(x: float) -> str:
            return f"{x:g}"

        fields = [
            FormField("name", "Name", c.name if c else ""),
            FormField("description", "Description", c.description if c else ""),
            FormField("weight", "Weight (0–100)", str(c.weight) if c else "1"),
            FormField("scale_max", "Scale: 1 to …", str(c.scale_max) if c else "5"),
            FormField("direction", "Direction: benefit, or cost (more is worse)", c.direction if c else "benefit"),
            FormField("auto_source", "Automatic source (empty: scored by hand)", (c.auto_source or "") if c else "",
                      placeholder=", ".join(AUTO_SOURCES)),
            FormField("bands", "Bands: ascending limits, money in whole units, growth in %",
                      ", ".join(number(b) for b in c.bands) if c else "", placeholder="e.g. 10000, 25000, 60000, 150000"),
        ]  # fmt: skip
        title = f"Criterion: {c.name}" if c else "New criterion"
        self.app.push_screen(FormDialog(title, fields, save), lambda r: self.load() if r else None)

    def action_new_criterion(self) -> None:
        self._criterion_form(None)

    def action_edit_criterion(self) -> None:
        if self.mx is not None and self.mx.criteria:
            self._criterion_form(self.grid.cursor_column)

    @work(exclusive=True, group="matrix-dialog")
    async def action_delete_criterion(self) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.services.scoring_store import delete_criterion

        mx = self.mx
        if mx is None or not mx.criteria:
            return
        c = mx.criteria[self.grid.cursor_column]
        question = f"Delete the criterion “{c.name}” and all its scores from “{mx.model.name if mx.model else ''}”?"
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep")):
            delete_criterion(self.kam.db, c.id)
            self.load()

    # --- one account: promotion, traits, history, open ------------------------------------------

    @work(exclusive=True, group="matrix-dialog")
    async def action_promote(self) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.screens.dialogs.prompt import PromptDialog
        from kamtui.services.accounts import change_status, get_account

        mx, row = self.mx, self.current_row()
        if mx is None or row is None:
            return
        name, total = mx.names[row], mx.totals[row]
        model = mx.model.name if mx.model else "the matrix"
        if mx.statuses[row] == "key":
            new, question = "former", f"Why does {name} stop being a key account?"
            default = mx.why_not(row) or ""
            default = f"{default} in “{model}”" if default else ""
        else:
            if mx.vetoes[row]:
                self.notify(
                    f"{name} is vetoed ({mx.vetoes[row]}): untick the trait (T) first.",
                    severity="error",
                )
                return
            if not mx.qualifies(row):
                ask = f"{name} scores {total:.1f}, below the threshold {mx.threshold}. Promote anyway?"
                if not await self.app.push_screen_wait(
                    ConfirmDialog(ask, yes="Promote", no="Cancel")
                ):
                    return
            new, question = "key", f"Why does {name} become a key account?"
            default = f"scores {total:.1f} (threshold {mx.threshold}) in “{model}”"
        reason = await self.app.push_screen_wait(
            PromptDialog(question, value=default, required=True)
        )
        if not reason:
            return
        try:
            account = get_account(self.kam.db, mx.ids[row])
            change_status(self.kam.db, mx.ids[row], account.version, new, reason, self.kam.today)
        except KamError as exc:
            self._stale(exc)
            return
        mx.set_status(row, new)
        self.after_change(resort=self.qualification)
        self.notify(f"{name} is now {'a key account' if new == 'key' else 'a former key account'}.")
        if new == "key" and mx.capacity_warning():
            self.notify(mx.capacity_warning(), severity="warning", timeout=8)

    def action_traits(self) -> None:
        from kamtui.screens.dialogs.scoring import TraitsDialog
        from kamtui.services.scoring import list_traits
        from kamtui.services.scoring_store import account_trait_ids, set_account_traits

        mx, row = self.mx, self.current_row()
        if mx is None or row is None:
            return
        account_id = mx.ids[row]
        traits = list_traits(self.kam.db)
        by_id = {t.id: t for t in traits}

        def save(ids: list[int]) -> None:
            set_account_traits(self.kam.db, account_id, ids)
            mx.set_traits(row, [by_id[i] for i in ids if i in by_id])

        def done(result: tuple[str, int | None] | None) -> None:
            what, trait_id = result or ("", None)
            if what == "changed":
                self.after_change()
            elif what in ("new", "edit"):
                self._trait_form(by_id.get(trait_id) if trait_id else None)
            elif what == "delete" and trait_id in by_id:
                self._delete_trait(by_id[trait_id])

        ticked = account_trait_ids(self.kam.db, account_id)
        self.app.push_screen(TraitsDialog(mx.names[row], traits, ticked, save), done)

    def _trait_form(self, trait: Any) -> None:
        """Add or edit a nightmare trait of the list; then back to the account's traits."""
        from kamtui.screens.dialogs.form import FormDialog, FormField
        from kamtui.services.scoring_store import save_trait

        def save(values: dict[str, str]) -> Any:
            return save_trait(
                self.kam.db, trait.id if trait else None, trait.version if trait else None, values
            )

        def done(result: Any) -> None:
            self.load()  # penalties and vetoes may have changed for many accounts
            self.action_traits()

        fields = [
            FormField("name", "Name", trait.name if trait else ""),
            FormField("description", "Description", trait.description if trait else ""),
            FormField("effect", "Effect: penalty (points off) or veto (never qualifies)", trait.effect if trait else "penalty"),
            FormField("penalty", "Penalty in points (0–100; ignored for a veto)", str(trait.penalty) if trait else "10"),
        ]  # fmt: skip
        title = f"Nightmare trait: {trait.name}" if trait else "New nightmare trait"
        self.app.push_screen(FormDialog(title, fields, save), done)

    @work(exclusive=True, group="matrix-dialog")
    async def _delete_trait(self, trait: Any) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.services.scoring_store import delete_trait

        question = f"Delete the nightmare trait “{trait.name}”? It is unticked on every account."
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep")):
            delete_trait(self.kam.db, trait.id)
            self.load()

    def action_history(self) -> None:
        from kamtui.screens.dialogs.scoring import HistoryDialog
        from kamtui.services.scoring import score_history

        mx, row = self.mx, self.current_row()
        if mx is None or row is None:
            return
        rows = score_history(self.kam.db, mx.ids[row])
        self.app.push_screen(HistoryDialog(mx.names[row], rows))

    def action_open(self) -> None:
        from kamtui.screens.account import AccountScreen

        account_id = self.current_account()
        if account_id is not None:
            self.app.push_screen(AccountScreen(account_id), lambda _: self.load())

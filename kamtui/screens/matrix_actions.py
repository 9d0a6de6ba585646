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
from kamtui.services.undo import UndoLabel, added_label, form_label
from kamtui.widgets.grid import CellGrid

if TYPE_CHECKING:
    from kamtui.services.scoring import Matrix


class MatrixActions(DbWork, KamScreen):
    mx: Matrix | None
    saved_versions: dict[tuple[int, int], int]  # score versions written since the load
    _keeping = False  # a w (keep the weights) is on its way to the database
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
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.scoring_store import parse_score, set_score

        mx = self.mx
        if mx is None or not mx.criteria:
            return
        ci = self.grid.cursor_column
        c = mx.criteria[ci]
        row = self.current_row()
        if row is None:
            # a what-if, nothing written: w keeps the weights (action_keep_weights)
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
        key = (account_id, c.id)
        start = mx.score_versions.get((row, ci))
        latest = self.saved_versions  # as nudges left it, when this write's turn comes
        current = mx.values[ci][row]
        old_note = mx.notes.get((row, ci), "")
        stale: list[KamError] = []

        def write(db: Any, values: dict[str, str]) -> tuple[int | None, str, int]:
            value = parse_score(values["value"], c.scale_max)
            note = values["note"].strip()
            try:
                new_version = set_score(db, account_id, c.id, value, note, latest.get(key, start))
            except StaleError as exc:
                stale.append(exc)
                raise
            latest[key] = new_version
            return value, note, new_version

        def undo(values: dict[str, str]) -> UndoLabel:
            def shown(value: str, note: str) -> str:
                value = value.strip() or "·"
                return f"{value} ({note.strip()})" if note.strip() != old_note.strip() else value

            return UndoLabel(
                f"{name}'s {c.name} score",
                shown("" if current is None else str(current), old_note),
                shown(values["value"], values["note"]),
            )

        def done(result: tuple[int | None, str, int] | None) -> None:
            if result is not None and self.mx is mx:
                mx.set_value(row, ci, *result)
                self.after_change()
            elif stale:
                self.load()  # the form said "reloaded": changed elsewhere, read it again

        fields = [
            FormField("value", f"Score 1–{c.scale_max} (empty clears it)", "" if current is None else str(current)),
            FormField("note", "Evidence note: why this score?", old_note),
        ]  # fmt: skip
        dialog = WorkFormDialog(
            f"{name} — {c.name}", fields, write, undo=undo, work_name="matrix-score-form"
        )
        self.app.push_screen(dialog, done)

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
        """w: the what-if weights become the model's, on the writer thread, undoable. A
        refused save (busy) keeps the what-if, so w can simply be pressed again."""
        from kamtui.services.scoring_store import save_weights

        mx = self.mx
        if mx is None or mx.model is None or not mx.what_if or self._keeping:
            return
        kept = [(c, w) for c, w in zip(mx.criteria, mx.weights, strict=True) if c.weight != w]
        changes = {c.id: (c.version, w) for c, w in kept}
        if len(kept) == 1:
            ((c, w),) = kept
            label = UndoLabel(f"weight of {c.name}", str(c.weight), str(w))
        else:
            label = UndoLabel(
                f"weights of {mx.model.name}",
                ", ".join(f"{c.name} {c.weight}" for c, _ in kept),
                ", ".join(f"{c.name} {w}" for c, w in kept),
            )

        def saved(criteria: Any) -> None:
            self._keeping = False
            if self.mx is mx:
                mx.weights_saved(criteria)
                self.after_change(resort=False)
            self.notify("Weights kept: the model now uses them; ctrl+z undoes it.")

        def refused(exc: KamError) -> None:
            self._keeping = False
            self._stale(exc)

        self._keeping = True
        self.db_write(
            "matrix-weights", save_weights, mx.model.id, changes,
            then=saved, failed=refused, undo=label,
        )  # fmt: skip

    def action_back(self) -> None:
        mx = self.mx
        box = self.query_one("#filter", Input)
        if box.has_focus or (mx is not None and not mx.what_if and box.has_class("visible")):
            box.value = ""
            box.remove_class("visible")
            self.filter_text = ""
            self.set_focus(self.grid)
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
            self.set_focus(self.grid)
            self.rebuild(keep_account=self.current_account())
        elif self.qualification:
            self.action_qualification()

    # --- filter, sort, scope -----------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        self.set_focus(box)

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip().lower()
        self.rebuild(keep_account=self.current_account())

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.set_focus(self.grid)

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

        def applied(model: Any) -> None:
            self.notify(f"Scoring with “{model.name}”.")
            self.load()

        def chosen(key: str | None) -> None:
            # not undoable: scores taken over from the model before are bulk inserts the
            # undo journal does not see (pressing p again switches back)
            if key is not None:
                self.db_write("matrix-preset", apply_preset, key, then=applied)

        self.app.push_screen(PresetDialog(PRESETS, active), chosen)

    def action_threshold(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.scoring_store import set_threshold

        mx = self.mx
        if mx is None or mx.model is None:
            return
        model = mx.model
        stale: list[KamError] = []

        def write(db: Any, values: dict[str, str]) -> Any:
            try:
                return set_threshold(db, model.id, model.version, values["threshold"])
            except StaleError as exc:
                stale.append(exc)
                raise

        def undo(values: dict[str, str]) -> UndoLabel:
            new = values["threshold"].strip()
            return UndoLabel(f"threshold of {model.name}", str(model.threshold), new)

        def done(result: Any) -> None:
            if result is not None and self.mx is mx:
                mx.set_model(result)
                self.after_change(resort=self.qualification)
            elif stale:
                self.load()

        field = FormField(
            "threshold", "Threshold: the total (0–100) that qualifies", str(model.threshold)
        )
        dialog = WorkFormDialog(
            "Threshold", [field], write, undo=undo, work_name="matrix-threshold"
        )
        self.app.push_screen(dialog, done)

    def action_capacity(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.scoring_store import set_capacity

        mx = self.mx
        if mx is None:
            return
        old = mx.capacity

        def write(db: Any, values: dict[str, str]) -> int:
            return set_capacity(db, values["capacity"])

        def undo(values: dict[str, str]) -> UndoLabel:
            return UndoLabel("key-account capacity", str(old), values["capacity"].strip())

        def done(result: int | None) -> None:
            if result is not None:
                mx.capacity = result
                self.update_texts()

        field = FormField("capacity", "How many key accounts can you serve well?", str(old))
        dialog = WorkFormDialog(
            "Key-account capacity", [field], write, undo=undo, work_name="matrix-capacity"
        )
        self.app.push_screen(dialog, done)

    def _criterion_form(self, index: int | None) -> None:
        from kamtui.models import DIRECTIONS
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.scoring_presets import AUTO_SOURCES
        from kamtui.services.scoring_store import save_criterion

        mx = self.mx
        if mx is None or mx.model is None:
            return
        model_id, model_name = mx.model.id, mx.model.name
        c = mx.criteria[index] if index is not None else None
        stale: list[KamError] = []

        def write(db: Any, values: dict[str, str]) -> int:
            try:
                return save_criterion(
                    db, model_id, c.id if c else None, c.version if c else None, values
                )
            except StaleError as exc:
                stale.append(exc)
                raise

        def number(x: float) -> str:
            # whole figures in full, grouped by spaces (the bands parser drops them):
            # f"{x:g}" showed 15 million as "1.5e+07"
            if x == int(x):
                return f"{int(x):_}".replace("_", " ")
            return f"{x:g}"

        fields = [
            FormField("name", "Name", c.name if c else ""),
            FormField("short_name", "Short name (≤ 8)", c.short_name if c else "",
                      placeholder="the column heading; empty: made from the name"),
            FormField("description", "Description", c.description if c else ""),
            FormField("weight", "Weight (0–100)", str(c.weight) if c else "1"),
            FormField("scale_max", "Scale: 1 to …", str(c.scale_max) if c else "5"),
            FormField("direction", "Benefit or cost", c.direction if c else "benefit",
                      choices=DIRECTIONS, strict=True),
            FormField("auto_source", "Automatic source", (c.auto_source or "") if c else "",
                      placeholder="empty: scored by hand", choices=tuple(AUTO_SOURCES), strict=True),
            FormField("bands", "Band limits, ascending",
                      ", ".join(number(b) for b in c.bands) if c else "", placeholder="e.g. 10000, 25000, 60000 (money in whole units, growth in %)"),
        ]  # fmt: skip
        labels = {
            "name": "name", "short_name": "short name", "description": "description",
            "weight": "weight", "scale_max": "scale", "direction": "direction",
            "auto_source": "automatic source", "bands": "bands",
        }  # fmt: skip
        before = {f.name: f.value for f in fields}

        def undo(values: dict[str, str]) -> UndoLabel:
            if c is None:
                return added_label(f"criteria of {model_name}", values.get("name", ""))
            return form_label(c.name, before, values, labels)

        def done(result: int | None) -> None:
            if result is not None or stale:
                self.load()

        title = f"Criterion: {c.name}" if c else "New criterion"
        dialog = WorkFormDialog(title, fields, write, undo=undo, work_name="matrix-criterion")
        self.app.push_screen(dialog, done)

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
        question = (
            f"Delete the criterion “{c.name}” and all its scores from "
            f"“{mx.model.name if mx.model else ''}”? This cannot be undone."
        )
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep")):
            # no undo: its scores go by ON DELETE CASCADE, which the undo journal does not
            # see, so an undo could bring the criterion back only without its scores
            self.db_write("matrix-delete-criterion", delete_criterion, c.id, then=self._deleted)

    def _deleted(self, _: object) -> None:
        self.notify("Deleted.")
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
        account_id, old, today = mx.ids[row], mx.statuses[row], self.kam.today

        def write(db: Any) -> None:
            account = get_account(db, account_id)
            change_status(db, account_id, account.version, new, reason, today)

        def done(_: None) -> None:
            if self.mx is mx:
                mx.set_status(row, new)
                self.after_change(resort=self.qualification)
            what = "a key account" if new == "key" else "a former key account"
            self.notify(f"{name} is now {what}; ctrl+z undoes it.")
            if new == "key" and mx.capacity_warning():
                self.notify(mx.capacity_warning(), severity="warning", timeout=8)

        label = UndoLabel(f"status of {name}", old, new)
        self.db_write("matrix-promote", write, then=done, failed=self._stale, undo=label)

    def action_traits(self) -> None:
        from kamtui.services.scoring import list_traits
        from kamtui.services.scoring_store import account_trait_ids

        mx, row = self.mx, self.current_row()
        if mx is None or row is None:
            return
        account_id = mx.ids[row]

        def read(db: Any) -> tuple[list[Any], set[int]]:
            return list_traits(db), account_trait_ids(db, account_id)

        self.db_read(
            "matrix-traits", read, then=lambda found: self._traits_dialog(account_id, *found)
        )

    def _traits_dialog(self, account_id: int, traits: list[Any], ticked: set[int]) -> None:
        """The account's traits; each tick is shown at once and saved on the writer thread,
        undoable; a refused save says so in the dialog and reads the matrix again. The
        matrix may have been read again meanwhile: the account is looked up by id."""
        from kamtui.screens.dialogs.scoring import TraitsDialog
        from kamtui.services.scoring_store import set_account_traits

        if self.mx is None or account_id not in self.mx.index:
            return
        name = self.mx.names[self.mx.index[account_id]]
        by_id = {t.id: t for t in traits}
        now = set(ticked)

        def names(ids: set[int]) -> str:
            return ", ".join(sorted(by_id[i].name for i in ids if i in by_id)) or "none"

        def refused(exc: KamError) -> None:
            self.notify(f"Not saved: {exc}", severity="error", timeout=6)
            if isinstance(self.app.screen, TraitsDialog):
                self.app.screen.query_one("#error").update(f"Not saved: {exc}")  # type: ignore[attr-defined]
            self.load()

        def save(ids: list[int]) -> None:
            label = UndoLabel(f"nightmare traits of {name}", names(now), names(set(ids)))
            now.clear()
            now.update(ids)
            mx = self.mx
            if mx is not None and account_id in mx.index:
                mx.set_traits(mx.index[account_id], [by_id[i] for i in ids if i in by_id])
            self.db_write(
                "matrix-traits-save", set_account_traits, account_id, list(ids),
                failed=refused, undo=label,
            )  # fmt: skip

        def done(result: tuple[str, int | None] | None) -> None:
            what, trait_id = result or ("", None)
            if what == "changed":
                self.after_change()
            elif what in ("new", "edit"):
                self._trait_form(by_id.get(trait_id) if trait_id else None)
            elif what == "delete" and trait_id in by_id:
                self._delete_trait(by_id[trait_id])

        self.app.push_screen(TraitsDialog(name, traits, ticked, save), done)

    def _trait_form(self, trait: Any) -> None:
        """Add or edit a nightmare trait of the list; then back to the account's traits."""
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.scoring_store import save_trait

        def write(db: Any, values: dict[str, str]) -> Any:
            return save_trait(
                db, trait.id if trait else None, trait.version if trait else None, values
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
        before = {f.name: f.value for f in fields}

        def undo(values: dict[str, str]) -> UndoLabel:
            if trait is None:
                return added_label("nightmare traits", values.get("name", ""))
            return form_label(f"nightmare trait {trait.name}", before, values, {})

        title = f"Nightmare trait: {trait.name}" if trait else "New nightmare trait"
        dialog = WorkFormDialog(title, fields, write, undo=undo, work_name="matrix-trait")
        self.app.push_screen(dialog, done)

    @work(exclusive=True, group="matrix-dialog")
    async def _delete_trait(self, trait: Any) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.services.scoring_store import delete_trait

        question = (
            f"Delete the nightmare trait “{trait.name}”? It is unticked on every account; "
            "this cannot be undone."
        )
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep")):
            # no undo: the ticks go by ON DELETE CASCADE, unseen by the undo journal
            self.db_write("matrix-delete-trait", delete_trait, trait.id, then=self._deleted)

    def action_history(self) -> None:
        from kamtui.screens.dialogs.scoring import HistoryDialog
        from kamtui.services.scoring import score_history

        mx, row = self.mx, self.current_row()
        if mx is None or row is None:
            return
        name = mx.names[row]

        def show(rows: list[Any]) -> None:
            self.app.push_screen(HistoryDialog(name, rows))

        self.db_read("matrix-history", score_history, mx.ids[row], then=show)

    def action_open(self) -> None:
        from kamtui.screens.account import open_account

        account_id = self.current_account()
        if account_id is not None:
            open_account(self, account_id, lambda _: self.load())

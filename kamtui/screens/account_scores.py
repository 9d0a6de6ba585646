"""The Scores section of the account screen: this account in the active scoring model
(each criterion with its note, total, rank, qualification, traits) and every score
change, so a user can see why its rank moved. Read-only; the matrix (view 3) edits."""

from __future__ import annotations

from textual import work
from textual.widgets import Static


class ScorePane(Static):
    DEFAULT_CSS = """
    ScorePane { height: auto; padding: 0 1; }
    """

    def __init__(self, account_id: int, *, id: str | None = None) -> None:
        super().__init__("Loading the scores…", id=id, markup=False)
        self.account_id = account_id

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="account-scores")
    def load(self) -> None:
        from kamtui.services.scoring import load_matrix, score_history

        app = self.app
        db, today = app.db, app.today  # type: ignore[attr-defined]
        mx = load_matrix(db, today, prepare=False)
        history = score_history(db, self.account_id)
        lines: list[str] = []
        row = mx.index.get(self.account_id)
        if mx.model is None or row is None:
            lines.append("No scoring model yet: open the matrix (3) to choose one.")
        else:
            rank = mx.ranks[row]
            where = (
                f"rank {rank} of {len(mx.members):,}" if rank else "not ranked (not a candidate)"
            )
            verdict = mx.why_not(row) or f"qualifies (threshold {mx.threshold})"
            lines.append(f"{mx.model.name}: total {mx.totals[row]:.1f} · {where} · {verdict}")
            lines.append("")
            for ci, c in enumerate(mx.criteria):
                value = mx.values[ci][row]
                shown = "·" if value is None else f"{value}/{c.scale_max}"
                kind = "automatic" if c.automatic else "cost" if c.direction == "cost" else ""
                note = mx.notes.get((row, ci), "")
                extra = f" ({kind})" if kind else ""
                lines.append(
                    f"  {c.name}{extra} ×{c.weight}: {shown}" + (f" — {note}" if note else "")
                )
            if mx.trait_names.get(row):
                lines.append("")
                lines.append("Nightmare traits: " + ", ".join(mx.trait_names[row]))
        lines.append("")
        lines.append("Score history (newest first):")
        for h in history[:200]:
            old = "·" if h.old_value is None else str(h.old_value)
            new = "cleared" if h.new_value is None else str(h.new_value)
            note = f" — {h.note}" if h.note else ""
            lines.append(f"  {h.changed_at:%Y-%m-%d} {h.criterion}: {old} → {new}{note}")
        if not history:
            lines.append("  none yet")
        app.call_from_thread(self.update, "\n".join(lines))

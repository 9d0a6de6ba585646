"""The Scores section of the account screen: this account in the active scoring model
(each criterion with its note, total, rank, qualification, traits) and every score
change, so a user can see why its rank moved. Read-only; the matrix (view 3) edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from kamtui.screens.account_section import Section


def score_text(db: Any, today: dt.date, account_id: int) -> str:
    """The section's text (runs in a worker: it loads the whole matrix)."""
    from kamtui.services.scoring import load_matrix, score_history

    mx = load_matrix(db, today, prepare=False)
    history = score_history(db, account_id)
    lines: list[str] = []
    row = mx.index.get(account_id)
    if mx.model is None or row is None:
        lines.append("No scoring model yet: open the matrix (3) to choose one.")
    else:
        rank = mx.ranks[row]
        where = f"rank {rank} of {len(mx.members):,}" if rank else "not ranked (not a candidate)"
        verdict = mx.why_not(row) or f"qualifies (threshold {mx.threshold})"
        lines.append(f"{mx.model.name}: total {mx.totals[row]:.1f} · {where} · {verdict}")
        lines.append("")
        for ci, c in enumerate(mx.criteria):
            value = mx.values[ci][row]
            shown = "·" if value is None else f"{value}/{c.scale_max}"
            kind = "automatic" if c.automatic else "cost" if c.direction == "cost" else ""
            note = mx.notes.get((row, ci), "")
            extra = f" ({kind})" if kind else ""
            lines.append(f"  {c.name}{extra} ×{c.weight}: {shown}" + (f" — {note}" if note else ""))
        if mx.trait_names.get(row):
            lines.append("")
            lines.append("Nightmare traits: " + ", ".join(mx.trait_names[row]))
    lines.extend(health_lines(db, today, account_id))
    lines.append("")
    lines.append("Score history (newest first):")
    for h in history[:200]:
        old = "·" if h.old_value is None else str(h.old_value)
        new = "cleared" if h.new_value is None else str(h.new_value)
        note = f" — {h.note}" if h.note else ""
        lines.append(f"  {h.changed_at:%Y-%m-%d} {h.criterion}: {old} → {new}{note}")
    if not history:
        lines.append("  none yet")
    return "\n".join(lines)


def health_lines(db: Any, today: dt.date, account_id: int) -> list[str]:
    """The health score with every part and why (issue 11, services/health.py)."""
    from kamtui.services.health_read import account_health

    h = account_health(db, today, account_id)
    if h is None:
        return []
    lines = ["", f"Health ♥ {h.score} of 100:"]
    lines += [f"  {p.name} {p.points}/{p.maximum} — {p.text}" for p in h.parts]
    return lines


class ScoresSection(Section):
    def compose(self) -> ComposeResult:
        yield Static("Loading the scores…", id="score-pane", markup=False)

    def load(self) -> None:
        pane = self.query_one("#score-pane", Static)
        self.db_read("account-scores", score_text, self.today, self.account_id, then=pane.update)

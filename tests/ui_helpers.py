"""What the Pilot tests share."""

from __future__ import annotations

from typing import Any


async def settle(app: Any, pilot: Any) -> None:
    """Let pending messages, workers (reads and the writer) and their results paint,
    including work that a result starts (a save, then the row read again, then a screen
    read and pushed; a form dismissed, then its callback's read): a busy machine finishes
    each step later, never in fewer steps. Quiet means no worker twice in a row, a pause
    apart (a dismissed form's callback arrives a message later than its save)."""
    quiet = 0
    for _ in range(20):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if any(w.is_running or w.state.name == "PENDING" for w in app.workers):
            quiet = 0
            continue
        quiet += 1
        if quiet == 2:
            return


async def first_movable_card(app: Any, pilot: Any) -> tuple[int, Any]:
    """On the lifecycle board: focus the first staged card that can move right (stages
    1–5), with `l` and `j` as a user would; its column and the card. (An unstaged card's
    `>` puts it in stage 1 where it already sits.)"""
    board = app.screen.board

    def staged(column: Any) -> int | None:
        return next((i for i in range(len(column.source)) if column.source[i].data.stage), None)

    start = next(i for i, c in enumerate(board.columns[:5]) if staged(c) is not None)
    await pilot.press(*["l"] * start)
    await pilot.press(*["j"] * staged(board.columns[start]))
    return start, board.card

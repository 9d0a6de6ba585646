"""What the Pilot tests share."""

from __future__ import annotations

from typing import Any


async def settle(app: Any, pilot: Any) -> None:
    """Let pending messages, workers (reads and the writer) and their results paint."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()

"""The account screen's Plan: the one-page account plan (read-only), as `kam plan` writes
it — ``services.account_plan.plan_markdown``, read by the section in a worker."""

from __future__ import annotations

from textual.widgets import Markdown


class AccountPlan(Markdown):
    """The account's plan as Markdown; the section reads it (``plan_markdown``, in a
    worker) and hands the text down with ``show``."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Loading the plan…", **kwargs)  # type: ignore[arg-type]

    def show(self, text: str) -> None:
        self.update(text)

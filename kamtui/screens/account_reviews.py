"""The Reviews section of the account screen: past reviews as they were kept (what was
ticked, noted and rated, the summary, the actions agreed) and the value delivered.

`o` opens the review in progress (or starts the next one); `v` records value delivered.
Reads and writes go through the worker boundary; the widgets get Markdown text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Markdown

from kamtui.money import format_amount
from kamtui.screens.account_section import Section
from kamtui.screens.dialogs.form import FormField
from kamtui.services.undo import UndoLabel


def value_fields(today: dt.date) -> list[FormField]:
    """The form for a value-delivered record (used here and in the review screen)."""
    return [
        FormField("delivered_on", "Date", today.isoformat(), "YYYY-MM-DD"),
        FormField("description", "What we delivered", placeholder="e.g. cut lead time 10 → 6 days"),
        FormField("amount_minor", "Value (amount, optional)", placeholder="e.g. 12,000"),
    ]


def reviews_markdown(db: Any, account_id: int) -> str:
    """The section's text (runs in a worker)."""
    from kamtui.services.accounts import get_account
    from kamtui.services.records import currency as get_currency
    from kamtui.services.review_pack import review_markdown
    from kamtui.services.reviews import list_values, past_reviews

    currency = get_currency(db)
    account = get_account(db, account_id)
    nxt = account.next_review.isoformat() if account.next_review else "not scheduled"
    parts = [
        f"**Cadence:** {account.review_cadence} · **next review:** {nxt}  ",
        "`o` open the review (starts the next one) · `v` add value delivered",
        "",
    ]
    reviews = past_reviews(db, account_id)
    parts += [review_markdown(d, currency, level=3) + "\n" for d in reviews]
    if not reviews:
        parts.append("No review yet.\n")
    values = list_values(db, account_id)
    total = sum(v.amount_minor or 0 for v in values)
    parts += [f"### Value delivered ({format_amount(total)} {currency} in all)", ""]
    for v in values:
        amount = f" — {format_amount(v.amount_minor)} {currency}" if v.amount_minor else ""
        parts.append(f"- {v.delivered_on.isoformat()} {' '.join(v.description.split())}{amount}")
    if not values:
        parts.append("Nothing recorded yet.")
    return "\n".join(parts)


class AccountReviews(Section, can_focus=True):
    """Past reviews and value delivered for one account."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_review", "Open review", id="account_reviews.open"),
        Binding("v", "add_value", "Add value", id="account_reviews.value"),
    ]
    DEFAULT_CSS = """
    AccountReviews:focus { background: $boost; }
    """

    def compose(self) -> ComposeResult:
        yield Markdown("Loading the reviews…", id="account-reviews-text")

    def load(self) -> None:
        text = self.query_one(Markdown)

        def show(markdown: str) -> None:
            text.update(markdown)

        self.db_read("account-reviews", reviews_markdown, self.account_id, then=show)

    def action_open_review(self) -> None:
        from kamtui.services.reviews import start_review

        self.db_write(
            "start-review", start_review, self.account_id, self.today, then=self._open_review
        )

    def _open_review(self, review_id: int) -> None:
        from kamtui.screens.review import ReviewScreen

        def back(_: Any) -> None:
            self.load()
            self.post_message(self.Changed())

        self.app.push_screen(ReviewScreen(review_id), back)

    def action_add_value(self) -> None:
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.reviews import add_value

        account_id, today, name = self.account_id, self.today, self.account_name

        def write(db: Any, values: dict[str, str]) -> Any:
            return add_value(db, account_id, values, today)

        def undo(values: dict[str, str]) -> UndoLabel:
            what = " ".join(values.get("description", "").split())
            return UndoLabel(f"value delivered to {name}", f"without {what}", f"with {what}")

        def done(record: Any) -> None:
            if record is not None:
                self.load()
                self.notify("Value delivered recorded; ctrl+z undoes it.")

        dialog = WorkFormDialog(
            "Value delivered", value_fields(today), write, undo=undo, work_name="add-value"
        )
        self.app.push_screen(dialog, done)

"""The Reviews section of the account screen: past reviews as they were kept (what was
ticked, noted and rated, the summary, the actions agreed) and the value delivered.

`o` opens the review in progress (or starts the next one); `v` records value delivered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from kamtui.errors import KamError
from kamtui.money import format_amount
from kamtui.screens.dialogs.form import FormField


def value_fields(today: dt.date) -> list[FormField]:
    """The form for a value-delivered record (used here and in the review screen)."""
    return [
        FormField("delivered_on", "Date", today.isoformat(), "YYYY-MM-DD"),
        FormField("description", "What we delivered", placeholder="e.g. cut lead time 10 → 6 days"),
        FormField("amount_minor", "Value (amount, optional)", placeholder="e.g. 12,000"),
    ]


def reviews_markdown(db: Any, account_id: int) -> str:
    from kamtui.services.records import currency as get_currency
    from kamtui.services.review_pack import review_markdown
    from kamtui.services.reviews import list_values, past_reviews

    currency = get_currency(db)
    rows = db.fetch("SELECT review_cadence, next_review FROM account WHERE id = ?", [account_id])
    cadence, nxt = rows[0] if rows else ("none", None)
    parts = [
        f"**Cadence:** {cadence} · **next review:** {nxt or 'not scheduled'}  ",
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


class AccountReviews(VerticalScroll, can_focus=True):
    """Past reviews and value delivered for one account."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_review", "Open review", id="account_reviews.open"),
        Binding("v", "add_value", "Add value", id="account_reviews.value"),
    ]
    DEFAULT_CSS = """
    AccountReviews { height: 1fr; padding: 0 1; }
    AccountReviews:focus { background: $boost; }
    """

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account_id = account_id

    @property
    def db(self) -> Any:
        return self.app.db  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Markdown("", id="account-reviews-text")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        try:
            text = reviews_markdown(self.db, self.account_id)
        except KamError as exc:
            text = str(exc)
        self.query_one(Markdown).update(text)

    def action_open_review(self) -> None:
        from kamtui.screens.review import ReviewScreen
        from kamtui.services.reviews import start_review

        try:
            review_id = start_review(self.db, self.account_id, self.app.today)  # type: ignore[attr-defined]
        except KamError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.push_screen(ReviewScreen(review_id), lambda _: self.load())

    def action_add_value(self) -> None:
        from kamtui.screens.dialogs.form import FormDialog
        from kamtui.services.reviews import add_value

        today = self.app.today  # type: ignore[attr-defined]

        def save(values: dict[str, str]) -> Any:
            return add_value(self.db, self.account_id, values, today)

        def done(record: Any) -> None:
            if record is not None:
                self.load()
                self.notify("Value delivered recorded.")

        fields = [
            FormField("delivered_on", "Date", today.isoformat(), "YYYY-MM-DD"),
            FormField(
                "description", "What we delivered", placeholder="e.g. cut lead time 10 → 6 days"
            ),
            FormField("amount_minor", "Value (amount, optional)", placeholder="e.g. 12,000"),
        ]
        self.app.push_screen(FormDialog("Value delivered", fields, save), done)

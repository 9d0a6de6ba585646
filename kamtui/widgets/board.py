"""A kanban board drawn with Textual's Line API: one widget, however many cards.

Columns hold cards; only the cards in view are ever rendered, so a column of 50,000
cards costs what a column of 20 does (PERFORMANCE.md: a widget per card takes seconds).
A column's cards come from a ``CardSource``: a plain list (``ListSource``) or anything
that can say how many cards it holds and hand over the card at an index (the attack
plan reads its pages from the database on demand).

The board never changes data. It posts ``Board.MoveRequested`` when the user asks to
move the focused card (``<`` / ``>``); the screen calls the service and then patches
the board with ``card_moved`` — the one card moves, nothing is rebuilt.

Layout: each column is ``width`` cells plus a one-cell gutter on its right that doubles
as the column's scrollbar. No column is drawn narrower than ``MIN_COLUMN``: when not all
of them fit (six stages at 80 columns), the board shows as many whole columns as fit, a
window that follows the focus, and a strip above them names every column with its count
so that none is out of mind (``◀`` / ``▶`` say more lie that way).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

HEADER_LINES = 3  # title, summary, rule (and the strip above them when columns are hidden)
MIN_COLUMN = 20  # narrowest column: "⚠2 Norhaven Industr…" still reads as a name


@dataclass(frozen=True)
class Card:
    """What the board shows of one thing. ``key`` identifies it; ``data`` is the screen's."""

    key: Any
    title: str
    detail: str = ""
    badge: str = ""  # glyphs shown before the title (warnings, overdue): never colour alone
    flagged: bool = False  # drawn in the warning style as well as carrying its badge
    data: Any = None


class CardSource(Protocol):
    """The cards of one column, in order."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Card: ...

    def remove(self, index: int) -> None:
        """The card at ``index`` has left this column."""

    def insert(self, card: Card) -> int:
        """``card`` has arrived in this column; return the index where it now sits."""


class ListSource:
    """Cards held in memory, kept sorted by ``sort_key`` (insertion order if none)."""

    def __init__(
        self, cards: Sequence[Card] = (), sort_key: Callable[[Card], Any] | None = None
    ) -> None:
        self.sort_key = sort_key
        self.cards = sorted(cards, key=sort_key) if sort_key else list(cards)
        self._keys = [sort_key(c) for c in self.cards] if sort_key else []

    def __len__(self) -> int:
        return len(self.cards)

    def __getitem__(self, index: int) -> Card:
        return self.cards[index]

    def remove(self, index: int) -> None:
        del self.cards[index]
        if self.sort_key:
            del self._keys[index]

    def insert(self, card: Card) -> int:
        if self.sort_key is None:
            self.cards.insert(0, card)
            return 0
        key = self.sort_key(card)
        index = bisect.bisect_right(self._keys, key)
        self._keys.insert(index, key)
        self.cards.insert(index, card)
        return index

    def replace(self, index: int, card: Card) -> None:
        self.cards[index] = card


@dataclass
class BoardColumn:
    key: Any
    title: str
    source: CardSource
    summary: str = ""  # a line under the title: count and a total that matters here
    short: str = ""  # the column in the strip of all columns ("2 Supply"); title if empty
    top: int = field(default=0, repr=False)  # index of the first card in view
    cursor: int = field(default=0, repr=False)


def _fit(text: str, width: int) -> str:
    """Exactly ``width`` cells: cut with an ellipsis, or padded."""
    if width <= 0:
        return ""
    if text.isascii():
        if len(text) > width:
            return text[: width - 1] + "…" if width > 1 else text[:width]
        return text.ljust(width)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    return set_cell_size(text, width)


def _whole_parts(text: str, width: int) -> str:
    """As many whole " · "-separated parts of ``text`` as fit in ``width`` cells
    ("Dalwick GmbH · 49d", never "Dalwick GmbH · 49d · ◆86…"); the first part, cut, if
    not even that fits."""
    parts = text.split(" · ")
    for n in range(len(parts), 0, -1):
        line = " · ".join(parts[:n])
        if cell_len(line) <= width:
            return line
    return _fit(parts[0], width)


class Board(Widget, can_focus=True):
    """Columns of cards; arrows or h j k l move, < > move the card, enter opens it."""

    RUN_BINDINGS_AT_ONCE = True  # keys in one read take effect in order (KamApp.on_event)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="board.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="board.down"),
        Binding("left,h", "column(-1)", "Left", show=False, id="board.left"),
        Binding("right,l", "column(1)", "Right", show=False, id="board.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="board.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="board.last"),
        Binding("less_than_sign,shift+left", "move_card(-1)", "◀ Move", id="board.move_left", key_display="<"),
        Binding("greater_than_sign,shift+right", "move_card(1)", "Move ▶", id="board.move_right", key_display=">"),
        Binding("enter", "open", "Open", id="board.open"),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board--title",
        "board--title-focus",
        "board--summary",
        "board--rule",
        "board--card",
        "board--detail",
        "board--cursor",
        "board--flagged",
        "board--empty",
        "board--gutter",
        "board--strip",
        "board--strip-shown",
    }

    DEFAULT_CSS = """
    Board { height: 1fr; width: 1fr; background: $surface; }
    Board > .board--title { text-style: bold; background: $panel; }
    Board > .board--title-focus { text-style: bold reverse; background: $panel; }
    Board > .board--summary { color: $text-muted; background: $panel; }
    Board > .board--rule { color: $panel-lighten-2; }
    Board > .board--card { text-style: bold; }
    Board > .board--detail { color: $text-muted; }
    Board > .board--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    Board:blur > .board--cursor { background: $block-cursor-blurred-background; text-style: none; }
    Board > .board--flagged { color: $warning; text-style: bold; }
    Board > .board--empty { color: $text-muted; text-style: italic; }
    Board > .board--gutter { color: $panel-lighten-2; }
    Board > .board--strip { color: $text-muted; background: $panel; }
    Board > .board--strip-shown { text-style: bold; background: $panel; }
    """

    class Focused(Message):
        """The focused card (or column) changed."""

        def __init__(self, board: Board, column: BoardColumn, card: Card | None) -> None:
            super().__init__()
            self.board = board
            self.column = column
            self.card = card

    class MoveRequested(Message):
        """The user asks to move ``card`` from column ``source`` to column ``target``."""

        def __init__(self, board: Board, card: Card, source: int, index: int, target: int) -> None:
            super().__init__()
            self.board = board
            self.card = card
            self.source = source
            self.index = index
            self.target = target

    class Opened(Message):
        def __init__(self, board: Board, card: Card) -> None:
            super().__init__()
            self.board = board
            self.card = card

    def __init__(
        self,
        columns: Sequence[BoardColumn] = (),
        *,
        empty_text: str = "—",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: list[BoardColumn] = list(columns)
        self.empty_text = empty_text
        self.focus_column = 0
        self._widths: list[int] = []
        self.first = 0  # the first column shown when not all of them fit
        self._layout_key: tuple[int, int, int] = (-1, -1, -1)
        self._styles: dict[str, Style] = {}
        self._width = self._height = 0  # kept from Resize: reading self.size costs per call

    # --- state -------------------------------------------------------------------------------

    @property
    def column(self) -> BoardColumn | None:
        return self.columns[self.focus_column] if self.columns else None

    @property
    def card(self) -> Card | None:
        """The focused card, if the focused column has any (and it has been read: a
        placeholder without data is nothing to act on)."""
        col = self.column
        if col is None or not len(col.source):
            return None
        card = col.source[col.cursor]
        return None if card.data is None else card

    @property
    def compact(self) -> bool:
        """One-line cards when the board is short (an 80×24 terminal)."""
        return self._height < 20

    @property
    def card_height(self) -> int:
        return 1 if self.compact else 2

    @property
    def visible_cards(self) -> int:
        return max(1, (self._height - self.header_lines) // self.card_height)

    def set_columns(self, columns: Sequence[BoardColumn]) -> None:
        """Replace the whole board (first load, new filter); keeps the focused column."""
        self.columns = list(columns)
        self.focus_column = min(self.focus_column, max(0, len(self.columns) - 1))
        for col in self.columns:
            col.cursor = min(col.cursor, max(0, len(col.source) - 1))
            self._clamp_top(col)
        self._layout_key = (-1, -1, -1)
        self.refresh()
        self._announce()

    def set_summary(self, index: int, summary: str) -> None:
        self.columns[index].summary = summary
        self.refresh(Region(0, self.header_lines - 2, self._width, 1))

    def focus_card(self, column: int, index: int) -> None:
        """Put the focus on a card (clamped), scrolling its column as needed."""
        if not self.columns:
            return
        column = max(0, min(column, len(self.columns) - 1))
        changed_column = column != self.focus_column
        old = self._card_region(self.focus_column, self.columns[self.focus_column].cursor)
        self.focus_column = column
        col = self.columns[column]
        col.cursor = max(0, min(index, len(col.source) - 1))
        top = col.top
        self._clamp_top(col)
        if changed_column or top != col.top:
            self.refresh()  # the layout or the column's window changed
        else:  # repaint just the two cards
            self.refresh(old)
            self.refresh(self._card_region(column, col.cursor))
        self._announce()

    def card_moved(self, source: int, index: int, target: int, card: Card) -> None:
        """Patch the board after a move the screen has saved: focus follows the card."""
        self.columns[source].source.remove(index)
        src = self.columns[source]
        src.cursor = max(0, min(src.cursor, len(src.source) - 1))
        self._clamp_top(src)
        new_index = self.columns[target].source.insert(card)
        self.focus_column = target
        dst = self.columns[target]
        dst.cursor = new_index
        self._clamp_top(dst)
        self.refresh()
        self._announce()

    def card_changed(self, column: int, index: int, card: Card) -> None:
        """Patch one card in place (same column, same position)."""
        source = self.columns[column].source
        if isinstance(source, ListSource):
            source.replace(index, card)
        self.refresh(self._card_region(column, index))
        if column == self.focus_column and index == self.columns[column].cursor:
            self._announce()

    def card_removed(self, column: int, index: int) -> None:
        col = self.columns[column]
        col.source.remove(index)
        col.cursor = max(0, min(col.cursor, len(col.source) - 1))
        self._clamp_top(col)
        self.refresh()
        self._announce()

    def card_added(self, column: int, card: Card) -> None:
        index = self.columns[column].source.insert(card)
        self.focus_column = column
        self.columns[column].cursor = index
        self._clamp_top(self.columns[column])
        self.refresh()
        self._announce()

    def find(self, key: Any) -> tuple[int, int] | None:
        """(column, index) of the card with ``key``, searching in-memory columns."""
        for c, col in enumerate(self.columns):
            source = col.source
            if isinstance(source, ListSource):
                for i, card in enumerate(source.cards):
                    if card.key == key:
                        return c, i
        return None

    def _announce(self) -> None:
        if self.column is not None:
            self.post_message(self.Focused(self, self.column, self.card))

    def _clamp_top(self, col: BoardColumn) -> None:
        visible = self.visible_cards
        if col.cursor < col.top:
            col.top = col.cursor
        elif col.cursor >= col.top + visible:
            col.top = col.cursor - visible + 1
        col.top = max(0, min(col.top, max(0, len(col.source) - visible)))

    # --- geometry ------------------------------------------------------------------------------

    @property
    def shown(self) -> int:
        """How many columns are drawn: all of them, or as many as fit ``MIN_COLUMN`` wide."""
        return min(len(self.columns), max(1, self._width // (MIN_COLUMN + 1)))

    @property
    def windowed(self) -> bool:
        return self.shown < len(self.columns)

    @property
    def header_lines(self) -> int:
        return HEADER_LINES + self.windowed

    def _follow_focus(self) -> None:
        """Scroll the window of columns just enough to show the focused one."""
        shown = self.shown
        if self.focus_column < self.first:
            self.first = self.focus_column
        elif self.focus_column >= self.first + shown:
            self.first = self.focus_column - shown + 1
        self.first = max(0, min(self.first, len(self.columns) - shown))

    def _layout(self) -> list[int]:
        """Width of each shown column's text area (each is followed by a one-cell gutter)."""
        self._follow_focus()
        shown, width = self.shown, self._width
        key = (width, len(self.columns), self.first)
        if key == self._layout_key:
            return self._widths
        widths = [width // max(1, shown) - 1] * shown
        for i in range(width - sum(w + 1 for w in widths) if shown else 0):
            widths[i % shown] += 1
        self._widths = widths
        self._layout_key = key
        return self._widths

    def _column_x(self, column: int) -> int:
        return sum(w + 1 for w in self._layout()[: column - self.first])

    def _card_region(self, column: int, index: int) -> Region:
        widths = self._layout()
        if not self.first <= column < self.first + len(widths):
            return Region()
        col = self.columns[column]
        y = self.header_lines + (index - col.top) * self.card_height
        return Region(self._column_x(column), y, widths[column - self.first] + 1, self.card_height)

    def on_resize(self, event: events.Resize) -> None:
        self._width, self._height = event.size.width, event.size.height
        self._layout_key = (-1, -1, -1)
        for col in self.columns:
            self._clamp_top(col)
        self.refresh()

    # --- actions --------------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        if self.column is not None:
            self.focus_card(self.focus_column, self.column.cursor + delta)

    def action_page(self, direction: int) -> None:
        if self.column is not None:
            self.focus_card(self.focus_column, self.column.cursor + direction * self.visible_cards)

    def action_jump(self, index: int) -> None:
        if self.column is not None:
            target = index if index >= 0 else len(self.column.source) - 1
            self.focus_card(self.focus_column, target)

    def action_column(self, delta: int) -> None:
        if not self.columns:
            return
        target = max(0, min(self.focus_column + delta, len(self.columns) - 1))
        if target == self.focus_column:
            return
        # keep the same row on screen where possible
        here = self.columns[self.focus_column]
        row = here.cursor - here.top
        there = self.columns[target]
        self.focus_card(target, there.top + row)

    def action_move_card(self, delta: int) -> None:
        card = self.card
        target = self.focus_column + delta
        if card is None or not 0 <= target < len(self.columns):
            return
        assert self.column is not None
        self.post_message(
            self.MoveRequested(self, card, self.focus_column, self.column.cursor, target)
        )

    def action_open(self) -> None:
        if self.card is not None:
            self.post_message(self.Opened(self, self.card))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move_card":
            delta = int(parameters[0]) if parameters else 0  # type: ignore[call-overload]
            target = self.focus_column + delta
            return self.card is not None and 0 <= target < len(self.columns)
        if action == "open":
            return self.card is not None
        return True

    # --- mouse ------------------------------------------------------------------------------------

    def _column_at(self, x: int) -> int | None:
        edge = 0
        for i, w in enumerate(self._layout()):
            edge += w + 1
            if x < edge:
                return self.first + i
        return None

    def on_click(self, event: events.Click) -> None:
        if self.windowed and event.y == 0:  # the strip: a click there goes to that column
            for start, end, index in self._strip()[1]:
                if start <= event.x < end:
                    self.focus_card(index, self.columns[index].cursor)
            return
        column = self._column_at(event.x)
        if column is None:
            return
        col = self.columns[column]
        if event.y < self.header_lines:
            self.focus_card(column, col.cursor)
            return
        index = col.top + (event.y - self.header_lines) // self.card_height
        if index < len(col.source):
            self.focus_card(column, index)
            if event.chain >= 2:
                self.action_open()

    def _scroll_column(self, event: events.MouseEvent, delta: int) -> None:
        column = self._column_at(event.x)
        if column is None:
            return
        event.stop()
        col = self.columns[column]
        col.top = max(0, min(col.top + delta, max(0, len(col.source) - self.visible_cards)))
        if not col.top <= col.cursor < col.top + self.visible_cards:
            col.cursor = max(
                0, min(col.cursor, col.top + self.visible_cards - 1, len(col.source) - 1)
            )
            col.cursor = max(col.cursor, col.top) if len(col.source) else 0
            if column == self.focus_column:
                self._announce()
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_column(event, 3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_column(event, -3)

    # --- rendering ------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            rich = self.rich_style if not name else self.get_component_rich_style(name)
            style = self._styles[name] = rich
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def on_focus(self) -> None:
        self._styles.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self.refresh()

    def _gutter(self, col: BoardColumn, row: int, body: int) -> str:
        """The column's scrollbar: a thick thumb on a thin track when cards overflow.
        ``row`` counts from the first card line (negative in the header)."""
        total = len(col.source)
        if row < 0 or total <= self.visible_cards:
            return "│"
        thumb = max(1, body * self.visible_cards // total)
        start = (body - thumb) * col.top // max(1, total - self.visible_cards)
        return "┃" if start <= row < start + thumb else "│"

    def _strip(self) -> tuple[list[Segment], list[tuple[int, int, int]]]:
        """The line naming every column with its count, the shown ones bold, the focused
        one reversed; and where each label sits (for clicks)."""
        shown = range(self.first, self.first + self.shown)
        counts = [f"{len(col.source):,}" for col in self.columns]
        names = [col.short or col.title for col in self.columns]
        gap, room = 2, self._width - 4
        per = (room - gap * (len(names) - 1)) // max(1, len(names))
        if (
            sum(cell_len(n) + 1 + len(c) for n, c in zip(names, counts, strict=True))
            + gap * (len(names) - 1)
            > room
        ):  # cut the names, never the counts
            names = [
                _fit(n, max(1, per - 1 - len(c))).rstrip()
                for n, c in zip(names, counts, strict=True)
            ]
        muted, bold = self._style("board--strip"), self._style("board--strip-shown")
        # drawn only when columns are hidden: ◀ or the window's opening bracket comes first
        segments = [Segment("◀ " if self.first > 0 else " [", bold)]
        spans: list[tuple[int, int, int]] = []
        x = 2
        for i, (name, count) in enumerate(zip(names, counts, strict=True)):
            if i:  # the gap; a bracket in it opens or closes the window of shown columns
                opens, closes = i == shown.start, i == shown.stop
                segments.append(Segment("]" if closes else " ", bold if closes else muted))
                segments.append(Segment("[" if opens else " ", bold if opens else muted))
                x += gap
            label = f"{name} {count}"
            style = muted
            if i in shown:
                style = self._style("board--title-focus") if i == self.focus_column else bold
            segments.append(Segment(label, style))
            spans.append((x, x + cell_len(label), i))
            x += cell_len(label)
        more = self.first + self.shown < len(self.columns)
        right = "]" if shown.stop == len(self.columns) else ""
        right += " " * max(0, self._width - x - len(right) - 2) + (" ▶" if more else "")
        segments.append(Segment(right, bold))
        return segments, spans

    def render_line(self, y: int) -> Strip:
        widths = self._layout()
        if not widths:
            return Strip.blank(self._width, self.rich_style)
        if self.windowed:
            if y == 0:
                strip = Strip(self._strip()[0])
                return strip.extend_cell_length(self._width, self._style("board--strip")).crop(
                    0, self._width
                )
            y -= 1
        body = self._height - self.header_lines
        gutter = self._style("board--gutter")
        segments: list[Segment] = []
        for i, w in enumerate(widths, self.first):
            col = self.columns[i]
            segments.extend(self._cell(i, col, w, y))
            segments.append(Segment(self._gutter(col, y - HEADER_LINES, body), gutter))
        return Strip(segments).extend_cell_length(self._width, self.rich_style).crop(0, self._width)

    def _cell(self, i: int, col: BoardColumn, w: int, y: int) -> list[Segment]:
        """Line ``y`` of column ``i``, counted from its title (the strip is above)."""
        focused = i == self.focus_column
        if y == 0:
            mark = "▸" if focused and self.has_focus else " "
            name = "board--title-focus" if focused else "board--title"
            return [Segment(_fit(f"{mark}{col.title}", w), self._style(name))]
        if y == 1:
            return [Segment(_fit(f" {col.summary}", w), self._style("board--summary"))]
        if y == 2:
            return [Segment("─" * w, self._style("board--rule"))]
        h = self.card_height
        offset = y - HEADER_LINES
        index = col.top + offset // h
        line = offset % h
        total = len(col.source)
        if index >= total:
            if total == 0 and offset == 0:
                return [Segment(_fit(f" {self.empty_text}", w), self._style("board--empty"))]
            return [Segment(" " * w, self._style(""))]
        card = col.source[index]
        cursor = focused and index == col.cursor
        if cursor:
            base = self._style("board--cursor")
        elif line == 0:
            base = self._style("board--card")
        else:
            base = self._style("board--detail")
        if line == 0:
            lead = f" {card.badge} " if card.badge else " "
            prefix = _fit(lead, min(w, cell_len(lead)))
            title = card.title
            if h == 1 and card.detail:
                title = _whole_parts(f"{title} · {card.detail}", w - cell_len(prefix))
            badge_style = base
            if card.flagged and not cursor:
                badge_style = base + self._style("board--flagged")
            return [Segment(prefix, badge_style), Segment(_fit(title, w - cell_len(prefix)), base)]
        return [Segment(_fit(f"   {_whole_parts(card.detail, w - 3)}", w), base)]

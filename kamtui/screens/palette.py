"""The command palette (`ctrl+p`): every command by name, never text read as markup.

Textual's own system-command provider hands each title and help text to its markup
parser, so a key shown as ``[/]`` (the filter key) or an account name holding ``[b]``
raised ``MarkupError`` and stopped kam. Escaping is not enough (``textual.markup.escape``
leaves ``[$x]``, ``[/`` and backslashes to the parser), so this provider never passes
text to the parser at all: titles and help are literal ``Content``, which
``Content.from_markup`` returns unchanged, and the fuzzy match is highlighted here.

``KamPalette`` also guards ``pageup`` / ``pagedown``: Textual's ``OptionList._move_page``
raises ``KeyError: 0`` when the list holds options but has not been laid out yet (the
palette fills its list before it shows it; a key pressed in between killed kam). See
docs/upstream/textual-optionlist-page-empty.md.

Imported only when the palette first opens.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits
from textual.content import Content
from textual.system_commands import SystemCommandsProvider


def literal(text: str) -> str:
    """``text`` as Content, typed as the ``str`` that ``Hit.help`` declares: the palette
    hands help to ``Content.from_markup``, which returns a Content unparsed."""
    return Content(text)  # type: ignore[return-value]


def plain_title(title: str, query: str = "", matcher: object = None) -> Content:
    """The title as literal text, the letters matching the query highlighted."""
    content = Content(title)
    if matcher is None or not query:
        return content
    score, offsets = matcher.fuzzy_search.match(query, title)  # type: ignore[attr-defined]
    if not score:
        return content
    style = matcher.match_style  # type: ignore[attr-defined]
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class KamCommands(SystemCommandsProvider):
    """The app's and the current view's commands, shown as literal text."""

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda c: c[0])
        for title, help_text, callback, discover in commands:
            if discover:
                yield DiscoveryHit(
                    plain_title(title), callback, text=title, help=literal(help_text)
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                yield Hit(
                    score,
                    plain_title(title, matcher.query, matcher),
                    callback,
                    text=title,
                    help=literal(help_text),
                )


class KamPalette(CommandPalette):
    """Textual's palette with page keys that do nothing until the list can be paged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page('page_down')", "Next page", show=False),
        Binding("pageup", "page('page_up')", "Previous page", show=False),
    ]

    def action_page(self, action: str) -> None:
        commands = self.query_one(CommandList)
        if commands.option_count and commands.scrollable_content_region.area:
            getattr(commands, f"action_{action}")()

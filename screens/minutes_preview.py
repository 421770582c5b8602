"""The minutes as they will be exported, read on screen (scroll with the keyboard, Esc back)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown, TableElement
from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip


from stratui.minutes import render_markdown
from stratui.models import Discussion, DiscussionSummary
from stratui.settings import MinutesSettings, Settings
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import ScreenHeader


class FoldedTable(TableElement):
    """A table whose cells fold a word longer than the column (an email, a long name) onto the
    next line instead of cutting it with an ellipsis, as Rich does: no record text goes unseen."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = [self.header.row] if self.header is not None and self.header.row is not None else []
        rows += self.body.rows if self.body is not None else []
        for row in rows:
            for cell in row.cells:
                cell.content.overflow = "fold"
        yield from super().__rich_console__(console, options)


class MinutesMarkdown(Markdown):
    elements = {**Markdown.elements, "table_open": FoldedTable}


class MinutesView(ScrollView, can_focus=True):
    """The minutes drawn by Rich as lines, laid out once per width and scrolled by the keyboard.

    Textual's Markdown widget builds a widget per paragraph, bullet and table cell (hundreds for
    a full record) and restyles each on every open; here Rich lays the Markdown out once and the
    screen only copies the lines in view. Rich's own colours (yellow bullets, cyan code) are fixed
    ANSI colours that know nothing of the theme, so they are dropped: the text takes the theme's
    colours, and bold, italic and underline carry headings and labels on every terminal.
    """

    def __init__(self, source: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # The source is Markdown with record text escaped (stratui.minutes): Rich parses it as
        # Markdown only, never as console markup, and makes no link clickable.
        self.markdown = MinutesMarkdown(source, hyperlinks=False)
        self.lines: list[Strip] = []
        self._laid_out_at = 0

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width and width != self._laid_out_at:
            console = self.app.console
            laid_out = console.render_lines(self.markdown, console.options.update(width=width, height=None), pad=False)
            self.lines = [Strip(Segment.remove_color(line)) for line in laid_out]
            self._laid_out_at = width
            self.virtual_size = Size(width, len(self.lines))
            self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        return self.lines[index].crop_extend(scroll_x, scroll_x + width, None).apply_style(self.rich_style)


class MinutesPreviewScreen(Screen[None]):
    CSS_PATH = "minutes_preview.tcss"
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-minutes"),
        Binding("space", "page_down", "Page down", show=False, id="minutes-page-down"),
    ]

    def __init__(
        self,
        discussion: Discussion,
        settings: Settings | MinutesSettings | None = None,
        earlier: Iterable[DiscussionSummary] | None = None,
    ) -> None:
        super().__init__()
        self.discussion = discussion
        # The Markdown shown, exactly as `e` exports it.
        self.source = render_markdown(discussion, settings, earlier)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield MinutesView(self.source, id="minutes")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Minutes - {self.discussion.title} (arrows, PgUp/PgDn, Home/End)"
        self.query_one(MinutesView).focus()

    @property
    def rendered_text(self) -> str:
        """The minutes as laid out at the screen's width, as plain text (what the reader sees)."""
        return "\n".join(line.text.rstrip() for line in self.query_one(MinutesView).lines)

    def action_page_down(self) -> None:
        self.query_one(MinutesView).scroll_page_down()

"""The minutes as they will be exported, read on screen (scroll with the keyboard, Esc back)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from stratui.minutes import render_markdown
from stratui.models import Discussion, DiscussionSummary
from stratui.settings import MinutesSettings, Settings


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
        self.settings = settings
        self.earlier = earlier

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="minutes"):
            yield Markdown(render_markdown(self.discussion, self.settings, self.earlier), open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Minutes - {self.discussion.title} (arrows, PgUp/PgDn, Home/End)"
        self.query_one("#minutes", VerticalScroll).focus()

    def action_page_down(self) -> None:
        self.query_one("#minutes", VerticalScroll).scroll_page_down()

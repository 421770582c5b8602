"""A discussion's audit trail: every change, who made it and when, old and new values.

The same text as `stratui audit ID`, read-only. The record's entries are read when the screen
opens, off the UI thread (keys keep working while they come); a log that cannot be read says so
(and how to check it) instead of showing a partial history.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import get_current_worker

from stratui.audit import AuditError
from stratui.audit_history import history_text
from stratui.context import Context
from stratui.invocation import shell_command
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import reading_keys, ReadingScreen, ScreenHeader


READING = "Reading the audit trail..."


def discussion_history(context: Context, discussion_id: str) -> list[dict[str, object]] | str:
    """The record's entries, or what to tell the user instead."""
    try:
        return context.store.audit.history(discussion_id)
    except (AuditError, OSError) as exc:
        return f"The audit trail cannot be read: {exc}\nRun `{shell_command('audit verify')}` in the shell."


class HistoryScreen(ReadingScreen):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="close-history"),
        Binding("f", "toggle_full", "Full values on/off", id="history-full"),
        *reading_keys("history"),
    ]

    def __init__(self, context: Context, discussion_id: str) -> None:
        super().__init__()
        self.context = context
        self.discussion_id = discussion_id
        self.full = False
        self.entries: list[dict[str, object]] | str | None = None

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        with VerticalScroll(id="scroller"):
            yield Static(id="history")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "audit trail"
        self.query_one("#history", Static).update(READING)
        self.query_one("#scroller").focus()
        self._read()

    @work(thread=True, exclusive=True, group="history-read")
    def _read(self) -> None:
        read = discussion_history(self.context, self.discussion_id)
        if not get_current_worker().is_cancelled:  # closed while it read: nothing to show it on
            self.app.call_from_thread(self._loaded, read)

    def _loaded(self, read: list[dict[str, object]] | str) -> None:
        self.entries = read
        self._show()

    def _show(self) -> None:
        if self.entries is None or not self.is_attached:
            return  # still reading (shown when it comes), or closed meanwhile
        if isinstance(self.entries, str):
            text = self.entries
        else:
            text = history_text(self.discussion_id, self.entries, full=self.full)
        self.query_one("#history", Static).update(Text(text))  # plain: record text is not markup

    def action_toggle_full(self) -> None:
        self.full = not self.full
        self._show()


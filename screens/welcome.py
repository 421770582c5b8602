"""First start: on an empty database the dashboard opens on a short welcome.

It names the few keys that matter (looked up from the bindings, so it cannot go stale) and how to
load the demo data. Enter or Escape closes it; it shows only while no discussion is recorded
(the dashboard's `empty` class), so it is gone for good once there is one. Every other key
(n, /, ?, q...) goes straight to the dashboard: the welcome never stands in the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from rich.markup import escape

from stratui.context import Context
from stratui import invocation

if TYPE_CHECKING:
    from stratui.screens.dashboard import DashboardScreen

# How keys are written for people, not for Textual.
_KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter"}


def key_of(bindings: list[BindingType], binding_id: str) -> str:
    """The first key of the binding with this id, as a person would type it."""
    for binding in bindings:
        if isinstance(binding, Binding) and binding.id == binding_id:
            first = binding.key.split(",")[0].strip()
            return _KEY_NAMES.get(first, first)
    raise KeyError(binding_id)


def welcome_text(discussion_name: str = "strategy discussion") -> str:
    """The welcome, naming the discussion in the team's nation's words (an IRD in Scotland)."""
    from stratui.app import StratuiApp
    from stratui.screens.dashboard import DashboardScreen

    rows = [
        (key_of(DashboardScreen.BINDINGS, "new-discussion"), f"record a new {escape(discussion_name)} (during the call is fine)"),
        (key_of(DashboardScreen.BINDINGS, "search"), "search discussions by child, case reference or text"),
        (key_of(StratuiApp.BINDINGS, "help"), "every key, on every screen"),
        (StratuiApp.COMMAND_PALETTE_BINDING, "the command palette: every command by name"),
        (key_of(StratuiApp.BINDINGS, "quit"), f"quit ({key_of(DashboardScreen.BINDINGS, 'quit-dashboard')} on the dashboard); notes save as you type"),
    ]
    width = max(len(key) for key, _ in rows)
    lines = [
        "[b]Welcome to stratui.[/b] No discussions are recorded yet.",
        "",
        *(f"  [b]{key:<{width}}[/b]  {what}" for key, what in rows),
        "",
        # The command as it runs from here: after the README's install it is not on PATH.
        "To try it with realistic (fictional) data, quit and run in the shell:",
        f"  [b]{escape(invocation.shell_command('demo'))}[/b]",
        f"then start [b]{escape(invocation.stratui_command())}[/b] again.",
        "",
        "[dim]Enter or Esc closes this welcome.[/dim]",
    ]
    return "\n".join(lines)


def is_first_start(context: Context) -> bool:
    """No discussion recorded yet (one folder listing: cheap at any size)."""
    try:
        return context.store.is_empty()
    except OSError:  # the dashboard reports an unreadable database itself
        return False


class WelcomePanel(Static, can_focus=True):
    """The dashboard's welcome, shown while no discussion is recorded (its `empty` class)."""

    # Its place and frame: dashboard.tcss (a box sized to its text).
    BINDINGS = [Binding("escape,enter", "close", "Close the welcome", id="close-welcome", show=False)]

    def __init__(self) -> None:
        super().__init__(welcome_text(), id="welcome", markup=True)

    def on_mount(self) -> None:
        from stratui.screens.kit import stratui_app

        self.update(welcome_text(stratui_app(self).rules.discussion_short_name))

    @property
    def shown(self) -> bool:
        return self.display and self.screen.has_class("empty")

    def action_close(self) -> None:
        if not self.shown:
            raise SkipAction()  # the key goes on to the dashboard
        self.display = False
        self._focus_the_list()

    def on_hide(self, event: events.Hide) -> None:
        # A first discussion was recorded (or the welcome was closed): keys go to the list again.
        if self.has_focus:
            self._focus_the_list()

    def _focus_the_list(self) -> None:
        tables = self.screen.query(DataTable)
        if tables:
            tables.first().focus()
        else:
            self.screen.set_focus(None)


def welcome_on_first_start(dashboard: DashboardScreen, context: Context) -> bool:
    """Give the welcome the focus if no discussion is recorded yet (it shows only then)."""
    if not is_first_start(context):
        return False
    dashboard.query_one(WelcomePanel).focus()
    return True

"""The Textual application: built by `make_app` from a Context, the same way in the CLI and tests."""

from __future__ import annotations

import os

from textual.app import App
from textual.binding import Binding

from stratui.context import Context
from stratui.screens.dashboard import DashboardScreen


class StratuiApp(App[int]):
    TITLE = "stratui"
    SUB_TITLE = "strategy discussions"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        # NO_COLOR users (and monochrome terminals) get the terminal's own palette.
        if os.environ.get("NO_COLOR"):
            self.theme = "textual-ansi"

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen(self.context))


def make_app(context: Context) -> StratuiApp:
    return StratuiApp(context)

"""Pick what kind of discussion to start: Enter takes a strategy discussion, the usual case."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from stratui.models import DiscussionKind

KINDS = {
    "1": DiscussionKind.STRATEGY_DISCUSSION,
    "2": DiscussionKind.STRATEGY_MEETING,
    "3": DiscussionKind.NETWORK_MEETING,
}


class NewDiscussionScreen(ModalScreen[DiscussionKind | None]):
    DEFAULT_CSS = """
    NewDiscussionScreen { align: center middle; }
    NewDiscussionScreen > Vertical { width: 50; height: auto; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("enter", "pick('1')", "Strategy discussion", id="pick-default"),
        Binding("escape", "dismiss(None)", "Cancel", id="cancel"),
    ]

    def __init__(self, title: str = "New discussion") -> None:
        super().__init__()
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.heading}: which kind? (Enter = 1, Esc = cancel)")
            for key, kind in KINDS.items():
                yield Static(f" {key}  {kind.label}")

    def action_pick(self, key: str) -> None:
        self.dismiss(KINDS[key])

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.character in KINDS:
            event.stop()
            self.dismiss(KINDS[event.character])

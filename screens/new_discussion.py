"""Pick what kind of discussion to start: Enter takes a strategy discussion, the usual case."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from stratui.models import DiscussionKind
from stratui.screens.kit import TypeAheadModal

KINDS = {
    "1": DiscussionKind.STRATEGY_DISCUSSION,
    "2": DiscussionKind.STRATEGY_MEETING,
    "3": DiscussionKind.NETWORK_MEETING,
}


class NewDiscussionScreen(TypeAheadModal[DiscussionKind | None]):
    TYPE_AHEAD = None
    # Priority: the choice is made before the case reference typed after it is routed (screens.kit).
    BINDINGS = [
        Binding("enter", "pick('1')", "Strategy discussion", id="pick-default", priority=True),
        *(Binding(key, f"pick('{key}')", kind.label, id=f"pick-{key}", show=False, priority=True) for key, kind in KINDS.items()),
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

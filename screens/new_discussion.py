"""Pick what kind of discussion to start: Enter takes the first, the usual case.

The kinds are named in the team's nation's words (an IRD in Scotland), so the keys' own
descriptions name them only by number.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from stratui.models import DiscussionKind
from stratui.screens.kit import TypeAheadModal, stratui_app

KINDS = {
    "1": DiscussionKind.STRATEGY_DISCUSSION,
    "2": DiscussionKind.STRATEGY_MEETING,
    "3": DiscussionKind.NETWORK_MEETING,
}


class NewDiscussionScreen(TypeAheadModal[DiscussionKind | None]):
    TYPE_AHEAD = None
    # Priority: the choice is made before the case reference typed after it is routed (screens.kit).
    BINDINGS = [
        Binding("enter", "pick('1')", "Take 1", id="pick-default", priority=True),
        *(Binding(key, f"pick('{key}')", f"Kind {key}", id=f"pick-{key}", show=False, priority=True) for key in KINDS),
        Binding("escape", "dismiss(None)", "Cancel", id="cancel", priority=True),
    ]

    def __init__(self, title: str = "New discussion") -> None:
        super().__init__()
        self.heading = title

    def compose(self) -> ComposeResult:
        rules = stratui_app(self).rules
        with Vertical():
            yield Static(f"{self.heading}: which kind? (Enter = 1, Esc = cancel)", markup=False)
            for key, kind in KINDS.items():
                yield Static(f" {key}  {rules.kind_label(kind)}", markup=False)

    def action_pick(self, key: str) -> None:
        self.dismiss(KINDS[key])

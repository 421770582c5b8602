"""Jump to any phase with one digit (ctrl+g then 1-6): the progress strip as a menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from stratui.capture import DiscussionEditor
from stratui.phases import PHASES, Phase, phase_problems


class GoToPhaseScreen(ModalScreen[Phase | None]):
    DEFAULT_CSS = """
    GoToPhaseScreen { align: center middle; }
    GoToPhaseScreen > Vertical { width: 60; height: auto; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel")]

    def __init__(self, editor: DiscussionEditor, current: Phase) -> None:
        super().__init__()
        self.editor = editor
        self.current = current

    def compose(self) -> ComposeResult:
        nation = self.editor.context.settings.nation
        with Vertical():
            yield Static("Go to phase: press its number (Esc to stay)")
            for phase in PHASES:
                missing = len(phase_problems(self.editor.discussion, phase, nation, self.editor.context.settings))
                state = "complete" if not missing else f"{missing} to do"
                here = "  <- here" if phase is self.current else ""
                yield Static(f" {phase.number}  {phase.name:<26} {state}{here}")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.character and event.character.isdigit():
            chosen = next((phase for phase in PHASES if str(phase.number) == event.character), None)
            if chosen is not None:
                event.stop()
                self.dismiss(chosen)

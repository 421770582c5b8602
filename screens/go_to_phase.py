"""Jump to any phase with one digit (ctrl+g then 1-6): the progress strip as a menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from stratui.capture import DiscussionEditor
from stratui.phases import PHASES, Phase, phase_name, phase_problems
from stratui.screens.kit import TypeAheadModal


class GoToPhaseScreen(TypeAheadModal[Phase | None]):
    TYPE_AHEAD = None
    # Priority: the phase is chosen before the text typed after the digit is routed (screens.kit).
    BINDINGS = [
        *(
            Binding(str(phase.number), f"choose({phase.number})", phase.name, id=f"go-to-phase-{phase.number}", show=False, priority=True)
            for phase in PHASES
        ),
        Binding("escape", "dismiss(None)", "Cancel", id="cancel", priority=True),
    ]

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
                name = phase_name(phase, self.editor.discussion.kind)
                yield Static(f" {phase.number}  {name:<26} {state}{here}")

    def action_choose(self, number: int) -> None:
        self.dismiss(next(phase for phase in PHASES if phase.number == number))

"""Phase 3, decisions: each with its rationale (placeholder until the capture issue fills it)."""

from __future__ import annotations

from textual.app import ComposeResult

from stratui.phases import DECISIONS
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import ChoiceField, LongTextField


class DecisionsScreen(PhaseScreen):
    PHASE = DECISIONS

    def compose_form(self) -> ComposeResult:
        yield ChoiceField("decisions.s47_enquiry.made", "Start section 47 enquiries?")
        yield LongTextField("decisions.s47_enquiry.rationale", "Rationale")

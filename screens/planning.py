"""Phase 4, planning the enquiry (placeholder until the capture issue fills it)."""

from __future__ import annotations

from textual.app import ComposeResult

from stratui.phases import PLANNING
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import TextField


class PlanningScreen(PhaseScreen):
    PHASE = PLANNING

    def compose_form(self) -> ComposeResult:
        yield TextField("plan.lead", "Lead")

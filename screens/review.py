"""Review and sign-off (placeholder until the capture issue fills it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from stratui.phases import REVIEW, completeness
from stratui.screens.phase import PhaseScreen


class ReviewScreen(PhaseScreen):
    PHASE = REVIEW

    def compose_form(self) -> ComposeResult:
        problems = completeness(self.editor.discussion, self.editor.context.settings.nation)
        yield Static("\n".join(f"- {p}" for p in problems) or "Complete.")

"""Phase 2, analysis of risk: significant harm, risk and protective factors, safety at home."""

from __future__ import annotations

from textual.app import ComposeResult

from stratui.phases import RISK
from stratui.screens.phase import PhaseScreen
from stratui.screens.shape import shaped
from stratui.screens.widgets import ChoiceField, LinesField, LongTextField


class RiskScreen(PhaseScreen):
    PHASE = RISK

    def compose_form(self) -> ComposeResult:
        # A network meeting asks only the risk and protective factors (stratui.phases).
        yield from shaped(self.editor.discussion.kind, self._fields())

    def _fields(self) -> ComposeResult:
        yield ChoiceField("risk.significant_harm_suspected", "Reasonable cause to suspect significant harm?")
        yield LongTextField("risk.significant_harm_rationale", "Why")
        yield LinesField("risk.risk_factors", "Risk factors (one a line)")
        yield LinesField("risk.protective_factors", "Protective factors (one a line)")
        yield ChoiceField("risk.safe_at_home", "Is the child safe to remain at home?")
        yield LongTextField("risk.safe_at_home_rationale", "Why")
        yield ChoiceField("risk.other_children_at_risk", "Are other children at risk (siblings, household)?")
        yield LongTextField("risk.other_children_notes", "Which, and why")

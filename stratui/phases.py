"""The agenda's phases, in order, and what each still lacks (drives the progress strip)."""

from __future__ import annotations

from dataclasses import dataclass

from stratui.models import Discussion
from stratui.nations import attendance_gaps, medical_examination_considered


@dataclass(frozen=True)
class Phase:
    key: str
    name: str
    short: str

    @property
    def number(self) -> int:
        """Its place in PHASES from 1: the digit the strip, the title and ctrl+g all show."""
        return PHASES.index(self) + 1

    @property
    def title(self) -> str:
        return f"{self.number} {self.name}"


# All six numbered in screen order, so the digit typed after ctrl+g is the one every screen shows
# (the agenda's four phases are 2-5 here).
DETAILS = Phase("details", "Details and participants", "Details")
INFORMATION = Phase("information", "Information sharing", "Info")
RISK = Phase("risk", "Analysis of risk", "Risk")
DECISIONS = Phase("decisions", "Decisions", "Decisions")
PLANNING = Phase("planning", "Planning the enquiry", "Plan")
REVIEW = Phase("review", "Review and sign-off", "Sign-off")

PHASES: tuple[Phase, ...] = (DETAILS, INFORMATION, RISK, DECISIONS, PLANNING, REVIEW)


def phase_problems(discussion: Discussion, phase: Phase, nation: str) -> list[str]:
    if phase is DETAILS:
        medical = discussion.decisions.medical_examination
        considered = medical_examination_considered(medical.made, medical.details)
        return discussion.details_problems() + attendance_gaps(discussion.participants, nation, considered)
    if phase is INFORMATION:
        return discussion.information_problems()
    if phase is RISK:
        return discussion.risk_problems()
    if phase is DECISIONS:
        return discussion.decision_problems()
    if phase is PLANNING:
        return discussion.plan_problems()
    return [] if discussion.is_signed_off else ["Not signed off by a manager."]


def phase_complete(discussion: Discussion, phase: Phase, nation: str) -> bool:
    return not phase_problems(discussion, phase, nation)


def completeness(discussion: Discussion, nation: str) -> list[str]:
    """Everything the record still lacks before a manager can sign it off."""
    return [problem for phase in PHASES[:-1] for problem in phase_problems(discussion, phase, nation)]

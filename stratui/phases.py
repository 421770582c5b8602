"""The agenda's phases, in order, and what each still lacks (drives the progress strip)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stratui.models import Discussion
from stratui.nations import record_attendance_gaps

if TYPE_CHECKING:
    from stratui.settings import Settings


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    short: str


DETAILS = Phase("details", "Details and participants", "Details")
INFORMATION = Phase("information", "1 Information sharing", "Info")
RISK = Phase("risk", "2 Analysis of risk", "Risk")
DECISIONS = Phase("decisions", "3 Decisions", "Decisions")
PLANNING = Phase("planning", "4 Planning the enquiry", "Plan")
REVIEW = Phase("review", "Review and sign-off", "Sign-off")

PHASES: tuple[Phase, ...] = (DETAILS, INFORMATION, RISK, DECISIONS, PLANNING, REVIEW)


def phase_problems(discussion: Discussion, phase: Phase, nation: str, settings: Settings | None = None) -> list[str]:
    """What `phase` still lacks; each problem names the screen and field that settles it.

    `settings` brings the team's own agency and role names (without it, the shipped ones).
    """
    if phase is DETAILS:
        return discussion.details_problems() + record_attendance_gaps(discussion, nation, settings)
    if phase is INFORMATION:
        return discussion.information_problems()
    if phase is RISK:
        return discussion.risk_problems()
    if phase is DECISIONS:
        return discussion.decision_problems()
    if phase is PLANNING:
        return discussion.plan_problems()
    return [] if discussion.is_signed_off else ["Review and sign-off: not signed off by a manager (s signs off)."]


def phase_complete(discussion: Discussion, phase: Phase, nation: str, settings: Settings | None = None) -> bool:
    return not phase_problems(discussion, phase, nation, settings)


def completeness(discussion: Discussion, nation: str, settings: Settings | None = None) -> list[str]:
    """Everything the record still lacks before a manager can sign it off."""
    return [problem for phase in PHASES[:-1] for problem in phase_problems(discussion, phase, nation, settings)]

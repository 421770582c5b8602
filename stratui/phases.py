"""The agenda's phases, in order, and what each still lacks (drives the progress strip)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stratui.models import Discussion
from stratui.nations import ird_problems, lead_problems, record_attendance_gaps, rules_for

if TYPE_CHECKING:
    from stratui.settings import Settings


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


@dataclass(frozen=True)
class RowForm:
    """A form that adds rows to a list of the record; its half-typed row is kept under `id`."""

    id: str
    table: str
    phase: Phase
    noun: str  # "a participant": what one row is, for messages


CHILD_FORM = RowForm("child-form", "children", DETAILS, "a child")
OTHER_CHILD_FORM = RowForm("other-child-form", "other-children", DETAILS, "an other child in the household")
PARTICIPANT_FORM = RowForm("participant-form", "participants", DETAILS, "a participant")
AGENCY_FORM = RowForm("agency-form", "agency-information", INFORMATION, "an agency's information")
ACTION_FORM = RowForm("action-form", "actions", PLANNING, "an action")
INFORMATION_NEEDED_FORM = RowForm("information-needed-form", "information-needed", PLANNING, "an information request")
ADULT_FORM = RowForm("adult-form", "adults", DETAILS, "a parent or carer")
ROW_FORMS: tuple[RowForm, ...] = (
    CHILD_FORM, OTHER_CHILD_FORM, PARTICIPANT_FORM, AGENCY_FORM, ACTION_FORM, INFORMATION_NEEDED_FORM, ADULT_FORM,
)


def pending_row_problems(discussion: Discussion, phase: Phase) -> list[str]:
    """A row typed but never added is not in the record yet: sign-off must not pass over it."""
    problems = []
    for form in ROW_FORMS:
        pending = discussion.pending_rows.get(form.id)
        if form.phase is not phase or pending is None:
            continue
        if pending.get("editing"):
            problems.append(f"{phase.short}: {form.noun} row is being edited but not saved: Enter saves it, Esc cancels.")
        else:
            problems.append(f"{phase.short}: {form.noun} row is typed but not added: Enter adds it, or clear it.")
    return problems


def phase_problems(discussion: Discussion, phase: Phase, nation: str, settings: Settings | None = None) -> list[str]:
    """What `phase` still lacks; each problem names the screen and field that settles it.

    `settings` brings the team's own agency and role names (without it, the shipped ones).
    """
    return _phase_problems(discussion, phase, nation, settings) + pending_row_problems(discussion, phase)


def _phase_problems(discussion: Discussion, phase: Phase, nation: str, settings: Settings | None) -> list[str]:
    if phase is DETAILS:
        return discussion.details_problems() + record_attendance_gaps(discussion, nation, settings)
    if phase is INFORMATION:
        return discussion.information_problems()
    if phase is RISK:
        return discussion.risk_problems()
    if phase is DECISIONS:
        return discussion.decision_problems(rules_for(nation).enquiry_decision_label) + ird_problems(discussion, nation)
    if phase is PLANNING:
        return discussion.plan_problems() + lead_problems(discussion, nation)
    return [] if discussion.is_signed_off else ["Review and sign-off: not signed off by a manager (s signs off)."]


def phase_complete(discussion: Discussion, phase: Phase, nation: str, settings: Settings | None = None) -> bool:
    return not phase_problems(discussion, phase, nation, settings)


def completeness(discussion: Discussion, nation: str, settings: Settings | None = None) -> list[str]:
    """Everything the record still lacks before a manager can sign it off."""
    return [problem for phase in PHASES[:-1] for problem in phase_problems(discussion, phase, nation, settings)]

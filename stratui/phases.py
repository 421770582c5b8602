"""The agenda's phases, in order, and what each still lacks (drives the progress strip)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stratui.models import Discussion, DiscussionKind
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
# A network meeting's coordination and care-plan items: actions of their own category, on the
# phase where a strategy discussion decides.
COORDINATION_FORM = RowForm("coordination-form", "coordination", DECISIONS, "a coordination item")
CARE_PLAN_FORM = RowForm("care-plan-form", "care-plan", DECISIONS, "a care-plan item")
ROW_FORMS: tuple[RowForm, ...] = (
    CHILD_FORM, OTHER_CHILD_FORM, PARTICIPANT_FORM, AGENCY_FORM, ACTION_FORM, INFORMATION_NEEDED_FORM, ADULT_FORM,
    COORDINATION_FORM, CARE_PLAN_FORM,
)


# -- what each kind of discussion asks ---------------------------------------------------------
# One place for the shape of a kind: the phase screens show a field (by its record path) or a
# list (by its form id) only when the kind asks it, the phases are named in the kind's words,
# and the minutes follow the same names. Every kind asks everything not named below.

# Only a network meeting: its purpose, the review of the previous meeting's actions (listed
# first on Information sharing), its coordination and care-plan items.
PREVIOUS_ACTIONS = "network.previous_actions"
NETWORK_ONLY = frozenset({"network.purpose", PREVIOUS_ACTIONS, COORDINATION_FORM.id, CARE_PLAN_FORM.id})
# What a network meeting does not ask, by path prefix: it coordinates services around a child
# and family, it is not the gateway to s47 enquiries, so no significant-harm question, no
# enquiry decisions (s47, protection, joint investigation, medical, informing parents, threshold:
# the family takes part) and no enquiry plan for seeing the child or speaking to parents.
NOT_AT_NETWORK = (
    "risk.significant_harm_",
    "risk.safe_at_home",
    "risk.other_children_",
    "decisions.",
    "plan.child_seen",
    "plan.parents_spoken_to",
)
# A network meeting's names for the phases it shapes differently (phase key -> name, short).
NETWORK_PHASE_NAMES = {
    "risk": ("Risk and protective factors", "Risk"),
    "decisions": ("Coordination and care plan", "Coord"),
    "planning": ("Actions and next meeting", "Actions"),
}
# Field labels a network meeting words its own way (path -> label).
NETWORK_LABELS = {
    "plan.reconvene_on": "Next meeting on",
    "plan.lead": "Lead professional",
}


def asks(kind: DiscussionKind, name: str) -> bool:
    """Whether a discussion of `kind` asks the field at path `name` (or the list of form id `name`)."""
    if kind is DiscussionKind.NETWORK_MEETING:
        return not name.startswith(NOT_AT_NETWORK)
    return name not in NETWORK_ONLY


def phase_name(phase: Phase, kind: DiscussionKind) -> str:
    if kind is DiscussionKind.NETWORK_MEETING and phase.key in NETWORK_PHASE_NAMES:
        return NETWORK_PHASE_NAMES[phase.key][0]
    return phase.name


def phase_short(phase: Phase, kind: DiscussionKind) -> str:
    if kind is DiscussionKind.NETWORK_MEETING and phase.key in NETWORK_PHASE_NAMES:
        return NETWORK_PHASE_NAMES[phase.key][1]
    return phase.short


def phase_title(phase: Phase, kind: DiscussionKind) -> str:
    return f"{phase.number} {phase_name(phase, kind)}"


def label_for(kind: DiscussionKind, path: str, label: str) -> str:
    """A field's label in the words of the kind (`label`: everyone else's)."""
    return NETWORK_LABELS.get(path, label) if kind is DiscussionKind.NETWORK_MEETING else label


def attendance_gaps_for(discussion: Discussion, nation: str, settings: Settings | None = None) -> list[str]:
    """Who the nation expects at the table and the record does not account for.

    A network meeting has no minimum attendees: the nation's minimum agencies (police, health,
    the manager) are the rule for a strategy discussion deciding on child-protection enquiries;
    a network meeting brings together whichever professionals and family members the plan
    needs, and decides no medical examination.
    """
    if discussion.kind is DiscussionKind.NETWORK_MEETING:
        return []
    return record_attendance_gaps(discussion, nation, settings)


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
        return discussion.details_problems() + attendance_gaps_for(discussion, nation, settings)
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

"""The record of a strategy discussion (or meeting), as pydantic models.

Everything DOMAIN.md says the record must hold lives here, with the rules that keep it
coherent. Messages are written for a social worker, not a programmer.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, model_validator
from pydantic import BeforeValidator

from stratui.text import neutralise

SCHEMA_VERSION = 2

# The statutory deadlines a milestone closes (stratui.deadlines.DeadlineKind, less actions).
MILESTONE_KEYS = frozenset(
    {"discussion", "conference", "minutes", "reconvene", "parents-review", "assessment", "follow-up-meeting"}
)


def _neutralised(value: object) -> object:
    # Not a string: left for pydantic to report ("Input should be a valid string").
    return neutralise(value) if isinstance(value, str) else value


# Every text of the record, however it arrives (typed, pasted, imported, read back from a file
# written by an older version or by hand), is neutralised before it is checked: control and
# bidi characters become visible stand-ins (stratui.text), so record text never commands a
# terminal. The validator listed last runs first, so the stand-ins count towards the limits.
# Generous limits: a record is typed during a call, but a pasted report must still fit.
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), BeforeValidator(_neutralised)]
LongText = Annotated[str, StringConstraints(max_length=100_000), BeforeValidator(_neutralised)]
# Ids of parts of the record (participants, actions, earlier discussions): neutralised, kept whole.
RecordId = Annotated[str, BeforeValidator(_neutralised)]


def new_id() -> str:
    return uuid.uuid4().hex


class DiscussionKind(StrEnum):
    STRATEGY_DISCUSSION = "strategy-discussion"
    STRATEGY_MEETING = "strategy-meeting"
    NETWORK_MEETING = "network-meeting"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class MeetingFormat(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in-person"
    MIXED = "mixed"


class Attendance(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    WRITTEN = "written-information"

    @property
    def label(self) -> str:
        return {"present": "present", "absent": "absent", "written-information": "sent written information"}[
            self.value
        ]


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    # Reviewed at a follow-up discussion and carried into it: the follow-up holds the live copy.
    CARRIED_OVER = "carried-over"


class DiscussionStatus(StrEnum):
    DRAFT = "draft"
    SIGNED_OFF = "signed-off"


class Record(BaseModel):
    """Base for every part of the record: unknown keys are an error, not silently dropped.

    Assignment is not validated field by field (closing an action changes several fields at
    once); the store validates the whole record before every write instead.
    """

    model_config = ConfigDict(extra="forbid")


class Child(Record):
    name: ShortText
    date_of_birth: date | None = None
    notes: LongText = ""


class Participant(Record):
    id: RecordId = Field(default_factory=new_id)
    name: ShortText
    role: ShortText = ""
    agency: ShortText = ""
    attendance: Attendance = Attendance.PRESENT
    # Why someone was absent, or how their written information arrived: the record must say.
    absence_reason: LongText = ""


class AgencyInformation(Record):
    agency: ShortText
    shared_by: ShortText = ""
    summary: LongText = ""


class InformationSharing(Record):
    concerns: LongText = ""
    how_concerns_came_to_light: LongText = ""
    agency_information: list[AgencyInformation] = []
    family_history: LongText = ""
    current_circumstances: LongText = ""
    lived_experience: LongText = ""
    source_reliability: LongText = ""
    possibly_malicious: bool = False


class RiskAnalysis(Record):
    significant_harm_suspected: bool | None = None
    significant_harm_rationale: LongText = ""
    risk_factors: list[LongText] = []
    protective_factors: list[LongText] = []
    safe_at_home: bool | None = None
    safe_at_home_rationale: LongText = ""
    other_children_at_risk: bool | None = None
    other_children_notes: LongText = ""


class Decision(Record):
    """A yes/no decision and why. `made is None` means not decided yet."""

    made: bool | None = None
    rationale: LongText = ""
    details: LongText = ""


class MedicalExamination(Decision):
    examination_type: ShortText = ""
    conducted_by: ShortText = ""
    consent: LongText = ""
    timescale: ShortText = ""


class ParentsInformed(Decision):
    """Whether parents/carers are told. A "no" needs a rationale and a review date."""

    who_informs: ShortText = ""
    inform_by: date | None = None
    review_date: date | None = None


class ThresholdDisagreement(Record):
    disagreement: bool = False
    details: LongText = ""
    resolution: LongText = ""
    escalated: bool = False
    escalated_to: ShortText = ""


class Decisions(Record):
    s47_enquiry: Decision = Decision()
    immediate_protection: Decision = Decision()
    joint_investigation: Decision = Decision()
    legal_advice: Decision = Decision()
    medical_examination: MedicalExamination = MedicalExamination()
    inform_parents: ParentsInformed = ParentsInformed()
    threshold: ThresholdDisagreement = ThresholdDisagreement()
    # When no s47 is started: e.g. continue the child and family assessment.
    no_s47_next_steps: LongText = ""


class InformationRequest(Record):
    what: LongText
    from_whom: ShortText = ""


class EnquiryPlan(Record):
    lead: ShortText = ""
    lead_agency: ShortText = ""
    child_seen_by: ShortText = ""
    child_seen_on: date | None = None
    information_needed: list[InformationRequest] = []
    parents_spoken_to_by: ShortText = ""
    parents_spoken_to_on: date | None = None
    contingency: LongText = ""
    reconvene_on: date | None = None


class Action(Record):
    id: RecordId = Field(default_factory=new_id)
    text: LongText
    owner: ShortText = ""
    agency: ShortText = ""
    due: date | None = None
    contingency: LongText = ""
    status: ActionStatus = ActionStatus.OPEN
    closed_on: date | None = None
    closed_by: ShortText = ""
    # A completion note, or the reason an action was dropped.
    closing_note: LongText = ""
    # The id of the earlier discussion's action this one was carried over from.
    carried_from: RecordId | None = None

    @model_validator(mode="after")
    def _closed_actions_say_when(self, info: ValidationInfo) -> Action:
        if _is_draft(info):
            return self
        if self.status is ActionStatus.OPEN:
            if self.closed_on or self.closed_by:
                raise ValueError(f"action '{_short(self.text)}' is open but has a completion date or person")
        else:
            if self.closed_on is None:
                raise ValueError(f"action '{_short(self.text)}' is {self.status.value} but has no date it was closed")
            if self.status is ActionStatus.DROPPED and not self.closing_note.strip():
                raise ValueError(f"action '{_short(self.text)}' was dropped without a reason")
        return self

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN


class Addendum(Record):
    """A change after sign-off: never an edit in place, always who, when and why."""

    id: RecordId = Field(default_factory=new_id)
    author: ShortText
    written_at: datetime
    reason: LongText
    text: LongText

    @model_validator(mode="after")
    def _needs_reason_and_text(self) -> Addendum:
        if not self.reason.strip():
            raise ValueError("an addendum needs a reason")
        if not self.text.strip():
            raise ValueError("an addendum needs some text")
        return self


class Milestone(Record):
    """A statutory step recorded as done (minutes circulated, ICPC held...), closing its deadline.

    `key` names the deadline it meets: see stratui.deadlines.DeadlineKind.
    """

    key: ShortText
    on: date
    by: ShortText = ""
    note: LongText = ""

    @model_validator(mode="after")
    def _key_names_a_deadline(self) -> Milestone:
        # A misspelt key would silently leave its deadline open on everyone's dashboard.
        if self.key not in MILESTONE_KEYS:
            raise ValueError(f"'{self.key}' is not a deadline a milestone can close ({', '.join(sorted(MILESTONE_KEYS))})")
        return self


class SignOff(Record):
    manager: ShortText
    signed_at: datetime


class Discussion(Record):
    schema_version: int = SCHEMA_VERSION
    id: str = Field(default_factory=new_id, pattern=r"^[0-9a-f]{32}$")
    # Bumped by the store on every save; a save based on an older revision is a conflict.
    revision: int = 0
    kind: DiscussionKind = DiscussionKind.STRATEGY_DISCUSSION
    case_ref: ShortText = ""
    children: list[Child] = []
    other_children: list[Child] = []
    concern_date: date
    concern_source: LongText = ""
    referral_date: date | None = None
    held_on: date
    held_at: time | None = None
    format: MeetingFormat = MeetingFormat.PHONE
    social_worker: ShortText = ""
    participants: list[Participant] = []
    information: InformationSharing = InformationSharing()
    risk: RiskAnalysis = RiskAnalysis()
    decisions: Decisions = Decisions()
    plan: EnquiryPlan = EnquiryPlan()
    actions: list[Action] = []
    milestones: list[Milestone] = []
    status: DiscussionStatus = DiscussionStatus.DRAFT
    sign_off: SignOff | None = None
    addenda: list[Addendum] = []
    previous_discussion_ids: list[RecordId] = []
    created_at: datetime | None = None
    created_by: ShortText = ""
    updated_at: datetime | None = None
    updated_by: ShortText = ""

    @model_validator(mode="after")
    def _dates_are_coherent(self, info: ValidationInfo) -> Discussion:
        if _is_draft(info):
            return self
        if self.held_on < self.concern_date:
            raise ValueError(
                f"the discussion date ({format_date(self.held_on)}) is before the concern was raised "
                f"({format_date(self.concern_date)})"
            )
        for action in self.actions:
            # A carried-over action keeps its original (possibly earlier) due date.
            if action.carried_from is None and action.due is not None and action.due < self.held_on:
                raise ValueError(
                    f"action '{_short(action.text)}' is due on {format_date(action.due)}, before the "
                    f"discussion on {format_date(self.held_on)}: a due date cannot be earlier than the discussion"
                )
        for label, day in (
            ("the reconvene date", self.plan.reconvene_on),
            ("the review of not informing parents", self.decisions.inform_parents.review_date),
        ):
            if day is not None and day < self.held_on:
                raise ValueError(
                    f"{label} ({format_date(day)}) is before the discussion on {format_date(self.held_on)}"
                )
        if (self.status is DiscussionStatus.SIGNED_OFF) != (self.sign_off is not None):
            raise ValueError("a signed-off record must name the manager who signed it off, and only then")
        ids = [a.id for a in self.actions]
        if len(ids) != len(set(ids)):
            raise ValueError("two actions share the same id")
        return self

    # -- reading ---------------------------------------------------------------------

    @property
    def is_signed_off(self) -> bool:
        return self.status is DiscussionStatus.SIGNED_OFF

    @property
    def title(self) -> str:
        names = ", ".join(c.name for c in self.children) or "no child named"
        return f"{self.case_ref or 'no case ref'}: {names}"

    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.is_open]

    def action(self, action_id: str) -> Action:
        for candidate in self.actions:
            if candidate.id == action_id:
                return candidate
        raise KeyError(action_id)

    def close_action(self, action_id: str, status: ActionStatus, on: date, by: str, note: str = "") -> Action:
        """Mark an action done, dropped (with a reason) or carried over; the store validates the result."""
        if status is ActionStatus.OPEN:
            raise ValueError("use reopen_action to reopen an action")
        action = self.action(action_id)
        action.status, action.closed_on, action.closed_by, action.closing_note = status, on, by, note
        return action

    def reopen_action(self, action_id: str) -> Action:
        action = self.action(action_id)
        action.status, action.closed_on, action.closed_by, action.closing_note = ActionStatus.OPEN, None, "", ""
        return action

    def milestone(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    def absentees(self) -> list[Participant]:
        return [p for p in self.participants if p.attendance is not Attendance.PRESENT]

    def sign_off_problems(self) -> list[str]:
        """What the record itself still lacks before sign-off (DOMAIN.md "The record").

        Who must attend depends on the nation: see nations.attendance_gaps.
        """
        return (
            self.details_problems()
            + self.information_problems()
            + self.risk_problems()
            + self.decision_problems()
            + self.plan_problems()
        )

    def details_problems(self) -> list[str]:
        problems: list[str] = []
        if not self.case_ref:
            problems.append("No case reference.")
        if not self.children:
            problems.append("No child named.")
        if not self.participants:
            problems.append("No participants recorded.")
        for p in self.absentees():
            if not p.absence_reason.strip():
                problems.append(f"{p.name} ({p.agency or 'no agency'}) is {p.attendance.label}: say why or what was sent.")
        return problems

    def information_problems(self) -> list[str]:
        return [] if self.information.concerns.strip() else ["The nature of the concerns is not recorded."]

    def risk_problems(self) -> list[str]:
        if self.kind is DiscussionKind.NETWORK_MEETING or self.risk.significant_harm_suspected is not None:
            return []
        return ["Risk analysis: is there reasonable cause to suspect significant harm? Not answered."]

    def plan_problems(self) -> list[str]:
        problems = [
            f"Action '{_short(action.text)}' needs a named owner and a due date."
            for action in self.actions
            if action.is_open and (not action.owner or action.due is None)
        ]
        if self.plan.reconvene_on is None and not self.open_actions():
            problems.append("No review or reconvene date.")
        return problems

    def decision_problems(self) -> list[str]:
        if self.kind is DiscussionKind.NETWORK_MEETING:
            return []
        problems: list[str] = []
        d = self.decisions
        named = {
            "Start section 47 enquiries": d.s47_enquiry,
            "Immediate protective action": d.immediate_protection,
            "Joint investigation with police": d.joint_investigation,
            "Legal advice": d.legal_advice,
            "Medical examination": d.medical_examination,
            "Inform parents/carers": d.inform_parents,
        }
        for label, decision in named.items():
            if decision.made is None:
                problems.append(f"Decision not made: {label}.")
            elif not decision.rationale.strip():
                problems.append(f"Decision '{label}' has no rationale.")
        if d.inform_parents.made is False and d.inform_parents.review_date is None:
            problems.append("Parents are not to be informed: set a date to review that decision.")
        if d.threshold.disagreement and not (d.threshold.resolution.strip() or d.threshold.escalated):
            problems.append("A disagreement about the threshold is recorded without how it was resolved or escalated.")
        return problems

    def summary(self) -> DiscussionSummary:
        return DiscussionSummary.of(self)


class ActionSummary(BaseModel):
    id: RecordId
    text: LongText
    owner: ShortText
    agency: ShortText
    due: date | None
    status: ActionStatus


class DiscussionSummary(BaseModel):
    """What the index keeps of a discussion: enough for the dashboard, deadlines and search."""

    id: RecordId
    revision: int
    kind: DiscussionKind
    status: DiscussionStatus
    case_ref: ShortText
    children: list[ShortText]
    social_worker: ShortText
    concern_date: date
    referral_date: date | None
    held_on: date
    format: MeetingFormat
    s47_started: bool | None
    parents_informed: bool | None
    parents_review_date: date | None
    reconvene_on: date | None
    milestones: dict[ShortText, date]
    actions: list[ActionSummary]
    previous_discussion_ids: list[RecordId]
    updated_at: datetime | None

    @classmethod
    def of(cls, d: Discussion) -> DiscussionSummary:
        return cls(
            id=d.id,
            revision=d.revision,
            kind=d.kind,
            status=d.status,
            case_ref=d.case_ref,
            children=[c.name for c in d.children],
            social_worker=d.social_worker,
            concern_date=d.concern_date,
            referral_date=d.referral_date,
            held_on=d.held_on,
            format=d.format,
            s47_started=d.decisions.s47_enquiry.made,
            parents_informed=d.decisions.inform_parents.made,
            parents_review_date=d.decisions.inform_parents.review_date,
            reconvene_on=d.plan.reconvene_on,
            milestones={m.key: m.on for m in d.milestones},
            actions=[
                ActionSummary(id=a.id, text=a.text, owner=a.owner, agency=a.agency, due=a.due, status=a.status)
                for a in d.actions
            ],
            previous_discussion_ids=list(d.previous_discussion_ids),
            updated_at=d.updated_at,
        )


def _is_draft(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("draft"))


def load_draft(data: dict) -> Discussion:
    """A working copy that may still break the record's rules (a half-typed recovery draft).

    Field types are still checked; only the rules between fields are left for the save.
    """
    return Discussion.model_validate(data, context={"draft": True})


def format_date(day: date) -> str:
    """Dates as UK social workers write them: 3 Dec 2026."""
    return f"{day.day} {day:%b %Y}"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain_validation_error(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into lines a social worker can act on."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        elif item["type"] == "extra_forbidden":
            message = "not a field of the record"
        elif item["type"] == "missing":
            message = "is required"
        elif item["type"] == "string_pattern_mismatch":
            message = "not in the expected form"
        elif item["type"].startswith("date"):
            message = "not a valid date (use YYYY-MM-DD)"
        lines.append(f"{where}: {message}" if where else message)
    return lines

"""The record of a strategy discussion (or meeting), as pydantic models.

Everything DOMAIN.md says the record must hold lives here, with the rules that keep it
coherent. Messages are written for a social worker, not a programmer.
Over 500 lines on purpose: it is the record's one schema, in the agenda's order, each rule
between fields beside the fields it ties; split, a field and the rule that gates it would
live apart.
"""

from __future__ import annotations

import functools
import types
import typing
import uuid
from datetime import date, datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from stratui.family import ChildProfile, Family
from stratui.terminal import shorten
# The record's text types live beside the rules for unsafe characters (stratui.family uses them too).
from stratui.text_types import ONE_LINE, ONE_LINE_LIMIT, LongText, RecordId, ShortText, TextLimit

SCHEMA_VERSION = 5

# The statutory deadlines a milestone closes (stratui.deadlines.DeadlineKind, less actions).
MILESTONE_KEYS = frozenset(
    {"discussion", "conference", "minutes", "reconvene", "parents-review", "assessment", "follow-up-meeting"}
    # Scotland: the CPPM's own record (minutes) circulated.
    | {"conference-record"}
)


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
    # Copied from an earlier discussion (a follow-up): who took part this time is not known yet.
    TO_CONFIRM = "to-confirm"

    @property
    def label(self) -> str:
        return {
            "present": "present",
            "absent": "absent",
            "written-information": "sent written information",
            "to-confirm": "to confirm",
        }[self.value]


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    # Reviewed at a follow-up discussion and carried into it: the follow-up holds the live copy.
    CARRIED_OVER = "carried-over"


class ActionCategory(StrEnum):
    """What a row of the record's actions is: a network meeting agrees coordination and
    care-plan items too, each with an owner and a due date like any action (and tracked,
    carried and closed like one)."""

    ACTION = "action"
    COORDINATION = "coordination"
    CARE_PLAN = "care-plan"

    @property
    def label(self) -> str:
        return {"action": "action", "coordination": "coordination item", "care-plan": "care-plan item"}[self.value]


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
    # When the date of birth is not known: "4", "about 7", "unborn, due Mar 2027".
    age: ShortText = ""
    notes: LongText = ""
    # More about the child (the detail form): optional, blank in older records.
    profile: ChildProfile = ChildProfile()

    @property
    def born(self) -> str:
        """How old the child is, as the record has it: "date of birth 3 Mar 2019", "age about 7"."""
        if self.date_of_birth is not None:
            return f"date of birth {format_date(self.date_of_birth)}"
        if self.profile.due_date is not None:
            return f"unborn, due {format_date(self.profile.due_date)}"
        return f"age {self.age}" if self.age else ""


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
    # An examination is considered but no medical professional takes part: the record says why.
    no_medical_professional_reason: LongText = ""


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


class ReporterReferral(Decision):
    """Scotland: whether the child is referred to the Children's Reporter (made None: not decided yet)."""

    referred_on: date | None = None


class IRDDecisions(Record):
    """What a Scottish IRD decides besides the enquiry (National Guidance for Child Protection in
    Scotland 2021, updated 2023). All optional and blank in older records and other nations."""

    # Where the local area still has a Named Person service: who it is for the child.
    named_person: ShortText = ""
    interim_safety_plan: LongText = ""
    # The joint investigative interview (Scottish Child Interview Model).
    joint_investigative_interview: Decision = Decision()
    reporter_referral: ReporterReferral = ReporterReferral()

    @property
    def is_blank(self) -> bool:
        return self == IRDDecisions()


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
    # Scotland's IRD only (shown and printed for Scottish teams).
    ird: IRDDecisions = IRDDecisions()


class InformationRequest(Record):
    what: LongText
    from_whom: ShortText = ""


class EnquiryPlan(Record):
    lead: ShortText = ""
    lead_agency: ShortText = ""
    child_seen_by: ShortText = ""
    child_seen_on: date | None = None
    # The time on that day, when one was agreed ("seen by 4pm").
    child_seen_at: time | None = None
    information_needed: list[InformationRequest] = []
    parents_spoken_to_by: ShortText = ""
    parents_spoken_to_on: date | None = None
    parents_spoken_to_at: time | None = None
    contingency: LongText = ""
    reconvene_on: date | None = None

    # Each date with its time as one value, so a form sets both in one change and a time never
    # outlives the date it belonged to.
    @property
    def child_seen(self) -> tuple[date | None, time | None]:
        return self.child_seen_on, self.child_seen_at

    @child_seen.setter
    def child_seen(self, value: tuple[date | None, time | None]) -> None:
        self.child_seen_on, self.child_seen_at = value

    @property
    def parents_spoken_to(self) -> tuple[date | None, time | None]:
        return self.parents_spoken_to_on, self.parents_spoken_to_at

    @parents_spoken_to.setter
    def parents_spoken_to(self, value: tuple[date | None, time | None]) -> None:
        self.parents_spoken_to_on, self.parents_spoken_to_at = value


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
    category: ActionCategory = ActionCategory.ACTION

    def closing_problems(self) -> list[str]:
        """A closed action says when (and a dropped one why); an open one has no closing date."""
        if self.status is ActionStatus.OPEN:
            if self.closed_on or self.closed_by:
                return [f"Action '{_short(self.text)}' is open but has a completion date or person."]
            return []
        if self.closed_on is None:
            return [f"Action '{_short(self.text)}' is {self.status.value} but has no date it was closed."]
        if self.status is ActionStatus.DROPPED and not self.closing_note.strip():
            return [f"Action '{_short(self.text)}' was dropped without a reason."]
        return []

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


class EnquiryOutcomeKind(StrEnum):
    """How the enquiry (s47, Article 66) or the IRD's investigation concluded (Wales: its determination)."""

    # Concerns substantiated and the child at continuing risk of significant harm: convene the conference.
    CONFERENCE = "conference"
    NOT_SUBSTANTIATED = "not-substantiated"
    # Substantiated, but no continuing risk of significant harm (care and support needs may remain).
    NO_CONTINUING_RISK = "no-continuing-risk"
    # No conference now: the assessment of the child's needs goes on.
    CONTINUE_ASSESSMENT = "continue-assessment"

    @property
    def needs_conference(self) -> bool:
        return self is EnquiryOutcomeKind.CONFERENCE

    @property
    def label(self) -> str:
        return {
            "conference": "concerns substantiated, child at continuing risk: conference needed",
            "not-substantiated": "concerns not substantiated: no conference",
            "no-continuing-risk": "substantiated, no continuing risk of significant harm: no conference",
            "continue-assessment": "no conference now: continue the assessment",
        }[self.value]


class EnquiryOutcome(Record):
    """What the enquiry concluded, recorded after the discussion; any outcome but a conference says why."""

    outcome: EnquiryOutcomeKind
    on: date
    by: ShortText = ""
    reason: LongText = ""

    @model_validator(mode="after")
    def _no_conference_says_why(self) -> EnquiryOutcome:
        if not self.outcome.needs_conference and not self.reason.strip():
            raise ValueError("an enquiry outcome without a conference needs the reason no conference is needed")
        return self


class ConferenceOutcome(Record):
    """The conference (ICPC, CPPM, case conference) held: when, and whether a child protection plan followed."""

    held_on: date
    by: ShortText = ""
    # None: not recorded yet (e.g. a conference recorded as held before its outcome was known).
    child_protection_plan: bool | None = None
    # Category of abuse the plan is under (England: neglect, physical, sexual, emotional abuse).
    category: ShortText = ""
    note: LongText = ""


class FollowUpReason(StrEnum):
    """Why a follow-up discussion is held (DOMAIN.md "Follow-up discussions")."""

    NEW_INFORMATION = "new-information"
    CHANGE_OF_CIRCUMSTANCES = "change-of-circumstances"
    PROGRESS_REVIEW = "progress-review"
    BEFORE_KEY_DECISION = "before-key-decision"
    ENQUIRY_STALLED = "enquiry-stalled"

    @property
    def label(self) -> str:
        return {
            "new-information": "new information",
            "change-of-circumstances": "change of circumstances",
            "progress-review": "review of progress",
            "before-key-decision": "before a key decision",
            "enquiry-stalled": "the enquiry is not progressing",
        }[self.value]


# A family member at a network meeting is a participant of this agency, their role their
# relationship to the child ("mother", "grandfather"): matched exactly, so a "family support
# service" is a professional, not the family.
FAMILY = "Family"


def is_family(participant: Participant) -> bool:
    return participant.agency.strip().casefold() == FAMILY.casefold()


def people_present(discussion: Discussion) -> list[str]:
    """Who took part, the social worker last, once each: the names offered for an owner or decision-maker."""
    names = [p.name for p in discussion.participants] + [discussion.social_worker]
    return list(dict.fromkeys(name for name in names if name))


# The state each of the previous meeting's actions was in once this meeting reviewed it.
REVIEW_LABELS = {
    ActionStatus.OPEN: "not reviewed",
    ActionStatus.DONE: "done",
    ActionStatus.DROPPED: "dropped",
    ActionStatus.CARRIED_OVER: "carried",
}


class NetworkMeeting(Record):
    """What only a network meeting records: its purpose, and the review of the previous
    meeting's actions, every one of them (done, carried, dropped), which it takes first."""

    purpose: LongText = ""
    # Copies of the previous meeting's actions, each with the state the review left it in: the
    # minutes show them all, though only the carried ones are live in this meeting's actions.
    previous_actions: list[Action] = []

    def start_review(self, previous: Discussion) -> None:
        """Every action of `previous`: the closed ones as they were closed, the open ones to review."""
        self.previous_actions = [a.model_copy(deep=True) for a in previous.actions]

    def reviewed(self, action_id: str, status: ActionStatus, on: date, by: str, note: str) -> bool:
        """The review settled the previous meeting's action `action_id` (carried, done or dropped);
        False when this meeting holds no review of it (not a network meeting)."""
        status = ActionStatus.CARRIED_OVER if status is ActionStatus.OPEN else status
        for action in self.previous_actions:
            if action.id == action_id:
                action.status, action.closed_on, action.closed_by, action.closing_note = status, on, by, note
                return True
        return False


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
    # The adults, the referrer, consent to share, parents told: optional, blank in older records.
    family: Family = Family()
    # A network meeting's own parts (blank for every other kind, and in older records).
    network: NetworkMeeting = NetworkMeeting()
    information: InformationSharing = InformationSharing()
    risk: RiskAnalysis = RiskAnalysis()
    decisions: Decisions = Decisions()
    plan: EnquiryPlan = EnquiryPlan()
    actions: list[Action] = []
    milestones: list[Milestone] = []
    status: DiscussionStatus = DiscussionStatus.DRAFT
    sign_off: SignOff | None = None
    addenda: list[Addendum] = []
    # Rows typed in a row form but not yet added (form id -> box -> text): kept so that leaving
    # the screen or a dropped connection loses nothing; never part of the minutes.
    pending_rows: dict[str, dict[str, LongText]] = {}
    previous_discussion_ids: list[RecordId] = []
    # A follow-up says why it is held (new information, a review...).
    follow_up_reason: FollowUpReason | None = None
    # Recorded after the discussion, on the tracking path (like milestones): they close the
    # conference deadline (stratui.deadlines).
    enquiry_outcome: EnquiryOutcome | None = None
    conference_outcome: ConferenceOutcome | None = None
    created_at: datetime | None = None
    created_by: ShortText = ""
    updated_at: datetime | None = None
    updated_by: ShortText = ""

    @model_validator(mode="after")
    def _structure_holds(self) -> Discussion:
        # What the store and the deadlines rely on, whatever the state of the draft.
        if (self.status is DiscussionStatus.SIGNED_OFF) != (self.sign_off is not None):
            raise ValueError("a signed-off record must name the manager who signed it off, and only then")
        ids = [a.id for a in self.actions]
        if len(ids) != len(set(ids)):
            raise ValueError("two actions share the same id")
        # A draft may break the rules between its fields while it is typed (they are problems
        # to fix before sign-off, see rule_problems); a signed-off record keeps every one.
        if self.is_signed_off:
            broken = self.rule_problems()
            if broken:
                raise ValueError("a signed-off record must meet every rule: " + " ".join(broken))
        return self

    # -- the rules between fields ---------------------------------------------------------

    def rule_problems(self) -> list[str]:
        """Every rule between the record's fields it breaks: a draft is saved anyway, sign-off waits."""
        return [problem for section in RULE_SECTIONS for problem in self._rule_problems(section)]

    def _rule_problems(self, section: str) -> list[str]:
        """The rules broken in one section of the record ("details", "decisions", "plan"...)."""
        problems = [text for _where, text in _too_long(self, section=section)]
        if section == "details" and self.held_on < self.concern_date:
            problems.append(
                f"The discussion date ({format_date(self.held_on)}) is before the concern was raised "
                f"({format_date(self.concern_date)})."
            )
        if section == "decisions":
            problems += self._before_the_discussion(
                "The review of not informing parents", self.decisions.inform_parents.review_date
            )
        if section == "plan":
            problems += self._before_the_discussion("The reconvene date", self.plan.reconvene_on)
            for action in self.actions:
                # A carried-over action keeps its original (possibly earlier) due date.
                if action.carried_from is None and action.due is not None and action.due < self.held_on:
                    problems.append(
                        f"Action '{_short(action.text)}' is due on {format_date(action.due)}, before the "
                        f"discussion on {format_date(self.held_on)}: a due date cannot be earlier than the discussion."
                    )
                problems += action.closing_problems()
        return problems

    def _before_the_discussion(self, label: str, day: date | None) -> list[str]:
        if day is not None and day < self.held_on:
            return [f"{label} ({format_date(day)}) is before the discussion on {format_date(self.held_on)}."]
        return []

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

    def record_enquiry_outcome(self, outcome: EnquiryOutcomeKind, on: date, by: str, reason: str = "") -> EnquiryOutcome:
        """The enquiry's outcome, recorded once (a later change is an addendum's business)."""
        if self.enquiry_outcome is not None:
            raise ValueError(f"the outcome is already recorded ({self.enquiry_outcome.outcome.label})")
        self.enquiry_outcome = EnquiryOutcome(outcome=outcome, on=on, by=by, reason=reason)
        return self.enquiry_outcome

    def record_conference(
        self, held_on: date, by: str, plan: bool | None, category: str = "", note: str = ""
    ) -> ConferenceOutcome:
        if self.conference_held_on() is not None:
            raise ValueError(f"the conference is already recorded as held on {format_date(self.conference_held_on())}")
        if self.enquiry_outcome is not None and not self.enquiry_outcome.outcome.needs_conference:
            raise ValueError(f"the outcome recorded needs no conference ({self.enquiry_outcome.outcome.label})")
        self.conference_outcome = ConferenceOutcome(
            held_on=held_on, by=by, child_protection_plan=plan, category=category, note=note
        )
        return self.conference_outcome

    def milestones_met(self) -> dict[str, date]:
        """Each statutory step met and when: the milestones, and a conference held by its outcome."""
        met = {m.key: m.on for m in self.milestones}
        if self.conference_outcome is not None:
            met.setdefault("conference", self.conference_outcome.held_on)
        return met

    def conference_held_on(self) -> date | None:
        return self.milestones_met().get("conference")

    def unborn_due(self) -> date | None:
        """The earliest expected date of delivery among the unborn children (None: no unborn child)."""
        due = [c.profile.due_date for c in self.children if c.date_of_birth is None and c.profile.due_date]
        return min(due, default=None)

    def absentees(self) -> list[Participant]:
        return [p for p in self.participants if p.attendance is not Attendance.PRESENT]

    def details_problems(self) -> list[str]:
        problems: list[str] = self._rule_problems("details")
        if not self.case_ref:
            problems.append("Details > Case reference: not recorded.")
        if not self.children:
            problems.append("Details > Children: no child named.")
        if not self.participants:
            problems.append("Details > Participants: no one recorded.")
        if self.kind is DiscussionKind.NETWORK_MEETING and not self.network.purpose.strip():
            problems.append("Details > Purpose of the meeting: not recorded.")
        for p in self.absentees():
            if p.attendance is Attendance.TO_CONFIRM:
                problems.append(f"Details > Participants: confirm whether {p.name} attended (present, absent or written information).")
            elif not p.absence_reason.strip():
                problems.append(
                    f"Details > Participants: {p.name} ({p.agency or 'no agency'}) is {p.attendance.label}: "
                    "say why or what was sent in 'If absent: why / what sent'."
                )
        return problems

    def information_problems(self) -> list[str]:
        missing = [] if self.information.concerns.strip() else ["Information sharing > Nature of the concerns: not recorded."]
        return missing + self._rule_problems("information")

    def risk_problems(self) -> list[str]:
        problems = self._rule_problems("risk")
        if self.kind is DiscussionKind.NETWORK_MEETING or self.risk.significant_harm_suspected is not None:
            return problems
        return ["Analysis of risk > Reasonable cause to suspect significant harm?: not answered."] + problems

    def plan_problems(self) -> list[str]:
        problems = [
            f"Planning > Actions: '{_short(action.text)}' needs a named owner and a due date "
            "(Delete removes it from the list; add it again with both)."
            for action in self.actions
            if action.is_open and (not action.owner or action.due is None)
        ]
        if self.plan.reconvene_on is None and not self.open_actions():
            if self.kind is DiscussionKind.NETWORK_MEETING:
                problems.append("Actions > Next meeting on: no date for the next meeting (or an open action).")
            else:
                problems.append("Planning > Reconvene on: no review or reconvene date (or an open action).")
        return problems + self._rule_problems("plan")

    def decision_problems(self, enquiry_label: str = "Start s47 enquiries") -> list[str]:
        """`enquiry_label`: the nation's name for the enquiry decision (stratui.nations)."""
        problems: list[str] = self._rule_problems("decisions")
        if self.kind is DiscussionKind.NETWORK_MEETING:
            return problems
        d = self.decisions
        # The labels the Decisions screen shows.
        named = {
            enquiry_label: d.s47_enquiry,
            "Immediate protection": d.immediate_protection,
            "Joint investigation": d.joint_investigation,
            "Legal advice/action": d.legal_advice,
            "Medical examination": d.medical_examination,
            "Inform parents/carers": d.inform_parents,
        }
        for label, decision in named.items():
            if decision.made is None:
                problems.append(f"Decisions > {label}: not decided (y yes, n no).")
            elif not decision.rationale.strip():
                problems.append(f"Decisions > {label} > Rationale: not recorded.")
        if d.inform_parents.made is False and d.inform_parents.review_date is None:
            problems.append(
                "Decisions > Inform parents/carers > Review date (if no): parents are not to be informed: "
                "set a date to review that decision."
            )
        if d.threshold.disagreement and not (d.threshold.resolution.strip() or d.threshold.escalated):
            problems.append(
                "Decisions > Threshold disagreed: the disagreement is recorded without how it was resolved "
                "(How resolved) or escalated (Escalated)."
            )
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
    enquiry_outcome: EnquiryOutcomeKind | None = None
    # The earliest expected date of delivery of an unborn child on the record (Scotland's
    # pre-birth CPPM is held by 28 weeks of pregnancy).
    unborn_due: date | None = None

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
            milestones=d.milestones_met(),
            # A closed action only as closed: the deadlines and the dashboard use the words of open
            # ones (the recently closed rows read the record), and most actions are closed.
            actions=[
                ActionSummary(id=a.id, text=a.text, owner=a.owner, agency=a.agency, due=a.due, status=a.status)
                if a.status is ActionStatus.OPEN
                else ActionSummary(id=a.id, text="", owner="", agency="", due=None, status=a.status)
                for a in d.actions
            ],
            previous_discussion_ids=list(d.previous_discussion_ids),
            updated_at=d.updated_at,
            enquiry_outcome=d.enquiry_outcome.outcome if d.enquiry_outcome else None,
            unborn_due=d.unborn_due(),
        )


# The sections of the record a rule problem belongs to: each phase reports its own.
RULE_SECTIONS = ("details", "information", "risk", "decisions", "plan")


def _section_of(where: tuple[str | int, ...]) -> str:
    top = str(where[0])
    if top == "actions":
        return "plan"
    return top if top in RULE_SECTIONS else "details"


def _too_long(
    model: BaseModel, where: tuple[str | int, ...] = (), section: str | None = None
) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text of `model` (and of the records inside it) longer than its box holds.

    With `section`, only the discussion's fields in that section of the record.
    """
    found: list[tuple[tuple[str | int, ...], str]] = []
    for name, limit in _text_fields(type(model)) if section is None else _section_fields(type(model), section):
        value = getattr(model, name)
        # Typed in their hundreds: the place of a text is worked out only once it is too long.
        if isinstance(value, list):
            for number, item in enumerate(value, start=1):
                if isinstance(item, BaseModel):
                    found += _too_long(item, (*where, name, number))
                elif limit is not None and isinstance(item, str) and len(item) > limit.chars:
                    found.append(_too_long_problem((*where, name, number), item, limit))
        elif isinstance(value, BaseModel):
            found += _too_long(value, (*where, name))
        elif limit is not None and isinstance(value, str) and len(value) > limit.chars:
            found.append(_too_long_problem((*where, name), value, limit))
    return found


def _too_long_problem(where: tuple[str | int, ...], text: str, limit: TextLimit) -> tuple[tuple[str | int, ...], str]:
    advice = "long text belongs in a notes box" if limit is ONE_LINE else "or keep the full text elsewhere"
    return (
        where,
        f"{_field_label(where)} is {len(text):,} characters long: {limit.box} holds at most {limit.chars:,}. "
        f"Shorten it ({advice}).",
    )


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, TextLimit | None], ...]:
    """The fields of `model` that hold text or records (with the text's limit), found once."""
    fields = []
    for name, info in model.model_fields.items():
        annotation, metadata = info.annotation, list(info.metadata)
        if typing.get_origin(annotation) is list:
            (annotation,) = typing.get_args(annotation)
            metadata = list(getattr(annotation, "__metadata__", ()))
            annotation = typing.get_args(annotation)[0] if metadata else annotation
        limit = next((m for m in metadata if isinstance(m, TextLimit)), None)
        options = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else (annotation,)
        holds_records = any(isinstance(option, type) and issubclass(option, BaseModel) for option in options)
        if limit is not None or holds_records:
            fields.append((name, limit))
    return tuple(fields)


@functools.cache
def _section_fields(model: type[BaseModel], section: str) -> tuple[tuple[str, TextLimit | None], ...]:
    """The `_text_fields` of a discussion in one section of the record (a signed-off record's
    every validation checks all five: each reads only its own)."""
    return tuple(field for field in _text_fields(model) if _section_of((field[0],)) == section)


def text_limit(path: str, model: type[BaseModel] | None = None) -> int:
    """How many characters the field at `path` ("plan.lead") of a discussion holds.

    A path that is not a text field of the record (a setting) gets the one-line limit.
    """
    target: type[BaseModel] = model or Discussion
    *parents, last = path.split(".")
    for part in parents:
        info = target.model_fields.get(part)
        if info is None or not (isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)):
            return ONE_LINE_LIMIT
        target = info.annotation
    info = target.model_fields.get(last)
    limit = next((m for m in info.metadata if isinstance(m, TextLimit)), None) if info else None
    return limit.chars if limit else ONE_LINE_LIMIT


def _field_label(where: tuple[str | int, ...]) -> str:
    # ("participants", 2, "role") -> "Participants 2 role": the place as the screens name it.
    label = " ".join(str(part).replace("_", " ") for part in where)
    return label[:1].upper() + label[1:]


def load_draft(data: dict) -> Discussion:
    """A working copy read back (a recovery draft): field types are checked; the rules between
    fields are problems it reports (rule_problems), as for any draft."""
    return Discussion.model_validate(data)


def format_date(day: date) -> str:
    """Dates as UK social workers write them: 3 Dec 2026."""
    return f"{day.day} {day:%b %Y}"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return shorten(text, limit)


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

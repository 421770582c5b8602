"""What differs between England, Wales, Scotland and Northern Ireland, as data.

Who must attend, what the discussion and the conference are called, and how their timescales
are counted (DOMAIN.md "The four nations differ"). The numbers themselves live in settings.
"""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stratui import agencies
from stratui.models import (
    Attendance,
    Discussion,
    DiscussionKind,
    DiscussionSummary,
    EnquiryOutcomeKind,
    Participant,
    format_date,
)

if TYPE_CHECKING:
    from stratui.settings import Settings

# The seats the minimum attendees are counted in (stratui.data/agencies.toml names them).
CHILDRENS_SOCIAL_CARE = agencies.CHILDRENS_SOCIAL_CARE
POLICE = agencies.POLICE
HEALTH = agencies.HEALTH

# Where the participants are recorded, and where a reason for no medic is: messages say so.
PARTICIPANTS = "Details > Participants"
NO_MEDIC_REASON = "Decisions > Medical examination > Why no medical professional"


# What each deadline's timescale rests on: shown beside it in the UI and the minutes.
STATUTORY = "statutory guidance"
LOCAL = "local practice"
BASES = (STATUTORY, LOCAL)
# The deadlines whose basis a nation states (stratui.deadlines.DeadlineKind values).
BASIS_KEYS = ("discussion", "minutes", "follow-up-meeting", "conference", "assessment")
# Stated only by a nation that times the conference's own record (Scotland's CPPM record).
CONFERENCE_RECORD = "conference-record"

# Where the lead professional is recorded: a sign-off problem names it.
LEAD = "Planning > Lead professional"
# The IRD decisions a nation's [<nation>.ird] table words (Scotland); the screens and minutes use them.
IRD_WORDS = ("named_person", "interim_safety_plan", "joint_investigative_interview", "reporter_referral", "reporter_referred_on")


@dataclass(frozen=True)
class NationRules:
    nation: str
    label: str
    # The guidance and law the words and rules below come from (README lists them).
    sources: tuple[str, ...]
    # Agencies that must be present, or have their absence recorded with a reason.
    minimum_agencies: tuple[str, ...]
    minimum_roles_note: str
    # England and Northern Ireland: the social worker's manager convenes with them.
    requires_manager: bool
    # The nation's own words: the discussion, the fuller meeting, the enquiry it may start...
    discussion_name: str
    meeting_name: str
    enquiry_name: str
    enquiries_name: str
    enquiry_short: str
    enquiry_decision_label: str
    enquiry_law: str
    plan_heading: str
    conference_name: str
    conference_short_name: str
    conference_from: str
    conference_plan: str
    conference_categories: tuple[str, ...]
    # "" when the nation has no named assessment that follows from the discussion.
    assessment_name: str
    # When the assessment is due: "no-s47" (no enquiry started), "s47" (an enquiry started), "none".
    assessment_when: str
    # What it counts from: "referral" (else the concern) or "s47-start" (the discussion starting it).
    assessment_from: str
    # The Timescales setting that holds its working days ("" when untimed).
    assessment_setting: str
    # DeadlineKind value -> STATUTORY or LOCAL.
    basis: dict[str, str]
    # Scotland counts the planning meeting in calendar days, everyone else in working days.
    conference_in_calendar_days: bool
    # A lead professional must be named before sign-off (Scotland: before the IRD closes).
    lead_required: bool = False
    lead_label: str = "Lead"
    # The conference's own record (Scotland: the record of the CPPM) and the Timescales setting
    # of its working days from the day the conference is held ("": not timed).
    conference_record: str = ""
    conference_record_setting: str = ""
    # The Timescales setting giving the week of pregnancy a pre-birth conference is held by ("": none).
    pre_birth_setting: str = ""
    # IRD_WORDS -> the nation's label; empty where the discussion decides none of them.
    ird_words: dict[str, str] = field(default_factory=dict)
    # EnquiryOutcomeKind value (and "reason") -> the nation's own words, where they differ.
    outcome_words: dict[str, str] = field(default_factory=dict)

    @property
    def discussion_short_name(self) -> str:
        """E.g. "IRD" in Scotland; "strategy discussion" has no abbreviation."""
        return _short_name(self.discussion_name)

    @property
    def has_timed_assessment(self) -> bool:
        return self.assessment_when != "none" and bool(self.assessment_setting)

    @property
    def has_ird_decisions(self) -> bool:
        """Scotland: the IRD's Named Person, interim safety plan, JII and Reporter referral."""
        return bool(self.ird_words)

    def outcome_label(self, outcome: EnquiryOutcomeKind) -> str:
        """The enquiry's outcome in the nation's words ("CPPM not required: ..." in Scotland)."""
        return self.outcome_words.get(outcome.value, outcome.label)

    @property
    def no_conference_reason_label(self) -> str:
        return self.outcome_words.get("reason", "Why no conference is needed")

    def basis_of(self, kind: str) -> str:
        """STATUTORY or LOCAL for a deadline kind; deadlines agreed at the discussion have none ("")."""
        return self.basis.get(kind, "")

    def kind_name(self, kind: DiscussionKind) -> str:
        """In a sentence: "strategy discussion", "inter-agency referral discussion (IRD)", "IRD meeting"..."""
        return {
            DiscussionKind.STRATEGY_DISCUSSION: self.discussion_name,
            DiscussionKind.STRATEGY_MEETING: self.meeting_name,
        }.get(kind, kind.value.replace("-", " "))

    def kind_short(self, kind: DiscussionKind) -> str:
        """For a narrow column: "Strategy disc.", "Strategy mtg", "IRD", "IRD mtg", "Network mtg"."""
        name = self.discussion_short_name if kind is DiscussionKind.STRATEGY_DISCUSSION else self.kind_name(kind)
        for long, short in _SHORTER_WORDS:
            name = name.replace(long, short)
        return name[:1].upper() + name[1:]

    def kind_label(self, kind: DiscussionKind) -> str:
        """"Strategy discussion", "Inter-agency referral discussion (IRD)", "IRD meeting"..."""
        name = self.kind_name(kind)
        return name[:1].upper() + name[1:]


_SHORTER_WORDS = ((" discussion", " disc."), (" meeting", " mtg"))


def _short_name(name: str) -> str:
    match = re.search(r"\(([^)]+)\)", name)
    return match.group(1) if match else name


def _load_rules() -> dict[str, NationRules]:
    text = importlib.resources.files("stratui.data").joinpath("nations.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    rules = {}
    for nation, n in table.items():
        basis = dict(n["basis"])
        keys = BASIS_KEYS + ((CONFERENCE_RECORD,) if n.get("conference_record_setting") else ())
        # A misspelt basis would show a deadline as neither statutory nor local.
        if set(basis) != set(keys) or not set(basis.values()) <= set(BASES):
            raise ValueError(f"stratui.data/nations.toml [{nation}.basis]: give each of {keys} as one of {BASES}")
        ird = dict(n.get("ird", {}))
        if ird and set(ird) != set(IRD_WORDS):
            raise ValueError(f"stratui.data/nations.toml [{nation}.ird]: give each of {IRD_WORDS}")
        rules[nation] = NationRules(
            nation=nation,
            label=n["label"],
            sources=tuple(n["sources"]),
            minimum_agencies=tuple(n["minimum_agencies"]),
            minimum_roles_note=n["minimum_roles_note"],
            requires_manager=n["requires_manager"],
            discussion_name=n["discussion"],
            meeting_name=n["meeting"],
            enquiry_name=n["enquiry"],
            enquiries_name=n["enquiries"],
            enquiry_short=n["enquiry_short"],
            enquiry_decision_label=n["enquiry_decision"],
            enquiry_law=n["enquiry_law"],
            plan_heading=n["plan_heading"],
            conference_name=n["conference"],
            conference_short_name=n["conference_short"],
            conference_from=n["conference_from"],
            conference_plan=n["conference_plan"],
            conference_categories=tuple(n["conference_categories"]),
            assessment_name=n["assessment"],
            assessment_when=n["assessment_when"],
            assessment_from=n["assessment_from"],
            assessment_setting=n["assessment_setting"],
            basis=basis,
            conference_in_calendar_days=nation == "scotland",
            lead_required=n.get("lead_required", False),
            lead_label=n.get("lead_label", "Lead"),
            conference_record=n.get("conference_record", ""),
            conference_record_setting=n.get("conference_record_setting", ""),
            pre_birth_setting=n.get("pre_birth_setting", ""),
            ird_words=ird,
            outcome_words=dict(n.get("outcomes", {})),
        )
    return rules


RULES: dict[str, NationRules] = _load_rules()


def earlier_discussion(summary: DiscussionSummary | None, rules: NationRules) -> str:
    """An earlier discussion as people know it, by kind, date and case: never its file's id."""
    if summary is None:
        return "an earlier discussion not in this database"
    return f"{rules.kind_label(summary.kind)} of {format_date(summary.held_on)}, case {summary.case_ref or 'no case ref'}"


def rules_for(nation: str) -> NationRules:
    try:
        return RULES[nation]
    except KeyError:
        valid = ", ".join(repr(name) for name in RULES)
        raise ValueError(f"unknown nation {nation!r}: must be one of {valid}") from None


def _fold(text: str) -> str:
    # Typed apostrophes vary ("Children’s"); the comparison should not.
    return text.replace("\u2019", "'").strip().casefold()


def agency_of(participant: Participant, settings: Settings | None = None) -> str:
    """The seat a participant fills (stratui.agencies.seat_of), else their agency as typed."""
    return agencies.seat_of(participant.agency, participant.role, settings) or participant.agency.strip()


def agency_satisfies(required: str, agency: str, settings: Settings | None = None) -> bool:
    """Whether someone from `agency` fills the `required` seat ("Police - CAIT" fills Police)."""
    if not agency.strip():
        return False
    seat = agencies.canonical_agency(agency, settings) or agency
    return _fold(seat) == _fold(required)


def is_managers_seat(participant: Participant, settings: Settings | None = None) -> bool:
    """The social worker's manager: a manager role (team leader, practice manager...) in children's social care."""
    return _fold(agency_of(participant, settings)) == _fold(CHILDRENS_SOCIAL_CARE) and agencies.is_manager_role(
        participant.role, settings
    )


def is_medical(participant: Participant, settings: Settings | None = None) -> bool:
    """A qualified medical professional (paediatrician, GP, forensic physician...)."""
    return agencies.is_medical(participant.role, participant.agency, settings)


def _accounted_for(participant: Participant) -> bool:
    """Present, or absent / sending written information with the reason recorded."""
    if participant.attendance is Attendance.TO_CONFIRM:
        return False
    return participant.attendance is Attendance.PRESENT or bool(participant.absence_reason.strip())


def medical_examination_considered(made: bool | None, details: str = "") -> bool:
    """A medical examination is on the table: decided yes, or undecided but already discussed."""
    return made is True or (made is None and bool(details.strip()))


def medical_reason_wanted(discussion: Discussion, settings: Settings | None = None) -> bool:
    """A medical examination is considered and no medical professional is accounted for."""
    medical = discussion.decisions.medical_examination
    if not medical_examination_considered(medical.made, medical.details):
        return False
    return not any(_accounted_for(p) for p in discussion.participants if is_medical(p, settings))


def attendance_gaps(
    participants: Iterable[Participant],
    nation: str,
    medical_examination_considered: bool,
    *,
    no_medical_professional_reason: str = "",
    settings: Settings | None = None,
) -> list[str]:
    """Who the nation's procedures expect at the table but the record does not account for."""
    rules = rules_for(nation)
    people = list(participants)
    gaps: list[str] = []
    for required in rules.minimum_agencies:
        from_agency = [p for p in people if _fold(agency_of(p, settings)) == _fold(required)]
        if not from_agency:
            gaps.append(f"{PARTICIPANTS}: no one from {required} is recorded: add them, or record their absence and why.")
        elif all(p.attendance is Attendance.TO_CONFIRM for p in from_agency):
            names = ", ".join(p.name for p in from_agency)
            gaps.append(
                f"{PARTICIPANTS}: {required} ({names}): attendance not confirmed yet (present, absent "
                "or written information)."
            )
        elif not any(_accounted_for(p) for p in from_agency):
            names = ", ".join(p.name for p in from_agency)
            gaps.append(
                f"{PARTICIPANTS}: {required} ({names}) did not attend and no reason or written information "
                "is recorded: give it in 'If absent: why / what sent'."
            )
    if rules.requires_manager:
        managers = [p for p in people if is_managers_seat(p, settings)]
        if not any(_accounted_for(p) for p in managers):
            gaps.append(
                f"{PARTICIPANTS}: in {rules.label} the social worker's manager takes part: add them "
                "(e.g. role Team manager), or record their absence and why."
            )
    if medical_examination_considered and not no_medical_professional_reason.strip():
        medics = [p for p in people if is_medical(p, settings)]
        if not any(_accounted_for(p) for p in medics):
            gaps.append(
                f"{PARTICIPANTS}: a medical examination is being considered: add a medical professional "
                f"(e.g. paediatrician), or say why not in {NO_MEDIC_REASON}."
            )
    return gaps


def record_attendance_gaps(discussion: Discussion, nation: str, settings: Settings | None = None) -> list[str]:
    """attendance_gaps for a whole record: its participants and its medical examination decision."""
    medical = discussion.decisions.medical_examination
    return attendance_gaps(
        discussion.participants,
        nation,
        medical_examination_considered(medical.made, medical.details),
        no_medical_professional_reason=medical.no_medical_professional_reason,
        settings=settings,
    )


def lead_problems(discussion: Discussion, nation: str) -> list[str]:
    """Scotland: a lead professional is named before the IRD closes, so sign-off waits for one."""
    rules = rules_for(nation)
    if not rules.lead_required or discussion.kind is DiscussionKind.NETWORK_MEETING or discussion.plan.lead.strip():
        return []
    return [
        f"{LEAD}: in {rules.label} a lead professional is named before the {rules.discussion_short_name} "
        f"closes: record who in {LEAD}."
    ]


def ird_problems(discussion: Discussion, nation: str) -> list[str]:
    """Scotland's IRD decisions are optional, but one answered says why (and a referral when)."""
    rules = rules_for(nation)
    if not rules.has_ird_decisions or discussion.kind is DiscussionKind.NETWORK_MEETING:
        return []
    ird, words = discussion.decisions.ird, rules.ird_words
    problems = []
    for key, decision in (
        ("joint_investigative_interview", ird.joint_investigative_interview),
        ("reporter_referral", ird.reporter_referral),
    ):
        if decision.made is not None and not decision.rationale.strip():
            problems.append(f"Decisions > {words[key]} > Reason: not recorded.")
    if ird.reporter_referral.made and ird.reporter_referral.referred_on is None:
        problems.append(f"Decisions > {words['reporter_referred_on']}: the child is referred: say when (or when by).")
    return problems

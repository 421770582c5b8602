"""What differs between England, Wales, Scotland and Northern Ireland, as data.

Who must attend, what the discussion and the conference are called, and how their timescales
are counted (DOMAIN.md "The four nations differ"). The numbers themselves live in settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stratui.models import Attendance, Participant

CHILDRENS_SOCIAL_CARE = "Children's social care"
POLICE = "Police"
HEALTH = "Health"

# Any of these agencies counts as "Health" when the minimum attendees are checked.
HEALTH_AGENCIES = {"Health", "GP", "Health visiting", "Paediatrics", "CAMHS", "Adult mental health"}

# Wales says "social services", Scotland "social work": the same seat at the table.
_AGENCY_ALIASES: dict[str, frozenset[str]] = {
    "children's social care": frozenset({"social services", "social work", "children's services"}),
}

# A "qualified medical professional" (DOMAIN.md) for a possible medical examination.
_MEDICAL_AGENCIES = frozenset({"paediatrics", "gp"})
_MEDICAL_ROLE_WORDS = frozenset(
    {"paediatrician", "paediatric", "paediatrics", "doctor", "medical", "physician", "gp", "forensic"}
)


@dataclass(frozen=True)
class NationRules:
    nation: str
    label: str
    # Agencies that must be present, or have their absence recorded with a reason.
    minimum_agencies: tuple[str, ...]
    minimum_roles_note: str
    # England and Northern Ireland: the social worker's manager convenes with them.
    requires_manager: bool
    discussion_name: str
    conference_name: str
    # Scotland counts the planning meeting in calendar days, everyone else in working days.
    conference_in_calendar_days: bool
    # Scotland's IRD record has its own timescale; None means use the minutes setting.
    record_working_days: int | None

    @property
    def conference_short_name(self) -> str:
        """The abbreviation in brackets, e.g. "ICPC" or "CPPM"."""
        return _short_name(self.conference_name)

    @property
    def discussion_short_name(self) -> str:
        """E.g. "IRD" in Scotland; "strategy discussion" has no abbreviation."""
        return _short_name(self.discussion_name)


def _short_name(name: str) -> str:
    match = re.search(r"\(([^)]+)\)", name)
    return match.group(1) if match else name


_ENGLAND = NationRules(
    nation="england",
    label="England",
    minimum_agencies=(CHILDRENS_SOCIAL_CARE, POLICE, HEALTH),
    minimum_roles_note="a social worker and their manager, police and health",
    requires_manager=True,
    discussion_name="strategy discussion",
    conference_name="initial child protection conference (ICPC)",
    conference_in_calendar_days=False,
    record_working_days=None,
)

RULES: dict[str, NationRules] = {
    "england": _ENGLAND,
    "wales": NationRules(
        nation="wales",
        label="Wales",
        minimum_agencies=(CHILDRENS_SOCIAL_CARE, POLICE),
        minimum_roles_note="social services and police; health as required",
        requires_manager=False,
        discussion_name="strategy discussion",
        conference_name="initial child protection conference (ICPC)",
        conference_in_calendar_days=False,
        record_working_days=None,
    ),
    "scotland": NationRules(
        nation="scotland",
        label="Scotland",
        minimum_agencies=(POLICE, CHILDRENS_SOCIAL_CARE, HEALTH),
        minimum_roles_note="police, social work and health; a lead professional named before it closes",
        requires_manager=False,
        discussion_name="inter-agency referral discussion (IRD)",
        conference_name="child protection planning meeting (CPPM)",
        conference_in_calendar_days=True,
        record_working_days=10,
    ),
    "northern-ireland": NationRules(
        nation="northern-ireland",
        label="Northern Ireland",
        minimum_agencies=_ENGLAND.minimum_agencies,
        minimum_roles_note=_ENGLAND.minimum_roles_note,
        requires_manager=True,
        discussion_name=_ENGLAND.discussion_name,
        conference_name=_ENGLAND.conference_name,
        conference_in_calendar_days=False,
        record_working_days=None,
    ),
}


def rules_for(nation: str) -> NationRules:
    try:
        return RULES[nation]
    except KeyError:
        valid = ", ".join(repr(name) for name in RULES)
        raise ValueError(f"unknown nation {nation!r}: must be one of {valid}") from None


def _fold(text: str) -> str:
    # Typed apostrophes vary ("Children’s"); the comparison should not.
    return text.replace("\u2019", "'").strip().casefold()


_HEALTH_FOLDED = frozenset(_fold(agency) for agency in HEALTH_AGENCIES)


def agency_satisfies(required: str, agency: str) -> bool:
    """Whether someone from `agency` fills the `required` seat ("Health" takes any health agency)."""
    required_f, agency_f = _fold(required), _fold(agency)
    if not agency_f:
        return False
    if required_f == agency_f:
        return True
    if required_f == _fold(HEALTH):
        return agency_f in _HEALTH_FOLDED
    return agency_f in _AGENCY_ALIASES.get(required_f, frozenset())


def _accounted_for(participant: Participant) -> bool:
    """Present, or absent / sending written information with the reason recorded."""
    return participant.attendance is Attendance.PRESENT or bool(participant.absence_reason.strip())


def _is_medical(participant: Participant) -> bool:
    if _fold(participant.agency) in _MEDICAL_AGENCIES:
        return True
    words = set(re.findall(r"[a-z]+", _fold(participant.role)))
    return bool(words & _MEDICAL_ROLE_WORDS)


def medical_examination_considered(made: bool | None, details: str = "") -> bool:
    """A medical examination is on the table: decided yes, or undecided but already discussed."""
    return made is True or (made is None and bool(details.strip()))


def attendance_gaps(
    participants: Iterable[Participant], nation: str, medical_examination_considered: bool
) -> list[str]:
    """Who the nation's procedures expect at the table but the record does not account for."""
    rules = rules_for(nation)
    people = list(participants)
    gaps: list[str] = []
    for required in rules.minimum_agencies:
        from_agency = [p for p in people if agency_satisfies(required, p.agency)]
        if not from_agency:
            gaps.append(f"No one from {required} is recorded: add them, or record their absence and why.")
        elif not any(_accounted_for(p) for p in from_agency):
            names = ", ".join(p.name for p in from_agency)
            gaps.append(f"{required} ({names}) did not attend and no reason or written information is recorded.")
    if rules.requires_manager:
        managers = [
            p for p in people if agency_satisfies(CHILDRENS_SOCIAL_CARE, p.agency) and "manager" in _fold(p.role)
        ]
        if not any(_accounted_for(p) for p in managers):
            gaps.append(
                f"In {rules.label} the social worker's manager takes part: record them, or their absence and why."
            )
    if medical_examination_considered:
        medics = [p for p in people if _is_medical(p)]
        if not any(_accounted_for(p) for p in medics):
            gaps.append(
                "A medical examination is being considered: include a medical professional "
                "(e.g. paediatrician), or record why not."
            )
    return gaps

"""Deadlines in words: how far one is ("3 working days overdue") and each timescale's rule with
its basis ("15 working days from ...; statutory guidance"), said the same on every screen."""

from __future__ import annotations

from stratui.deadlines.kinds import DeadlineState
from stratui.nations import NationRules
from stratui.settings import Settings


def working_days_phrase(n: int) -> str:
    """'1 working day', '3 working days'."""
    return f"{n} working day{'' if n == 1 else 's'}"


def time_left_in_words(state: DeadlineState | None, days: int, *, late: str, today: str) -> str:
    """How far a deadline is, in words: '3 working days <late>', '<today>', '1 working day left'.

    One rule for the dashboard's line and the handover, which only word lateness differently.
    """
    if state is DeadlineState.OVERDUE:
        return f"{working_days_phrase(-days)} {late}"
    if days == 0:
        return today
    return f"{working_days_phrase(days)} left"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def timescale_rules(rules: NationRules, settings: Settings) -> dict[str, str]:
    """Each timed deadline's rule in words, with its basis: "15 working days from ...; statutory guidance".

    The dashboard's titles, the decisions screen and the minutes all say it this way.
    """
    t = settings.timescales
    short = rules.discussion_short_name
    if rules.conference_in_calendar_days:
        conference = f"{t.scotland_planning_meeting_calendar_days} calendar days"
    else:
        conference = working_days_phrase(t.conference_working_days)
    if t.conference_counts_from == "latest-discussion":
        conference += f" from the latest {short}"
    else:
        conference += f" from {rules.conference_from}"
    if rules.has_timed_assessment:
        source = "referral" if rules.assessment_from == "referral" else f"the start of the {rules.enquiries_name}"
        assessment = f"{working_days_phrase(getattr(t, rules.assessment_setting))} from {source}"
    else:
        assessment = "no timescale set"
    extra: dict[str, str] = {}
    if rules.conference_record_setting:
        days = getattr(t, rules.conference_record_setting)
        extra["conference-record"] = f"{working_days_phrase(days)} from the {rules.conference_short_name}"
    said = {
        "discussion": f"{working_days_phrase(t.strategy_discussion_working_days)} from the concern",
        "minutes": working_days_phrase(t.minutes_working_days),
        "follow-up-meeting": working_days_phrase(t.meeting_after_phone_working_days),
        "conference": conference,
        "assessment": assessment,
        **extra,
    }
    if rules.pre_birth_setting and getattr(t, rules.pre_birth_setting):
        said["pre-birth"] = f"{conference} and by week {getattr(t, rules.pre_birth_setting)} of pregnancy"
    # The pre-birth limit is part of the conference's timescale and shares its basis.
    return {kind: f"{text}; {rules.basis_of('conference' if kind == 'pre-birth' else kind)}" for kind, text in said.items()}

"""Counting the report: each item in the month of the day that decides it, against the deadline
engine's timescales (stratui.deadlines.Timescales) for the team's nation and settings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from stratui import agencies
from stratui.deadlines import Timescales, case_key
from stratui.models import Action, ActionStatus, Discussion, DiscussionSummary, format_date
from stratui.report.figures import ActionFigures, Figures, Report, add_months, month_start, plural
from stratui.settings import Settings

NO_AGENCY = "(no agency)"
NO_OWNER = "(no owner)"


@dataclass(frozen=True)
class Record:
    """What the report reads of a discussion: its summary (the deadline engine's input) and its
    actions in full (the summary has no completion dates)."""

    summary: DiscussionSummary
    actions: tuple[Action, ...]
    # When the enquiry's outcome was recorded (the summary holds only what it was).
    enquiry_outcome_on: date | None = None


def records_of(discussions: Iterable[Discussion]) -> list[Record]:
    """Read once, report many times: a summary costs more than counting it (the screen's period keys)."""
    return [
        Record(d.summary(), tuple(d.actions), d.enquiry_outcome.on if d.enquiry_outcome else None) for d in discussions
    ]


def build_report(records: Iterable[Record], start: date, end: date, today: date, settings: Settings) -> Report:
    """The figures for [start, end], each item in the month of the day that decides it: the
    discussion's date, the conference's, the action's completion (or, open, its due date)."""
    if end < start:
        raise ValueError(f"the period ends ({format_date(end)}) before it starts ({format_date(start)})")
    timescales = Timescales(today, settings)
    months = {}
    cursor = month_start(start)
    while cursor <= end:
        months[cursor] = Figures()
        cursor = add_months(cursor, 1)
    period = Figures()
    by_agency: dict[str, ActionFigures] = defaultdict(ActionFigures)
    by_owner: dict[str, ActionFigures] = defaultdict(ActionFigures)

    def scopes(day: date) -> list[Figures]:
        return [months[month_start(day)], period] if start <= day <= end else []

    cases: dict[str, list[Record]] = defaultdict(list)
    calendar = timescales.calendar
    for record in records:
        s = record.summary
        cases[case_key(s)].append(record)
        if timescales.has_discussion_timescale(s) and s.held_on <= today:
            late = s.held_on > timescales.discussion_due(s)
            days = calendar.working_days_between(s.concern_date, s.held_on)
            for figures in scopes(s.held_on):
                figures.discussions.add(late, days)
                if s.referral_date is None:
                    figures.referral_not_recorded += 1
                else:
                    figures.from_referral.append(calendar.working_days_between(s.referral_date, s.held_on))
        for action in record.actions:
            counted = _count_action(action, s.held_on, timescales, today)
            if counted is None:
                continue
            day, count = counted
            if start <= day <= end:
                owner = action.owner.strip() or NO_OWNER
                agency = _agency(action.agency, settings)
                for figures in (months[month_start(day)].actions, period.actions, by_agency[agency], by_owner[owner]):
                    count(figures)

    for case in cases.values():
        _conference(case, timescales, today, scopes)

    rules = timescales.rules
    unit = "calendar days" if rules.conference_in_calendar_days else "working days"
    conference_limit = (
        timescales.planning_meeting_days if rules.conference_in_calendar_days else timescales.conference_days
    )
    # England, Wales and Northern Ireland decide on s47 (Article 66) enquiries, Scotland at the IRD.
    counted_from = (
        f"latest {rules.discussion_short_name}"
        if timescales.conference_from_latest
        else f"{rules.discussion_short_name} starting enquiries"
    )
    return Report(
        start=start,
        end=end,
        today=today,
        nation_label=rules.label,
        discussion_name=rules.discussion_name,
        discussion_short_name=rules.discussion_short_name,
        conference_name=rules.conference_short_name,
        discussion_rule=f"within {plural(timescales.discussion_days, 'working day')} of the concern",
        conference_rule=(
            f"within {conference_limit} {unit if conference_limit != 1 else unit[:-1]} of the {counted_from}"
        ),
        conference_unit=unit,
        marking=settings.minutes.protective_marking,
        months=list(months.items()),
        period=period,
        by_agency=sorted(by_agency.items(), key=_group_order),
        by_owner=sorted(by_owner.items(), key=_group_order),
    )


def _count_action(
    action: Action, held_on: date, timescales: Timescales, today: date
) -> tuple[date, Callable[[ActionFigures], None]] | None:
    """The day that places an action in a month, and how it counts; None: it does not count."""
    if action.status is ActionStatus.DONE:
        if action.due is None or action.closed_on is None:
            return action.closed_on or action.due or held_on, _not_measurable
        days_late = timescales.working_days_late(action.due, action.closed_on)
        if days_late:
            return action.closed_on, lambda figures: figures.late_days.append(days_late)
        return action.closed_on, _on_time
    if action.status is ActionStatus.OPEN and action.due is not None and action.due < today:
        days_overdue = timescales.working_days_late(action.due, today)
        return action.due, lambda figures: figures.overdue_days.append(days_overdue)
    # Dropped actions were not completed, and a carried-over one lives on in its follow-up.
    return None


def _not_measurable(figures: ActionFigures) -> None:
    figures.not_measurable += 1


def _on_time(figures: ActionFigures) -> None:
    figures.on_time += 1


def _agency(typed: str, settings: Settings) -> str:
    # "Police - CAIT" and "police" are one agency in the figures, as on the dashboard's filter.
    return agencies.canonical_agency(typed, settings) or typed.strip() or NO_AGENCY


def _group_order(item: tuple[str, ActionFigures]) -> tuple[int, int, str]:
    # The most late and overdue first: the rows a manager asks about.
    name, figures = item
    return -(figures.late + figures.open_overdue), -figures.completed, name.casefold()


def _conference(
    records: list[Record], timescales: Timescales, today: date, scopes: Callable[[date], list[Figures]]
) -> None:
    case = [r.summary for r in records]
    base = timescales.conference_base(case)
    held_dates = [s.milestones["conference"] for s in case if "conference" in s.milestones]
    if held_dates:
        held = min(held_dates)
        for figures in scopes(held):
            if base is None:
                # A conference with no decision on enquiries recorded: nothing to count its days from.
                figures.conferences.not_measurable += 1
            else:
                due = timescales.conference_due(base)
                figures.conferences.add(held > due, timescales.conference_days_taken(base, held))
        return
    if base is None:
        return
    if timescales.conference_not_needed(case):
        # The deadline engine's rule: such an outcome closes the conference's deadline.
        decided = [
            r.enquiry_outcome_on or r.summary.held_on
            for r in records
            if r.summary.enquiry_outcome is not None and not r.summary.enquiry_outcome.needs_conference
        ]
        for figures in scopes(min(decided)):
            figures.conference_not_needed += 1
        return
    due = timescales.conference_due(base)
    if due < today:
        for figures in scopes(due):
            figures.conference_overdue_days.append(timescales.working_days_late(due, today))

"""The team timeliness report: what was held and done within its timescale, per month and for a period.

A team manager's monthly figures: first strategy discussions held within the timescale of the
concern, conferences (ICPC, or CPPM in Scotland) held within theirs of the s47/IRD decision
(an enquiry whose outcome needs no conference is counted as such, never as a conference missed),
actions completed late or open and overdue, by agency and by owner, with median days. Every
timescale is the deadline engine's (stratui.deadlines.Timescales) for the team's nation and
settings. Rendered as Markdown, CSV or JSON; plain Python, no Textual.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from stratui import agencies
from stratui.deadlines import Timescales, case_key
from stratui.minutes_markdown import escape_markdown
from stratui.models import Action, ActionStatus, Discussion, DiscussionSummary, format_date
from stratui.settings import Settings
from stratui.text import one_line

NO_AGENCY = "(no agency)"
NO_OWNER = "(no owner)"


def median(days: list[int]) -> float | None:
    return statistics.median(days) if days else None


@dataclass
class Timeliness:
    """Items measured against one timescale: within it or late, and the days each took."""

    within: int = 0
    late: int = 0
    # Per item measured: the days it took (concern to discussion, decision to conference).
    days: list[int] = field(default_factory=list)
    # Items the record holds no start date for: counted, never guessed.
    not_measurable: int = 0

    @property
    def measured(self) -> int:
        return self.within + self.late

    @property
    def median_days(self) -> float | None:
        return median(self.days)

    def add(self, late: bool, days: int) -> None:
        if late:
            self.late += 1
        else:
            self.within += 1
        self.days.append(days)


@dataclass
class ActionFigures:
    """Actions completed (on time or late) and actions open past their due date."""

    on_time: int = 0
    # Working days late, one per action completed after its due date.
    late_days: list[int] = field(default_factory=list)
    # Completed without a due date or a completion date: lateness cannot be told.
    not_measurable: int = 0
    # Working days overdue today, one per open action past its due date.
    overdue_days: list[int] = field(default_factory=list)

    @property
    def late(self) -> int:
        return len(self.late_days)

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def open_overdue(self) -> int:
        return len(self.overdue_days)

    @property
    def median_days_late(self) -> float | None:
        return median(self.late_days)

    @property
    def median_days_overdue(self) -> float | None:
        return median(self.overdue_days)


@dataclass
class Figures:
    """One month's, or the period's, figures."""

    discussions: Timeliness = field(default_factory=Timeliness)
    # Working days from the referral to the discussion, where a referral date is recorded.
    from_referral: list[int] = field(default_factory=list)
    referral_not_recorded: int = 0
    conferences: Timeliness = field(default_factory=Timeliness)
    # Cases with enquiries decided (s47, or at the IRD), no conference recorded and the timescale passed: days overdue today.
    conference_overdue_days: list[int] = field(default_factory=list)
    # Cases whose enquiry concluded that no conference is needed (not substantiated, no continuing
    # risk, continue assessing; Scotland's "CPPM not required"), in the month that was recorded.
    conference_not_needed: int = 0
    actions: ActionFigures = field(default_factory=ActionFigures)


@dataclass
class Report:
    start: date
    end: date
    today: date
    nation_label: str
    discussion_name: str
    # "strategy discussion", or "IRD" in Scotland; the conference's is "ICPC" or "CPPM".
    discussion_short_name: str
    conference_name: str
    # The rules as sentences ("within 1 working day of the concern").
    discussion_rule: str
    conference_rule: str
    # "working days", or "calendar days" where the conference counts them (Scotland).
    conference_unit: str
    marking: str
    months: list[tuple[date, Figures]]
    period: Figures
    by_agency: list[tuple[str, ActionFigures]]
    by_owner: list[tuple[str, ActionFigures]]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    """The first of the month `n` months after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return date.fromordinal(add_months(day, 1).toordinal() - 1)


def default_period(today: date) -> tuple[date, date]:
    """The twelve months up to today: this month and the eleven before it."""
    return add_months(today, -11), today


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
        discussion_rule=f"within {_plural(timescales.discussion_days, 'working day')} of the concern",
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


# -- output ------------------------------------------------------------------------------------


def format_days(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def _in_days(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:g}{unit}"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def period_label(report: Report) -> str:
    return f"{format_date(report.start)} to {format_date(report.end)}"


def notes(report: Report) -> list[str]:
    """What the figures count, and what the records could not tell."""
    p = report.period
    lines = [
        f"{report.nation_label}: working days exclude weekends and {report.nation_label}'s bank holidays.",
        f"{sentence(report.discussion_name)}s: first discussions held {report.discussion_rule} (follow-ups "
        "answer an earlier concern and are not counted); days are working days from the concern.",
        f"{report.conference_name}: held {report.conference_rule}; "
        f"days are {report.conference_unit}. 'Not held, past due': enquiries decided, no {report.conference_name} "
        "recorded and its timescale passed (counted in the month it fell due). "
        f"'No {report.conference_name} needed': the enquiry's outcome recorded that none is needed (not "
        "substantiated, no continuing risk, continue the assessment): neither held nor missed, counted in "
        "the month the outcome was recorded.",
        "Actions: completed after their due date are late (counted in the month completed); open actions "
        "past their due date are overdue today (counted in the month they fell due). Dropped and "
        "carried-over actions are not counted.",
    ]
    if p.referral_not_recorded:
        lines.append(
            f"Referral to discussion: not measurable for {_plural(p.referral_not_recorded, 'discussion')} "
            "with no referral date recorded."
        )
    if p.conferences.not_measurable:
        lines.append(
            f"{report.conference_name}: not measurable for {_plural(p.conferences.not_measurable, 'conference')} "
            "recorded in a case with no decision to start enquiries."
        )
    if p.actions.not_measurable:
        lines.append(
            f"Actions: not measurable for {_plural(p.actions.not_measurable, 'completed action')} "
            "with no due date or no completion date."
        )
    return lines


def summary_rows(report: Report) -> list[tuple[str, str, str, str, str]]:
    """(measure, count, within timescale, late, median days) for the whole period."""
    p = report.period
    d, c, a = p.discussions, p.conferences, p.actions
    return [
        (
            f"{sentence(report.discussion_short_name)}s held",
            str(d.measured),
            f"{d.within} ({percent(d.within, d.measured)})",
            str(d.late),
            _in_days(d.median_days, " wd"),
        ),
        (
            f"{sentence(report.discussion_short_name)}s: from referral, where recorded",
            str(len(p.from_referral)),
            "",
            "",
            _in_days(median(p.from_referral), " wd"),
        ),
        (
            f"{report.conference_name}s held",
            str(c.measured),
            f"{c.within} ({percent(c.within, c.measured)})",
            str(c.late),
            _in_days(c.median_days, (" d" if report.conference_unit == "calendar days" else " wd")),
        ),
        (
            f"{report.conference_name} not held, past due",
            str(len(p.conference_overdue_days)),
            "",
            "",
            _in_days(median(p.conference_overdue_days), " wd over"),
        ),
        (f"No {report.conference_name} needed (enquiry outcome)", str(p.conference_not_needed), "", "", ""),
        (
            "Actions completed",
            str(a.completed),
            f"{a.on_time} ({percent(a.on_time, a.completed)})",
            str(a.late),
            _in_days(a.median_days_late, " wd late"),
        ),
        ("Actions open and overdue", str(a.open_overdue), "", "", _in_days(a.median_days_overdue, " wd over")),
    ]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


MONTH_COLUMNS = (
    "Month",
    "Disc. held",
    "within",
    "late",
    "median wd",
    "Conf. held",
    "within",
    "late",
    "median",
    "not held, past due",
    "none needed",
    "Actions done",
    "late",
    "median wd late",
    "open overdue",
)


def _month_cells(label: str, f: Figures) -> list[str]:
    d, c, a = f.discussions, f.conferences, f.actions
    return [
        label,
        str(d.measured),
        str(d.within),
        str(d.late),
        format_days(d.median_days),
        str(c.measured),
        str(c.within),
        str(c.late),
        format_days(c.median_days),
        str(len(f.conference_overdue_days)),
        str(f.conference_not_needed),
        str(a.completed),
        str(a.late),
        format_days(a.median_days_late),
        str(a.open_overdue),
    ]


GROUP_COLUMNS = ("completed", "late", "% late", "median wd late", "open overdue", "median wd overdue")


def _group_cells(a: ActionFigures) -> list[str]:
    return [
        str(a.completed),
        str(a.late),
        percent(a.late, a.completed),
        format_days(a.median_days_late),
        str(a.open_overdue),
        format_days(a.median_days_overdue),
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _md(text: str) -> str:
    return " / ".join(line for line in escape_markdown(text).split("\n") if line)


def report_markdown(report: Report) -> str:
    marking = f"**{_md(report.marking) or 'OFFICIAL-SENSITIVE'}**"
    c = report.conference_name
    month_header = list(MONTH_COLUMNS)
    month_header[1] = f"{sentence(report.discussion_short_name)}s held"
    month_header[5], month_header[8], month_header[9] = f"{c}s held", f"median {_unit_short(report)}", (
        f"{c} not held, past due"
    )
    month_header[10] = f"no {c} needed"
    lines = [
        marking,
        "",
        f"# Team timeliness: {period_label(report)}",
        "",
        f"Whole team, as at {format_date(report.today)}.",
        "",
        "## The period",
        "",
        *_table(["Measure", "Count", "Within timescale", "Late", "Median days"], [list(r) for r in summary_rows(report)]),
        "",
        "## By month",
        "",
        *_table(month_header, [_month_cells(month_label(m), f) for m, f in report.months]),
    ]
    for title, name, groups in (("Actions by agency", "Agency", report.by_agency), ("Actions by owner", "Owner", report.by_owner)):
        lines += ["", f"## {title}", ""]
        if groups:
            lines += _table([name, *GROUP_COLUMNS], [[_md(n), *_group_cells(a)] for n, a in groups])
        else:
            lines.append("No actions completed or overdue in the period.")
    lines += ["", "## What is counted", ""]
    lines += [f"- {_md(note)}" for note in notes(report)]
    lines += ["", marking]
    return "\n".join(lines) + "\n"


def _unit_short(report: Report) -> str:
    return "days" if report.conference_unit == "calendar days" else "wd"


CSV_COLUMNS = (
    "scope",
    "name",
    "discussions_held",
    "discussions_within",
    "discussions_late",
    "discussions_median_working_days",
    "referral_to_discussion_median_working_days",
    "referral_not_recorded",
    "conferences_held",
    "conferences_within",
    "conferences_late",
    "conferences_median_days",
    "conferences_not_measurable",
    "conferences_not_held_past_due",
    "conferences_not_needed",
    "actions_completed",
    "actions_completed_late",
    "actions_median_working_days_late",
    "actions_not_measurable",
    "actions_open_overdue",
    "actions_median_working_days_overdue",
)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = one_line(str(value))
    # A name typed as "=HYPERLINK(...)" must stay text in a spreadsheet, not become a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _figures_values(f: Figures) -> list[object]:
    d, c = f.discussions, f.conferences
    return [
        d.measured,
        d.within,
        d.late,
        d.median_days,
        median(f.from_referral),
        f.referral_not_recorded,
        c.measured,
        c.within,
        c.late,
        c.median_days,
        c.not_measurable,
        len(f.conference_overdue_days),
        f.conference_not_needed,
        *_action_values(f.actions),
    ]


def _action_values(a: ActionFigures) -> list[object]:
    return [a.completed, a.late, a.median_days_late, a.not_measurable, a.open_overdue, a.median_days_overdue]


def report_csv(report: Report) -> str:
    """One row per month, one for the period, one per agency and per owner (actions only)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for month, figures in report.months:
        writer.writerow(["month", f"{month:%Y-%m}", *(_csv_value(v) for v in _figures_values(figures))])
    writer.writerow(
        ["period", f"{report.start.isoformat()}/{report.end.isoformat()}", *(_csv_value(v) for v in _figures_values(report.period))]
    )
    # The action columns only: every column between the name and them is left blank.
    blank = [""] * (len(CSV_COLUMNS) - 2 - len(_action_values(ActionFigures())))
    for scope, groups in (("agency", report.by_agency), ("owner", report.by_owner)):
        for name, actions in groups:
            writer.writerow([scope, _csv_value(name), *blank, *(_csv_value(v) for v in _action_values(actions))])
    return out.getvalue()


def _timeliness_json(t: Timeliness) -> dict[str, object]:
    return {
        "held": t.measured,
        "within": t.within,
        "late": t.late,
        "median_days": t.median_days,
        "not_measurable": t.not_measurable,
    }


def _actions_json(a: ActionFigures) -> dict[str, object]:
    return {
        "completed": a.completed,
        "completed_on_time": a.on_time,
        "completed_late": a.late,
        "median_working_days_late": a.median_days_late,
        "not_measurable": a.not_measurable,
        "open_overdue": a.open_overdue,
        "median_working_days_overdue": a.median_days_overdue,
    }


def _figures_json(f: Figures) -> dict[str, object]:
    return {
        "discussions": {
            **_timeliness_json(f.discussions),
            "median_working_days_from_referral": median(f.from_referral),
            "referral_not_recorded": f.referral_not_recorded,
        },
        "conferences": {
            **_timeliness_json(f.conferences),
            "not_held_past_due": len(f.conference_overdue_days),
            "median_working_days_past_due": median(f.conference_overdue_days),
            "not_needed": f.conference_not_needed,
        },
        "actions": _actions_json(f.actions),
    }


def report_json(report: Report) -> str:
    document = {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "today": report.today.isoformat(),
        "nation": report.nation_label,
        "rules": {
            "discussion": f"{report.discussion_name} held {report.discussion_rule}",
            "conference": f"{report.conference_name} held {report.conference_rule}",
            "conference_days": report.conference_unit,
        },
        "marking": report.marking,
        "period": _figures_json(report.period),
        "months": [{"month": f"{m:%Y-%m}", **_figures_json(f)} for m, f in report.months],
        "by_agency": [{"agency": n, **_actions_json(a)} for n, a in report.by_agency],
        "by_owner": [{"owner": n, **_actions_json(a)} for n, a in report.by_owner],
        "notes": notes(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

"""The report as text: the words and cells the screen and the documents share, and the report
as Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from stratui.minutes_markdown import escape_markdown
from stratui.models import format_date
from stratui.report.figures import ActionFigures, Figures, Report, Timeliness, median, plural
from stratui.text import one_line


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
            f"Referral to discussion: not measurable for {plural(p.referral_not_recorded, 'discussion')} "
            "with no referral date recorded."
        )
    if p.conferences.not_measurable:
        lines.append(
            f"{report.conference_name}: not measurable for {plural(p.conferences.not_measurable, 'conference')} "
            "recorded in a case with no decision to start enquiries."
        )
    if p.actions.not_measurable:
        lines.append(
            f"Actions: not measurable for {plural(p.actions.not_measurable, 'completed action')} "
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


# Each figure in the JSON document: (its key there, the attribute it is read from).
TIMELINESS_JSON = (
    ("held", "measured"),
    ("within", "within"),
    ("late", "late"),
    ("median_days", "median_days"),
    ("not_measurable", "not_measurable"),
)
ACTIONS_JSON = (
    ("completed", "completed"),
    ("completed_on_time", "on_time"),
    ("completed_late", "late"),
    ("median_working_days_late", "median_days_late"),
    ("not_measurable", "not_measurable"),
    ("open_overdue", "open_overdue"),
    ("median_working_days_overdue", "median_days_overdue"),
)


def _json_of(figures: Timeliness | ActionFigures, keys: tuple[tuple[str, str], ...]) -> dict[str, object]:
    return {key: getattr(figures, attribute) for key, attribute in keys}


def _figures_json(f: Figures) -> dict[str, object]:
    return {
        "discussions": {
            **_json_of(f.discussions, TIMELINESS_JSON),
            "median_working_days_from_referral": median(f.from_referral),
            "referral_not_recorded": f.referral_not_recorded,
        },
        "conferences": {
            **_json_of(f.conferences, TIMELINESS_JSON),
            "not_held_past_due": len(f.conference_overdue_days),
            "median_working_days_past_due": median(f.conference_overdue_days),
            "not_needed": f.conference_not_needed,
        },
        "actions": _json_of(f.actions, ACTIONS_JSON),
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
        "by_agency": [{"agency": n, **_json_of(a, ACTIONS_JSON)} for n, a in report.by_agency],
        "by_owner": [{"owner": n, **_json_of(a, ACTIONS_JSON)} for n, a in report.by_owner],
        "notes": notes(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

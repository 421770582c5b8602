"""The team timeliness report: what was held and done within its timescale, per month and for a period.

A team manager's monthly figures: first strategy discussions held within the timescale of the
concern, conferences (ICPC, or CPPM in Scotland) held within theirs of the s47/IRD decision
(an enquiry whose outcome needs no conference is counted as such, never as a conference missed),
actions completed late or open and overdue, by agency and by owner, with median days. Every
timescale is the deadline engine's (stratui.deadlines.Timescales) for the team's nation and
settings. Plain Python, no Textual: what is counted (figures), the counting (measure), and the
report as text: the screen's words and the Markdown, CSV and JSON documents (render).
"""

from stratui.report.figures import ActionFigures, Report, add_months, default_period, month_end, month_start
from stratui.report.measure import Record, build_report, records_of
from stratui.report.render import (
    format_days,
    month_label,
    percent,
    period_label,
    report_csv,
    report_json,
    report_markdown,
    sentence,
)

__all__ = [
    "ActionFigures",
    "Record",
    "Report",
    "add_months",
    "build_report",
    "default_period",
    "format_days",
    "month_end",
    "month_label",
    "month_start",
    "percent",
    "period_label",
    "records_of",
    "report_csv",
    "report_json",
    "report_markdown",
    "sentence",
]

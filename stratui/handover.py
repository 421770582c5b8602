"""The duty handover: what is overdue, due today and due on the next working day, for the whole team.

Plain Python over the index summaries (the deadline engine's output); rendered as Markdown to
print or send, or as plain text for the terminal. Both carry the team's protective marking at
the top and bottom (it names children and cases) and read as they are in a plain-text email:
no hard-break backslashes. User-typed text is escaped so it cannot change the document's
structure or command the terminal (stratui.text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stratui.dates import format_date
from stratui.deadlines import Deadline, DeadlineState, compute_deadlines, time_left_in_words
from stratui.minutes_markdown import escape_markdown
from stratui.models import DiscussionSummary
from stratui.nations import rules_for
from stratui.settings import Settings
from stratui.text import one_line


@dataclass(frozen=True)
class Handover:
    today: date
    next_working_day: date
    nation: str
    overdue: list[Deadline]
    due_today: list[Deadline]
    # Due after today up to and including the next working day (a weekend's deadlines with it).
    due_next: list[Deadline]
    # The team's protective marking ([minutes] protective_marking).
    marking: str = "OFFICIAL-SENSITIVE"

    @property
    def sections(self) -> list[tuple[str, list[Deadline]]]:
        return [
            ("Overdue", self.overdue),
            ("Due today", self.due_today),
            (f"Due next working day ({format_date(self.next_working_day)})", self.due_next),
        ]


def build_handover(summaries: Iterable[DiscussionSummary], today: date, settings: Settings) -> Handover:
    next_day = settings.calendar().add_working_days(today, 1)
    overdue, due_today, due_next = [], [], []
    # Every deadline, not the dashboard's window: a warning window of 0 must not hide tomorrow.
    for item in compute_deadlines(summaries, today, settings):
        if item.state is DeadlineState.OVERDUE:
            overdue.append(item)
        elif item.state is DeadlineState.DUE_TODAY:
            due_today.append(item)
        elif item.due <= next_day:
            due_next.append(item)
    marking = settings.minutes.protective_marking
    return Handover(today, next_day, settings.nation, overdue, due_today, due_next, marking)


def when(item: Deadline) -> str:
    """'3 working days overdue', 'due today', '1 working day left'."""
    return time_left_in_words(item.state, item.working_days, late="overdue", today="due today")


def _counts(handover: Handover) -> str:
    return (
        f"{len(handover.overdue)} overdue, {len(handover.due_today)} due today, "
        f"{len(handover.due_next)} due next working day"
    )


def _inline(text: str, empty: str) -> str:
    lines = [line for line in escape_markdown(text).split("\n") if line]
    return " / ".join(lines) or empty


def handover_markdown(handover: Handover) -> str:
    rules = rules_for(handover.nation)
    marking = f"**{_inline(handover.marking, 'OFFICIAL-SENSITIVE')}**"
    lines = [
        marking,
        "",
        f"# Duty handover: {format_date(handover.today)}",
        "",
        f"Whole team. {_counts(handover)}. Working days: {rules.label}.",
    ]
    for title, items in handover.sections:
        lines += ["", f"## {title}: {len(items)}", ""]
        if not items:
            lines.append("Nothing.")
            continue
        for item in items:
            children = ", ".join(item.children)
            case = _inline(item.case_ref, "no case ref") + (f" ({_inline(children, '')})" if children else "")
            owner = _inline(item.owner, "no owner")
            agency = f", {_inline(item.agency, '')}" if item.agency.strip() else ""
            # The details as a list inside the item: on their own line when rendered, and no
            # hard-break backslash for a plain-text email to show.
            lines += [
                f"- **{_inline(item.title, 'untitled')}**",
                f"  - {format_date(item.due)}, {when(item)}. Owner: {owner}{agency}. Case: {case}.",
            ]
    lines += ["", marking]
    return "\n".join(lines) + "\n"


def handover_text(handover: Handover) -> str:
    rules = rules_for(handover.nation)
    marking = one_line(handover.marking) or "OFFICIAL-SENSITIVE"
    lines = [
        marking,
        f"Duty handover: {format_date(handover.today)}",
        f"Whole team. {_counts(handover)}. Working days: {rules.label}.",
    ]
    for title, items in handover.sections:
        lines += ["", f"{title.upper()}: {len(items)}"]
        if not items:
            lines.append("  nothing")
        for item in items:
            children = one_line(", ".join(item.children))
            case = (one_line(item.case_ref) or "no case ref") + (f" ({children})" if children else "")
            agency = f", {one_line(item.agency)}" if item.agency.strip() else ""
            owner = one_line(item.owner) or "no owner"
            lines.append(f"- {one_line(item.title)}")
            lines.append(f"  {format_date(item.due)}, {when(item)}. Owner: {owner}{agency}. Case: {case}.")
    lines += ["", marking]
    return "\n".join(lines) + "\n"

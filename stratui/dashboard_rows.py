"""The dashboard's rows, filters and order, and the lines that describe them: plain Python.

The dashboard screen draws what these return; reading them (from the index or the first screen's
file) and `dashboard --json`'s text are stratui.dashboard_read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from stratui.context import Context
from stratui.dates import MONTH_NAMES, format_date
from stratui.nations import rules_for
from stratui.deadlines import Deadline, DeadlineKind, DeadlineState, time_left_in_words
from stratui.invocation import shell_command
from stratui.models import ActionStatus
from stratui.store import IndexedSummary
from stratui.terminal import shorten

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from stratui.dashboard_read import DashboardRead

# Text markers as well as colour: the dashboard must read on a monochrome terminal.
STATE_MARKERS = {
    DeadlineState.OVERDUE: "!! OVERDUE",
    DeadlineState.DUE_TODAY: "!  TODAY",
    DeadlineState.DUE_SOON: "   soon",
    DeadlineState.LATER: "   later",
}
CLOSED_MARKERS = {ActionStatus.DONE: "x  done", ActionStatus.DROPPED: "x  dropped"}
CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)

# "Recently closed" (x): actions closed in the last week, so a slip can be undone (o).
RECENTLY_CLOSED_DAYS = 7

WHOSE = ("everyone", "mine", "team")


@dataclass(frozen=True)
class Row:
    """One line of the dashboard: an open deadline, or an action closed recently."""

    key: str
    discussion_id: str
    action_id: str | None
    kind: DeadlineKind
    title: str
    owner: str
    agency: str
    case_ref: str
    children: tuple[str, ...]
    social_worker: str
    due: date | None
    working_days: int = 0
    state: DeadlineState | None = None
    closed_status: ActionStatus | None = None
    closed_on: date | None = None
    closed_by: str = ""
    closing_note: str = ""

    @property
    def closed(self) -> bool:
        return self.closed_status is not None

    @property
    def is_action(self) -> bool:
        return self.action_id is not None

    @property
    def marker(self) -> str:
        if self.closed_status is not None:
            return CLOSED_MARKERS.get(self.closed_status, "x  closed")
        assert self.state is not None
        return STATE_MARKERS[self.state]

    @classmethod
    def of(cls, item: Deadline, social_worker: str) -> Row:
        return cls(
            key=item.key,
            discussion_id=item.discussion_id,
            action_id=item.action_id,
            kind=item.kind,
            title=item.title,
            owner=item.owner,
            agency=item.agency,
            case_ref=item.case_ref,
            children=item.children,
            social_worker=social_worker,
            due=item.due,
            working_days=item.working_days,
            state=item.state,
        )


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; every filter combines with the others.

    Frozen: a change is a new value (`dataclasses.replace`), which the screen's reactive sees.
    """

    whose: str = "everyone"
    agency: str = ""
    case: str = ""
    overdue_only: bool = False

    @property
    def active(self) -> bool:
        return self != Filters()

    def describe(self) -> list[str]:
        parts = {"mine": ["mine"], "team": ["my team"]}.get(self.whose, [])
        if self.agency:
            parts.append(f"agency ~{self.agency}")
        if self.case:
            parts.append(f"case ~{self.case}")
        if self.overdue_only:
            parts.append("overdue only")
        return parts

    def matches(self, row: Row, mine: frozenset[str], team: frozenset[str]) -> bool:
        if self.whose != "everyone":
            people = mine if self.whose == "mine" else team
            if row.owner.strip().casefold() not in people and row.social_worker.strip().casefold() not in people:
                return False
        if self.agency and self.agency.casefold() not in row.agency.casefold():
            return False
        if self.case:
            wanted = self.case.casefold()
            if wanted not in row.case_ref.casefold() and not any(wanted in c.casefold() for c in row.children):
                return False
        return not (self.overdue_only and row.state is not DeadlineState.OVERDUE)

    def next_whose(self, has_team: bool) -> Filters:
        """Everyone, mine, my team, and round again (my team only when the settings name one)."""
        following = WHOSE[(WHOSE.index(self.whose) + 1) % len(WHOSE)]
        if following == "team" and not has_team:
            following = "everyone"
        return replace(self, whose=following)


def my_names(context: Context) -> frozenset[str]:
    """The user as the records name them: their team entry's name (by login), or the user setting."""
    me = context.name.strip().casefold()
    names = {me} if me else set()
    for member in context.settings.team.members:
        if me and me in (member.name.casefold(), member.username.casefold()):
            names.add(member.name.casefold())
    return frozenset(names)


def team_names(context: Context) -> frozenset[str]:
    members = context.settings.team.members
    return frozenset({m.name.casefold() for m in members} | {m.username.casefold() for m in members if m.username})


def order_rows(rows: list[Row], by_case: bool) -> list[Row]:
    """By due date (the engine's order: overdue, today, soon), or by case then due date.

    Recently closed actions come after the open items (by due date) or within their case.
    """
    open_rows: list[Row] = []
    closed: list[Row] = []
    for r in rows:  # one pass: 36,000 rows at 100,000 discussions
        (closed if r.closed else open_rows).append(r)
    closed.sort(key=lambda r: (r.closed_on or date.min, r.key), reverse=True)
    if not by_case:
        return open_rows + closed

    def case_order(r: Row) -> tuple[int, str, bool, date, str]:
        ref = r.case_ref.strip().casefold()
        return (0 if ref else 1, ref, r.closed, r.due or date.max, r.key)

    return sorted(open_rows + closed, key=case_order)


def shown_rows(rows: list[Row], filters: Filters, by_case: bool, context: Context) -> list[Row]:
    """The rows the filters let through, in the order asked for."""
    if not filters.active:
        # Every row (at 100,000 discussions, 36,000 of them: matching each took ~50 ms of the
        # screen's thread at every refresh).
        return order_rows(rows, by_case)
    mine, team = my_names(context), team_names(context)
    return order_rows([r for r in rows if filters.matches(r, mine, team)], by_case)


# -- the words the screen shows ---------------------------------------------------------------


def fit(text: str, width: int) -> str:
    """One line of at most `width` characters (runs of white space folded)."""
    return shorten(" ".join(text.split()), width) if width > 0 else ""


def short_date(day: date | None, today: date) -> str:
    if day is None:
        return "-"
    month = MONTH_NAMES[day.month - 1][:3]
    # Another year in figures, UK order: "Apr 25" would read as 25 April.
    return f"{day.day} {month}" if day.year == today.year else f"{day:%d/%m/%y}"


def working_days_short(row: Row) -> str:
    """The table's "When" column: 3wd late, today, 2wd left; closed for a closed action."""
    if row.closed:
        return "closed"
    if row.working_days < 0:
        return f"{-row.working_days}wd late"
    if row.working_days == 0:
        return "today"
    return f"{row.working_days}wd left"


def working_days_in_words(row: Row) -> str:
    return time_left_in_words(row.state, row.working_days, late="late", today="today")


def summary_line(read: DashboardRead | None, rows: list[Row], today: date, with_closed: bool, filtered: bool = False) -> str:
    """The counts above the list (of the rows shown: they follow the filters)."""
    if read is None or read.empty:
        return f"No discussions yet. Load demo data from the shell with: {shell_command('demo')}"
    counts = {state: read.state_count(state, rows, filtered) for state in DeadlineState}
    line = (
        f"{format_date(today)}: {counts[DeadlineState.OVERDUE]} overdue | "
        f"{counts[DeadlineState.DUE_TODAY]} due today | {counts[DeadlineState.DUE_SOON]} due soon"
    )
    if with_closed:
        line += f" | {sum(1 for r in rows if r.closed)} closed lately"
    if read.damage:
        line += f" | ! index damaged: {shell_command('check --repair')}"
    return line


def filter_line(filters: Filters, by_case: bool, matching: int, total: int, reading: bool = False) -> str:
    """What the list is narrowed to; `reading`: only the first `total` rows are read yet."""
    order = "by case" if by_case else "by due date"
    if not filters.active:
        return f"All, {order}. Filter: w whose a agency c case l late. s sort, x closed"
    of = f"of the first {total} (reading the rest)" if reading else f"of {total}"
    return f"Only {', '.join(filters.describe())}: {matching} {of}, {order}. Esc: all"


def nothing_shown(read: DashboardRead | None, filters: Filters) -> str:
    """The detail line when no row is highlighted."""
    if read is None or not read.count:
        return ""
    if read.rows and filters.active:
        return "Nothing matches these filters. Esc shows everything."
    return "Nothing overdue, due today or due soon. / searches past discussions."


def detail_lines(row: Row, summary: IndexedSummary | None, width: int, nation: str = "england") -> str:
    """The three lines under the list about the highlighted row, each at most `width` long."""
    held = f"{rules_for(nation).kind_label(summary.kind)} {format_date(summary.held_on)}" if summary else ""
    who = ", ".join(row.children) or "no child named"
    first = fit(" | ".join(p for p in (row.case_ref or "no case ref", who, held) if p), width)
    owner = f"{row.owner or 'no owner'}" + (f" ({row.agency})" if row.agency else "")
    if row.closed:
        status = "Done" if row.closed_status is ActionStatus.DONE else "Dropped"
        when = f"{status} by {row.closed_by or 'unknown'} on {format_date(row.closed_on)}" if row.closed_on else status
        note = f": {row.closing_note}" if row.closing_note else ""
        third = f"{when}{note}"
        keys = "o: reopen"
    else:
        due = format_date(row.due) if row.due else "no due date"
        third = f"Due {due}, {working_days_in_words(row)} | {owner}"
        keys = "d: done" if row.is_action else "m: record it met"
    # The title in full where it fits, with the key that closes the item beside it.
    second = fit(row.title, width - len(keys) - 3) + f" [{keys}]"
    return "\n".join((first, second, fit(third, width)))

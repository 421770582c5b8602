"""The dashboard: overdue items first, then due today, then due soon (the deadline engine's output).

Where a duty team lives between calls: review by keyboard, mark actions done, record statutory
steps as met, filter and sort, and jump to the handover, search and case history. It reads the
index only, and re-reads it when the screen comes back or another user saves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from stratui.context import Context
from stratui.dates import format_date
from stratui.deadlines import Deadline, DeadlineKind, DeadlineState, dashboard_items
from stratui.models import ActionStatus, Discussion, DiscussionSummary, Milestone
from stratui.nations import rules_for
from stratui.store import IndexStamp, StoreError
from stratui.screens.theme import MONOCHROME
from stratui.screens.welcome import WelcomePanel
from stratui.screens.cells import plain, shown
from stratui.terminal import shorten

# Text markers as well as colour: the dashboard must read on a monochrome terminal.
STATE_MARKERS = {
    DeadlineState.OVERDUE: "!! OVERDUE",
    DeadlineState.DUE_TODAY: "!  TODAY",
    DeadlineState.DUE_SOON: "   soon",
    DeadlineState.LATER: "   later",
}
CLOSED_MARKERS = {ActionStatus.DONE: "x  done", ActionStatus.DROPPED: "x  dropped"}
_STATE_STYLES = {DeadlineState.OVERDUE: "bold red", DeadlineState.DUE_TODAY: "bold yellow"}
# The monochrome theme: emphasis without colour (the text markers carry the meaning).
_MONOCHROME_STATE_STYLES = {DeadlineState.OVERDUE: "bold reverse", DeadlineState.DUE_TODAY: "bold"}

# "Recently closed" (x): actions closed in the last week, so a slip can be undone (o).
RECENTLY_CLOSED_DAYS = 7
# Another user's save shows up within this many seconds (the check is a few file stats).
AUTO_REFRESH_SECONDS = 5
# An index larger than this (about 200 discussions) is first read in a worker thread, behind a
# loading indicator, so the screen never freezes while a large database loads (issue 6).
LOAD_IN_BACKGROUND_BYTES = 200_000
# Rows added to the table between two frames (see DashboardScreen._add_rows).
DRAW_BATCH_ROWS = 100

WHOSE = ("everyone", "mine", "team")

# Column widths, each with one space to the next column; "What" takes the rest.
_FIXED_COLUMNS = (("State", 11), ("Due", 9), ("When", 11))
_TAIL_COLUMNS = (("Owner", 13), ("Case", 14))
_MIN_WHAT = 14


def describe_working_days(item: Deadline | Row) -> str:
    if item.working_days < 0:
        return f"{-item.working_days}wd late"
    if item.working_days == 0:
        return "today"
    return f"{item.working_days}wd left"


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


@dataclass
class Filters:
    """What the list is narrowed to; every filter combines with the others."""

    whose: str = "everyone"
    agency: str = ""
    case: str = ""
    overdue_only: bool = False

    @property
    def active(self) -> bool:
        return self.whose != "everyone" or bool(self.agency or self.case) or self.overdue_only

    def describe(self) -> list[str]:
        parts = []
        if self.whose == "mine":
            parts.append("mine")
        elif self.whose == "team":
            parts.append("my team")
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
        if self.overdue_only and row.state is not DeadlineState.OVERDUE:
            return False
        return True


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
    open_rows = [r for r in rows if not r.closed]
    closed = sorted((r for r in rows if r.closed), key=lambda r: (r.closed_on or date.min, r.key), reverse=True)
    if not by_case:
        return open_rows + closed

    def case_order(r: Row) -> tuple[int, str, bool, date, str]:
        ref = r.case_ref.strip().casefold()
        return (0 if ref else 1, ref, r.closed, r.due or date.max, r.key)

    return sorted(open_rows + closed, key=case_order)


def milestone_label(kind: DeadlineKind, nation: str) -> str:
    rules = rules_for(nation)
    name = rules.discussion_short_name
    return {
        DeadlineKind.MINUTES: "Minutes circulated to attendees",
        DeadlineKind.DISCUSSION: f"{name[:1].upper()}{name[1:]}: held, or its timing accounted for",
        DeadlineKind.CONFERENCE: f"{rules.conference_short_name} held",
        DeadlineKind.RECONVENE: "Reconvened / reviewed",
        DeadlineKind.PARENTS_REVIEW: "Decision not to inform parents reviewed",
        DeadlineKind.ASSESSMENT: "Child and family assessment completed",
        DeadlineKind.FOLLOW_UP_MEETING: "Follow-up strategy meeting held",
    }.get(kind, kind.value)


# A reason is part of the record for these: why it was late; what the review decided.
_NOTE_REQUIRED = frozenset({DeadlineKind.DISCUSSION, DeadlineKind.PARENTS_REVIEW})


class _Refused(Exception):
    """The stored record no longer allows the change (someone else got there first)."""


def fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    if width <= 0:
        return ""
    return shorten(text, width)


def short_date(day: date | None, today: date) -> str:
    if day is None:
        return "-"
    # Another year in figures, UK order: "Apr 25" would read as 25 April.
    return f"{day.day} {day:%b}" if day.year == today.year else f"{day:%d/%m/%y}"


@dataclass(frozen=True)
class _Read:
    """One read of the index: what the dashboard shows, worked out off the screen."""

    signature: IndexStamp
    summaries: dict[str, DiscussionSummary]
    rows: list[Row]
    # Index shards not used, each saying which discussions cannot be shown and why.
    damage: tuple[str, ...] = ()


class DashboardScreen(Screen[None]):
    DEFAULT_CSS = """
    DashboardScreen #summary { height: 1; padding: 0 1; background: $boost; }
    DashboardScreen #filters { height: 1; padding: 0 1; color: $text-muted; }
    DashboardScreen #welcome { height: 1fr; padding: 1 2; display: none; }
    DashboardScreen.empty #welcome { display: block; }
    DashboardScreen.empty #deadlines, DashboardScreen.empty #detail { display: none; }
    DashboardScreen DataTable { height: 1fr; scrollbar-size-vertical: 1; }
    DashboardScreen #detail { height: 3; padding: 0 1; background: $panel; }
    """
    # Keys that open a screen are priority bindings: the screen is open before the next key is
    # routed, so text typed straight after (a note after d) lands in it (see app.py).
    BINDINGS = [
        # Keys that open a screen are priority bindings, so the keys typed after them reach it (screens.kit).
        Binding("n", "new_discussion", "New", tooltip="Record a new discussion (pick its kind)", id="new-discussion", priority=True),
        Binding("enter", "open_item", "Open the discussion", id="open-item", show=False),
        Binding("d", "mark_done", "Done", tooltip="Mark the highlighted action done, with an optional note", id="mark-done", priority=True),
        Binding("m", "record_milestone", "Record a statutory step met (minutes sent, ICPC held)", id="record-milestone", priority=True, show=False),
        Binding("x", "toggle_closed", "Show/hide actions closed this week, to reopen", id="toggle-closed", show=False),
        Binding("o", "reopen", "Reopen a closed action (x shows them)", id="reopen", priority=True, show=False),
        Binding("v", "view_case", "Case", tooltip="The case history: discussions, decisions, open actions; f follows up", id="view-case", priority=True),
        Binding("slash", "search", "Search", tooltip="Search by child's name, case reference or any text", id="search", priority=True),
        Binding("h", "handover", "Handover", tooltip="The duty handover: overdue, today, next working day (e exports)", id="handover", priority=True),
        Binding("w", "cycle_whose", "Whose: everyone / mine / my team", id="filter-whose", show=False),
        Binding("a", "filter_agency", "Filter by agency", id="filter-agency", priority=True, show=False),
        Binding("c", "filter_case", "Filter by case ref or child", id="filter-case", priority=True, show=False),
        Binding("l", "toggle_overdue", "Overdue (late) only", id="filter-overdue", show=False),
        Binding("escape", "clear_filters", "Clear the filters", id="clear-filters", show=False),
        Binding("s", "toggle_sort", "Sort by due date / by case", id="toggle-sort", show=False),
        Binding("j", "cursor_down", "Down", id="cursor-down", show=False),
        Binding("k", "cursor_up", "Up", id="cursor-up", show=False),
        # The table's own Home/End move between columns; here they mean the first/last item.
        Binding("home", "cursor_top", "First item", id="cursor-top", show=False, priority=True),
        Binding("end", "cursor_bottom", "Last item", id="cursor-bottom", show=False, priority=True),
        Binding("r", "refresh", "Refresh", id="refresh", show=False),
        Binding("q", "app.quit", "Quit", id="quit-dashboard"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.filters = Filters()
        self.by_case = False
        self.show_closed = False
        self.rows: list[Row] = []
        self._summaries: dict[str, DiscussionSummary] = {}
        self._all_rows: list[Row] = []
        self._unreadable = 0
        self._damage: tuple[str, ...] = ()
        self._signature: IndexStamp | None = None
        self._drawn: tuple[int, str, list[Row]] | None = None
        self._width = 0
        self._loading = False
        self._drawing = 0  # which drawing of the table is current (see _add_rows)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Static(id="filters")
        yield WelcomePanel()
        yield DataTable(id="deadlines", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.set_interval(AUTO_REFRESH_SECONDS, self.check_for_changes)
        if self.context.store.index_size() > LOAD_IN_BACKGROUND_BYTES:
            self._loading = True
            self.query_one(DataTable).loading = True
            self._update(self.query_one("#summary", Static), "Loading the discussions...")
            # After the first frame: the worker and the first layout would share one interpreter lock.
            self.call_after_refresh(self._load_in_background)
        else:
            self.action_refresh()

    @work(thread=True, exclusive=True, group="dashboard-load")
    def _load_in_background(self) -> None:
        """The first read of a large index, off the UI thread; the rest of the screen stays live."""
        self.app.call_from_thread(self._loaded, self._read())

    def _loaded(self, read: _Read | StoreError) -> None:
        self._loading = False
        self.query_one(DataTable).loading = False
        self._apply(read)
        self._show()

    def on_screen_resume(self) -> None:
        self.check_for_changes()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._drawn = None
            self._show()

    def _what_width(self) -> int:
        fixed = sum(w for _, w in _FIXED_COLUMNS + _TAIL_COLUMNS)
        # One column for the scrollbar.
        return max(_MIN_WHAT, (self.size.width or 80) - fixed - 1)

    # -- reading ----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Re-read the index and redraw (the app calls this when a discussion closes)."""
        self._load()
        self._show()

    def check_for_changes(self) -> None:
        """Reload only if an index file changed since the last read (another user's save)."""
        if not self._loading and self.context.store.changed_since(self._signature):
            self.action_refresh()

    def _load(self) -> None:
        self._apply(self._read())

    def _read(self) -> _Read | StoreError:
        """Everything the list shows, from the index (no widget touched: safe in a worker)."""
        context = self.context
        signature = self.context.store.index_stamp()
        try:
            summaries = context.store.summaries()
        except StoreError as exc:
            return exc
        by_id = {s.id: s for s in summaries}
        items = dashboard_items(summaries, context.today, context.settings)
        rows = [Row.of(item, by_id[item.discussion_id].social_worker if item.discussion_id in by_id else "") for item in items]
        if self.show_closed:
            rows += self._recently_closed(summaries)
        return _Read(signature, by_id, rows, tuple(str(d) for d in context.store.index_damage()))

    def _apply(self, read: _Read | StoreError) -> None:
        if isinstance(read, StoreError):
            self.notify(str(read), severity="error", timeout=10)
            return
        self._signature, self._summaries, self._all_rows = read.signature, read.summaries, read.rows
        for damage in read.damage:
            if damage not in self._damage:
                self.notify(damage, severity="warning", timeout=20)
        self._damage = read.damage

    def _social_worker(self, discussion_id: str) -> str:
        summary = self._summaries.get(discussion_id)
        return summary.social_worker if summary else ""

    def _recently_closed(self, summaries: list[DiscussionSummary]) -> list[Row]:
        """Actions done or dropped in the last week: read from the few files saved lately."""
        today = self.context.today
        since = today - timedelta(days=RECENTLY_CLOSED_DAYS)
        # Saves are stamped by the clock; "today" may be set apart from it (--today).
        saved_since = min(since, self.context.store.clock().date() - timedelta(days=RECENTLY_CLOSED_DAYS))
        closing = (ActionStatus.DONE, ActionStatus.DROPPED)
        rows = []
        self._unreadable = 0
        for s in summaries:
            if not any(a.status in closing for a in s.actions):
                continue
            if s.updated_at is not None and s.updated_at.date() < saved_since:
                continue
            try:
                discussion = self.context.store.get(s.id)
            except StoreError:
                self._unreadable += 1
                continue
            for a in discussion.actions:
                if a.status in closing and a.closed_on is not None and a.closed_on >= since:
                    rows.append(
                        Row(
                            key=f"{s.id}:closed:{a.id}",
                            discussion_id=s.id,
                            action_id=a.id,
                            kind=DeadlineKind.ACTION,
                            title=a.text,
                            owner=a.owner,
                            agency=a.agency,
                            case_ref=s.case_ref,
                            children=tuple(s.children),
                            social_worker=s.social_worker,
                            due=a.due,
                            closed_status=a.status,
                            closed_on=a.closed_on,
                            closed_by=a.closed_by,
                            closing_note=a.closing_note,
                        )
                    )
        return rows

    # -- drawing ----------------------------------------------------------------------------

    def _show(self, keep_key: str | None = None, keep_index: int | None = None) -> None:
        if not self.is_mounted:
            return
        table = self.query_one(DataTable)
        if keep_key is None and keep_index is None and self.rows and table.row_count:
            keep_index = min(table.cursor_row, len(self.rows) - 1)
            keep_key = self.rows[keep_index].key
        mine, team = my_names(self.context), team_names(self.context)
        shown = [r for r in self._all_rows if self.filters.matches(r, mine, team)]
        self.rows = order_rows(shown, self.by_case)
        # The welcome says nothing is recorded: never while discussion files exist, whatever the index says.
        self.set_class(not self._summaries and self.context.store.is_empty(), "empty")
        self._draw_table(keep_key, keep_index)
        self._update(self.query_one("#summary", Static), self._summary_line())
        self._update(self.query_one("#filters", Static), self._filter_line(len(shown)))
        self._show_detail()

    def _draw_table(self, keep_key: str | None, keep_index: int | None) -> None:
        table = self.query_one(DataTable)
        if not self.size.width:
            return  # not laid out yet: the first resize draws it, once
        width = self._what_width()
        # What the cells are made of: the rows, the width and the theme (the rows hold the rest).
        drawn = (self.size.width, self.app.theme, list(self.rows))
        if drawn == self._drawn:
            return  # nothing changed: no redraw over a slow link
        self._drawn, self._width = drawn, self.size.width
        table.clear(columns=True)
        for label, w in _FIXED_COLUMNS:
            table.add_column(label, width=w, key=label)
        table.add_column("What", width=width, key="What")
        for label, w in _TAIL_COLUMNS:
            table.add_column(label, width=w, key=label)
        cursor = None
        if self.rows:
            cursor = next((i for i, r in enumerate(self.rows) if r.key == keep_key), None)
            if cursor is None:
                cursor = min(keep_index or 0, len(self.rows) - 1)
        self._drawing += 1
        self._add_rows(self._drawing, list(self.rows), width, 0, cursor)

    def _add_rows(self, drawing: int, rows: list[Row], width: int, start: int, cursor: int | None) -> None:
        """Fill the table DRAW_BATCH_ROWS at a time, letting keys and frames through between batches.

        A long list (thousands of items on a large database) would otherwise freeze the screen
        while DataTable measures every row. A newer drawing stops an older one.
        """
        if drawing != self._drawing or not self.is_mounted:
            return
        table = self.query_one(DataTable)
        end = min(len(rows), start + DRAW_BATCH_ROWS)
        for row in rows[start:end]:
            table.add_row(*plain(*self._cells(row, width)), key=row.key)
        if cursor is not None and start <= cursor < end:
            table.move_cursor(row=cursor, animate=False)
            self._show_detail()
        if end < len(rows):
            # A timer, not call_later: the message queue empties in between, so the table measures
            # each batch as it comes (on idle) instead of all the rows at the end.
            self.set_timer(0.005, partial(self._add_rows, drawing, rows, width, end, cursor))

    def _cells(self, row: Row, what_width: int) -> tuple[Text | str, ...]:
        today = self.context.today
        if row.closed:
            marker = Text(CLOSED_MARKERS.get(row.closed_status, "x  closed"), style="dim")  # type: ignore[arg-type]
            when = "closed"
        else:
            assert row.state is not None
            styles = _MONOCHROME_STATE_STYLES if self.app.theme == MONOCHROME.name else _STATE_STYLES
            marker = Text(STATE_MARKERS[row.state], style=styles.get(row.state, ""))
            when = describe_working_days(row)
        return (
            marker,
            short_date(row.due, today),
            when,
            fit(row.title, what_width - 1),
            fit(row.owner or "-", _TAIL_COLUMNS[0][1] - 1),
            fit(row.case_ref or "-", _TAIL_COLUMNS[1][1] - 1),
        )

    @staticmethod
    def _update(widget: Static, text: str) -> None:
        # Plain text (record text is not markup), and no redraw when nothing changed.
        if getattr(widget, "_shown_text", None) != text:
            widget._shown_text = text  # type: ignore[attr-defined]
            widget.update(shown(text))

    def _summary_line(self) -> str:
        if not self._summaries and self.context.store.is_empty():
            return "No discussions yet. Load demo data from the shell with: stratui demo"
        counts = {state: sum(1 for r in self.rows if r.state is state) for state in DeadlineState}
        line = (
            f"{format_date(self.context.today)}: {counts[DeadlineState.OVERDUE]} overdue | "
            f"{counts[DeadlineState.DUE_TODAY]} due today | {counts[DeadlineState.DUE_SOON]} due soon"
        )
        if self.show_closed:
            line += f" | {sum(1 for r in self.rows if r.closed)} closed lately"
        if self._damage:
            line += " | ! index damaged: stratui check --repair"
        return line

    def _filter_line(self, matching: int) -> str:
        order = "by case" if self.by_case else "by due date"
        if not self.filters.active:
            return f"All, {order}. Filter: w whose a agency c case l late. s sort, x closed"
        return f"Only {', '.join(self.filters.describe())}: {matching} of {len(self._all_rows)}, {order}. Esc: all"

    def _show_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        width = max(20, (self.size.width or 80) - 2)
        row = self.current_row()
        if row is None:
            if not self._summaries:
                text = ""
            elif self._all_rows and self.filters.active:
                text = "Nothing matches these filters. Esc shows everything."
            else:
                text = "Nothing overdue, due today or due soon. / searches past discussions."
            self._update(detail, text)
            return
        summary = self._summaries.get(row.discussion_id)
        held = f"{summary.kind.label} {format_date(summary.held_on)}" if summary else ""
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
            third = f"Due {due}, {_in_words(row)} | {owner}"
            keys = "d: done" if row.is_action else "m: record it met"
        # The title in full where it fits, with the key that closes the item beside it.
        second = fit(row.title, width - len(keys) - 3) + f" [{keys}]"
        third = fit(third, width)
        self._update(detail, "\n".join((first, second, third)))

    def current_row(self) -> Row | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return None
        index = table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    # -- moving and opening -----------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_cursor_top(self) -> None:
        self.query_one(DataTable).action_scroll_top()

    def action_cursor_bottom(self) -> None:
        self.query_one(DataTable).action_scroll_bottom()

    def action_new_discussion(self) -> None:
        from stratui.screens.new_discussion import NewDiscussionScreen

        def start(kind) -> None:  # type: ignore[no-untyped-def]
            if kind is not None:
                self.app.start_discussion(kind)  # type: ignore[attr-defined]

        self.app.push_screen(NewDiscussionScreen(), start)

    def action_open_item(self) -> None:
        row = self.current_row()
        if row is None:
            return
        try:
            self.app.open_discussion(row.discussion_id)  # type: ignore[attr-defined]
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_view_case(self) -> None:
        from stratui.screens.case_view import CaseViewScreen

        row = self.current_row()
        if row is None:
            self.notify("Highlight an item first, or press / to search for a case.")
            return
        self.app.push_screen(CaseViewScreen(self.context, row.discussion_id))

    def action_search(self) -> None:
        from stratui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.context))

    def action_handover(self) -> None:
        from stratui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(self.context))

    # -- done, reopen, milestones -----------------------------------------------------------

    def action_mark_done(self) -> None:
        from stratui.screens.close_action import CloseActionScreen

        row = self.current_row()
        if row is None:
            return
        if row.closed:
            self.notify("That action is already closed; o reopens it.")
            return
        if not row.is_action:
            self.notify(
                "A statutory deadline is met by recording what happened: press m (e.g. minutes sent, ICPC held).",
                timeout=6,
            )
            return

        def done(note: str | None) -> None:
            if note is None:
                return

            def change(d: Discussion) -> None:
                action = d.action(row.action_id)  # type: ignore[arg-type]
                if not action.is_open:
                    raise _Refused(f"{action.closed_by or 'someone'} already closed it ({action.status.value})")
                d.close_action(action.id, ActionStatus.DONE, self.context.today, self.context.name, note)

            if self._change(row, change):
                self.notify(f"Done: {fit(row.title, 50)}")

        self.app.push_screen(CloseActionScreen(row.title), done)

    def action_reopen(self) -> None:
        from stratui.screens.kit import ConfirmScreen

        row = self.current_row()
        if row is None:
            return
        if not row.closed:
            self.notify("That item is open. x shows actions closed in the last week; highlight one and press o.")
            return
        note = f" Its note \"{fit(row.closing_note, 40)}\" will be cleared." if row.closing_note else ""

        def reopen(confirmed: bool | None) -> None:
            if not confirmed:
                return

            def change(d: Discussion) -> None:
                action = d.action(row.action_id)  # type: ignore[arg-type]
                if action.status not in (ActionStatus.DONE, ActionStatus.DROPPED):
                    raise _Refused(f"it is {action.status.value} now")
                d.reopen_action(action.id)

            if self._change(row, change):
                self.notify(f"Reopened: {fit(row.title, 50)}")

        self.app.push_screen(ConfirmScreen(f"Reopen: {row.title}", f"It goes back on the dashboard as open.{note}"), reopen)

    def action_record_milestone(self) -> None:
        from stratui.screens.close_action import MilestoneEntry, MilestoneScreen

        row = self.current_row()
        if row is None:
            return
        if row.is_action:
            self.notify("That is an action: d marks it done. m is for statutory deadlines (minutes, ICPC...).")
            return
        key = row.kind.value
        label = milestone_label(row.kind, self.context.settings.nation)
        settings = self.context.settings

        def record(entry: MilestoneEntry | None) -> None:
            if entry is None:
                return

            def change(d: Discussion) -> None:
                if d.milestone(key) is not None:
                    raise _Refused(f"'{label}' is already recorded")
                d.milestones.append(Milestone(key=key, on=entry.on, by=self.context.name, note=entry.note))

            if self._change(row, change):
                self.notify(f"Recorded: {label}, {format_date(entry.on)}")

        self.app.push_screen(
            MilestoneScreen(label, row.title, self.context.today, settings.calendar(), row.kind in _NOTE_REQUIRED),
            record,
        )

    def _change(self, row: Row, change: Callable[[Discussion], None]) -> bool:
        """Save one change at once through the store, then show the list as it now is."""
        index = self.query_one(DataTable).cursor_row
        try:
            self.context.store.update(row.discussion_id, change)
        except _Refused as exc:
            self.notify(f"Not changed: {exc}. The list is refreshed.", severity="warning", timeout=8)
            ok = False
        except KeyError:
            self.notify("Not changed: that action is no longer in the record. The list is refreshed.", severity="warning", timeout=8)
            ok = False
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            ok = False
        else:
            ok = True
        self._load()
        self._show(keep_key=row.key, keep_index=index)
        return ok

    # -- filters and order ------------------------------------------------------------------

    def _refilter(self) -> None:
        self._show()

    def action_cycle_whose(self) -> None:
        following = WHOSE[(WHOSE.index(self.filters.whose) + 1) % len(WHOSE)]
        if following == "team" and not team_names(self.context):
            self.notify("No team members in the settings ([[team.members]]): showing everyone.", timeout=6)
            following = "everyone"
        self.filters.whose = following
        self._refilter()

    def action_filter_agency(self) -> None:
        from stratui.screens.kit import PromptScreen

        on_list = sorted({r.agency for r in self._all_rows if r.agency})
        known = on_list + [a for a in self.context.settings.lists.agencies if a not in on_list]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.filters.agency = value
                self._refilter()

        hint = "Part of the name is enough; empty shows every agency. On the list: " + ", ".join(on_list)
        self.app.push_screen(PromptScreen("Agency", fit(hint, 140), self.filters.agency, known), chosen)

    def action_filter_case(self) -> None:
        from stratui.screens.kit import PromptScreen

        row = self.current_row()
        value = self.filters.case or (row.case_ref if row else "")
        known = sorted({r.case_ref for r in self._all_rows if r.case_ref})

        def chosen(text: str | None) -> None:
            if text is not None:
                self.filters.case = text
                self._refilter()

        hint = "Case reference or child's name, or part of it; empty shows every case."
        self.app.push_screen(PromptScreen("Case", hint, value, known), chosen)

    def action_toggle_overdue(self) -> None:
        self.filters.overdue_only = not self.filters.overdue_only
        self._refilter()

    def action_clear_filters(self) -> None:
        if self.filters.active:
            self.filters = Filters()
            self._refilter()

    def action_toggle_sort(self) -> None:
        self.by_case = not self.by_case
        self._refilter()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.action_refresh()
        if self.show_closed:
            closed = sum(1 for r in self.rows if r.closed)
            problem = f" ({self._unreadable} files could not be read: stratui check)" if self._unreadable else ""
            self.notify(f"{closed} actions closed in the last {RECENTLY_CLOSED_DAYS} days, at the end (o reopens){problem}.")


def _in_words(row: Row) -> str:
    days = row.working_days
    if row.state is DeadlineState.OVERDUE:
        return f"{-days} working day{'' if days == -1 else 's'} late"
    if days == 0:
        return "today"
    return f"{days} working day{'' if days == 1 else 's'} left"


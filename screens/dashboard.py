"""The dashboard: overdue items first, then due today, then due soon (the deadline engine's output).

Where a duty team lives between calls: review by keyboard, mark actions done, record statutory
steps as met, filter and sort, and jump to the handover, search and case history. It reads the
index only, and re-reads it when the screen comes back or another user saves. The rows, filters
and words are stratui.dashboard_rows; marking done, reopening and milestones are stratui.tracking.
Reading them is stratui.dashboard_read.

Over 500 lines on purpose: it is the one Screen class, its keys and the reading that streams
its rows in off the UI thread; the rules it shows are all in the core modules named above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import DataTable, Static

from stratui import tracking
from stratui.context import Context
from stratui.dashboard_read import (
    DashboardRead,
    read_first_screen,
    read_first_screenful,
    read_rows,
    write_first_screen,
)
from stratui.dashboard_rows import (
    RECENTLY_CLOSED_DAYS,
    Filters,
    Row,
    detail_lines,
    filter_line,
    fit,
    nothing_shown,
    short_date,
    shown_rows,
    summary_line,
    team_names,
    working_days_short,
)
from stratui.dates import format_date
from stratui.deadlines import DeadlineKind, DeadlineState
from stratui.models import DiscussionKind
from stratui.nations import rules_for
from stratui.store import StoreError
from stratui.screens.cells import plain, shown
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import refusal, ScreenHeader, StratuiScreen, under_cursor
from stratui.screens.theme import MONOCHROME
from stratui.screens.welcome import WelcomePanel

_STATE_STYLES = {DeadlineState.OVERDUE: "bold red", DeadlineState.DUE_TODAY: "bold yellow"}
# The monochrome theme: emphasis without colour (the text markers carry the meaning).
_MONOCHROME_STATE_STYLES = {DeadlineState.OVERDUE: "bold reverse", DeadlineState.DUE_TODAY: "bold"}

# Another user's save shows up within this many seconds (the check is a few file stats).
AUTO_REFRESH_SECONDS = 5
# An index larger than this (about 200 discussions) is first read in a worker thread, behind a
# loading indicator, so the screen never freezes while a large database loads (issue 6).
LOAD_IN_BACKGROUND_BYTES = 200_000
# Rows added to the table between two frames (see DashboardScreen._add_rows).
DRAW_BATCH_ROWS = 100

# Column widths, each with one space to the next column; "What" takes the rest.
_FIXED_COLUMNS = (("State", 11), ("Due", 9), ("When", 11))
_TAIL_COLUMNS = (("Owner", 13), ("Case", 14))
_MIN_WHAT = 14


class DashboardScreen(StratuiScreen[None]):
    CSS_PATH = "dashboard.tcss"
    # Keys that open a screen are priority bindings: the screen is open before the next key is
    # routed, so text typed straight after (a note after d) lands in it (see app.py).
    BINDINGS = [
        # Keys that open a screen are priority bindings, so the keys typed after them reach it (screens.kit).
        Binding("n", "new_discussion", "New", tooltip="Record a new discussion (pick its kind)", id="new-discussion", priority=True),
        Binding("enter", "open_item", "Open the discussion", id="open-item", show=False),
        Binding("d", "mark_done", "Done", tooltip="Mark the highlighted action done, with an optional note (a statutory step: as m)", id="mark-done", priority=True),
        Binding("m", "record_milestone", "Record a statutory step met (minutes sent, conference held)", id="record-milestone", priority=True, show=False),
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
        Binding("r", "report", "Report", tooltip="Team timeliness: discussions, conferences and late actions by month", id="report", priority=True),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
        Binding("q", "app.quit", "Quit", id="quit-dashboard"),
    ]


    # What the list is narrowed to and its order: each change redraws the list (the watchers).
    filters: var[Filters] = var(Filters(), init=False)
    by_case: var[bool] = var(False, init=False)
    # Actions closed this week are read only when asked for (a few files besides the index).
    show_closed: var[bool] = var(False, init=False)

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.rows: list[Row] = []
        self._read: DashboardRead | None = None
        self._drawn: tuple[int, str, list[Row]] | None = None
        self._width = 0
        self._loading = False
        self._read_after_first_rows = False
        self._drawing = 0  # which drawing of the table is current (see _add_rows)
        self._shown_text: dict[str, str] = {}

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(id="summary")
        yield Static(id="filters")
        yield WelcomePanel()
        yield DataTable(id="deadlines", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="detail")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.set_interval(AUTO_REFRESH_SECONDS, self.check_for_changes)
        # The first screenful from the first screen's files, when in step with the index: drawn at
        # once, reading no summary; every other row streams in after it.
        first = read_first_screenful(self.context)
        large = self._index_is_large()
        if first is not None:
            self._apply(first)
            self._show()
        if large:
            # Every summary (search, the case view, a refresh after a save) is then read off the
            # UI thread; until then the rows come from the file, or a loading indicator.
            self._loading = True
            if first is None or not first.rows:
                if first is None:
                    self.query_one(DataTable).loading = True
                    self._update("#summary", "Loading the discussions...")
                # After the first frame: the worker and the first layout would share one interpreter lock.
                self.call_after_refresh(self._load_in_background)
            else:
                self._read_after_first_rows = True  # see _add_rows
        elif first is None or first.total > len(first.rows):
            self.action_refresh()

    @work(thread=True, exclusive=True, group="dashboard-load")
    def _load_in_background(self) -> None:
        """The first read of a large index, off the UI thread; the rest of the screen stays live.

        The rest of the first screen's rows come first (one small read), then every summary."""
        if self._read is not None and self._read.partial:
            rest = read_first_screen(self.context)
            if rest is not None:
                self.app.call_from_thread(self._rest_read, rest)
        self.app.call_from_thread(self._loaded, self._read_index())

    def _rest_read(self, read: DashboardRead) -> None:
        if self._read is not None and self._read.partial:  # not overtaken by a full read
            self._apply(read)
            self._show()

    def _loaded(self, read: DashboardRead | StoreError) -> None:
        self._loading = False
        self.query_one(DataTable).loading = False
        self._apply(read)
        self._show()
        # A change made while it loaded (here or by another user) is read now.
        self.check_for_changes()

    @work(thread=True, group="first-screen-file")
    def _write_first_screen(self, read: DashboardRead) -> None:
        """Write the first screen's file anew (it was out of step), off the UI thread."""
        write_first_screen(self.context, read)

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
        """Re-read the index and redraw (the app calls this when a discussion closes).

        A large index is read off the UI thread, as at the start: at 100,000 discussions a read
        takes half a second, and a colleague's save (or closing a discussion) froze the keys for
        that long. The rows shown stay until the new ones are ready."""
        if self._index_is_large():
            self._loading = True
            self._refresh_in_background()
            return
        self._load()
        self._show()

    def _index_is_large(self) -> bool:
        """Large enough that reading it would hold the keys up: read it in a worker."""
        return self.context.store.index_size() > LOAD_IN_BACKGROUND_BYTES

    @work(thread=True, exclusive=True, group="dashboard-load")
    def _refresh_in_background(self) -> None:
        self.app.call_from_thread(self._loaded, self._read_index())

    def check_for_changes(self) -> None:
        """Reload only if an index file changed since the last read (another user's save)."""
        stamp = self._read.stamp if self._read else None
        if not self._loading and self.context.store.changed_since(stamp):
            self.action_refresh()

    def _load(self) -> None:
        self._apply(self._read_index())

    def _read_index(self) -> DashboardRead | StoreError:
        """Everything the list shows (no widget touched: safe in a worker)."""
        try:
            return read_rows(self.context, self.show_closed)
        except StoreError as exc:
            return exc

    def _apply(self, read: DashboardRead | StoreError) -> None:
        if isinstance(read, StoreError):
            self.notify(str(read), severity="error", timeout=10)
            return
        for damage in read.damage:
            if self._read is None or damage not in self._read.damage:
                self.notify(damage, severity="warning", timeout=20)
        self._read = read
        if read.stale_file is not None:
            self._write_first_screen(read)

    @property
    def _all_rows(self) -> list[Row]:
        return self._read.rows if self._read else []

    # -- drawing ----------------------------------------------------------------------------

    def _show(self, keep_key: str | None = None, keep_index: int | None = None) -> None:
        if not self.is_mounted or not self.query(DataTable):
            return  # not composed yet, or closing (a save landing late asks for a redraw)
        if self._read is None and self._loading:
            # The first read of a large index is under way: it is not an empty database (no
            # welcome, no "No discussions yet"), whatever is drawn meanwhile (a resize).
            self._update("#summary", "Loading the discussions...")
            return
        table = self.query_one(DataTable)
        if keep_key is None and keep_index is None and self.rows and table.row_count:
            keep_index = min(table.cursor_row, len(self.rows) - 1)
            keep_key = self.rows[keep_index].key
        self.rows = shown_rows(self._all_rows, self.filters, self.by_case, self.context)
        # The welcome says nothing is recorded: never while discussion files exist, whatever the index says.
        self.set_class(self._read is None or self._read.empty, "empty")
        self._draw_table(keep_key, keep_index)
        filtered = self.filters.active
        self._update("#summary", summary_line(self._read, self.rows, self.context.today, self.show_closed, filtered))
        reading = self._read is not None and self._read.partial
        self._update("#filters", filter_line(self.filters, self.by_case, len(self.rows), len(self._all_rows), reading))
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
        before, self._drawn, self._width = self._drawn, drawn, self.size.width
        added = table.row_count
        if before is not None and before[:2] == drawn[:2] and added and before[2][:added] == drawn[2][:added]:
            # The rows on screen stay as they are (the rest of the first screen's rows arriving
            # after its first screenful): only the new ones are added after them.
            self._drawing += 1
            self._add_rows(self._drawing, drawn[2], width, added, None)
            return
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
        # The first batch is a screenful: DataTable measures every row it is given before it
        # draws, so the first frame waits only for the rows it shows.
        batch = max(1, self.size.height) if start == 0 else DRAW_BATCH_ROWS
        end = min(len(rows), start + batch)
        for row in rows[start:end]:
            table.add_row(*plain(*self._cells(row, width)), key=row.key)
        if cursor is not None and start <= cursor < end:
            table.move_cursor(row=cursor, animate=False)
            self._show_detail()
        if self._read_after_first_rows:
            # The rows from the first screen's file are on screen: now every summary, off the UI thread.
            self._read_after_first_rows = False
            self.call_after_refresh(self._load_in_background)
        if end < len(rows):
            # A timer, not call_later: the message queue empties in between, so the table measures
            # each batch as it comes (on idle) instead of all the rows at the end.
            self.set_timer(0.005, partial(self._add_rows, drawing, rows, width, end, cursor))

    def _cells(self, row: Row, what_width: int) -> tuple[Text | str, ...]:
        if row.closed:
            style = "dim"
        else:
            styles = _MONOCHROME_STATE_STYLES if self.app.theme == MONOCHROME.name else _STATE_STYLES
            style = styles.get(row.state, "") if row.state else ""
        return (
            Text(row.marker, style=style),
            short_date(row.due, self.context.today),
            working_days_short(row),
            fit(row.title, what_width - 1),
            fit(row.owner or "-", _TAIL_COLUMNS[0][1] - 1),
            fit(row.case_ref or "-", _TAIL_COLUMNS[1][1] - 1),
        )

    def _update(self, selector: str, text: str) -> None:
        # Plain text (record text is not markup), and no redraw when nothing changed.
        if self._shown_text.get(selector) != text:
            self._shown_text[selector] = text
            self.query_one(selector, Static).update(shown(text))

    def _show_detail(self) -> None:
        row = self.current_row()
        if row is None:
            self._update("#detail", nothing_shown(self._read, self.filters))
            return
        summary = self._read.summaries.get(row.discussion_id) if self._read else None
        self._update("#detail", detail_lines(row, summary, max(20, (self.size.width or 80) - 2), self.context.settings.nation))

    def current_row(self) -> Row | None:
        return under_cursor(self.query_one(DataTable), self.rows)

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

        def start(kind: DiscussionKind | None) -> None:
            if kind is not None:
                self.stratui.start_discussion(kind)

        self.app.push_screen(NewDiscussionScreen(), start)

    def action_open_item(self) -> None:
        row = self.current_row()
        if row is None:
            return
        try:
            self.stratui.open_discussion(row.discussion_id)
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

    def action_report(self) -> None:
        from stratui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen(self.context))

    # -- done, reopen, milestones (stratui.tracking) ----------------------------------------

    def action_mark_done(self) -> None:
        from stratui.screens.close_action import CloseActionScreen

        row = self.current_row()
        if row is None:
            return
        if row.closed:
            self.notify("That action is already closed; o reopens it.")
            return
        if row.action_id is None:
            # A statutory deadline is met by recording what happened (minutes sent, conference
            # held): d asks for that, as m does, so a note typed straight after lands in it.
            self.action_record_milestone()
            return
        action_id = row.action_id

        def done(note: str | None) -> None:
            if note is not None:
                mark = partial(tracking.mark_done, self.context, row.discussion_id, action_id, note)
                self._change(row, f"mark done: {fit(row.title, 50)}", mark, f"Done: {fit(row.title, 50)}")

        self.app.push_screen(CloseActionScreen(row.title), done)

    def action_reopen(self) -> None:
        from stratui.screens.kit import ConfirmScreen

        row = self.current_row()
        if row is None:
            return
        if not row.closed or row.action_id is None:
            self.notify("That item is open. x shows actions closed in the last week; highlight one and press o.")
            return
        action_id = row.action_id
        note = f" Its note \"{fit(row.closing_note, 40)}\" will be cleared." if row.closing_note else ""

        def reopen(confirmed: bool | None) -> None:
            if confirmed:
                back = partial(tracking.reopen, self.context, row.discussion_id, action_id)
                self._change(row, f"reopen: {fit(row.title, 50)}", back, f"Reopened: {fit(row.title, 50)}")

        self.app.push_screen(ConfirmScreen(f"Reopen: {row.title}", f"It goes back on the dashboard as open.{note}"), reopen)

    def action_record_milestone(self) -> None:
        from stratui.screens.close_action import MilestoneEntry, MilestoneScreen

        row = self.current_row()
        if row is None:
            return
        if row.is_action:
            self.action_mark_done()  # an action is closed by marking it done, as d does
            return
        if row.kind is DeadlineKind.CONFERENCE:
            self._record_conference_outcome(row)
            return
        settings = self.context.settings
        label = tracking.milestone_label(row.kind, settings.nation)

        def record(entry: MilestoneEntry | None) -> None:
            if entry is None:
                return
            met = partial(tracking.record_milestone, self.context, row.discussion_id, row.kind, entry.on, entry.note)
            said = f"{label}, {format_date(entry.on)}"
            self._change(row, f"{said}: {fit(row.title, 40)}", met, f"Recorded: {said}")

        needs_note = row.kind in tracking.NOTE_REQUIRED
        self.app.push_screen(MilestoneScreen(label, row.title, self.context.today, settings.calendar(), needs_note), record)

    def _record_conference_outcome(self, row: Row) -> None:
        """The conference held, or the enquiry's outcome (no conference needed closes the deadline)."""
        from stratui.screens.close_action import ConferenceOutcomeScreen, OutcomeEntry

        rules = rules_for(self.context.settings.nation)

        def record(entry: OutcomeEntry | None) -> None:
            if entry is None:
                return
            met = partial(tracking.record_conference_outcome, self.context, row.discussion_id, entry.apply)
            said = f"{entry.describe(rules)}, {format_date(entry.on)}"
            self._change(row, f"{said}: {fit(row.title, 40)}", met, f"Recorded: {said}")

        screen = ConferenceOutcomeScreen(rules, row.title, self.context.today, self.context.settings.calendar())
        self.app.push_screen(screen, record)

    def _change(self, row: Row, what: str, change: Callable[[], None], done: str) -> None:
        """Save one change (stratui.tracking) off the UI thread, then show the list as it now is.

        The screen stays live while the write waits for the lock; the same item changed
        again before it lands is refused (LockedWrites keys the write by the row).
        """

        def landed() -> None:
            self.notify(done)
            self._after_change(row)

        def refused(exc: Exception) -> None:
            if isinstance(exc, tracking.Refused):
                self.notify(f"Not changed: {exc}. The list is refreshed.", severity="warning", timeout=8)
            else:
                self.notify(refusal(what, exc), severity="error", timeout=12)
            self._after_change(row)

        self.stratui.writes.start(
            f"dashboard:{row.key}",
            what,
            lambda cancelled: change(),
            landed,
            refused,
            lambda text: self.notify(text, severity="warning", timeout=10),
        )

    def _after_change(self, row: Row) -> None:
        if self._loading:
            return  # the list is read again once the first read of every summary is in (_loaded)
        if not self.is_mounted or not self.query(DataTable):
            return  # landed as the app closes (its widgets already gone): nothing to redraw
        if self._index_is_large():
            self.action_refresh()  # off the UI thread; the cursor stays on the row it is on
            return
        index = self.query_one(DataTable).cursor_row
        current = self.current_row()
        self._load()
        # The cursor stays where the user moved it meanwhile (it was on `row` if they did not).
        self._show(keep_key=current.key if current else row.key, keep_index=index)

    # -- filters and order: each changes a reactive, whose watcher redraws --------------------

    def watch_filters(self) -> None:
        self._show()

    def watch_by_case(self) -> None:
        self._show()

    def watch_show_closed(self, shown: bool) -> None:
        self.action_refresh()
        if shown:
            closed = sum(1 for r in self.rows if r.closed)
            unreadable = self._read.unreadable if self._read else 0
            problem = f" ({unreadable} files could not be read: stratui check)" if unreadable else ""
            self.notify(f"{closed} actions closed in the last {RECENTLY_CLOSED_DAYS} days, at the end (o reopens){problem}.")

    def action_cycle_whose(self) -> None:
        has_team = bool(team_names(self.context))
        following = self.filters.next_whose(has_team)
        if self.filters.whose == "mine" and not has_team:
            self.notify("No team members in the settings ([[team.members]]): showing everyone.", timeout=6)
        self.filters = following

    def action_filter_agency(self) -> None:
        from stratui.screens.kit import PromptScreen

        on_list = sorted({r.agency for r in self._all_rows if r.agency})
        known = on_list + [a for a in self.context.settings.lists.agencies if a not in on_list]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.filters = replace(self.filters, agency=value)

        hint = "Part of the name is enough; empty shows every agency. On the list: " + ", ".join(on_list)
        self.app.push_screen(PromptScreen("Agency", fit(hint, 140), self.filters.agency, known), chosen)

    def action_filter_case(self) -> None:
        from stratui.screens.kit import PromptScreen

        row = self.current_row()
        value = self.filters.case or (row.case_ref if row else "")
        known = sorted({r.case_ref for r in self._all_rows if r.case_ref})

        def chosen(text: str | None) -> None:
            if text is not None:
                self.filters = replace(self.filters, case=text)

        hint = "Case reference or child's name, or part of it; empty shows every case."
        self.app.push_screen(PromptScreen("Case", hint, value, known), chosen)

    def action_toggle_overdue(self) -> None:
        self.filters = replace(self.filters, overdue_only=not self.filters.overdue_only)

    def action_clear_filters(self) -> None:
        self.filters = Filters()

    def action_toggle_sort(self) -> None:
        self.by_case = not self.by_case

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed

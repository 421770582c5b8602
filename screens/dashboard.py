"""The dashboard: overdue items first, then due today, then due soon (the deadline engine's output)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from stratui.context import Context
from stratui.deadlines import Deadline, DeadlineState, dashboard_items
from stratui.models import format_date

# Text markers as well as colour: the dashboard must read on a monochrome terminal.
STATE_MARKERS = {
    DeadlineState.OVERDUE: "!! OVERDUE",
    DeadlineState.DUE_TODAY: "!  TODAY",
    DeadlineState.DUE_SOON: "   soon",
    DeadlineState.LATER: "   later",
}


def describe_working_days(item: Deadline) -> str:
    if item.working_days < 0:
        return f"{-item.working_days} wd late"
    if item.working_days == 0:
        return "today"
    return f"in {item.working_days} wd"


class DashboardScreen(Screen[None]):
    DEFAULT_CSS = """
    DashboardScreen #summary { height: 1; padding: 0 1; }
    DashboardScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new_discussion", "New discussion", id="new-discussion"),
        Binding("enter", "open_item", "Open", id="open-item", show=False),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("q", "app.quit", "Quit", id="quit-dashboard"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield DataTable(id="deadlines", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("State", "Due", "When", "What", "Owner", "Case")
        self.action_refresh()
        table.focus()

    def action_new_discussion(self) -> None:
        from stratui.screens.new_discussion import NewDiscussionScreen

        def start(kind) -> None:  # type: ignore[no-untyped-def]
            if kind is not None:
                self.app.start_discussion(kind)  # type: ignore[attr-defined]

        self.app.push_screen(NewDiscussionScreen(), start)

    def action_open_item(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        discussion_id = str(row_key.value).split(":", 1)[0]
        self.app.open_discussion(discussion_id)  # type: ignore[attr-defined]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_refresh(self) -> None:
        items = dashboard_items(self.context.store.summaries(), self.context.today, self.context.settings)
        table = self.query_one(DataTable)
        table.clear()
        for item in items:
            table.add_row(
                STATE_MARKERS[item.state],
                format_date(item.due),
                describe_working_days(item),
                item.title,
                item.owner or "-",
                item.case_ref or "-",
                key=item.key,
            )
        self.query_one("#summary", Static).update(self._summary_line(items))

    def _summary_line(self, items: list[Deadline]) -> str:
        if not len(self.context.store):
            return "No discussions yet. Load demo data from the shell with: stratui demo"
        counts = {state: sum(1 for i in items if i.state is state) for state in STATE_MARKERS}
        return (
            f"Today {format_date(self.context.today)}:  {counts[DeadlineState.OVERDUE]} overdue, "
            f"{counts[DeadlineState.DUE_TODAY]} due today, {counts[DeadlineState.DUE_SOON]} due soon"
        )

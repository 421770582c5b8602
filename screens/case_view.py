"""A case's history: every discussion of the case in the order held, its decisions, its open actions.

Enter opens a discussion; f starts a follow-up of the highlighted one (its open actions come
along for review).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from stratui.context import Context
from stratui.dates import format_date
from stratui.models import ActionStatus, ActionSummary, DiscussionKind, DiscussionStatus, DiscussionSummary
from stratui.nations import NationRules, rules_for
from stratui.search import case_discussions
from stratui.store import StoreError
from stratui.screens.cells import plain, shown
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import ScreenHeader, StratuiScreen, under_cursor
from stratui.terminal import shorten
from stratui.text import escape

MILESTONE_SHORT = {
    "minutes": "minutes sent",
    "discussion": "timing noted",
    "conference": "conference held",
    "reconvene": "reconvened",
    "parents-review": "parents decision reviewed",
    "assessment": "assessment done",
    "follow-up-meeting": "meeting held",
    "conference-record": "conference record sent",
}
# Each with one space to the next column; the last column takes the rest.
_DISCUSSION_COLUMNS = (("Held", 12), ("Kind", 15), ("s47", 5), ("Parents told", 18), ("Status", 11), ("Open", 5))
_ACTION_COLUMNS = (("Due", 12), ("When", 11))
_OWNER_WIDTH = 16


def fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return shorten(text, width)


def kind_short(s: DiscussionSummary, rules: NationRules) -> str:
    return rules.kind_short(s.kind)


def yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def parents_told(s: DiscussionSummary) -> str:
    if s.parents_informed is False and s.parents_review_date is not None:
        return f"no, review {s.parents_review_date.day} {s.parents_review_date:%b}"
    return yes_no(s.parents_informed)


class CaseViewScreen(StratuiScreen[None]):
    CSS_PATH = "case_view.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="close-case"),
        Binding("f", "follow_up", "Follow-up", id="follow-up", priority=True),
        Binding("t", "history", "History", tooltip="The audit trail of the highlighted discussion", id="case-history"),
        Binding("enter", "open_discussion", "Open the discussion", id="open-case-discussion", show=False),
        Binding("j", "cursor_down", "Down", id="case-down", show=False),
        Binding("k", "cursor_up", "Up", id="case-up", show=False),
    ]

    def __init__(self, context: Context, discussion_id: str) -> None:
        super().__init__()
        self.context = context
        self.discussion_id = discussion_id
        self.rules = rules_for(context.settings.nation)
        self.discussions: list[DiscussionSummary] = []
        self.actions: list[tuple[DiscussionSummary, ActionSummary]] = []

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(id="case-title")
        yield DataTable(id="discussions", cursor_type="row", cell_padding=0)
        yield Static(id="discussion-detail")
        yield Static(id="actions-title")
        yield DataTable(id="case-actions", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.load()
        table = self.query_one("#discussions", DataTable)
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.discussions:
            self.load()

    def load(self) -> None:
        try:
            summaries = self.context.store.summaries()
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.discussions = case_discussions(summaries, self.discussion_id)
        self.actions = sorted(
            ((s, a) for s in self.discussions for a in s.actions if a.status is ActionStatus.OPEN),
            key=lambda pair: (pair[1].due is None, pair[1].due or pair[0].held_on, pair[0].held_on),
        )
        self._show_title()
        self._show_discussions()
        self._show_actions()

    def _show_title(self) -> None:
        if not self.discussions:
            self.query_one("#case-title", Static).update("That discussion is no longer in the database.")
            return
        refs = sorted({s.case_ref for s in self.discussions if s.case_ref}) or ["no case ref"]
        children: list[str] = []
        for s in self.discussions:
            children += [c for c in s.children if c not in children]
        count = len(self.discussions)
        line = f"Case {', '.join(refs)}: {', '.join(children) or 'no child named'} | {count} discussion{'s' if count != 1 else ''}"
        self.sub_title = escape(f"Case {refs[0]}")
        self.query_one("#case-title", Static).update(shown(fit(line, max(20, (self.size.width or 80) - 2))))

    def _show_discussions(self) -> None:
        table = self.query_one("#discussions", DataTable)
        keep = self.current_discussion()
        table.clear(columns=True)
        for label, width in _DISCUSSION_COLUMNS:
            # The enquiry column in the nation's words ("s47"; "Inv." where it is an investigation).
            if label == "s47":
                label = self.rules.enquiry_short if len(self.rules.enquiry_short) <= width else "Inv."
            table.add_column(label, width=width)
        table.add_column("Social worker", width=max(10, (self.size.width or 80) - sum(w for _, w in _DISCUSSION_COLUMNS) - 1))
        for s in self.discussions:
            open_count = sum(1 for a in s.actions if a.status is ActionStatus.OPEN)
            status = "signed off" if s.status is DiscussionStatus.SIGNED_OFF else "draft"
            table.add_row(
                *plain(
                    f"{s.held_on.day} {s.held_on:%b %Y}",
                    kind_short(s, self.rules),
                    yes_no(s.s47_started),
                    parents_told(s),
                    status,
                    str(open_count),
                    fit(s.social_worker or "-", 20),
                ),
                key=s.id,
            )
        wanted = keep.id if keep else self.discussion_id
        index = next((i for i, s in enumerate(self.discussions) if s.id == wanted), len(self.discussions) - 1)
        if self.discussions:
            table.move_cursor(row=index, animate=False)
        self._show_detail()

    def _show_actions(self) -> None:
        table = self.query_one("#case-actions", DataTable)
        table.clear(columns=True)
        width = self.size.width or 80
        what = max(14, width - sum(w for _, w in _ACTION_COLUMNS) - _OWNER_WIDTH - 1)
        for label, w in _ACTION_COLUMNS:
            table.add_column(label, width=w)
        table.add_column("Action", width=what)
        table.add_column("Owner", width=_OWNER_WIDTH)
        calendar = self.context.settings.calendar()
        today = self.context.today
        for s, a in self.actions:
            if a.due is None:
                due, when = "no date", ""
            else:
                due = f"{a.due.day} {a.due:%b %Y}"
                days = calendar.working_days_between(today, a.due)
                when = "today" if a.due == today else (f"{-days}wd late" if a.due < today else f"{days}wd left")
            table.add_row(
                *plain(due, when, fit(a.text, what - 1), fit(a.owner or "-", _OWNER_WIDTH - 1)), key=f"{s.id}:{a.id}"
            )
        self.query_one("#actions-title", Static).update(
            f"Open actions of the case: {len(self.actions)}" + ("" if self.actions else " (none)")
        )

    def _show_detail(self) -> None:
        s = self.current_discussion()
        detail = self.query_one("#discussion-detail", Static)
        if s is None:
            detail.update("")
            return
        width = max(20, (self.size.width or 80) - 2)
        milestones = ", ".join(
            f"{MILESTONE_SHORT.get(key, key)} {day.day} {day:%b}"
            for key, day in sorted(s.milestones.items(), key=lambda kv: kv[1])
        )
        first = f"{self.rules.kind_label(s.kind)} held {format_date(s.held_on)}; concern raised {format_date(s.concern_date)}"
        second = f"Children: {', '.join(s.children) or 'none named'}"
        if s.reconvene_on:
            second += f" | reconvene {format_date(s.reconvene_on)}"
        if milestones:
            second += f" | met: {milestones}"
        if s.enquiry_outcome is not None:
            second += f" | outcome: {self.rules.outcome_label(s.enquiry_outcome)}"
        detail.update(shown(f"{fit(first, width)}\n{fit(second, width)}"))

    def current_discussion(self) -> DiscussionSummary | None:
        return under_cursor(self.query_one("#discussions", DataTable), self.discussions)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.data_table.id == "discussions":
            self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "case-actions":
            index = event.cursor_row
            if 0 <= index < len(self.actions):
                self._open(self.actions[index][0].id)
            return
        self.action_open_discussion()

    # -- actions ------------------------------------------------------------------------

    def _focused_table(self) -> DataTable:
        actions = self.query_one("#case-actions", DataTable)
        return actions if actions.has_focus else self.query_one("#discussions", DataTable)

    def action_cursor_down(self) -> None:
        self._focused_table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._focused_table().action_cursor_up()

    def action_history(self) -> None:
        s = self.current_discussion()
        if s is not None:
            from stratui.screens.history import HistoryScreen

            self.app.push_screen(HistoryScreen(self.context, s.id))

    def action_open_discussion(self) -> None:
        s = self.current_discussion()
        if s is not None:
            self._open(s.id)

    def _open(self, discussion_id: str) -> None:
        try:
            self.stratui.open_discussion(discussion_id)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)

    def action_follow_up(self) -> None:
        from stratui.screens.new_discussion import NewDiscussionScreen

        s = self.current_discussion()
        if s is None:
            return

        def start(kind: DiscussionKind | None) -> None:
            if kind is None:
                return
            try:
                self.stratui.start_follow_up(s.id, kind)
            except StoreError as exc:
                self.notify(str(exc), severity="error", timeout=10)

        when = f"{s.held_on.day} {s.held_on:%b %Y}"
        self.app.push_screen(NewDiscussionScreen(f"Follow-up of {when}"), start)

    def action_close(self) -> None:
        self.dismiss()

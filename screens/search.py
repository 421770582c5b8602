"""Search (/): by child name or case reference as you type; the full text on Enter or ctrl+t.

Enter on a result opens its case history (screens.case_view).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from stratui.screens.ordered_input import OrderedInput
from stratui.context import Context
from stratui.invocation import shell_command
from stratui.models import DiscussionStatus, DiscussionSummary
from stratui.nations import rules_for
from stratui.search import MATCHED_TEXT, SearchOutcome, SearchResult, search
from stratui.search_kept import kept_names
from stratui.store import StoreError
from stratui.screens.cells import plain, shown
from stratui.screens.keys_footer import KeysFooter
from stratui.terminal import ellipsis, shorten
from stratui.screens.kit import focus_at_once, ScreenHeader, under_cursor

# Each with one space to the next column; "Children" takes the rest.
_COLUMNS = (("Held", 12), ("Case", 15), ("Kind", 15), ("Found in", 10))


def fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return shorten(text, width)


class SearchScreen(Screen[None]):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="close-search"),
        Binding("ctrl+t", "toggle_full_text", "Full text on/off", id="toggle-full-text"),
        Binding("down", "to_results", "Results", id="to-results", show=False),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.rules = rules_for(context.settings.nation)
        self.full_text = False
        self.results: list[SearchResult] = []
        self._summaries: list[DiscussionSummary] = []
        self._shards: tuple[tuple[DiscussionSummary, ...], ...] = ()
        self._searching = False

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(_HELP, id="search-help")
        yield OrderedInput(placeholder="e.g. Maya, CS-104233, step-father", id="query")
        yield Static(id="search-status")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="result-detail")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Search"
        try:
            # Read once for the screen; each key typed matches the shards' kept names (search_kept).
            self._shards = self.context.store.summaries_by_shard().shards
            self._summaries = [s for shard in self._shards for s in shard]
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
        self._set_status("Type to search names and case references.")
        self._show([])
        focus_at_once(self, self.query_one("#query", Input))  # the name typed straight after / goes in

    @property
    def query_text(self) -> str:
        return self.query_one("#query", Input).value

    # -- searching ----------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        query = event.value
        if not query.strip():
            self._show([])
            self._set_status("Type to search names and case references.")
            return
        results = kept_names(self.context.store).search(self._shards, query)
        self._show(results)
        if results:
            extra = " ctrl+t adds matches in the text." if not self.full_text else " Enter searches the text too."
            self._set_status(f"{_count(len(results))} by child or case ref.{extra}")
        else:
            self._set_status("No child or case reference matches. Enter searches the full text of every discussion.")

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value
        if not query.strip():
            return
        if self.full_text or not self.results:
            self._run_full_text(query)
        else:
            self.action_to_results()

    def _run_full_text(self, query: str) -> None:
        self._searching = True
        self._set_status(f"Searching the text of {len(self._summaries)} discussions{ellipsis()}")
        self._search_worker(query)

    @work(thread=True, exclusive=True, group="full-text")
    def _search_worker(self, query: str) -> None:
        outcome = search(self.context.store, query, full_text=True, summaries=self._summaries)
        self.app.call_from_thread(self._full_text_done, query, outcome)

    def _full_text_done(self, query: str, outcome: SearchOutcome) -> None:
        self._searching = False
        if query != self.query_text:
            return  # the user typed on: their new query is shown already
        self._show(outcome.results)
        in_text = sum(1 for r in outcome.results if r.matched == MATCHED_TEXT)
        message = f"{_count(len(outcome.results))} ({in_text} in the text)." if outcome.results else "Nothing found."
        if outcome.unreadable:
            message += f" {outcome.unreadable} files could not be read: run {shell_command('check')}."
        self._set_status(message)
        if outcome.results:
            self.action_to_results()

    def action_toggle_full_text(self) -> None:
        self.full_text = not self.full_text
        if self.full_text and self.query_text.strip():
            self._run_full_text(self.query_text)
        else:
            self._set_status("Full text on: Enter searches it." if self.full_text else "Full text off.")
        self.query_one("#search-help", Static).update(
            "Full text ON: Enter searches the text of every discussion too." if self.full_text else _HELP
        )

    # -- results ------------------------------------------------------------------------

    def _show(self, results: list[SearchResult]) -> None:
        self.results = results
        table = self.query_one("#results", DataTable)
        table.clear(columns=True)
        fixed = sum(w for _, w in _COLUMNS)
        children_width = max(12, (self.size.width or 80) - fixed - 1)
        for label, width in _COLUMNS[:2]:
            table.add_column(label, width=width)
        table.add_column("Children", width=children_width)
        for label, width in _COLUMNS[2:]:
            table.add_column(label, width=width)
        for r in results:
            table.add_row(
                *plain(
                    f"{r.held_on.day} {r.held_on:%b %Y}",
                    fit(r.case_ref or "-", _COLUMNS[1][1] - 1),
                    fit(", ".join(r.children) or "no child named", children_width - 1),
                    fit(self.rules.kind_short(r.kind), _COLUMNS[2][1] - 1),
                    r.matched if r.matched != "case ref and child" else "ref+child",
                ),
                key=r.discussion_id,
            )
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#result-detail", Static)
        result = self.current_result()
        if result is None:
            detail.update("")
            return
        status = "signed off" if result.status is DiscussionStatus.SIGNED_OFF else "draft"
        first = f"{self.rules.kind_label(result.kind)}, {status}. Enter: the case history."
        second = ellipsis() + result.snippet.removeprefix(ellipsis()) if result.snippet else ", ".join(result.children)
        width = max(20, (self.size.width or 80) - 2)
        detail.update(shown(f"{fit(first, width)}\n{fit(second, width)}"))

    def current_result(self) -> SearchResult | None:
        return under_cursor(self.query_one("#results", DataTable), self.results)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        result = self.current_result()
        if result is None:
            return
        from stratui.screens.case_view import CaseViewScreen

        self.app.push_screen(CaseViewScreen(self.context, result.discussion_id))

    def action_to_results(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.row_count:
            table.focus()

    def action_close(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.has_focus:
            # Back to the query first: Escape twice leaves.
            self.query_one("#query", Input).focus()
            return
        self.dismiss()

    def _set_status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(shown(text))


_HELP = "A child's name, a case reference or any words. Enter: to the results."


def _count(n: int) -> str:
    return f"{n} discussion{'' if n == 1 else 's'} found"

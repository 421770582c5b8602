"""Phase 1, information sharing: the concerns, what each agency holds, history, lived experience."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label

from stratui.models import AgencyInformation
from stratui.phases import INFORMATION
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import YES_NO, ChoiceField, LongTextField
from stratui.screens.cells import plain


class InformationScreen(PhaseScreen):
    PHASE = INFORMATION
    DEFAULT_CSS = """
    InformationScreen #agency-form { height: 1; }
    /* One line per box, as the fields: three rows of borders would not fit 80x24. */
    InformationScreen #agency-form Input { border: none; height: 1; padding: 0 1; margin: 0 1 0 0; background: $boost; }
    InformationScreen #agency-form Input:focus { border: none; background: $accent 30%; }
    InformationScreen #agency-form #ai-agency { width: 24; }
    InformationScreen #agency-form #ai-summary { width: 1fr; }
    InformationScreen .section { padding: 0 1; text-style: bold; }
    InformationScreen #agency-information { height: auto; max-height: 10; }
    """
    BINDINGS = [Binding("delete", "remove_agency_information", "Remove row", id="remove-agency-information")]
    ROW_FORMS = {"agency-form": "add_agency_information"}

    def compose_form(self) -> ComposeResult:
        yield LongTextField("information.concerns", "Nature of the concerns")
        yield LongTextField("information.how_concerns_came_to_light", "How and when they came to light")
        yield Label("What each agency shared: agency, Tab, summary, Enter to add", classes="section")
        with Horizontal(id="agency-form"):
            agencies = self.editor.context.settings.lists.agencies
            from textual.suggester import SuggestFromList

            yield Input(placeholder="Agency", id="ai-agency", suggester=SuggestFromList(agencies, case_sensitive=False), select_on_focus=False)
            yield Input(placeholder="What they shared", id="ai-summary", select_on_focus=False)
        yield DataTable(id="agency-information", cursor_type="row")
        yield LongTextField("information.family_history", "Family history and previous involvement")
        yield LongTextField("information.current_circumstances", "Current circumstances")
        yield LongTextField("information.lived_experience", "The child's daily lived experience")
        yield LongTextField("information.source_reliability", "Sources triangulated / reliability")
        yield ChoiceField(
            "information.possibly_malicious", "Possibly malicious information?", YES_NO[:2]
        )

    def show_lists(self) -> None:
        self._show_rows()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#agency-information", DataTable).add_columns("Agency", "Shared")
        self._show_rows()

    def _show_rows(self) -> None:
        table = self.query_one("#agency-information", DataTable)
        table.clear()
        for number, item in enumerate(self.editor.discussion.information.agency_information):
            table.add_row(*plain(item.agency, item.summary), key=str(number))

    def add_agency_information(self) -> None:
        if self.editor.locked:
            return
        agency = self.query_one("#ai-agency", Input)
        summary = self.query_one("#ai-summary", Input)
        if not agency.value.strip():
            self.show_status("Name the agency first.", error=True)
            self.set_focus(agency)
            return
        self.editor.discussion.information.agency_information.append(
            AgencyInformation(agency=agency.value.strip()[:200], summary=summary.value.strip())
        )
        agency.value = summary.value = ""
        self._show_rows()
        self.record_changed()
        self.set_focus(agency)  # at once: text typed straight after Enter lands in the new row

    def action_remove_agency_information(self) -> None:
        table = self.query_one("#agency-information", DataTable)
        if self.editor.locked or not table.has_focus or not table.row_count:
            return
        del self.editor.discussion.information.agency_information[table.cursor_row]
        self._show_rows()
        self.record_changed()

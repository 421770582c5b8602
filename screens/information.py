"""Phase 1, information sharing: the concerns, what each agency holds, history, lived experience."""

from __future__ import annotations

from textual.app import ComposeResult

from stratui.models import AgencyInformation
from stratui.phases import AGENCY_FORM, INFORMATION
from stratui.screens.phase import PhaseScreen
from stratui.screens.rows import Box, RowKind, RowList, RowRefused
from stratui.screens.widgets import YES_NO, ChoiceField, LongTextField


SHORT_TEXT_LIMIT = 200


def agency_information_kind(agencies: list[str]) -> RowKind[AgencyInformation]:
    def build(values: dict[str, str], old: AgencyInformation | None) -> AgencyInformation:
        if not values["agency"]:
            raise RowRefused("Name the agency first.", "agency")
        if len(values["agency"]) > SHORT_TEXT_LIMIT:
            raise RowRefused(f"The agency is too long ({SHORT_TEXT_LIMIT} characters at most).", "agency")
        row = {"agency": values["agency"], "summary": values["summary"]}
        return old.model_copy(update=row) if old is not None else AgencyInformation(**row)

    return RowKind(
        form=AGENCY_FORM,
        prefix="ai",
        title="What each agency shared: agency, Tab, summary, Enter to add",
        boxes=[Box("agency", "Agency", width=24, suggestions=agencies), Box("summary", "What they shared")],
        columns=[("Agency", 22), ("Shared", None)],
        rows=lambda d: d.information.agency_information,
        cells=lambda item: (item.agency, item.summary or "-"),
        values=lambda item: {"agency": item.agency, "summary": item.summary},
        build=build,
        name=lambda item: f"what {item.agency} shared",
    )


class InformationScreen(PhaseScreen):
    PHASE = INFORMATION

    def compose_form(self) -> ComposeResult:
        yield LongTextField("information.concerns", "Nature of the concerns")
        yield LongTextField("information.how_concerns_came_to_light", "How and when they came to light")
        agencies = self.editor.context.settings.lists.agencies
        yield RowList(agency_information_kind(agencies), lambda: self.editor.discussion, self.editor.locked)
        yield LongTextField("information.family_history", "Family history and previous involvement")
        yield LongTextField("information.current_circumstances", "Current circumstances")
        yield LongTextField("information.lived_experience", "The child's daily lived experience")
        yield LongTextField("information.source_reliability", "Sources triangulated / reliability")
        yield ChoiceField(
            "information.possibly_malicious", "Possibly malicious information?", YES_NO[:2]
        )

    def show_lists(self) -> None:
        self.query_one(RowList).show_rows()

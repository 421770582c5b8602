"""Phase 1, information sharing: the concerns, what each agency holds, history, lived experience."""

from __future__ import annotations

from textual.app import ComposeResult

from textual.widgets import Static

from stratui.models import REVIEW_LABELS, AgencyInformation, Discussion, format_date
from stratui.phases import AGENCY_FORM, INFORMATION, PREVIOUS_ACTIONS, asks
from stratui.screens.phase import PhaseScreen
from stratui.terminal import shorten
from stratui.text_types import too_long
from stratui.screens.row_kinds import Box, RowKind, RowRefused
from stratui.screens.rows import RowList
from stratui.screens.widgets import YES_NO, ChoiceField, LongTextField



def agency_information_kind(agencies: list[str]) -> RowKind[AgencyInformation]:
    def build(values: dict[str, str], old: AgencyInformation | None) -> AgencyInformation:
        if not values["agency"]:
            raise RowRefused("Name the agency first.", "agency")
        if (problem := too_long(values, {"agency": "The agency"})) is not None:
            raise RowRefused(problem[1], problem[0])
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


def previous_actions_text(discussion: Discussion) -> str:
    """A network meeting's review of the previous meeting's actions: every one, with its state."""
    if not discussion.previous_discussion_ids:
        return "Previous meeting's actions: none (the first meeting of this network)."
    reviewed = discussion.network.previous_actions
    lines = [f"Previous meeting's actions, reviewed first ({len(reviewed)}):"]
    for action in reviewed:
        due = format_date(action.due) if action.due else "no date"
        what = shorten(" ".join(action.text.split()), 34)
        owner = shorten(action.owner or "-", 14)
        lines.append(f"  {REVIEW_LABELS[action.status]:<12} {what:<34} {owner:<14} {due}")
    if not reviewed:
        lines.append("  None recorded.")
    return "\n".join(lines)


class InformationScreen(PhaseScreen):
    PHASE = INFORMATION

    def compose_form(self) -> ComposeResult:
        if asks(self.editor.discussion.kind, PREVIOUS_ACTIONS):
            # Record text: shown as typed, never read as markup.
            yield Static(previous_actions_text(self.editor.discussion), id="previous-actions", markup=False)
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
        for review in self.query("#previous-actions").results(Static):
            review.update(previous_actions_text(self.editor.discussion))

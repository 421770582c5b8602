"""Details and participants: who, when, how, about which child, and the attendance check."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static

from stratui.models import Attendance, Child, DiscussionKind, MeetingFormat, Participant
from stratui.nations import (
    CHILDRENS_SOCIAL_CARE,
    HEALTH,
    POLICE,
    attendance_gaps,
    medical_examination_considered,
    rules_for,
)
from stratui.phases import DETAILS
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import ChoiceBox, ChoiceField, DateField, LinesField, TextField, TimeField
from stratui.screens.cells import plain

KIND_CHOICES = [
    # Short labels ("Kind" says the rest): the three must fit beside the label at 80 columns.
    ("s", "Discussion", DiscussionKind.STRATEGY_DISCUSSION),
    ("m", "Meeting", DiscussionKind.STRATEGY_MEETING),
    ("w", "Network meeting", DiscussionKind.NETWORK_MEETING),
]
FORMAT_CHOICES = [
    ("p", "Phone", MeetingFormat.PHONE),
    ("v", "Video", MeetingFormat.VIDEO),
    ("i", "In person", MeetingFormat.IN_PERSON),
    ("m", "Mixed", MeetingFormat.MIXED),
]
ATTENDANCE_CHOICES = [
    ("p", "Present", Attendance.PRESENT),
    ("a", "Absent", Attendance.ABSENT),
    ("w", "Written info", Attendance.WRITTEN),
]


class ChildrenField(LinesField):
    """One child a line; a child's date of birth survives edits to the list."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.known: dict[str, Child] = {}

    def to_text(self, value) -> str:  # type: ignore[no-untyped-def]
        self.known = {child.name: child for child in value or []}
        return "\n".join(child.name for child in value or [])

    def from_text(self, text: str):  # type: ignore[no-untyped-def]
        names = super().from_text(text)
        return [self.known.get(name) or Child(name=name) for name in names]


class DetailsScreen(PhaseScreen):
    PHASE = DETAILS
    DEFAULT_CSS = """
    DetailsScreen #participants-label { padding: 0 1; text-style: bold; }
    DetailsScreen #participant-form, DetailsScreen #absence { height: 1; }
    /* One line per box, as the fields above: three rows of borders would not fit 80x24. */
    DetailsScreen #participant-form Input, DetailsScreen #absence Input {
        border: none; height: 1; padding: 0 1; margin: 0 1 0 0; background: $boost; width: 1fr;
    }
    DetailsScreen #participant-form Input:focus, DetailsScreen #absence Input:focus { border: none; background: $accent 30%; }
    DetailsScreen #p-attendance { width: 45; margin: 0 1 0 0; }
    DetailsScreen #participants { height: auto; max-height: 8; }
    DetailsScreen #attendance-check { height: auto; padding: 0 1; border: round $warning; }
    DetailsScreen #attendance-check.complete { border: round $success; }
    """
    BINDINGS = [
        Binding("delete", "remove_participant", "Remove participant", id="remove-participant"),
    ]
    ROW_FORMS = {"participant-form": "add_participant", "absence": "add_participant"}

    def compose_form(self) -> ComposeResult:
        context = self.editor.context
        settings = context.settings
        calendar = settings.calendar()
        today = context.today

        def now():  # type: ignore[no-untyped-def]
            moment = datetime.now()
            return moment.time().replace(second=0, microsecond=0)

        yield TextField("case_ref", "Case reference", placeholder="e.g. CS-2026-01234")
        yield ChildrenField("children", "Children (a line each)")
        # Who is on the call comes next: the dates, format and social worker below are filled in
        # already (today, now, phone, you), so the usual call never has to Tab through them.
        yield Label("Participants: Tab between boxes, Enter adds (blank agency = the role's)", id="participants-label")
        with Horizontal(id="participant-form"):
            yield Input(placeholder="Name", id="p-name", select_on_focus=False)
            yield Input(placeholder="Role", id="p-role", suggester=_suggest(settings.lists.roles), select_on_focus=False)
            yield Input(placeholder="Agency", id="p-agency", suggester=_suggest(settings.lists.agencies), select_on_focus=False)
        with Horizontal(id="absence"):
            yield ChoiceBox(ATTENDANCE_CHOICES, id="p-attendance")
            yield Input(placeholder="If absent: why / what sent", id="p-reason", select_on_focus=False)
        yield DataTable(id="participants", cursor_type="row")
        yield Static(id="attendance-check")
        yield DateField("concern_date", "Concern raised on", today=today, calendar=calendar, required=True)
        yield TextField("concern_source", "Raised by / how", placeholder="e.g. school DSL by phone")
        yield DateField("held_on", "Held on", today=today, calendar=calendar, required=True)
        yield TimeField("held_at", "Time", now=now)
        yield ChoiceField("format", "Format", FORMAT_CHOICES)
        yield ChoiceField("kind", "Kind", KIND_CHOICES)
        yield TextField("social_worker", "Social worker", suggestions=self._team())
        yield LinesField("other_children", "Others in household", id="field-other-children")
        yield DateField("referral_date", "Referral date", today=today, calendar=calendar)

    def _team(self) -> list[str]:
        return [member.name for member in self.editor.context.settings.team.members]

    def show_lists(self) -> None:
        self._show_participants()

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#participants", DataTable)
        table.add_columns("Name", "Role", "Agency", "Attendance")
        self.query_one("#p-attendance", ChoiceBox).pick(Attendance.PRESENT, announce=False)
        self._show_participants()
        # A new discussion starts where the call starts: the case reference.
        self.query_one("#field-case-ref Input", Input).focus()

    def _show_participants(self) -> None:
        table = self.query_one("#participants", DataTable)
        table.clear()
        for p in self.editor.discussion.participants:
            attendance = p.attendance.label + (f": {p.absence_reason}" if p.absence_reason else "")
            table.add_row(*plain(p.name, p.role or "-", p.agency or "-", attendance), key=p.id)
        self._show_attendance_check()

    def _show_attendance_check(self) -> None:
        discussion = self.editor.discussion
        nation = self.editor.context.settings.nation
        medical = discussion.decisions.medical_examination
        gaps = attendance_gaps(
            discussion.participants, nation, medical_examination_considered(medical.made, medical.details)
        )
        rules = rules_for(nation)
        check = self.query_one("#attendance-check", Static)
        if gaps:
            check.update(f"Attendance check ({rules.label}): NOT complete\n" + "\n".join(f"- {g}" for g in gaps))
        else:
            check.update(f"Attendance check ({rules.label}): complete ({rules.minimum_roles_note})")
        check.set_class(not gaps, "complete")

    def add_participant(self) -> None:
        if self.editor.locked:
            return
        name = self.query_one("#p-name", Input).value.strip()
        if not name:
            self.show_status("Type the participant's name first.", error=True)
            self.set_focus(self.query_one("#p-name", Input))
            return
        attendance = self.query_one("#p-attendance", ChoiceBox).value or Attendance.PRESENT
        reason = self.query_one("#p-reason", Input).value.strip()
        role = self.query_one("#p-role", Input).value.strip()[:200]
        agency = self.query_one("#p-agency", Input).value.strip()[:200] or agency_of_role(role)
        participant = Participant(
            name=name[:200],
            role=role,
            agency=agency,
            attendance=attendance,
            absence_reason=reason,
        )
        self.editor.discussion.participants.append(participant)
        for widget_id in ("#p-name", "#p-role", "#p-agency", "#p-reason"):
            self.query_one(widget_id, Input).value = ""
        self.query_one("#p-attendance", ChoiceBox).pick(Attendance.PRESENT, announce=False)
        self.query_one("#p-agency", Input).placeholder = "Agency"
        self._show_participants()
        self.record_changed()
        self.show_status(f"Added {participant.name} ({participant.agency or 'no agency'}, {participant.attendance.label}).")
        # At once (focus() waits a turn): a name typed straight after Enter lands in the new row.
        self.set_focus(self.query_one("#p-name", Input))

    @on(Input.Changed, "#p-role")
    def _role_typed(self, event: Input.Changed) -> None:
        # The agency a blank box will take, shown where it will go.
        agency = agency_of_role(event.value)
        self.query_one("#p-agency", Input).placeholder = f"Agency: {agency} (if blank)" if agency else "Agency"

    def action_remove_participant(self) -> None:
        table = self.query_one("#participants", DataTable)
        if self.editor.locked or not table.has_focus or not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.editor.discussion.participants = [p for p in self.editor.discussion.participants if p.id != row_key.value]
        self._show_participants()
        self.record_changed()

    @on(ChoiceBox.Picked, "#absence ChoiceBox")
    def _attendance_picked(self, event: ChoiceBox.Picked) -> None:
        event.stop()


# The agency a role belongs to, for the roles shipped in the settings: a blank agency box takes
# it, so "DC Lee, Tab, Detective constable, Enter" records Police. Roles shared by several
# agencies (mental health practitioner, youth worker) are not guessed.
ROLE_AGENCIES = {
    "social worker": CHILDRENS_SOCIAL_CARE,
    "team manager": CHILDRENS_SOCIAL_CARE,
    "police officer": POLICE,
    "detective constable": POLICE,
    "health visitor": HEALTH,
    "school nurse": HEALTH,
    "named nurse": HEALTH,
    "midwife": HEALTH,
    "gp": "GP",
    "paediatrician": "Paediatrics",
    "designated safeguarding lead": "School",
    "probation officer": "Probation",
    "housing officer": "Housing",
    "solicitor": "Legal services",
}


def agency_of_role(role: str) -> str:
    return ROLE_AGENCIES.get(" ".join(role.split()).casefold(), "")


def _suggest(options: list[str]):  # type: ignore[no-untyped-def]
    from textual.suggester import SuggestFromList

    return SuggestFromList(options, case_sensitive=False)

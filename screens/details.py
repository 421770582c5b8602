"""Details and participants: who, when, how, about which child, and the attendance check."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from stratui.models import Attendance, Child, DiscussionKind, MeetingFormat, Participant
from stratui.nations import attendance_gaps, medical_examination_considered, rules_for
from stratui.phases import DETAILS
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import ChoiceBox, ChoiceField, DateField, LinesField, TextField, TimeField

KIND_CHOICES = [
    ("s", "Strategy discussion", DiscussionKind.STRATEGY_DISCUSSION),
    ("m", "Strategy meeting", DiscussionKind.STRATEGY_MEETING),
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
    DetailsScreen #participant-form { height: auto; }
    DetailsScreen #participant-form Input { width: 1fr; }
    DetailsScreen #participants { height: auto; max-height: 10; }
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
        yield DateField("concern_date", "Concern raised on", today=today, calendar=calendar, required=True)
        yield TextField("concern_source", "Raised by / how", placeholder="e.g. school DSL by phone")
        yield DateField("held_on", "Held on", today=today, calendar=calendar, required=True)
        yield TimeField("held_at", "Time", now=now)
        yield ChoiceField("format", "Format", FORMAT_CHOICES)
        yield ChoiceField("kind", "Kind", KIND_CHOICES)
        yield TextField("social_worker", "Social worker", suggestions=self._team())
        yield LinesField("other_children", "Others in household", id="field-other-children")
        yield DateField("referral_date", "Referral date", today=today, calendar=calendar)
        yield Label("Participants: type name, Tab, role, Tab, agency, then Enter to add")
        with Horizontal(id="participant-form"):
            yield Input(placeholder="Name", id="p-name")
            yield Input(placeholder="Role", id="p-role", suggester=_suggest(settings.lists.roles))
            yield Input(placeholder="Agency", id="p-agency", suggester=_suggest(settings.lists.agencies))
        with Vertical(id="absence"):
            yield ChoiceBox(ATTENDANCE_CHOICES, id="p-attendance")
            yield Input(placeholder="If absent: why, or what written information was sent", id="p-reason")
        yield DataTable(id="participants", cursor_type="row")
        yield Static(id="attendance-check")

    def _team(self) -> list[str]:
        return [member.name for member in self.editor.context.settings.team.members]

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
            table.add_row(p.name, p.role or "-", p.agency or "-", attendance, key=p.id)
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
            self.query_one("#p-name", Input).focus()
            return
        attendance = self.query_one("#p-attendance", ChoiceBox).value or Attendance.PRESENT
        reason = self.query_one("#p-reason", Input).value.strip()
        participant = Participant(
            name=name[:200],
            role=self.query_one("#p-role", Input).value.strip()[:200],
            agency=self.query_one("#p-agency", Input).value.strip()[:200],
            attendance=attendance,
            absence_reason=reason,
        )
        self.editor.discussion.participants.append(participant)
        for widget_id in ("#p-name", "#p-role", "#p-agency", "#p-reason"):
            self.query_one(widget_id, Input).value = ""
        self.query_one("#p-attendance", ChoiceBox).pick(Attendance.PRESENT, announce=False)
        self._show_participants()
        self.record_changed()
        self.query_one("#p-name", Input).focus()

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


def _suggest(options: list[str]):  # type: ignore[no-untyped-def]
    from textual.suggester import SuggestFromList

    return SuggestFromList(options, case_sensitive=False)

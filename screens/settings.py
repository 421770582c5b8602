"""The settings a team changes: nation, timescales, warning window, agencies, roles, what the
minutes carry (protective marking, council), team.

Edits a copy of the settings with the same bound fields as the phase screens, and the team as
rows (name, login, manager); ctrl+s validates and writes the TOML file (comments kept), Escape
leaves (twice if there are unsaved changes). While a field shows what is wrong with it, nothing
is saved: the file would otherwise get the field's last good value, not what the screen shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from stratui.screens.ordered_input import OrderedInput
from stratui.context import Context
from stratui.settings import SettingsError, Settings, Team, TeamMember, describe_errors
from stratui.screens.cells import plain
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import ScreenHeader
from stratui.screens.widgets import (
    ChoiceBox,
    ChoiceField,
    Field,
    FieldChanged,
    LinesField,
    NumberField,
    TextField,
    get_path,
    set_path,
)
from stratui.settings_file import save_settings

NATIONS = [
    ("e", "England", "england"),
    ("w", "Wales", "wales"),
    ("s", "Scotland", "scotland"),
    ("n", "N. Ireland", "northern-ireland"),
]
THEMES = [("a", "Auto (NO_COLOR)", "auto"), ("m", "Monochrome", "monochrome"), ("c", "Colour", "colour")]
COUNTS_FROM = [
    ("1", "enquiry started", "s47-discussion"),
    ("2", "latest discussion", "latest-discussion"),
]


MANAGER_CHOICES = [("y", "Manager", True), ("n", "Not a manager", False)]


class DaysField(LinesField):
    """Extra non-working days, one ISO date a line."""

    def to_text(self, value: Any) -> str:
        return "\n".join(day.isoformat() for day in value or [])

    def from_text(self, text: str) -> Any:
        return [date.fromisoformat(line) for line in super().from_text(text)]


class SettingsScreen(Screen[None]):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save settings", id="save-settings", priority=True),
        Binding("escape", "leave", "Close", id="close-settings"),
        Binding("ctrl+t", "team", "Team", id="settings-team", tooltip="The team's members and managers"),
        Binding("enter", "add_member", "Add member", id="add-team-member", show=False),
        Binding("delete", "remove_member", "Remove member", id="remove-team-member", show=False),
    ]

    def __init__(self, context: Context, start_at: str = "") -> None:
        """`start_at="team"` opens on the team's rows (from a refused sign-off)."""
        super().__init__()
        self.context = context
        self.draft: Settings = context.settings.model_copy(deep=True)
        self.unsaved = False
        self._warned = False
        self.start_at = start_at
        # The row of the team being changed (Enter on the table), or None when adding.
        self._editing: int | None = None

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(f"Settings file: {self.context.config_path}", id="settings-path")
        with VerticalScroll(id="form"):
            yield ChoiceField("nation", "Nation", NATIONS)
            yield ChoiceField("theme", "Colours", THEMES)
            yield NumberField("timescales.strategy_discussion_working_days", "Discussion within")
            yield NumberField("timescales.conference_working_days", "Conference within")
            yield ChoiceField("timescales.conference_counts_from", "Conference from", COUNTS_FROM)
            yield NumberField("timescales.scotland_planning_meeting_calendar_days", "Planning mtg (Scot.)")
            yield NumberField("timescales.scotland_cppm_record_working_days", "Plan mtg record (Scot.)")
            yield NumberField("timescales.scotland_pre_birth_cppm_by_week", "Pre-birth plan mtg wk")
            yield NumberField("timescales.minutes_working_days", "Minutes within")
            yield NumberField("timescales.assessment_working_days", "Assessment within")
            yield NumberField("timescales.meeting_after_phone_working_days", "Meeting after phone")
            yield NumberField("timescales.warning_window_working_days", "Due soon window")
            yield DaysField("timescales.extra_non_working_days", "Extra days off")
            yield LinesField("lists.agencies", "Agencies")
            yield LinesField("lists.roles", "Roles")
            yield TextField("minutes.protective_marking", "Protective marking", placeholder="OFFICIAL-SENSITIVE")
            yield TextField("minutes.organisation", "Council on minutes", placeholder="e.g. Riverside Council, Children's Services")
            yield Label("Team: name, login, manager. Enter adds; Enter on a row edits; Delete removes", id="team-label")
            with Horizontal(id="team-form"):
                yield OrderedInput(placeholder="Name", id="member-name", select_on_focus=False)
                yield OrderedInput(placeholder=f"Login (yours: {self.context.os_login})", id="member-login", select_on_focus=False)
                yield ChoiceBox(MANAGER_CHOICES, id="member-manager", move_on=False)
            yield DataTable(id="team-members", cursor_type="row")
        yield Static("Working days unless marked. ctrl+s saves, Escape closes.", id="settings-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        for field in self.query(Field):
            field.load(get_path(self.draft, field.path))
        self.query_one("#member-manager", ChoiceBox).pick(False, announce=False)
        self.query_one("#team-members", DataTable).add_columns("Name", "Login", "Manager")
        self.show_team()
        if self.start_at == "team":
            self.action_team()
            self.status("Add the manager: name, Tab, login, Tab, y, Enter; then ctrl+s saves and Escape goes back.")
        else:
            self.query(Field).first().query("ChoiceBox").first().focus()

    def action_team(self) -> None:
        """To the team's rows at once: they are at the end of a long form."""
        name = self.query_one("#member-name", Input)
        name.focus()
        self.call_after_refresh(name.scroll_visible, animate=False)

    # -- the team, as rows ---------------------------------------------------------------

    def show_team(self) -> None:
        table = self.query_one("#team-members", DataTable)
        table.clear()
        for index, member in enumerate(self.draft.team.members):
            table.add_row(*plain(member.name, member.username or "-", "yes" if member.manager else "no"), key=str(index))

    def _set_team(self, members: list[TeamMember]) -> bool:
        try:
            self.draft.team = Team(members=members)
        except ValidationError as exc:
            self.status(f"Not changed: {describe_errors(exc)}", error=True)
            return False
        self.unsaved = True
        self._warned = False
        self.show_team()
        return True

    def action_add_member(self) -> None:
        focused = self.focused
        if focused is None or self.query_one("#team-form") not in focused.ancestors_with_self:
            raise SkipAction()
        name_box = self.query_one("#member-name", Input)
        login_box = self.query_one("#member-login", Input)
        manager = self.query_one("#member-manager", ChoiceBox).value is True
        name = name_box.value.strip()
        if not name:
            self.status("Type the team member's name first.", error=True)
            name_box.focus()
            return
        try:
            member = TeamMember(name=name, username=login_box.value.strip(), manager=manager)
        except ValidationError as exc:
            self.status(f"Not added: {describe_errors(exc)}", error=True)
            return
        members = list(self.draft.team.members)
        if self._editing is not None and self._editing < len(members):
            members[self._editing] = member
            done = "Changed"
        else:
            members.append(member)
            done = "Added"
        if not self._set_team(members):
            return
        self._editing = None
        name_box.value = login_box.value = ""
        self.query_one("#member-manager", ChoiceBox).pick(False, announce=False)
        role = "a manager" if member.manager else "not a manager"
        self.status(f"{done} {member.name} ({member.username or 'no login'}, {role}). ctrl+s saves the settings.")
        name_box.focus()

    @on(Input.Submitted, "#team-form Input")
    def _member_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_add_member()

    @on(DataTable.RowSelected, "#team-members")
    def _edit_member(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        member = self.draft.team.members[index]
        self._editing = index
        self.query_one("#member-name", Input).value = member.name
        self.query_one("#member-login", Input).value = member.username
        self.query_one("#member-manager", ChoiceBox).pick(member.manager, announce=False)
        self.query_one("#member-name", Input).focus()
        self.status(f"Changing {member.name}: Enter keeps the change.")

    def action_remove_member(self) -> None:
        table = self.query_one("#team-members", DataTable)
        if not table.has_focus or not table.row_count:
            raise SkipAction()
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        index = int(row_key.value or 0)
        members = list(self.draft.team.members)
        removed = members.pop(index)
        if self._set_team(members):
            self._editing = None
            self.status(f"Removed {removed.name}. ctrl+s saves the settings.")

    @on(ChoiceBox.Picked, "#member-manager")
    def _manager_picked(self, event: ChoiceBox.Picked) -> None:
        event.stop()  # part of the row form: the team changes when the row is added

    @on(FieldChanged)
    def _changed(self, event: FieldChanged) -> None:
        field = next((f for f in self.query(Field) if f.path == event.path), None)
        try:
            set_path(self.draft, event.path, event.value)
        except ValidationError as exc:
            if field is not None:
                # The note sits beside the field's own label: the setting's key would say it twice.
                key = event.path.rsplit(".", 1)[-1]
                field.set_note(describe_errors(exc).removeprefix(f"{key}: "), error=True)
            return
        if field is not None and not isinstance(field, ChoiceField):
            field.set_note("")
        self.unsaved = True
        self._warned = False

    def status(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#settings-status", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def wrong_field(self) -> Field | None:
        """The first field whose note says what is wrong with what it shows."""
        return next((f for f in self.query(Field) if f.query_one(".note", Static).has_class("error")), None)

    def action_save(self) -> None:
        wrong = self.wrong_field()
        if wrong is not None:
            note = str(wrong.query_one(".note", Static).render())
            self.status(f"Not saved: {wrong.label}: {note}", error=True)
            editor = next(iter(wrong.query("Input, TextArea, ChoiceBox")), None)
            if editor is not None:
                editor.focus()
            return
        try:
            settings = Settings.model_validate(self.draft.model_dump())
            if self.context.config_path is None:
                raise SettingsError("no settings file is configured")
            save_settings(settings, self.context.config_path)
        except ValidationError as exc:
            self.status(f"Not saved: {describe_errors(exc)}", error=True)
            return
        except SettingsError as exc:
            self.status(f"Not saved: {exc}", error=True)
            return
        self.context.use_settings(settings)
        self.unsaved = False
        self.status(f"Saved to {self.context.config_path}")

    def action_leave(self) -> None:
        if self.unsaved and not self._warned:
            self._warned = True
            self.status("Unsaved changes: ctrl+s to save them, Escape again to leave without saving.", error=True)
            return
        self.dismiss()

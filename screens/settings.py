"""The settings a team changes: nation, timescales, warning window, agencies, roles, team.

Edits a copy of the settings with the same bound fields as the phase screens; ctrl+s validates
and writes the TOML file (comments kept), Escape leaves (twice if there are unsaved changes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from stratui.context import Context
from stratui.settings import SettingsError, Settings, TeamMember, describe_errors, save_settings
from stratui.screens.widgets import ChoiceField, Field, FieldChanged, LinesField, NumberField, get_path, set_path

NATIONS = [
    ("e", "England", "england"),
    ("w", "Wales", "wales"),
    ("s", "Scotland", "scotland"),
    ("n", "N. Ireland", "northern-ireland"),
]
THEMES = [("a", "Auto (NO_COLOR)", "auto"), ("m", "Monochrome", "monochrome"), ("c", "Colour", "colour")]
COUNTS_FROM = [
    ("1", "s47 discussion", "s47-discussion"),
    ("2", "latest discussion", "latest-discussion"),
]


class TeamField(LinesField):
    """Team members, one a line: `Name | username | manager`."""

    def to_text(self, value: Any) -> str:
        return "\n".join(
            " | ".join([m.name, m.username] + (["manager"] if m.manager else [])) for m in value or []
        )

    def from_text(self, text: str) -> Any:
        members = []
        for line in super().from_text(text):
            parts = [part.strip() for part in line.split("|")]
            manager = len(parts) > 2 and parts[2].lower() in ("manager", "yes", "y", "true")
            members.append(TeamMember(name=parts[0], username=parts[1] if len(parts) > 1 else "", manager=manager))
        return members


class DaysField(LinesField):
    """Extra non-working days, one ISO date a line."""

    def to_text(self, value: Any) -> str:
        return "\n".join(day.isoformat() for day in value or [])

    def from_text(self, text: str) -> Any:
        return [date.fromisoformat(line) for line in super().from_text(text)]


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save settings", id="save-settings", priority=True),
        Binding("escape", "leave", "Close", id="close-settings"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.draft: Settings = context.settings.model_copy(deep=True)
        self.unsaved = False
        self._warned = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Settings file: {self.context.config_path}", id="settings-path")
        with VerticalScroll(id="form"):
            yield ChoiceField("nation", "Nation", NATIONS)
            yield ChoiceField("theme", "Colours", THEMES)
            yield NumberField("timescales.strategy_discussion_working_days", "Discussion within")
            yield NumberField("timescales.conference_working_days", "ICPC within")
            yield ChoiceField("timescales.conference_counts_from", "ICPC counts from", COUNTS_FROM)
            yield NumberField("timescales.scotland_planning_meeting_calendar_days", "CPPM (Scot.) days")
            yield NumberField("timescales.minutes_working_days", "Minutes within")
            yield NumberField("timescales.assessment_working_days", "Assessment within")
            yield NumberField("timescales.meeting_after_phone_working_days", "Meeting after phone")
            yield NumberField("timescales.warning_window_working_days", "Due soon window")
            yield DaysField("timescales.extra_non_working_days", "Extra days off")
            yield LinesField("lists.agencies", "Agencies")
            yield LinesField("lists.roles", "Roles")
            yield TeamField("team.members", "Team (name|user|manager)")
        yield Static("Working days unless marked. ctrl+s saves, Escape closes.", id="settings-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        for field in self.query(Field):
            field.load(get_path(self.draft, field.path))
        self.query(Field).first().query("ChoiceBox").first().focus()

    @on(FieldChanged)
    def _changed(self, event: FieldChanged) -> None:
        field = next((f for f in self.query(Field) if f.path == event.path), None)
        try:
            set_path(self.draft, event.path, event.value)
        except ValidationError as exc:
            if field is not None:
                field.set_note(describe_errors(exc), error=True)
            return
        if field is not None and not isinstance(field, ChoiceField):
            field.set_note("")
        self.unsaved = True
        self._warned = False

    def status(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#settings-status", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def action_save(self) -> None:
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
        self.context.settings = settings
        self.unsaved = False
        self.status(f"Saved to {self.context.config_path}")

    def action_leave(self) -> None:
        if self.unsaved and not self._warned:
            self._warned = True
            self.status("Unsaved changes: ctrl+s to save them, Escape again to leave without saving.", error=True)
            return
        self.dismiss()

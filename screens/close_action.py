"""The dashboard's modals for tracking: an action done with its note, a statutory step met.

Each returns what was typed (Enter) or None (Escape); the dashboard does the saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from stratui.calendar import WorkingCalendar
from stratui.dates import describe, parse_date
from stratui.screens.kit import TypeAheadModal, one_line_markup


class CloseActionScreen(TypeAheadModal["str | None"]):
    """Mark an action done: an optional completion note, Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-close")]

    def __init__(self, action_text: str, heading: str = "Mark the action done") -> None:
        super().__init__()
        self.action_text = action_text
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.heading}[/b]: {one_line_markup(self.action_text)}")
            yield Static("Completion note (optional). Enter saves, Esc cancels.", classes="hint")
            yield Input(placeholder="e.g. seen alone at school; safety plan agreed", id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())


@dataclass(frozen=True)
class MilestoneEntry:
    on: date
    note: str


class MilestoneScreen(TypeAheadModal["MilestoneEntry | None"]):
    """Record a statutory step as done (minutes circulated, ICPC held...): when, and a note."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-milestone")]
    TYPE_AHEAD = "#on"

    def __init__(
        self, label: str, deadline_title: str, today: date, calendar: WorkingCalendar, note_required: bool = False
    ) -> None:
        super().__init__()
        self.label = label
        self.deadline_title = deadline_title
        self.today = today
        self.calendar = calendar
        self.note_required = note_required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]Record: {one_line_markup(self.label)}[/b]")
            yield Static(f"Meets: {one_line_markup(self.deadline_title)}", classes="hint")
            yield Static("On (e.g. today, yesterday, 23/11):")
            yield Input(value="today", id="on", select_on_focus=True)
            note = "Reason (required)" if self.note_required else "Note (optional)"
            yield Static(f"{note}. Enter saves, Tab moves, Esc cancels.")
            yield Input(placeholder="e.g. sent by secure email to all attendees", id="note")
            yield Static("", id="milestone-error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.query_one("#milestone-error", Static)
        try:
            on = parse_date(self.query_one("#on", Input).value, self.today, self.calendar)
        except ValueError as exc:
            error.update(str(exc))
            self.query_one("#on", Input).focus()
            return
        if on > self.today:
            error.update(f"{describe(on, self.today, self.calendar)} is in the future: record it once it has happened.")
            self.query_one("#on", Input).focus()
            return
        note = self.query_one("#note", Input).value.strip()
        if self.note_required and not note:
            error.update("Say why (the reason is part of the record).")
            self.query_one("#note", Input).focus()
            return
        self.dismiss(MilestoneEntry(on=on, note=note))

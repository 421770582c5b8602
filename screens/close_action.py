"""The dashboard's small one-line modals: a completion note, a milestone met, a filter prompt.

Each returns what was typed (Enter) or None (Escape); the dashboard does the saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from stratui.calendar import WorkingCalendar
from stratui.dates import describe, parse_date
from stratui.text import one_line

_MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 74; height: auto; border: round $accent; padding: 0 1; background: $surface; }}
{name} .error {{ color: $error; text-style: bold; }}
{name} .hint {{ color: $text-muted; }}
"""


def catch_early_key(screen: Screen[object], event: events.Key) -> None:
    """Hand a character typed before the screen's box had focus to that box, in order.

    Keys typed straight after the key that opened the screen (a burst over a slow SSH link, a
    fast typist) are routed to the screen itself, not its box; without this they are dropped.
    Printable keys that went through a box never get here: the box consumes them.
    """
    if not event.is_printable or event.character is None:
        return
    box = screen.focused if isinstance(screen.focused, Input) else None
    if box is None:
        boxes = screen.query(Input)
        if not boxes:
            return
        box = boxes.first()
        box.focus()
    event.stop()
    event.prevent_default()
    box.post_message(events.Key(event.key, event.character))


class CloseActionScreen(ModalScreen["str | None"]):
    """Mark an action done: an optional completion note, Enter saves, Escape cancels."""

    DEFAULT_CSS = _MODAL_CSS.format(name="CloseActionScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-close")]

    def __init__(self, action_text: str, heading: str = "Mark the action done") -> None:
        super().__init__()
        self.action_text = action_text
        self.heading = heading

    def on_key(self, event: events.Key) -> None:
        catch_early_key(self, event)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.heading}[/b]: {_escape(self.action_text)}")
            yield Static("Completion note (optional). Enter saves, Esc cancels.", classes="hint")
            yield Input(placeholder="e.g. seen alone at school; safety plan agreed", id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())


@dataclass(frozen=True)
class MilestoneEntry:
    on: date
    note: str


class MilestoneScreen(ModalScreen["MilestoneEntry | None"]):
    """Record a statutory step as done (minutes circulated, ICPC held...): when, and a note."""

    DEFAULT_CSS = _MODAL_CSS.format(name="MilestoneScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-milestone")]

    def __init__(
        self, label: str, deadline_title: str, today: date, calendar: WorkingCalendar, note_required: bool = False
    ) -> None:
        super().__init__()
        self.label = label
        self.deadline_title = deadline_title
        self.today = today
        self.calendar = calendar
        self.note_required = note_required

    def on_key(self, event: events.Key) -> None:
        catch_early_key(self, event)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]Record: {_escape(self.label)}[/b]")
            yield Static(f"Meets: {_escape(self.deadline_title)}", classes="hint")
            yield Static("On (e.g. today, yesterday, 23/11):")
            yield Input(value="today", id="on", select_on_focus=True)
            note = "Reason (required)" if self.note_required else "Note (optional)"
            yield Static(f"{note}. Enter saves, Tab moves, Esc cancels.")
            yield Input(placeholder="e.g. sent by secure email to all attendees", id="note")
            yield Static("", id="milestone-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#on", Input).focus()

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


class PromptScreen(ModalScreen["str | None"]):
    """One line of text, with type-ahead from `suggestions`; Enter returns it (empty clears)."""

    DEFAULT_CSS = _MODAL_CSS.format(name="PromptScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-prompt")]

    def __init__(self, question: str, hint: str = "", value: str = "", suggestions: list[str] | None = None) -> None:
        super().__init__()
        self.question = question
        self.hint = hint
        self.value = value
        self.suggestions = suggestions or []

    def on_key(self, event: events.Key) -> None:
        catch_early_key(self, event)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{_escape(self.question)}[/b]")
            if self.hint:
                yield Static(_escape(self.hint), classes="hint")
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            # Selected: typing replaces the suggested value, Enter keeps it.
            yield Input(value=self.value, suggester=suggester, id="prompt")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(one_line(text))  # stratui.text: record text never commands the terminal


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: Enter or y confirms, Escape or n cancels."""

    DEFAULT_CSS = _MODAL_CSS.format(name="ConfirmScreen")
    BINDINGS = [
        Binding("enter,y", "dismiss(True)", "Yes", id="confirm-yes"),
        Binding("escape,n", "dismiss(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{_escape(self.question)}[/b]")
            if self.detail:
                yield Static(_escape(self.detail))
            yield Static("Enter or y: yes.  Esc or n: no.", classes="hint")

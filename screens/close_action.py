"""The dashboard's modals for tracking: an action done with its note, a statutory step met,
the outcome of the enquiry and of the conference.

Each returns what was typed (Enter) or None (Escape); the dashboard does the saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from stratui.screens.ordered_input import OrderedInput
from stratui.calendar import WorkingCalendar
from stratui.dates import describe, parse_date
from stratui.models import Discussion, EnquiryOutcomeKind
from stratui.nations import NationRules
from stratui.screens.kit import PromptScreen, TypeAheadModal, one_line_markup


class CloseActionScreen(PromptScreen):
    """Mark an action done: an optional completion note, Enter saves, Escape cancels."""

    def __init__(self, action_text: str, heading: str = "Mark the action done") -> None:
        super().__init__(
            f"{heading}: {action_text}",
            "Completion note (optional). Enter saves, Esc cancels.",
            placeholder="e.g. seen alone at school; safety plan agreed",
        )


@dataclass(frozen=True)
class MilestoneEntry:
    on: date
    note: str


class MilestoneScreen(TypeAheadModal["MilestoneEntry | None"]):
    """Record a statutory step as done (minutes circulated, ICPC held...): when, and a note."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-milestone", priority=True)]
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
            yield OrderedInput(value="today", id="on", select_on_focus=True)
            note = "Reason (required)" if self.note_required else "Note (optional)"
            yield Static(f"{note}. Enter saves, Tab moves, Esc cancels.")
            yield OrderedInput(placeholder="e.g. sent by secure email to all attendees", id="note")
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


@dataclass(frozen=True)
class OutcomeEntry:
    """What the conference deadline's modal recorded: the conference held, or the enquiry's outcome."""

    # None: the conference was held (with `plan` and `category`).
    outcome: EnquiryOutcomeKind | None
    on: date
    plan: bool | None = None
    category: str = ""
    note: str = ""

    def apply(self, discussion: Discussion, by: str) -> None:
        """Into the record; ValueError when the record already holds an answer."""
        if self.outcome is None:
            discussion.record_conference(self.on, by, self.plan, self.category, self.note)
        else:
            discussion.record_enquiry_outcome(self.outcome, self.on, by, self.note)

    def describe(self, rules: NationRules) -> str:
        if self.outcome is None:
            plan = {True: "a plan", False: "no plan", None: "plan not recorded"}[self.plan]
            return f"{rules.conference_short_name} held ({plan})"
        return f"Outcome: {rules.outcome_label(self.outcome)}"


# The choices by key: the conference held, then the enquiry's outcomes.
OUTCOME_KEYS: dict[str, EnquiryOutcomeKind | None] = {
    "1": None,
    "2": EnquiryOutcomeKind.NOT_SUBSTANTIATED,
    "3": EnquiryOutcomeKind.NO_CONTINUING_RISK,
    "4": EnquiryOutcomeKind.CONTINUE_ASSESSMENT,
    "5": EnquiryOutcomeKind.CONFERENCE,
}


class ConferenceOutcomeScreen(TypeAheadModal["OutcomeEntry | None"]):
    """On the conference deadline: record the conference held (plan, category), or the enquiry's
    outcome (no conference needed, with the reason; or a conference needed, the deadline stays)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-outcome", priority=True)]
    TYPE_AHEAD = "#choice"

    def __init__(self, rules: NationRules, deadline_title: str, today: date, calendar: WorkingCalendar) -> None:
        super().__init__()
        self.rules = rules
        self.deadline_title = deadline_title
        self.today = today
        self.calendar = calendar

    def choices(self) -> list[str]:
        name = self.rules.conference_short_name
        if self.rules.outcome_words:
            # The nation's own words for each outcome ("CPPM not required: ...").
            said = {key: self.rules.outcome_label(kind) for key, kind in OUTCOME_KEYS.items() if kind is not None}
            return [
                f"1 {name} held: date, {self.rules.conference_plan}, category",
                *(f"{key} {text} ({'deadline stays' if OUTCOME_KEYS[key].needs_conference else 'say why'})" for key, text in said.items()),
            ]
        return [
            f"1 {name} held: date, {self.rules.conference_plan}, category",
            f"2 concerns not substantiated: no {name} (say why)",
            f"3 substantiated, no continuing risk: no {name} (say why)",
            f"4 no {name} now, continue the assessment (say why)",
            f"5 substantiated, continuing risk: {name} needed (deadline stays)",
        ]

    def compose(self) -> ComposeResult:
        rules = self.rules
        with Vertical():
            yield Static(f"[b]Outcome of the {one_line_markup(rules.enquiry_name)}[/b]")
            yield Static(f"Meets: {one_line_markup(self.deadline_title)}", classes="hint")
            for line in self.choices():
                yield Static(one_line_markup(line))
            for box, label, value in (
                ("choice", "Outcome (1-5)", ""),
                ("on", "On (e.g. today, 23/11)", "today"),
                ("plan", "Plan? y/n (if held)", ""),
                ("category", "Category (if a plan)", ""),
                ("note", "Reason / note", ""),
            ):
                with Horizontal():
                    yield Label(label)
                    suggester = (
                        SuggestFromList(list(rules.conference_categories), case_sensitive=False)
                        if box == "category" and rules.conference_categories
                        else None
                    )
                    yield OrderedInput(value=value, id=box, select_on_focus=True, suggester=suggester)
            yield Static("", id="outcome-error", classes="error")
            yield Static("Enter saves, Tab moves, Esc cancels.", classes="hint")

    def _refuse(self, box: str, message: str) -> None:
        self.query_one("#outcome-error", Static).update(message)
        self.query_one(f"#{box}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = {box: self.query_one(f"#{box}", Input).value.strip() for box in ("choice", "on", "plan", "category", "note")}
        if value["choice"] not in OUTCOME_KEYS:
            self._refuse("choice", "Choose the outcome: a number from 1 to 5.")
            return
        outcome = OUTCOME_KEYS[value["choice"]]
        try:
            on = parse_date(value["on"], self.today, self.calendar)
        except ValueError as exc:
            self._refuse("on", str(exc))
            return
        if on > self.today:
            self._refuse("on", f"{describe(on, self.today, self.calendar)} is in the future: record it once it has happened.")
            return
        plan_answer = value["plan"].casefold()
        if plan_answer not in ("", "y", "yes", "n", "no"):
            self._refuse("plan", "Plan: y (yes), n (no), or leave it blank if not known yet.")
            return
        plan = None if not plan_answer else plan_answer.startswith("y")
        if outcome is None:
            self.dismiss(OutcomeEntry(None, on, plan, value["category"] if plan else "", value["note"]))
            return
        if not outcome.needs_conference and not value["note"]:
            self._refuse("note", f"Say why no {self.rules.conference_short_name} is needed (the reason is part of the record).")
            return
        self.dismiss(OutcomeEntry(outcome, on, note=value["note"]))

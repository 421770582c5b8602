"""Phase 4, planning the enquiry: who leads, seeing the child, parents, reconvening, SMART actions.

Actions are added as rows (text, owner, agency, due date, contingency; Enter adds) and listed
below; carried-over actions from an earlier discussion show as "(carried)" and are settled
where carried actions are reviewed, never deleted here.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Input, Label, Static

from stratui.dates import DateInputError, describe, parse_date
from stratui.models import (
    Action,
    ActionStatus,
    Discussion,
    InformationRequest,
    explain_validation_error,
    format_date,
)
from stratui.phases import PLANNING
from stratui.screens.decisions import not_before_discussion
from stratui.screens.phase import PhaseScreen
from stratui.screens.widgets import DateField, DateTimeField, LongTextField, TextField
from stratui.screens.cells import plain

SEPARATOR = " - "
SHORT_TEXT_LIMIT = 200
COLUMNS = (("Action", 21), ("Owner", 12), ("Agency", 9), ("Due", 11), ("Status", 14))
# In Tab order: what, who and when make an action SMART; the agency defaults to the owner's.
ACTION_INPUTS = ("#a-text", "#a-owner", "#a-due", "#a-agency", "#a-contingency")


class InformationNeededField(LongTextField):
    """Information needed, a line each as "what - from whom"; unchanged lines keep their request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known: dict[str, InformationRequest] = {}

    @staticmethod
    def line_of(request: InformationRequest) -> str:
        return f"{request.what}{SEPARATOR}{request.from_whom}" if request.from_whom else request.what

    def to_text(self, value: Any) -> str:
        requests: list[InformationRequest] = list(value or [])
        # A request whose text itself holds " - " must not be re-split when another line changes.
        self.known = {self.line_of(r): r for r in requests}
        return "\n".join(self.line_of(r) for r in requests)

    def from_text(self, text: str) -> Any:
        requests = []
        for raw in text.splitlines():
            line = " ".join(raw.split())
            if not line:
                continue
            known = self.known.get(line)
            if known is not None:
                requests.append(known)
                continue
            what, separator, from_whom = line.rpartition(SEPARATOR)
            if not separator or not what.strip() or len(from_whom) > SHORT_TEXT_LIMIT:
                what, from_whom = line, ""
            requests.append(InformationRequest(what=what.strip(), from_whom=from_whom.strip()))
        return requests


def status_text(action: Action) -> str:
    text = action.status.value
    if action.status is not ActionStatus.OPEN and action.closed_on:
        text += f" {format_date(action.closed_on)}"
    return text + (" (carried)" if action.carried_from else "")


def shorten(text: str, limit: int = 34) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refusal_for_new_action(action: Action, discussion: Discussion) -> str | None:
    """The record's own rule for a new action's due date (checked now, not at the next save)."""
    if action.carried_from is not None or action.due is None or action.due >= discussion.held_on:
        return None
    try:
        Discussion(concern_date=discussion.held_on, held_on=discussion.held_on, actions=[action])
    except ValidationError as exc:
        return "; ".join(explain_validation_error(exc))
    return f"the due date {format_date(action.due)} is before the discussion on {format_date(discussion.held_on)}"


class PlanningScreen(PhaseScreen):
    PHASE = PLANNING
    DEFAULT_CSS = """
    PlanningScreen #action-form { height: auto; }
    PlanningScreen #action-form Horizontal { height: 1; }
    PlanningScreen #action-form Input { border: none; height: 1; padding: 0 1; margin: 0 1 0 0; background: $boost; }
    PlanningScreen #action-form Input:focus { border: none; background: $accent 30%; }
    PlanningScreen #a-text, PlanningScreen #a-contingency { width: 1fr; }
    PlanningScreen #a-owner { width: 20; }
    PlanningScreen #a-due { width: 17; }
    PlanningScreen #a-agency { width: 30; }
    PlanningScreen #a-note { height: auto; padding: 0 1; color: $text-muted; display: none; }
    PlanningScreen #a-note.shown { display: block; }
    PlanningScreen #a-note.error { color: $error; text-style: bold; }
    PlanningScreen #actions { height: auto; max-height: 10; }
    PlanningScreen .section { padding: 0 1; text-style: bold; }
    """
    BINDINGS = [Binding("delete", "remove_action", "Remove action", id="remove-action")]
    ROW_FORMS = {"action-form": "add_action"}

    def compose_form(self) -> ComposeResult:
        context = self.editor.context
        settings = context.settings
        calendar = settings.calendar()
        today = context.today
        people = self._people()
        agencies = settings.lists.agencies

        # The SMART actions first: they are what the record must have and what the dashboard
        # tracks; the enquiry's plan (lead, seeing the child, parents, reconvening) follows.
        yield Label("Actions: what, owner, due (Tab between boxes), Enter adds", classes="section")
        with Vertical(id="action-form"):
            with Horizontal():
                yield Input(placeholder="Action (what will be done)", id="a-text", select_on_focus=False)
                yield Input(placeholder="Owner", id="a-owner", suggester=_suggest(people), select_on_focus=False)
                yield Input(placeholder="Due (fri, +3wd)", id="a-due", select_on_focus=False)
            with Horizontal():
                yield Input(placeholder="Agency (blank: the owner's)", id="a-agency", suggester=_suggest(agencies), select_on_focus=False)
                yield Input(placeholder="Contingency (optional)", id="a-contingency", select_on_focus=False)
            yield Static(id="a-note", markup=False)
        yield DataTable(id="actions", cursor_type="row")

        yield TextField("plan.lead", "Lead", suggestions=people)
        yield TextField("plan.lead_agency", "Lead agency", suggestions=agencies)
        yield TextField("plan.child_seen_by", "Child seen by", suggestions=people)
        yield DateTimeField("plan.child_seen", "Child seen on", today=today, calendar=calendar, due=True)
        yield InformationNeededField("plan.information_needed", "Information needed\n(what - from whom)")
        yield TextField("plan.parents_spoken_to_by", "Speaks to parents", suggestions=people)
        yield DateTimeField(
            "plan.parents_spoken_to", "Parents spoken to on", today=today, calendar=calendar, due=True
        )
        yield LongTextField("plan.contingency", "Contingency plan")
        yield DateField(
            "plan.reconvene_on",
            "Reconvene on",
            today=today,
            calendar=calendar,
            due=True,
            check=not_before_discussion(self, "The reconvene date"),
        )

    def _people(self) -> list[str]:
        discussion = self.editor.discussion
        names = [p.name for p in discussion.participants] + [discussion.social_worker]
        return list(dict.fromkeys(name for name in names if name))

    def show_lists(self) -> None:
        self._show_actions()

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#actions", DataTable)
        # Fixed widths that fit 80 columns beside the form's scrollbar; longer text ends in "…".
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        self._show_actions()
        if self.editor.locked:
            for widget_id in ACTION_INPUTS:
                self.query_one(widget_id, Input).disabled = True

    def focus_first(self) -> None:
        # The action row, first on the screen: the one thing the plan must have.
        if not self.editor.locked:
            self.query_one("#a-text", Input).focus()

    def _show_actions(self) -> None:
        table = self.query_one("#actions", DataTable)
        table.clear()
        for action in self.editor.discussion.actions:
            table.add_row(
                *plain(
                    shorten(action.text, COLUMNS[0][1]),
                    shorten(action.owner, COLUMNS[1][1]) or "-",
                    shorten(action.agency, COLUMNS[2][1]) or "-",
                    format_date(action.due) if action.due else "-",
                    status_text(action),
                ),
                key=action.id,
            )

    # -- the action row form -------------------------------------------------------------

    def _parse_due(self, text: str):  # type: ignore[no-untyped-def]
        settings = self.editor.context.settings
        return parse_date(text, self.editor.context.today, settings.calendar())

    @on(Input.Changed, "#a-due")
    def _due_typed(self, event: Input.Changed) -> None:
        note = self.query_one("#a-note", Static)
        text = event.value.strip()
        error = False
        if not text:
            message = ""
        else:
            try:
                due = self._parse_due(text)
            except DateInputError as exc:
                message, error = f"Due: {exc}", True
            else:
                held_on = self.editor.discussion.held_on
                calendar = self.editor.context.settings.calendar()
                message = f"Due: {describe(due, self.editor.context.today, calendar)}"
                if due < held_on:
                    message += f": before the discussion on {format_date(held_on)}, will be refused"
                    error = True
        note.update(message)
        note.set_class(error, "error")
        note.set_class(bool(message), "shown")

    def add_action(self) -> None:
        if self.editor.locked:
            return
        values = {widget_id: self.query_one(widget_id, Input).value.strip() for widget_id in ACTION_INPUTS}
        text, owner, due_text, agency, contingency = (values[w] for w in ACTION_INPUTS)
        problem, focus = self._row_problem(text, owner, due_text)
        if problem:
            self._refuse(problem, focus)
            return
        discussion = self.editor.discussion
        if not agency:
            # The owner's agency is already on record when they took part.
            agency = next((p.agency for p in discussion.participants if p.name.casefold() == owner.casefold()), "")
        try:
            action = Action(
                text=text, owner=owner, agency=agency, due=self._parse_due(due_text), contingency=contingency
            )
        except ValidationError as exc:
            self._refuse("Action not added: " + "; ".join(explain_validation_error(exc)), "#a-text")
            return
        refusal = refusal_for_new_action(action, discussion)
        if refusal:
            self._refuse(f"Action not added: {refusal}.", "#a-due")
            return
        discussion.actions.append(action)
        for widget_id in ACTION_INPUTS:
            self.query_one(widget_id, Input).value = ""
        self.query_one("#a-note", Static).update("")
        self.query_one("#a-note", Static).remove_class("shown")
        self._show_actions()
        self.record_changed()
        self.show_status(f"Added action for {action.owner}, due {format_date(action.due)}.")  # type: ignore[arg-type]
        self.set_focus(self.query_one("#a-text", Input))  # at once: a burst after Enter lands here

    def _refuse(self, message: str, focus: str) -> None:
        # Also beside the form: the status line is soon overwritten by the autosave's "Saved".
        self.show_status(message, error=True)
        note = self.query_one("#a-note", Static)
        note.update(message)
        note.set_class(True, "error")
        note.add_class("shown")
        self.set_focus(self.query_one(focus, Input))

    def _row_problem(self, text: str, owner: str, due_text: str) -> tuple[str, str]:
        """What stops the row being a SMART action, and which box to fix; ("", "") if nothing."""
        if not text:
            return "Type the action first: what will be done.", "#a-text"
        if not owner:
            return "Name the person who owns the action (SMART: a named person and a due date).", "#a-owner"
        if len(owner) > SHORT_TEXT_LIMIT:
            return f"The owner's name is too long ({SHORT_TEXT_LIMIT} characters at most).", "#a-owner"
        try:
            self._parse_due(due_text)
        except DateInputError as exc:
            return f"Due date: {exc}. The action was not added.", "#a-due"
        return "", ""

    def action_remove_action(self) -> None:
        table = self.query_one("#actions", DataTable)
        if self.editor.locked or not table.has_focus or not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        discussion = self.editor.discussion
        action = next((a for a in discussion.actions if a.id == row_key.value), None)
        if action is None:
            return
        if action.carried_from is not None:
            self.show_status(
                "A carried action is settled (done, dropped or carried again) in the review of carried "
                "actions, not removed here.",
                error=True,
            )
            return
        if not action.is_open:
            self.show_status(f"This action is {action.status.value}: it stays in the record.", error=True)
            return
        discussion.actions = [a for a in discussion.actions if a.id != action.id]
        self._show_actions()
        self.record_changed()
        self.show_status(f"Removed action '{shorten(action.text)}'.")


def _suggest(options: list[str]) -> SuggestFromList | None:
    return SuggestFromList(options, case_sensitive=False) if options else None

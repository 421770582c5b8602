"""Phase 4, planning the enquiry: who leads, seeing the child, parents, reconvening, SMART actions.

Actions are added as rows (text, owner, agency, due date, contingency; Enter adds) and listed
below; carried-over actions from an earlier discussion show as "(carried)" and are settled
where carried actions are reviewed, never deleted here.
"""

from __future__ import annotations

from collections.abc import MutableSequence
from datetime import date
from typing import Callable, overload

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.widgets import Input

from stratui.calendar import WorkingCalendar
from stratui.dates import DateInputError, describe, non_working_reason, parse_date
from stratui.dates import format_date as format_day
from stratui.models import (
    Action,
    ActionCategory,
    ActionStatus,
    Discussion,
    InformationRequest,
    explain_validation_error,
    format_date,
    people_present,
)
from stratui.nations import rules_for
from stratui.phases import ACTION_FORM, CARE_PLAN_FORM, COORDINATION_FORM, INFORMATION_NEEDED_FORM, PLANNING, RowForm, label_for
from stratui.screens.decisions import not_before_discussion
from stratui.screens.phase import PhaseScreen
from stratui.screens.row_kinds import Box, RowKind, RowRefused
from stratui.screens.rows import RowList
from stratui.screens.shape import shaped
from stratui.screens.date_fields import DateField, DateTimeField
from stratui.screens.widgets import LongTextField, TextField
from stratui.terminal import shorten as shorten_to
from stratui.text_types import too_long

COLUMNS = (("Action", 21), ("Owner", 12), ("Agency", 9), ("Due", 11), ("Status", 14))


def information_needed_kind() -> RowKind[InformationRequest]:
    """What information is needed, and from whom: a row each."""

    def build(values: dict[str, str], old: InformationRequest | None) -> InformationRequest:
        if not values["what"]:
            raise RowRefused("Say what information is needed first.", "what")
        if (problem := too_long(values, {"from": "'From whom'"})) is not None:
            raise RowRefused(problem[1], problem[0])
        return InformationRequest(what=values["what"], from_whom=values["from"])

    return RowKind(
        form=INFORMATION_NEEDED_FORM,
        prefix="in",
        title="Information needed: what, Tab, from whom, Enter adds",
        boxes=[Box("what", "What information"), Box("from", "From whom", width=26)],
        columns=[("Information needed", 44), ("From whom", None)],
        rows=lambda d: d.plan.information_needed,
        cells=lambda r: (r.what, r.from_whom or "-"),
        values=lambda r: {"what": r.what, "from": r.from_whom},
        build=build,
        name=lambda r: f"'{shorten(r.what)}'",
    )


def status_text(action: Action) -> str:
    text = action.status.value
    if action.status is not ActionStatus.OPEN and action.closed_on:
        text += f" {format_date(action.closed_on)}"
    return text + (" (carried)" if action.carried_from else "")


def shorten(text: str, limit: int = 34) -> str:
    text = " ".join(text.split())
    return shorten_to(text, limit)


def refusal_for_new_action(action: Action, discussion: Discussion) -> str | None:
    """The record's own rule for a new action's due date (checked now, not at the next save)."""
    if action.carried_from is not None or action.due is None or action.due >= discussion.held_on:
        return None
    probe = Discussion(concern_date=discussion.held_on, held_on=discussion.held_on, actions=[action])
    problems = probe.rule_problems()
    if problems:
        return "; ".join(problem.rstrip(".") for problem in problems)
    return f"the due date {format_date(action.due)} is before the discussion on {format_date(discussion.held_on)}"


class ActionsOf(MutableSequence[Action]):
    """The record's actions of one category, as the list a RowList edits: every change goes to
    `Discussion.actions` itself, so coordination and care-plan items are actions (tracked,
    carried and closed as any other) shown in lists of their own."""

    def __init__(self, actions: list[Action], category: ActionCategory) -> None:
        self.actions = actions
        self.category = category

    def _positions(self) -> list[int]:
        return [n for n, action in enumerate(self.actions) if action.category is self.category]

    def __len__(self) -> int:
        return len(self._positions())

    @overload
    def __getitem__(self, index: int) -> Action: ...
    @overload
    def __getitem__(self, index: slice) -> list[Action]: ...
    def __getitem__(self, index: int | slice) -> Action | list[Action]:
        if isinstance(index, slice):
            return [self.actions[n] for n in self._positions()[index]]
        return self.actions[self._positions()[index]]

    def __setitem__(self, index, value) -> None:  # type: ignore[no-untyped-def]
        self.actions[self._positions()[index]] = value

    def __delitem__(self, index) -> None:  # type: ignore[no-untyped-def]
        del self.actions[self._positions()[index]]

    def insert(self, index: int, value: Action) -> None:
        positions = self._positions()
        if index < len(positions):
            self.actions.insert(positions[index], value)
        else:
            # After the last of its category (or at the end): the minutes list them in that order.
            self.actions.insert(positions[-1] + 1 if positions else len(self.actions), value)


# Each category's list: its form, box ids and title (the first box says what a row is).
CATEGORY_LISTS: dict[ActionCategory, tuple[RowForm, str, str, str]] = {
    ActionCategory.ACTION: (ACTION_FORM, "a", "Actions: what, owner, due (Tab between boxes), Enter adds", "Action (what will be done)"),
    ActionCategory.COORDINATION: (
        COORDINATION_FORM, "co", "Coordination: who does what with whom, owner, due; Enter adds", "Coordination item",
    ),
    ActionCategory.CARE_PLAN: (
        CARE_PLAN_FORM, "cp", "Care plan: support or service, owner, due; Enter adds", "Care-plan item",
    ),
}


class ActionRows:
    """The SMART action rows of a discussion: what, owner, due date (the record's own rule), agency.

    One category's rows (actions, or a network meeting's coordination or care-plan items).
    """

    def __init__(
        self,
        discussion: Callable[[], Discussion],
        today: date,
        calendar: WorkingCalendar,
        category: ActionCategory = ActionCategory.ACTION,
    ) -> None:
        self.discussion = discussion
        self.today = today
        self.calendar = calendar
        self.category = category
        # The due date last refused for falling on a day the team does not work: Enter again
        # with the same date keeps it (a deliberate choice, not a slip of "fri").
        self._asked_about: date | None = None

    def kind(self, people: list[str], agencies: list[str]) -> RowKind[Action]:
        form, prefix, title, what = CATEGORY_LISTS[self.category]
        return RowKind(
            form=form,
            prefix=prefix,
            title=title,
            # In Tab order: what, who and when make an action SMART; the agency defaults to the owner's.
            boxes=[
                Box("text", what),
                Box("owner", "Owner", width=20, suggestions=people),
                Box("due", "Due (fri, +3wd)", width=17),
                Box("agency", "Agency (blank: the owner's)", width=30, suggestions=agencies, line=1),
                Box("contingency", "Contingency (optional)", line=1),
            ],
            columns=list(COLUMNS),
            rows=lambda d: ActionsOf(d.actions, self.category),
            cells=self.cells,
            values=lambda a: {
                "text": a.text,
                "owner": a.owner,
                "due": format_day(a.due) if a.due else "",
                "agency": a.agency,
                "contingency": a.contingency,
            },
            build=self.build,
            name=lambda a: f"action '{shorten(a.text)}'",
            locked_row=self.locked_row,
            typed=self.typed,
        )

    @staticmethod
    def cells(action: Action) -> tuple[str, ...]:
        return (
            shorten(action.text, COLUMNS[0][1]),
            shorten(action.owner, COLUMNS[1][1]) or "-",
            shorten(action.agency, COLUMNS[2][1]) or "-",
            format_date(action.due) if action.due else "-",
            status_text(action),
        )

    @staticmethod
    def locked_row(action: Action) -> str | None:
        if action.carried_from is not None:
            return (
                "A carried action is settled (done, dropped or carried again) in the review of carried "
                "actions, not changed or removed here."
            )
        if not action.is_open:
            return f"This action is {action.status.value}: it stays in the record as it is."
        return None

    def parse_due(self, text: str) -> date:
        return parse_date(text, self.today, self.calendar)

    def typed(self, key: str, text: str) -> tuple[str, bool] | None:
        if key != "due":
            return None
        if not text:
            return "", False
        try:
            due = self.parse_due(text)
        except DateInputError as exc:
            return f"Due: {exc}", True
        held_on = self.discussion().held_on
        message = f"Due: {describe(due, self.today, self.calendar, due=True)}"
        if due < held_on:
            return message + f": before the discussion on {format_date(held_on)}, will be refused", True
        closed = non_working_reason(due, self.calendar)
        if closed:
            return f"{message}. !! {closed}: not a working day", True
        return message, False

    def build(self, values: dict[str, str], old: Action | None) -> Action:
        text, owner, due_text, agency = values["text"], values["owner"], values["due"], values["agency"]
        if not text:
            raise RowRefused("Type the action first: what will be done.", "text")
        if not owner:
            raise RowRefused("Name the person who owns the action (SMART: a named person and a due date).", "owner")
        if (problem := too_long(values, {"owner": "The owner's name"})) is not None:
            raise RowRefused(problem[1], problem[0])
        try:
            due = self.parse_due(due_text)
        except DateInputError as exc:
            raise RowRefused(f"Due date: {exc}. The action was not added.", "due") from None
        discussion = self.discussion()
        if not agency:
            # The owner's agency is already on record when they took part.
            agency = next((p.agency for p in discussion.participants if p.name.casefold() == owner.casefold()), "")
        row = {
            "text": text,
            "owner": owner,
            "agency": agency,
            "due": due,
            "contingency": values["contingency"],
            "category": self.category,
        }
        try:
            action = old.model_copy(update=row) if old is not None else Action(**row)
            Action.model_validate(action.model_dump())
        except ValidationError as exc:
            raise RowRefused("Action not added: " + "; ".join(explain_validation_error(exc)), "text") from None
        refusal = refusal_for_new_action(action, discussion)
        if refusal:
            raise RowRefused(f"Action not added: {refusal}.", "due")
        closed = non_working_reason(due, self.calendar)
        if closed and self._asked_about != due:
            self._asked_about = due
            raise RowRefused(f"{closed}: not a working day. Enter again keeps it, or type another date.", "due")
        self._asked_about = None
        return action


class PlanningScreen(PhaseScreen):
    PHASE = PLANNING

    def compose_form(self) -> ComposeResult:
        # A network meeting plans no enquiry: no seeing the child or speaking to parents (stratui.phases).
        yield from shaped(self.editor.discussion.kind, self._fields())

    def _fields(self) -> ComposeResult:
        kind = self.editor.discussion.kind
        context = self.editor.context
        settings = context.settings
        calendar = settings.calendar()
        today = context.today
        people = people_present(self.editor.discussion)
        agencies = settings.lists.agencies

        # The SMART actions first: they are what the record must have and what the dashboard
        # tracks; the enquiry's plan (lead, seeing the child, parents, reconvening) follows.
        rows = ActionRows(lambda: self.editor.discussion, today, calendar)
        yield RowList(rows.kind(people, agencies), lambda: self.editor.discussion, self.editor.locked)

        rules = rules_for(settings.nation)
        yield TextField("plan.lead", label_for(kind, "plan.lead", rules.lead_label), suggestions=people)
        yield TextField("plan.lead_agency", "Lead agency", suggestions=agencies)
        if rules.has_ird_decisions:
            yield TextField("decisions.ird.named_person", rules.ird_words["named_person"], placeholder="optional")
        yield TextField("plan.child_seen_by", "Child seen by", suggestions=people)
        yield DateTimeField("plan.child_seen", "Child seen on", today=today, calendar=calendar, due=True)
        yield RowList(information_needed_kind(), lambda: self.editor.discussion, self.editor.locked)
        yield TextField("plan.parents_spoken_to_by", "Speaks to parents", suggestions=people)
        yield DateTimeField(
            "plan.parents_spoken_to", "Parents spoken to on", today=today, calendar=calendar, due=True
        )
        yield LongTextField("plan.contingency", "Contingency plan")
        yield DateField(
            "plan.reconvene_on",
            label_for(kind, "plan.reconvene_on", "Reconvene on"),
            today=today,
            calendar=calendar,
            due=True,
            check=not_before_discussion(self, "The reconvene date"),
        )

    def show_lists(self) -> None:
        for row_list in self.query(RowList):
            row_list.show_rows()

    def focus_first(self) -> None:
        # The action row, first on the screen: the one thing the plan must have.
        if not self.editor.locked:
            # At once (not Widget.focus(), deferred): keys typed ahead must find it focused.
            self.set_focus(self.query_one("#a-text", Input))

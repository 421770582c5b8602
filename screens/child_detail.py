"""More about one child (d on a child's row): due date, identity, language, needs, wishes, seen.

All optional and off the path of a call: the row keeps the name and age; this form takes what is
known later. Fields are bound to the child's `profile` and autosaved like a phase's.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from stratui.capture import DiscussionEditor
from stratui.dates import format_date
from stratui.family import ETHNICITIES, GENDERS
from stratui.models import Child
from stratui.phases import CHILD_FORM, RowForm
from stratui.screens.phase import StatusLine
from stratui.screens.date_fields import DateField
from stratui.screens.form_scroll import FormScroll
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import ScreenHeader
from stratui.screens.widgets import (
    ChoiceField,
    FieldChanged,
    LongTextField,
    TextField,
    bound_fields,
    enter_moves_on,
    get_path,
    set_path,
)

if TYPE_CHECKING:
    from stratui.app import StratuiApp

# A fact about the family, not a decision: "not known" rather than "not decided".
YES_NO_NOT_KNOWN = [("y", "Yes", True), ("n", "No", False), ("u", "Not known", None)]


class ChildDetailScreen(Screen[None]):
    CSS_PATH = "child_detail.tcss"
    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back to Details", id="close-child-detail", priority=True),
        Binding("ctrl+s", "save", "Save now", id="save-child-detail", show=False),
        Binding("enter", "next_field", "Next field", show=False, priority=True, id="child-detail-next"),
    ]

    def __init__(self, editor: DiscussionEditor, form: RowForm, position: int) -> None:
        super().__init__()
        self.editor = editor
        self.form = form
        self.position = position

    @property
    def stratui(self) -> StratuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def child(self) -> Child:
        # Looked up each time: every save gives the editor a new copy of the record.
        d = self.editor.discussion
        return (d.children if self.form is CHILD_FORM else d.other_children)[self.position]

    def compose(self) -> ComposeResult:
        context = self.editor.context
        today, calendar = context.today, context.settings.calendar()
        yield ScreenHeader()
        yield Static(id="child-heading", markup=False)
        with FormScroll(id="child-form"):
            yield DateField("profile.due_date", "Due date if unborn", today=today, calendar=calendar, check=self._due_date_rule)
            yield TextField("profile.gender", "Gender", suggestions=GENDERS)
            yield TextField("profile.ethnicity", "Ethnicity", suggestions=ETHNICITIES)
            yield TextField("profile.religion", "Religion")
            yield TextField("profile.first_language", "First language", placeholder="e.g. English, Polish, BSL")
            yield ChoiceField("profile.interpreter_needed", "Interpreter needed?", YES_NO_NOT_KNOWN)
            yield TextField("profile.disability", "Disability")
            yield TextField("profile.communication_needs", "Communication needs")
            yield LongTextField("profile.wishes_and_feelings", "Wishes and feelings")
            yield ChoiceField("profile.seen", "Child seen?", YES_NO_NOT_KNOWN)
            yield ChoiceField("profile.seen_alone", "Seen alone?", YES_NO_NOT_KNOWN)
            yield TextField("profile.not_seen_alone_reason", "If not alone: why")
        yield StatusLine(self.editor.last_message or "", id="status")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Child's details - {self.editor.discussion.title}"
        self._show_heading()
        for field in bound_fields(self):
            field.load(get_path(self.child, field.path))
            field.disabled = self.editor.locked
        if not self.editor.locked:
            # At once, not deferred: the keys typed straight after d go into the first box.
            first = bound_fields(self)[0].query("Input").first()
            self.set_focus(first)

    def _show_heading(self) -> None:
        child = self.child
        read_only = "Signed off: read only. " if self.editor.locked else ""
        self.query_one("#child-heading", Static).update(
            f"{child.name} ({child.born or 'date of birth or age not recorded'}). "
            f"{read_only}All optional; Tab or Enter moves on, Esc goes back."
        )

    def _due_date_rule(self, day: date) -> str:
        if self.child.date_of_birth is not None:
            return f"the row gives a date of birth ({format_date(self.child.date_of_birth)}): a due date is for an unborn child"
        if day < self.editor.context.today:
            return "the due date has passed: once the baby is born, put the date of birth in the child's row"
        return ""

    @on(FieldChanged)
    def _field_changed(self, event: FieldChanged) -> None:
        event.stop()
        if self.editor.locked:
            return
        set_path(self.child, event.path, event.value)
        self.editor.changed()
        self.stratui.schedule_autosave()
        if event.path == "profile.due_date":
            self._show_heading()

    def show_status(self, message: str, error: bool = False) -> None:
        """Where the app's autosave says what happened (as on a phase screen)."""
        for status in self.query(StatusLine):
            status.update(escape(message))
            status.set_class(error, "error")

    async def action_next_field(self) -> None:
        # As on the phase screens: on from a one-line box or a choice, a new line in the notes.
        await self.stratui.settle_input()
        if not enter_moves_on(self):
            raise SkipAction()

    def action_save(self) -> None:
        self.stratui.autosave_now()

    async def action_back(self) -> None:
        await self.stratui.settle_input()
        self.stratui.autosave_now()
        self.dismiss()

"""An addendum to a signed-off record: who, when, why and what; appended, never edited."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static, TextArea

from stratui.screens.ordered_input import OrderedInput, OrderedTextArea
from stratui.capture import DiscussionEditor
from stratui.screens.kit import TypeAheadModal


class AddendumScreen(TypeAheadModal[bool]):
    """Dismissed with True once the addendum is added (and saved, or kept for the next save)."""

    BINDINGS = [
        Binding("ctrl+s", "add", "Add addendum", id="save-addendum"),
        # Priority, so the text typed straight after Enter lands in the addendum, not the reason.
        Binding("enter", "next_box", "Next box", show=False, priority=True, id="addendum-next-box"),
        Binding("escape", "cancel", "Cancel", id="cancel-addendum", priority=True),
    ]

    def __init__(self, editor: DiscussionEditor) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Addendum to {self.editor.discussion.title}", markup=False)
            yield Static("Ctrl+S adds it (it cannot be changed afterwards); Esc cancels.", markup=False)
            yield Label("Reason for the addendum")
            yield OrderedInput(placeholder="e.g. new information from the school", id="addendum-reason")
            yield Label("Addendum (Enter = new line, Tab = leave)")
            yield OrderedTextArea(id="addendum-text", tab_behavior="focus", soft_wrap=True)
            yield Static(id="addendum-error", markup=False)

    TYPE_AHEAD = "#addendum-reason"

    def action_next_box(self) -> None:
        if self.focused is not self.query_one("#addendum-reason", Input):
            raise SkipAction()  # Enter in the addendum itself is a new line
        self.set_focus(self.query_one("#addendum-text", TextArea))

    def _key(self) -> str:
        return f"addendum:{self.editor.discussion.id}"

    def action_add(self) -> None:
        error = self.query_one("#addendum-error", Static)
        app = self.stratui
        if app.writes.busy(self._key()):
            error.update("The addendum is being saved: it is added once, when the lock is free.")
            return
        reason = self.query_one("#addendum-reason", Input).value.strip()
        text = self.query_one("#addendum-text", TextArea).text.strip()
        if not reason:
            error.update("Give the reason for the addendum.")
            self.set_focus(self.query_one("#addendum-reason", Input))
            return
        if not text:
            error.update("Write the addendum itself.")
            self.set_focus(self.query_one("#addendum-text", TextArea))
            return
        self.editor.add_addendum(reason, text, app.now())
        error.update("Saving the addendum...")
        # A refused save keeps the addendum in the record (and its recovery copy) for the next
        # save; the review screen shows why it was not saved yet.
        app.writes.save_editor(self._key(), f"the addendum to {self.editor.discussion.title}", self._added, lambda exc: self._added(), self._show_saving)

    def _added(self) -> None:
        if self.is_attached:
            self.dismiss(True)

    def _show_saving(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#addendum-error", Static).update(text)

    def action_cancel(self) -> None:
        if self.stratui.writes.busy(self._key()):
            self._show_saving("The addendum is being saved: it is kept in the record whatever the lock does.")
            return
        self.dismiss(False)

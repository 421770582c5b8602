"""A follow-up begins by reviewing the earlier discussion's open actions: carry, done or drop.

Each decision closes the earlier discussion's copy at once (`starting.settle_carried_action`), so
the dashboard counts an action once: in the follow-up if carried, nowhere if done or dropped.
The follow-up is saved first, so a carried action always has a live copy in the store.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import DataTable, Static

from stratui.capture import DiscussionEditor
from stratui.models import Action, ActionStatus, Discussion, format_date
from stratui.screens.kit import DiscussionScreen, refusal, ScreenHeader
from stratui.screens.phase import PhaseScreen, StatusLine
from stratui.starting import settle_carried_action
from stratui.store import StoreError, wait_seconds
from stratui.screens.cells import plain
from stratui.screens.keys_footer import KeysFooter
from stratui.terminal import shorten

class _NotSavedFirst(StoreError):
    """The follow-up could not be saved before the earlier record was changed."""


RESULT_LABELS = {
    ActionStatus.OPEN: "carried",
    ActionStatus.DONE: "done",
    ActionStatus.DROPPED: "dropped",
}
NOT_REVIEWED = "[ ] review"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return shorten(text, limit)


class CarryOverScreen(DiscussionScreen):
    CSS_PATH = "carry_over.tcss"
    # The keys are read here, in order, by on_key: nothing on this screen takes focus, so every
    # key comes to the screen itself. A burst over SSH ("x", a reason, Enter, "d"...) is then
    # applied exactly as typed; an Input would receive the reason on its own queue and a letter
    # of it could be taken for the next decision. The bindings below name the keys for the
    # footer and the help screen.
    BINDINGS = [
        Binding("c", "settle('open')", "Carry over", id="carry-action"),
        Binding("d", "settle('done')", "Done", id="action-done"),
        Binding("x", "settle('dropped')", "Drop", id="drop-action"),
        Binding("enter,escape", "continue", "Continue", id="continue-follow-up"),
    ]
    MOVES = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10, "home": -10_000, "end": 10_000}

    def __init__(self, editor: DiscussionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.carried: list[Action] = [a.model_copy() for a in editor.discussion.actions if a.carried_from]
        self.results: dict[str, ActionStatus] = {}
        # The decision waiting for its note (done) or reason (dropped), for which action, and the note so far.
        self.pending: tuple[str, ActionStatus] | None = None
        self.note = ""
        self.failed_to_continue = False
        self.last_status = ""
        self.held_keys: list[events.Key] = []  # typed while a decision was being written

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(
            f"{len(self.carried)} action(s) still open from the earlier discussion. For each: "
            "c carry over into this one, d done, x drop (with a reason). "
            "Enter or Esc: continue; actions not reviewed are carried over.",
            id="carry-intro",
            markup=False,
        )
        table: DataTable[str] = DataTable(id="carried", cursor_type="row")
        table.can_focus = False
        yield table
        with Vertical(id="carry-prompt"):
            yield Static("", id="carry-prompt-label", markup=False)
            yield Static("", id="carry-note", markup=False)
        yield StatusLine("", id="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Follow-up: review of earlier actions - {self.editor.discussion.title}"
        table = self.query_one("#carried", DataTable)
        table.add_column("", key="cursor")
        table.add_column("Review", key="review")
        table.add_columns("Action", "Owner", "Due")
        for action in self.carried:
            table.add_row(*plain(" ", NOT_REVIEWED, *self._cells(action)), key=action.id)
        self._move(0)

    def _move(self, row: int) -> None:
        """Put the cursor on `row`, marked ">" as well as highlighted (monochrome terminals)."""
        table = self.query_one("#carried", DataTable)
        if not table.row_count:
            return
        row = min(max(row, 0), table.row_count - 1)
        table.update_cell(self.carried[table.cursor_row].id, "cursor", " ")
        table.move_cursor(row=row)
        table.update_cell(self.carried[row].id, "cursor", ">")

    def _cells(self, action: Action) -> tuple[str, str, str]:
        due = "no date"
        if action.due is not None:
            due = format_date(action.due) + (" LATE" if action.due < self.editor.context.today else "")
        return _short(action.text, 30), _short(action.owner or "-", 12), due

    def show_status(self, message: str, error: bool = False) -> None:
        self.last_status = message
        super().show_status(message, error)

    def status_markup(self, message: str) -> str:
        return escape(message)

    # -- actions ------------------------------------------------------------------------

    def _current(self) -> Action | None:
        table = self.query_one("#carried", DataTable)
        if not table.row_count:
            return None
        return self.carried[table.cursor_row]

    def action_settle(self, decision: str) -> None:
        action = self._current()
        if action is None or self.pending is not None:
            return
        status = ActionStatus(decision)
        before = self.results.get(action.id)
        if before in (ActionStatus.DONE, ActionStatus.DROPPED):
            self.show_status(f"Already {RESULT_LABELS[before]}: it is closed in the earlier discussion.", error=True)
            return
        if status is ActionStatus.OPEN:
            if before is ActionStatus.OPEN:
                self.show_status("Already carried over into this discussion.")
                self._move(self.query_one("#carried", DataTable).cursor_row + 1)
            else:
                self.settle([(action, status, "")])
            return
        self.pending = (action.id, status)
        self.note = ""
        prompt = "Done: a note (optional), Enter to confirm, Esc to cancel"
        if status is ActionStatus.DROPPED:
            prompt = "Drop: why is it no longer needed? (required) Enter to confirm, Esc to cancel"
        self.query_one("#carry-prompt-label", Static).update(prompt)
        self._show_note()
        self.query_one("#carry-prompt").add_class("shown")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a note is typed, the footer shows no decision keys: letters go into the note.
        return self.pending is None if action in ("settle", "continue") else True

    def _show_note(self) -> None:
        self.query_one("#carry-note", Static).update(f"> {self.note}_")

    def on_key(self, event: events.Key) -> None:
        if self.stratui.writes.busy(self._write_key()):
            # A decision is being written (the lock may be held): the keys after it wait their
            # turn, in order, so a burst ("c", "d", a note, Enter) is applied exactly as typed.
            event.stop()
            self.held_keys.append(event)
            return
        if self.pending is not None:
            event.stop()
            self._note_key(event)
            return
        table = self.query_one("#carried", DataTable)
        if event.key in self.MOVES:
            event.stop()
            self._move(table.cursor_row + self.MOVES[event.key])
        elif event.key in ("c", "d", "x"):
            event.stop()
            self.action_settle({"c": "open", "d": "done", "x": "dropped"}[event.key])
        elif event.key in ("enter", "escape"):
            event.stop()
            self.action_continue()

    def _note_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self._confirm_note()
        elif event.key == "escape":
            self._close_prompt()
            self.show_status("")
        elif event.key == "backspace":
            self.note = self.note[:-1]
        elif event.key == "ctrl+u":
            self.note = ""
        elif event.is_printable and event.character and len(self.note) < 2000:
            self.note += event.character
        if self.pending is not None:
            self._show_note()

    def _confirm_note(self) -> None:
        assert self.pending is not None
        action_id, status = self.pending
        note = self.note.strip()
        if status is ActionStatus.DROPPED and not note:
            self.show_status("Say why the action is dropped: the record must show it.", error=True)
            return
        if status is ActionStatus.DONE and not note:
            # settle_carried_action would otherwise note it as "carried over" in the earlier record.
            note = f"Done: confirmed at the follow-up discussion of {format_date(self.editor.discussion.held_on)}"
        self._close_prompt()
        action = next(a for a in self.carried if a.id == action_id)
        self.settle([(action, status, note)])

    def _close_prompt(self) -> None:
        self.pending = None
        self.note = ""
        self.query_one("#carry-prompt").remove_class("shown")
        self.refresh_bindings()

    def settle(self, decisions: list[tuple[Action, ActionStatus, str]], then: Callable[[], None] | None = None) -> None:
        """Close the earlier copies of these actions, off the UI thread (the lock may be held).

        The follow-up is saved first and each earlier record updated in a worker thread, on a
        copy of the follow-up's actions, which the UI thread takes back once the writes are done
        (or as far as they went). One review write at a time: a decision made while one waits
        is refused with a word, never applied to a stale copy.
        """
        app = self.stratui
        editor = self.editor
        key = self._write_key()
        if app.writes.busy(key):
            self.show_status("Still saving the last decision: the next one once it is in.", error=True)
            return
        if editor.discussion.revision == 0:
            # Store the follow-up (with its copy of the action) before the earlier copy is closed.
            editor.changed()
        try:
            seconds = wait_seconds()
        except StoreError as exc:
            self.show_status(str(exc), error=True)
            return
        pending = app.request_save()
        copy = editor.discussion.model_copy(deep=True)
        settled: list[tuple[Action, ActionStatus]] = []

        def write(cancelled: Callable[[], bool]) -> None:
            if pending is not None and not app.saved_in_turn(pending, seconds, cancelled):
                raise _NotSavedFirst(editor.last_message)
            for action, status, note in decisions:
                settle_carried_action(editor.context, copy, action.id, status, note)
                settled.append((action, status))

        def landed() -> None:
            self._settled(copy, settled)
            if then is not None:
                then()
            self._replay_keys()

        def refused(exc: Exception) -> None:
            self._settled(copy, settled)
            if isinstance(exc, _NotSavedFirst):
                message = f"The earlier discussion was not changed: this follow-up could not be saved first. {exc}"
            else:
                message = refusal('the review of the earlier actions', exc)
            self.failed_to_continue = then is not None
            if then is not None:
                message += " Enter/Esc again: continue without settling the rest."
            self.show_status(message, error=True)
            self._replay_keys()

        self.show_status("Saving...")
        app.writes.start(key, "the review of the earlier actions", write, landed, refused, lambda text: self.show_status(text, error=True), draft=True)

    def _write_key(self) -> str:
        return f"carry-over:{self.editor.discussion.id}"

    def _replay_keys(self) -> None:
        while self.held_keys and self.is_current and not self.stratui.writes.busy(self._write_key()):
            self.on_key(self.held_keys.pop(0))

    def _settled(self, copy: Discussion, settled: list[tuple[Action, ActionStatus]]) -> None:
        """Take back what the worker changed in the follow-up (the actions closed, the review)."""
        if not settled:
            return
        self.editor.discussion.actions = copy.actions
        self.editor.discussion.network = copy.network
        self.editor.changed()
        self.stratui.request_save()
        what = {ActionStatus.OPEN: "carried over", ActionStatus.DONE: "marked done", ActionStatus.DROPPED: "dropped"}
        for action, status in settled:
            self.results[action.id] = status
        table = next(iter(self.query("#carried").results(DataTable)), None)
        if table is None:
            return  # the write landed as the screen closed: the record is taken back, nothing to show
        for action, status in settled:
            table.update_cell(action.id, "review", RESULT_LABELS[status])
        if len(settled) == 1:
            action, status = settled[0]
            self.show_status(f"'{_short(action.text, 30)}' {what[status]}.")
            self._move(table.cursor_row + 1)

    def action_continue(self) -> None:
        if self.pending is not None:
            return
        rest = [(a, ActionStatus.OPEN, "") for a in self.carried if a.id not in self.results]
        if rest and not self.failed_to_continue:
            # Never a dead end: if this is refused, a second Enter/Esc goes on, the rest still open in both places.
            self.settle(rest, then=self._leave)
            return
        self._leave()

    def _leave(self) -> None:
        if not self.is_current:
            return
        carried = sum(1 for s in self.results.values() if s is ActionStatus.OPEN)
        self.app.pop_screen()
        screen = self.app.screen
        if isinstance(screen, PhaseScreen):  # the phase the follow-up opened on
            screen.refresh_progress()
            screen.show_status(f"{carried} earlier action(s) carried into this discussion (Plan phase).")

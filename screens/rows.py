"""Lists of rows on the capture screens (participants, children, agency information, actions).

One mechanism: a row form of one-line boxes (Enter adds the row), a table of the rows (Enter or
e loads one back into the form to edit it in place, Delete removes it, ctrl+z or u puts the last
removal back) and a note line saying what happened. Whatever is typed in the form but not yet
added is kept in the record as a pending row (`Discussion.pending_rows`) on every change, so a
phase key, the dashboard or a dropped connection never loses it; the form shows it again.

A screen describes each of its lists with a `RowKind` (stratui.screens.row_kinds) and hears `RowList.Changed` when the
record changed; the kind does the domain work (building and checking a row).
"""

from __future__ import annotations

from itertools import count
from typing import Any, Callable, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur, DescendantFocus
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static

from stratui.models import Discussion
from stratui.screens.cells import plain
from stratui.screens.row_kinds import RowKind, RowRefused, row_input
from stratui.screens.widgets import FOCUS_MARKER, ChoiceBox, accept_suggestion, place_terminal_cursor, show_note

# The key of a pending row that holds the position of the row being edited (not a box).
EDITING = "editing"
# Removals are numbered across a screen's lists, so ctrl+z puts back the last one on the screen.
_removal_numbers = count(1)


class RowTable(DataTable):
    BINDINGS: ClassVar = [
        Binding("e", "edit_row", "Edit", id="edit-row"),
        Binding("delete", "remove_row", "Remove", id="remove-row"),
        Binding("u", "undo_removal", "Undo", id="undo-row-removal", show=False),
        # The attendance keys (RowKind.marks), on the rows of a list that has them. Priority, so
        # the row's reason box has the focus before the reason typed in the same burst arrives.
        *(Binding(key, f"mark('{key}')", show=False, priority=True) for key in "paw"),
        # Priority: the form it opens takes the keys typed straight after it.
        Binding("d", "row_detail", "Details", id="row-detail", priority=True),
    ]

    def action_edit_row(self) -> None:
        self._row_list().edit_highlighted()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            return self._row_list().mark_for(str(parameters[0])) is not _NO_MARK
        if action == "row_detail":
            return self._row_list().kind.detail and bool(self._row_list().rows)
        return True

    def action_mark(self, key: str) -> None:
        self._row_list().mark_highlighted(self._row_list().mark_for(key))

    def action_remove_row(self) -> None:
        self._row_list().remove_highlighted()

    def action_row_detail(self) -> None:
        self.post_message(RowList.DetailWanted(self._row_list(), self.cursor_row))

    def action_undo_removal(self) -> None:
        self._row_list().undo_removal()

    def _row_list(self) -> RowList:
        return next(node for node in self.ancestors if isinstance(node, RowList))


class RowList(Vertical):
    """A row form, the table of its rows and a note; `kind` says which list of the record."""

    DEFAULT_CSS = """
    RowList { height: auto; }
    RowList > .row-title { padding: 0 0 0 0; text-style: bold; }
    RowList > .row-line { height: 1; }
    /* A signed-off record is read only: its rows are shown, the boxes to add one are not. */
    RowList.locked > .row-line { display: none; }
    /* One line per box, as the fields: rows of borders would not fit 80x24. */
    RowList > .row-line > Input { border: none; height: 1; padding: 0 1; margin: 0 1 0 0; background: $boost; width: 1fr; }
    RowList > .row-line > Input:focus { border: none; background: $accent 30%; }
    RowList > .row-line > ChoiceBox { margin: 0 1 0 0; width: auto; }
    RowList > DataTable { height: auto; max-height: 8; }
    RowList > DataTable.empty { display: none; }
    RowList > .row-note { height: auto; padding: 0 1; color: $text-muted; display: none; }
    RowList > .row-note.shown { display: block; }
    RowList > .row-note.error { color: $error; text-style: bold; }
    """
    BINDINGS: ClassVar = [Binding("escape", "cancel_edit", "Cancel edit", id="cancel-row-edit")]

    class Changed(Message):
        """The record changed (a row added, saved, removed, or the pending row typed)."""

        def __init__(self, row_list: RowList, status: str = "", error: bool = False) -> None:
            super().__init__()
            self.row_list = row_list
            self.status = status
            self.error = error

    class DetailWanted(Message):
        """d on a row of a kind with `detail`: the screen opens the row's detail form."""

        def __init__(self, row_list: RowList, position: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.position = position

    def __init__(self, kind: RowKind[Any], discussion: Callable[[], Discussion], locked: bool) -> None:
        super().__init__(id=kind.form.id)
        self.kind = kind
        self._discussion = discussion
        self.locked = locked
        self.set_class(locked, "locked")
        self.editing: int | None = None
        # The row being edited because a mark asked for its reason (Enter goes back to the table).
        self._marked_row: int | None = None
        self._removed: list[tuple[int, int, Any]] = []  # (removal number, position, row)

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        kind = self.kind
        yield Label(self._title(focused=False), classes="row-title")
        for line in sorted({box.line for box in kind.boxes}):
            with Horizontal(classes="row-line"):
                for box in kind.boxes:
                    if box.line != line:
                        continue
                    if box.choices:
                        widget: Widget = ChoiceBox(box.choices, id=kind.box_id(box.key))
                    else:
                        widget = row_input(placeholder=box.placeholder, id=kind.box_id(box.key), suggestions=box.suggestions)
                    if box.width:
                        widget.styles.width = box.width
                    widget.disabled = self.locked
                    yield widget
        yield RowTable(id=kind.form.table, cursor_type="row")
        yield Static(classes="row-note", id=f"{kind.prefix}-note", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        for label, width in self.kind.columns:
            table.add_column(label, width=width)
        self._fill(self.kind.restore(self._pending() or {}))
        editing = (self._pending() or {}).get(EDITING, "")
        if editing.isdigit() and int(editing) < len(self.rows):
            # Back after a restart mid-edit: the same row is still being edited.
            self.editing = int(editing)
            self.say(f"Still editing {self.kind.name(self.rows[self.editing])}: Enter saves it, Esc cancels.")
        elif self._pending():
            self.say("Typed before but not added: Enter adds it.")
        self.show_rows()

    @property
    def discussion(self) -> Discussion:
        return self._discussion()

    @property
    def rows(self) -> list[Any]:
        return self.kind.rows(self.discussion)

    def show_rows(self) -> None:
        table = self.query_one(RowTable)
        row = table.cursor_row
        table.clear()
        for position, item in enumerate(self.rows):
            table.add_row(*plain(*self.kind.cells(item)), key=str(position))
        table.set_class(not self.rows, "empty")
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    def say(self, message: str, error: bool = False) -> None:
        show_note(self.query_one(".row-note", Static), message, error)

    # -- the form's boxes ----------------------------------------------------------------

    def box(self, key: str) -> Widget:
        return self.query_one(f"#{self.kind.box_id(key)}")

    def form_values(self) -> dict[str, str]:
        values = {}
        for box in self.kind.boxes:
            widget = self.box(box.key)
            if isinstance(widget, ChoiceBox):
                values[box.key] = "" if widget.value is None else str(widget.value)
            else:
                values[box.key] = widget.value.strip()  # type: ignore[attr-defined]
        return values

    def _typed(self, values: dict[str, str]) -> bool:
        """Anything typed beyond the form's defaults (a choice left at its default is nothing)."""
        return any(value and value != self.kind.defaults.get(key, "") for key, value in values.items())

    def _fill(self, values: dict[str, str]) -> None:
        for box in self.kind.boxes:
            widget = self.box(box.key)
            value = values.get(box.key) or self.kind.defaults.get(box.key, "")
            if isinstance(widget, ChoiceBox):
                choice = next((v for _k, _l, v in widget.choices if str(v) == value), None)
                widget.pick(choice, announce=False)
            else:
                with widget.prevent(Input.Changed):
                    widget.value = value  # type: ignore[attr-defined]
                    widget.cursor_position = len(value)  # type: ignore[attr-defined]

    def _first_box(self) -> Widget:
        return self.box(self.kind.boxes[0].key)

    @on(Input.Changed)
    def _box_typed(self, event: Input.Changed) -> None:
        event.stop()
        key = next((b.key for b in self.kind.boxes if self.kind.box_id(b.key) == event.input.id), "")
        # A change already overtaken (the row was added and the box cleared) must not put its
        # note back over "Added ...".
        shown = self.kind.typed(key, event.value.strip()) if event.value == event.input.value else None
        if shown is not None:
            self.say(*shown)
        self._keep_pending()

    @on(ChoiceBox.Picked)
    def _choice_picked(self, event: ChoiceBox.Picked) -> None:
        event.stop()
        self._keep_pending()

    # -- the pending row -----------------------------------------------------------------

    def _pending(self) -> dict[str, str] | None:
        return self.discussion.pending_rows.get(self.kind.form.id)

    def _keep_pending(self) -> None:
        """The form's text into the record: what is typed survives any way of leaving."""
        if self.locked:
            return
        values = self.form_values()
        pending = dict(values) if self._typed(values) or self.editing is not None else None
        if pending is not None and self.editing is not None:
            pending[EDITING] = str(self.editing)
        if pending == self._pending():
            return
        if pending is None:
            self.discussion.pending_rows.pop(self.kind.form.id, None)
        else:
            self.discussion.pending_rows[self.kind.form.id] = pending
        self.post_message(self.Changed(self))

    def _clear_form(self) -> None:
        self.editing = None
        self._fill({})
        self._keep_pending()

    # -- Enter ---------------------------------------------------------------------------

    def submit(self) -> None:
        """Enter in the form adds (or saves) the row; Enter on the table edits the highlighted one."""
        if self.locked:
            return
        focused = self.screen.focused
        if isinstance(focused, RowTable):
            self.edit_highlighted()
            return
        accept_suggestion(focused)
        values = self.form_values()
        if self.editing is None and not self._typed(values):
            # Nothing typed: Enter moves on past the list, as it does from any box.
            self._focus_after()
            return
        editing = self.rows[self.editing] if self.editing is not None else None
        try:
            row = self.kind.build(values, editing)
        except RowRefused as refused:
            self.say(refused.message, error=True)
            self.post_message(self.Changed(self, refused.message, error=True))
            self.screen.set_focus(self.box(refused.box))
            return
        name = self.kind.name(row)
        marked, position = self._marked_row, self.editing
        if self.editing is not None:
            self.rows[self.editing] = row
            message = f"Saved the changes to {name}."
        else:
            self.rows.append(row)
            message = f"Added {name}."
        self.editing = None
        self._marked_row = None
        self._fill({})
        self.discussion.pending_rows.pop(self.kind.form.id, None)
        self.show_rows()
        self.say(message)
        self.post_message(self.Changed(self, message))
        if marked is not None and marked == position:
            # Back to the table, on the next row: the rest are marked one key each.
            table = self.query_one(RowTable)
            table.move_cursor(row=min(position + 1, len(self.rows) - 1))
            self.screen.set_focus(table)
            return
        # At once (focus() waits a turn): text typed straight after Enter lands in the next row.
        self.screen.set_focus(self._first_box())

    def _focus_after(self) -> None:
        chain = self.screen.focus_chain
        inside = [i for i, widget in enumerate(chain) if self in widget.ancestors]
        if inside and inside[-1] + 1 < len(chain):
            self.screen.set_focus(chain[inside[-1] + 1])

    # -- editing in place ----------------------------------------------------------------

    def _changeable_row(self, doing: str) -> int | None:
        """The highlighted row's position if it may be changed now; else None, and the note says why."""
        if self.locked or not self.rows:
            return None
        position = self.query_one(RowTable).cursor_row
        refusal = self.kind.locked_row(self.rows[position])
        if refusal:
            self.say(refusal, error=True)
            return None
        if self.editing is None and self._typed(self.form_values()):
            self.say(f"A row is typed in the boxes above: Enter adds it, or clear it, before {doing} another.", error=True)
            return None
        return position

    def edit_highlighted(self) -> None:
        position = self._changeable_row("editing")
        if position is None:
            return
        row = self.rows[position]
        self.editing = position
        self._fill(self.kind.values(row))
        self._keep_pending()
        self.say(f"Editing {self.kind.name(row)}: Enter saves it in place, Esc cancels.")
        self.screen.set_focus(self._first_box())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_edit":
            return self.editing is not None  # otherwise Esc goes back to the dashboard
        return True

    def action_cancel_edit(self) -> None:
        self._cancel_edit()
        self.screen.set_focus(self.query_one(RowTable))

    def _cancel_edit(self) -> None:
        self._marked_row = None
        if self.editing is None:
            return
        name = self.kind.name(self.rows[self.editing]) if self.editing < len(self.rows) else "the row"
        self._clear_form()
        self.say(f"Edit cancelled: {name} is as it was.")

    # -- where you are, without colour ----------------------------------------------------

    def _title(self, focused: bool) -> Text:
        # The same marker as a focused field's label (widgets.FOCUS_MARKER): a vt100 or NO_COLOR
        # terminal shows no background colour, so the list being typed in is marked in text.
        return Text(f"{FOCUS_MARKER if focused else ' ' * len(FOCUS_MARKER)}{self.kind.title}")

    @on(DescendantFocus)
    def _focus_arrived(self, event: DescendantFocus) -> None:
        self.query_one(".row-title", Label).update(self._title(focused=True))
        if isinstance(event.widget, Input):
            self.call_after_refresh(place_terminal_cursor, event.widget)

    @on(DescendantBlur)
    def _focus_left(self) -> None:
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors:
            self.query_one(".row-title", Label).update(self._title(focused=False))

    @on(DescendantBlur)
    def _maybe_moved_away(self) -> None:
        # Only a move to another part of this screen: a phase key or a dialog leaves the edit
        # kept (pending) in the record, to carry on when the screen is shown again.
        if self.editing is None or not self.screen.is_current:
            return
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors:
            self._cancel_edit()

    # -- one key on a row (attendance) ---------------------------------------------------

    def mark_for(self, character: str | None) -> Any:
        """The option of the kind's `marks` box that `character` picks, or _NO_MARK."""
        if self.kind.marks is None or not character:
            return _NO_MARK
        box = next(b for b in self.kind.boxes if b.key == self.kind.marks)
        return next((value for key, _label, value in box.choices or [] if key == character.lower()), _NO_MARK)

    def mark_highlighted(self, value: Any) -> None:
        """The highlighted row takes `value` in the marks box; the default option moves on to the
        next row, another (absent: why?) opens the row at the box after the choice."""
        if self.editing is not None:
            return
        position = self._changeable_row("changing")
        if position is None:
            return
        row = self.rows[position]
        values = self.kind.values(row)
        values[self.kind.marks] = str(value)  # type: ignore[index]
        try:
            marked = self.kind.build(values, row)
        except RowRefused as refused:
            self.say(refused.message, error=True)
            return
        self.rows[position] = marked
        self.show_rows()
        keys = [b.key for b in self.kind.boxes]
        label = next(label for b in self.kind.boxes if b.key == self.kind.marks for _k, label, v in b.choices or [] if v == value)
        if str(value) == self.kind.defaults.get(self.kind.marks, ""):
            message = f"{self.kind.name(marked)}: {label}."
            self.query_one(RowTable).move_cursor(row=min(position + 1, len(self.rows) - 1))
        else:
            self.editing = self._marked_row = position
            self._fill(self.kind.values(marked))
            self._keep_pending()
            after = keys[keys.index(self.kind.marks) + 1]
            message = f"{self.kind.name(marked)}: {label}. Say why or what was sent, Enter saves it."
            self.screen.set_focus(self.box(after))
        self.say(message)
        self.post_message(self.Changed(self, message))

    # -- removing, and putting back ------------------------------------------------------

    def remove_highlighted(self) -> None:
        table = self.query_one(RowTable)
        if self.locked or not self.rows:
            return
        if self.editing is not None:
            self.say("A row is being edited: Enter saves it, Esc cancels, then remove.", error=True)
            return
        position = table.cursor_row
        row = self.rows[position]
        refusal = self.kind.locked_row(row)
        if refusal:
            self.say(refusal, error=True)
            self.post_message(self.Changed(self, refusal, error=True))
            return
        del self.rows[position]
        self._removed.append((next(_removal_numbers), position, row))
        message = f"Removed {self.kind.name(row)}. ctrl+z puts it back."
        self.show_rows()
        if not self.rows:
            self.screen.set_focus(self._first_box())
        self.say(message)
        self.post_message(self.Changed(self, message))

    def last_removal(self) -> int:
        return self._removed[-1][0] if self._removed else 0

    def undo_removal(self) -> None:
        if self.locked or not self._removed:
            return
        _number, position, row = self._removed.pop()
        position = min(position, len(self.rows))
        self.rows.insert(position, row)
        self.show_rows()
        self.query_one(RowTable).move_cursor(row=position)
        message = f"Put back {self.kind.name(row)}."
        self.say(message)
        self.post_message(self.Changed(self, message))


_NO_MARK = object()


def undo_last_removal(screen: Widget) -> bool:
    """ctrl+z: put back the last row removed on this screen, whichever list it was in."""
    lists = [row_list for row_list in screen.query(RowList) if row_list.last_removal()]
    if not lists:
        return False
    max(lists, key=RowList.last_removal).undo_removal()
    return True

"""What a list of rows is, as a capture screen describes it: a `RowKind` with its boxes and
columns, how a row is built from the boxes (refused with `RowRefused`, naming the box to fix),
and the one-line boxes of every row form. The widget that shows and edits the rows is
stratui.screens.rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

from textual.suggester import SuggestFromList
from textual.widgets import Input

from stratui.screens.ordered_input import OrderedInput
from stratui.models import Discussion
from stratui.phases import RowForm

Row = TypeVar("Row")


def row_input(*, placeholder: str, id: str, suggestions: list[str] | None = None) -> Input:
    """Every one-line box of a row form is made here (one place for their common behaviour)."""
    suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
    # Tabbing into a box must not select its text: the next key would silently replace it.
    return OrderedInput(placeholder=placeholder, id=id, suggester=suggester, select_on_focus=False)


class RowRefused(Exception):
    """A row the form cannot add as typed: the message says why, `box` is the box to fix."""

    def __init__(self, message: str, box: str) -> None:
        super().__init__(message)
        self.message = message
        self.box = box


@dataclass(frozen=True)
class Box:
    key: str
    placeholder: str
    width: int | None = None  # None: share the line's free width
    suggestions: list[str] | None = None
    line: int = 0
    # A one-key choice (attendance) instead of a text box: (key, label, value) as ChoiceBox takes.
    choices: list[tuple[str, str, Any]] | None = None


@dataclass
class RowKind(Generic[Row]):
    """What a list of rows is: its boxes and columns, and how a row is built from the boxes."""

    form: RowForm
    prefix: str  # the boxes' ids: f"{prefix}-{key}"
    title: str
    boxes: list[Box]
    columns: list[tuple[str, int | None]]
    rows: Callable[[Discussion], list[Row]]
    cells: Callable[[Row], tuple[str, ...]]
    values: Callable[[Row], dict[str, str]]
    # (values, the row being edited or None) -> the row; RowRefused says what is wrong.
    build: Callable[[dict[str, str], Row | None], Row]
    name: Callable[[Row], str]
    # Why a row may not be removed or edited here (a carried action), or None.
    locked_row: Callable[[Row], str | None] = lambda row: None
    # A note while a box is typed in (the resolved due date), or None to leave the note.
    typed: Callable[[str, str], tuple[str, bool] | None] = lambda key, value: None
    defaults: dict[str, str] = field(default_factory=dict)
    # A half-typed row kept by an older version, in today's boxes.
    restore: Callable[[dict[str, str]], dict[str, str]] = lambda values: values
    # A choice box (attendance) whose option keys also work on the highlighted row of the table:
    # a follow-up confirms who attended in one key a row, not an edit of each.
    marks: str | None = None
    # More about a row than its boxes hold (a child's details): d on the row asks the screen to
    # open it (RowList.DetailWanted).
    detail: bool = False

    def box_id(self, key: str) -> str:
        return f"{self.prefix}-{key}"

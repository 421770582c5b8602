"""The screens' shared kit: the modal frame, and the rule that makes a modal typed into at once work.

Type-ahead has three parts (a fast typist, or a slow SSH link delivering a key and the text after
it in one burst):
- the app holds keys while the screen on top is still mounting and replays them in order once it
  is mounted (StratuiApp.on_event explains why Textual needs that);
- a key that opens a modal, and a key a modal answers to without a box (a digit, Enter, y/n), is
  a priority binding: Textual runs those as it takes the key from its queue, so the screen
  changes before the next key of the burst is routed. An ordinary binding acts only once the key
  has gone to the focused widget and bubbled back, after the rest of the burst went to the old
  screen;
- the modal's box has focus the moment the modal is mounted (`focus_at_once`), so the replayed
  keys go into it, Enter included.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen
from textual.widget import Widget

Result = TypeVar("Result")


def focus_at_once(screen: Screen[object], widget: Widget) -> None:
    """Focus now, in on_mount: Widget.focus() is deferred behind the keys already waiting."""
    screen.set_focus(widget)


class TypeAheadModal(ModalScreen[Result]):
    """A modal in the shared frame (kit.tcss) whose box takes the keys typed straight after it opens.

    TYPE_AHEAD is a selector of the box that has focus on mount; None for a modal answered by
    a key alone (its keys are priority bindings: see this module's docstring).
    """

    CSS_PATH = "kit.tcss"
    TYPE_AHEAD: str | None = "Input"

    def on_mount(self) -> None:
        if self.TYPE_AHEAD is not None:
            focus_at_once(self, self.query_one(self.TYPE_AHEAD))

"""Text boxes whose keys act in the order they were typed, in a burst too.

A slow SSH link (or a fast typist) delivers several keys at once. Textual types a letter in the
box's own handler, but runs the box's other keys (Backspace, Delete, the arrows, Home, End,
ctrl+k...) only after the key has bubbled up from the box, and by then the keys after it in the
same burst have already been typed: Backspace twice then "XY" after "Maya" left "MayaX", not
"MaXY" (an Input, in tmux and in a bare Textual app); "abcdef", three Backspaces and "XYZ" left
"abcdefX" (a TextArea).

`OrderedKeys` makes a box run its own binding of such a key as it takes the key. The box's
bindings still take precedence over the screen's as before; priority bindings still run before
any box sees a key. (A key that leaves the screen, Esc among them, is a priority binding of the
screen, so the keys after it go to the next screen: stratui.app, StratuiApp.on_event.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class OrderedKeys(_Base):
    """Mixed into a text box class, before it: see the module."""

    def keys_typed(self) -> frozenset[str]:
        """Keys the box itself handles in _on_key, though they are not printable."""
        return frozenset()

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not event.is_printable and event.key not in self.keys_typed():
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)  # type: ignore[misc]


class OrderedInput(OrderedKeys, Input):
    """Textual's Input, its keys in the order typed."""


class OrderedTextArea(OrderedKeys, TextArea):
    """Textual's TextArea, its keys in the order typed; Enter types a new line, as before (and,
    where Tab indents, Tab indents and Esc leaves the box)."""

    def keys_typed(self) -> frozenset[str]:
        return frozenset({"enter", "tab", "escape"} if self.tab_behavior == "indent" else {"enter"})

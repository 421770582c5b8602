"""A text box whose editing keys act in the order they were typed, in a burst too."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """Textual's Input, with its own keys (Backspace, Delete, arrows, Home, End, ctrl+k...)
    run as the box takes each key, as it does a letter.

    Textual types a letter in the box's own handler but runs an editing key's binding only after
    the key has bubbled up from the box, and by then the keys after it in the same burst (a slow
    SSH link delivering them at once, a fast typist) have already been typed: Backspace twice then
    "XY" after "Maya" left "MayaX", not "MaXY" (seen in tmux and in a bare Textual app). The box's
    bindings still take precedence over the screen's as before; priority bindings run before any
    box sees the key, as before.
    """

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not event.is_printable:
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)

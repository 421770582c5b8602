"""The footer of keys every screen shows: Textual's Footer, rebuilt only when the keys change."""

from __future__ import annotations

from typing import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer, rebuilt only when what it shows would change.

    Textual's Footer throws its keys away and mounts and styles them all again on every bindings
    signal: each focus move, each screen shown again, a widget mounted. Starting stratui on the
    dashboard sent about twenty, a third of the start's CPU, and a Tab between two boxes of a
    phase sent one more each, while the keys shown stayed the same. Signals that arrive together
    make one rebuild, and a rebuild that would show the same keys is skipped.
    """

    _shown: Hashable = None
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_shown(self) -> Hashable:
        """Everything Footer.compose reads, as one comparable value."""
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.show,
                binding.tooltip,
                binding.group,
                enabled,
                tooltip,
            )
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
        )
        return (keys, self.show_command_palette, self.compact, app.ENABLE_COMMAND_PALETTE)

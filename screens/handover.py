"""The duty handover on screen (stratui.handover's Markdown), with export to the exports folder."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from rich.markdown import Markdown
from textual.widgets import Static

from stratui import locations
from stratui.context import Context
from stratui.files import PRIVATE, UnsafeFolderError, atomic_write, ensure_folder
from stratui.handover import build_handover, handover_markdown
from stratui.store import StoreError
from stratui.screens.keys_footer import KeysFooter
from stratui.screens.kit import reading_keys, ReadingScreen, ScreenHeader


class HandoverScreen(ReadingScreen):
    CSS_PATH = "handover.tcss"
    SCROLLER = "#handover-scroll"
    BINDINGS = [
        Binding("e", "export", "Export .md", id="export-handover"),
        Binding("escape,q", "close", "Back", id="close-handover"),
        *reading_keys("handover"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.markdown = ""

    def compose(self) -> ComposeResult:
        try:
            handover = build_handover(self.context.store.summaries(), self.context.today, self.context.settings)
            self.markdown = handover_markdown(handover)
        except StoreError as exc:
            self.markdown = f"The handover could not be built: {exc}"
        yield ScreenHeader()
        with VerticalScroll(id="handover-scroll"):
            # One widget rendering the Markdown (Textual's Markdown widget mounts a widget per
            # block: seconds for a busy team's handover, on every open and close).
            yield Static(Markdown(self.markdown, hyperlinks=False), id="handover")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Duty handover"
        self.query_one("#handover-scroll").focus()

    def action_export(self) -> None:
        try:
            path = export_handover(self.context, self.markdown)
        except (OSError, UnsafeFolderError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.notify(f"Not exported: {reason}", severity="error", timeout=10)
            return
        self.notify(f"Handover saved to {path}", timeout=10)


def export_handover(context: Context, markdown: str) -> Path:
    """Write the handover into the exports folder; never over an earlier export.

    The user's own (0700, file 0600) whatever the team's database access: see export_minutes.
    """
    folder = locations.exports_dir()
    ensure_folder(folder, PRIVATE)
    stem = f"handover-{context.today.isoformat()}"
    path = folder / f"{stem}.md"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.md"
    atomic_write(path, markdown.encode("utf-8"), PRIVATE)
    return path

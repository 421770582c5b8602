"""Offered at start: work left unsaved last time (a dropped connection, a conflict, a full disk).

Enter continues the highlighted draft (it is saved straight away; a conflict is reported and
the draft kept), d discards it after a y to confirm, Esc leaves them all for later.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from stratui.capture import DiscussionEditor
from stratui.context import Context
from stratui.drafts import discard_recovery, draft_changes, draft_file, scan_drafts, take_over_draft
from stratui.models import Discussion, format_date
from stratui.screens.kit import stratui_app
from stratui.terminal import ellipsis


def describe_draft(context: Context, draft: Discussion, path: Path | None = None) -> str:
    """Which record, when it was last changed, and what differs from the saved record."""
    children = ", ".join(c.name for c in draft.children) or "no child named"
    path = path or draft_file(context, draft.id)
    try:
        changed: datetime | None = datetime.fromtimestamp(path.stat().st_mtime) if path else draft.updated_at
    except OSError:
        changed = draft.updated_at
    when = f"{changed:%H:%M} {format_date(changed.date())}" if changed else "unknown"
    return f"{draft.case_ref or 'no case ref'}: {children}\n  {draft.kind.label}, last change {when}\n  {_differences(context, draft)}"


def _differences(context: Context, draft: Discussion, width: int = 66, lines: int = 2) -> str:
    """The fields where the draft differs from the saved record, in at most two lines."""
    fields = draft_changes(context, draft)
    if fields is None:
        return "Never saved: all of it is new."
    if not fields:
        return "Same as the saved record."
    # "actions.2.status" -> "actions": the part of the record is enough to know where to look.
    areas = list(dict.fromkeys(f.split(".")[0] if f.count(".") > 1 else f for f in fields))
    wrapped = textwrap.wrap("Differs from the saved record in: " + ", ".join(areas), width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - len(ellipsis())] + ellipsis()
    return "\n  ".join(wrapped)


class ConfirmDiscardScreen(ModalScreen[bool]):
    CSS_PATH = "recovery.tcss"

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        yield Static(
            f"Discard the unsaved work on {self.what}?\nIt cannot be got back.\n\n"
            "y = discard it, any other key = keep it",
            markup=False,
        )

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(event.key == "y")


class RecoveryScreen(ModalScreen[None]):
    CSS_PATH = "recovery.tcss"
    BINDINGS = [
        Binding("d", "discard", "Discard", id="discard-draft"),
        Binding("escape", "later", "Later", id="recover-later"),
    ]

    def __init__(self, context: Context, drafts: list[Discussion]) -> None:
        super().__init__()
        self.context = context
        self.drafts = list(drafts)
        self.files = scan_drafts(context).files

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="recovery-heading", markup=False)
            yield OptionList(id="drafts")
            yield Static("Enter = continue it   d = discard it   Esc = later (offered again next time)", markup=False)

    def on_mount(self) -> None:
        self._show()
        self.query_one("#drafts", OptionList).focus()

    def _show(self) -> None:
        count = len(self.drafts)
        heading = "You have unsaved work:" if count == 1 else f"You have unsaved work ({count} records):"
        self.query_one("#recovery-heading", Static).update(heading)
        options = self.query_one("#drafts", OptionList)
        options.clear_options()
        options.add_options(Option(self._prompt(index), id=d.id) for index, d in enumerate(self.drafts))
        if count:
            options.highlighted = 0

    def _prompt(self, index: int, chosen: bool = False) -> Text:
        # ">" marks the chosen draft as well as the highlight: colour is never the only signal.
        lead = "> " if chosen else "  "
        draft = self.drafts[index]
        return Text(lead + describe_draft(self.context, draft, self.files.get(draft.id)).replace("\n", "\n  "))

    @on(OptionList.OptionHighlighted, "#drafts")
    def _mark(self, event: OptionList.OptionHighlighted) -> None:
        options = self.query_one("#drafts", OptionList)
        for index in range(len(self.drafts)):
            options.replace_option_prompt_at_index(index, self._prompt(index, index == event.option_index))

    def _highlighted(self) -> Discussion | None:
        index = self.query_one("#drafts", OptionList).highlighted
        return self.drafts[index] if index is not None and index < len(self.drafts) else None

    @on(OptionList.OptionSelected, "#drafts")
    def _continue(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        draft = self.drafts[event.option_index]
        app = stratui_app(self)
        take_over_draft(self.context, draft.id)
        editor = DiscussionEditor.start(self.context, draft)
        # Dirty, so it is saved at once; if someone saved the record since, the save reports a
        # conflict and the draft file stays.
        editor.dirty = True
        self.dismiss()
        app.open_editor(editor)
        app.schedule_autosave()

    def action_discard(self) -> None:
        draft = self._highlighted()
        if draft is None:
            return

        def confirmed(discard: bool | None) -> None:
            if not discard:
                return
            discard_recovery(self.context, draft.id)
            self.drafts = [d for d in self.drafts if d.id != draft.id]
            if not self.drafts:
                self.dismiss()
                self.app.notify("Unsaved work discarded.")
                return
            self._show()

        self.app.push_screen(ConfirmDiscardScreen(draft.title), confirmed)

    def action_later(self) -> None:
        self.dismiss()

"""What every phase screen of a discussion shares: the progress strip, phase keys, autosave.

A phase screen composes its form from `screens.widgets` fields; this base loads them from the
record, writes their changes back into it and asks the app to autosave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from stratui.capture import DiscussionEditor
from stratui.phases import PHASES, Phase, phase_complete, phase_short, phase_title
from stratui.screens.kit import DiscussionScreen, ScreenHeader, StatusLine, show_content
from stratui.screens.widgets import FieldChanged, bound_fields, enter_moves_on, set_path
from stratui.screens.form_scroll import FormScroll
from stratui.screens.keys_footer import KeysFooter

if TYPE_CHECKING:
    from stratui.screens.rows import RowList


class ProgressStrip(Static):
    """The agenda as a strip: which phase is shown, which are complete ([x])."""

    DEFAULT_CSS = """
    ProgressStrip { height: 1; padding: 0 1; background: $panel; }
    """

    def show(self, editor: DiscussionEditor, current: Phase) -> None:
        strip = Text()
        for phase in PHASES:
            mark = "x" if phase_complete(editor.discussion, phase, editor.context.settings.nation, editor.context.settings) else " "
            # Reverse video and the [x] marks carry the meaning without colour.
            short = phase_short(phase, editor.discussion.kind)
            strip.append(f"{phase.number}[{mark}]{short}", style="reverse" if phase is current else "")
            strip.append(" ")
        show_content(self, strip)


class PhaseScreen(DiscussionScreen):
    """Base of the phase screens. Subclasses set PHASE and implement compose_form()."""

    PHASE: ClassVar[Phase]
    BINDINGS = [
        # ^n first in the footer: a vt100 (and many old terminals) has no PgDn key.
        # Short labels: the footer must hold them and a phase's own keys in 80 columns.
        Binding("ctrl+n,pagedown", "next_phase", "Next", priority=True, id="next-phase", key_display="^n",
                tooltip="Next phase"),
        Binding("pageup", "previous_phase", "Prev", priority=True, id="previous-phase", tooltip="Previous phase"),
        Binding("ctrl+g", "go_to_phase", "Phases", id="go-to-phase", priority=True, tooltip="Go to any phase"),
        Binding("ctrl+s", "save", "Save now", id="save", show=False),
        Binding("ctrl+t", "history", "History", id="history", show=False,
                tooltip="History: who changed what and when (the audit trail)"),
        Binding("escape", "close", "Dashboard", id="close-discussion", priority=True),
        Binding("enter", "submit_row", "Add the row", show=False, priority=True, id="add-row"),
        Binding("ctrl+z", "undo_row_removal", "Undo removal", show=False, id="undo-row-removal",
                tooltip="Put back the last row removed on this screen"),
    ]

    def __init__(self, editor: DiscussionEditor) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield ProgressStrip()
        if self.editor.locked:
            sign_off = self.editor.discussion.sign_off
            who = f" by {sign_off.manager}" if sign_off else ""
            yield Static(
                f"Signed off{who}: read only. Changes are made as addenda (Review phase).",
                id="locked-banner",
            )
        with FormScroll(id="form"):
            yield from self.compose_form()
        yield StatusLine(self.editor.last_message or "", id="status")
        yield KeysFooter(compact=True)

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.sub_title = f"{phase_title(self.PHASE, self.editor.discussion.kind)} - {self.editor.discussion.title}"
        self.load_fields()
        self.refresh_progress()
        if self.editor.locked:
            for field in bound_fields(self):
                field.disabled = True
        self.focus_first()

    def reload(self, editor: DiscussionEditor) -> None:
        """Show another version of the discussion in place (a colleague's save): fields and lists."""
        self.editor = editor
        self.load_fields()
        self.refresh_progress()
        self.show_lists()
        if self.is_current:
            self.sub_title = f"{phase_title(self.PHASE, self.editor.discussion.kind)} - {self.editor.discussion.title}"

    def show_lists(self) -> None:
        """Redraw what is not a bound field (participants, actions...): phases with lists override it."""

    def focus_first(self) -> None:
        fields = bound_fields(self)
        if fields and not self.editor.locked:
            first = fields[0].query("Input, TextArea, ChoiceBox").first()
            # At once, not deferred as Widget.focus() is: that queues the focus behind the keys
            # typed straight after ctrl+n/PageDown (a burst over SSH), which then reached a
            # screen with nothing focused, or its scroll container, and were lost. Textual
            # handles those keys only once this screen is mounted (switch_screen awaits it).
            self.set_focus(first)

    def load_fields(self) -> None:
        from stratui.screens.widgets import get_path

        for field in bound_fields(self):
            field.load(get_path(self.editor.discussion, field.path))

    def refresh_progress(self) -> None:
        self.query_one(ProgressStrip).show(self.editor, self.PHASE)

    @on(FieldChanged)
    def _field_changed(self, event: FieldChanged) -> None:
        if self.editor.locked:
            return
        set_path(self.editor.discussion, event.path, event.value)
        self.record_changed()

    def record_changed(self) -> None:
        """Call after changing the record directly (lists of participants, actions...)."""
        self.editor.changed()
        self.stratui.schedule_autosave()
        self.refresh_progress()
        # The title follows the case reference and children as they are typed (a screen being
        # replaced may still report a field's last change: its header is already gone).
        if self.is_current:
            self.sub_title = f"{phase_title(self.PHASE, self.editor.discussion.kind)} - {self.editor.discussion.title}"

    # -- actions ------------------------------------------------------------------------

    async def action_next_phase(self) -> None:
        await self._go(PHASES.index(self.PHASE) + 1)

    async def action_previous_phase(self) -> None:
        await self._go(PHASES.index(self.PHASE) - 1)

    async def _go(self, index: int) -> None:
        if 0 <= index < len(PHASES):
            # The keys typed before ctrl+n/PageUp in the same burst reach their box (and the
            # record, saved on leaving) before this screen goes.
            await self.stratui.settle_input()
            self.stratui.show_phase(self.editor, PHASES[index])

    def action_history(self) -> None:
        from stratui.screens.history import HistoryScreen

        def show_history() -> None:
            if self.is_current:
                self.app.push_screen(HistoryScreen(self.editor.context, self.editor.discussion.id))

        def not_saved(exc: Exception) -> None:
            show_history()
            self.notify(f"The history shows the record as last saved: {self.editor.last_message or exc}", severity="warning", timeout=10)

        # What is on screen is in the trail too (nothing to wait for when unchanged); saved in
        # a worker thread, so a held lock names its holder instead of freezing the screen.
        key = f"history:{self.editor.discussion.id}"
        self.stratui.writes.save_editor(key, "the record before its history", show_history, not_saved, lambda text: self.show_status(escape(text), error=True))

    async def action_go_to_phase(self) -> None:
        from stratui.screens.go_to_phase import GoToPhaseScreen

        await self.stratui.settle_input()
        # Saved now: the chooser may stay open a while, and the phase chosen saves nothing new.
        self.stratui.autosave_now()

        def chosen(phase: Phase | None) -> None:
            if phase is not None:
                self.stratui.show_phase(self.editor, phase)

        self.app.push_screen(GoToPhaseScreen(self.editor, self.PHASE), chosen)

    async def action_submit_row(self) -> None:
        # A priority binding, so the row is added (and focus moves back to its first box)
        # before any key typed straight after Enter is delivered. Keys typed before Enter in the
        # same burst (a slow SSH link) may still wait in the box's own queue: the app handles
        # no further key until they are in the box, so the row gets all of them.
        from stratui.screens.rows import RowList

        await self.stratui.settle_input()
        focused = self.focused
        if focused is not None:
            for node in focused.ancestors_with_self:
                if isinstance(node, RowList):
                    node.submit()
                    return
        if not enter_moves_on(self):
            raise SkipAction()

    def action_undo_row_removal(self) -> None:
        from stratui.screens.rows import undo_last_removal

        if not undo_last_removal(self):
            self.show_status("No row removed on this screen to put back.")

    def on_row_list_changed(self, event: RowList.Changed) -> None:
        """A list of rows changed the record (a row, or the row being typed): autosave it."""
        self.rows_changed()
        self.record_changed()
        if event.status:
            # The status line reads markup; the message quotes record text ("Removed [Dr] Shah").
            self.show_status(escape(event.status), error=event.error)

    def rows_changed(self) -> None:
        """Redraw what follows from a list of rows (the attendance check): phases override it."""

    def _keys_of(self, binding_id: str) -> list[str]:
        """The keys of one of this screen's bindings, as the user's keymap has them."""
        for node, bindings in self._binding_chain:
            if node is self:
                return [key for key, found in bindings.key_to_bindings.items() if any(b.id == binding_id for b in found)]
        return []

    def action_save(self) -> None:
        self.stratui.autosave_now()

    async def action_close(self) -> None:
        # Esc is a priority key here, so the keys typed after it go where it leads; a widget
        # holding the focus that has the same key of its own, now enabled (Esc: a row's edit
        # cancelled), still takes it first, as when the key bubbled up to the screen.
        for key in self._keys_of("close-discussion"):
            if await self.app._check_bindings(key):
                return
        await self.stratui.settle_input()
        self.stratui.close_discussion()

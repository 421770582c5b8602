"""The Textual application: built by `make_app` from a Context, the same way in the CLI and tests.

The app owns the discussion being recorded (at most one at a time) and its autosave: a change
is saved a second after the last key, and at least every 3 seconds while typing goes on;
leaving a phase, quitting, closing the discussion, SIGHUP (a dropped SSH connection) and SIGTERM
save at once. Saves are written by the Saver's thread, one at a time in order, so a database lock
held by a colleague never stops keys echoing; the status says who holds it. Quitting waits for
the last save but not for a held lock: the draft stays on disk and is offered at the next start.

Over 500 lines on purpose: it is the one App class (autosave, keys held for a screen still
mounting, the crash hook and the signals all act on the app's own state and Textual's hooks).
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import App, ScreenStackError, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.binding import Binding
from textual.content import Content
from textual.driver import Driver
from textual.message import Message
from textual.timer import Timer

from stratui.capture import DiscussionEditor, PendingSave, Saver
from stratui.drafts import scan_drafts
from stratui.context import Context
from stratui.models import DiscussionKind
from stratui.nations import NationRules, rules_for
from stratui.phases import DETAILS, Phase
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.kit import DiscussionScreen, LockedWrites, stylesheets
from stratui.screens.widgets import ChoiceBox
from stratui.screens.theme import MONOCHROME, MONOCHROME_CSS, setting_for, theme_for
from stratui.settings import SettingsError
from stratui.settings_file import load_settings, save_settings
from stratui.starting import follow_up, new_discussion
from stratui.store.lock import Holder, holder_sentence, wait_seconds
from stratui.terminal import shows_unicode, to_ascii
from stratui.text import escape

if TYPE_CHECKING:
    from stratui.screens.phase import PhaseScreen

# A change is saved this long after the last key...
AUTOSAVE_DELAY_SECONDS = 1.0
# ...and no later than this after the first unsaved one: someone typing steadily through a call
# never pauses for the quiet second, and a crash must not cost them more than this.
AUTOSAVE_MAX_WAIT_SECONDS = 3.0
# How long typed keys may take to reach their box and the record (normally microseconds).
INPUT_SETTLE_SECONDS = 0.5
# How often an open discussion is checked for another user's save (one small file read).
CHANGE_CHECK_SECONDS = 3.0
# How often keys held for a screen still mounting are offered to it (it mounts in milliseconds).
KEY_HOLD_POLL_SECONDS = 0.01
# The longest keys wait behind a key that acts later (the focus moving on after a one-key choice,
# a modal's Enter handled in its box: normally a millisecond): should the release be lost (its
# box removed first), typing must not stop for good.
KEY_HOLD_LIMIT_SECONDS = 10.0
# Quitting waits this long for the saves under way (milliseconds each, unless the lock is held);
# then a save still waiting for the lock stops waiting and its draft is kept.
QUIT_SAVE_WAIT_SECONDS = 1.0
# After that, how long a save that already has the lock may take to finish writing.
QUIT_WRITE_WAIT_SECONDS = 30.0
# How long an action that needs the record saved first (sign-off, an addendum) waits for it.
ACTION_SAVE_WAIT_SECONDS = 3.0

# On a terminal that shows only ASCII the icons are hidden (with mouse=False they only
# decorate): what stays, Textual's frames and scrollbars, is turned into ASCII on its way out.
ASCII_CSS = """
App.-ascii HeaderIcon, App.-ascii SearchIcon { visibility: hidden; }
"""


class SaveWritten(Message):
    """The saver's thread wrote (or was refused) a save; its editor holds the outcome."""

    def __init__(self, pending: PendingSave) -> None:
        super().__init__()
        self.pending = pending


class LockWaiting(Message):
    """A save is waiting for the database lock, which `holder` holds."""

    def __init__(self, pending: PendingSave, holder: Holder | None) -> None:
        super().__init__()
        self.pending = pending
        self.holder = holder


class StratuiApp(App[int]):
    TITLE = "stratui"
    CSS_PATH = stylesheets()
    CSS = MONOCHROME_CSS + ASCII_CSS
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?"),
        Binding("ctrl+o", "settings", "Settings", id="settings", show=False),
        # Handled by the app before the key reaches a field, so text typed straight after Tab
        # (a burst over a slow SSH link, a paste) lands in the next field, not this one.
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="next-field"),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True, id="previous-field"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.name_the_nation()
        self.editor: DiscussionEditor | None = None
        # post_message is safe from another thread: the outcomes come back in the app's queue.
        self.saver = Saver(
            context.store,
            on_done=lambda pending: self.post_message(SaveWritten(pending)),
            on_wait=lambda pending, holder: self.post_message(LockWaiting(pending, holder)),
        )
        self._lock_notified: PendingSave | None = None
        # Mark done, sign-off, an addendum...: written in worker threads (screens.kit).
        self.writes = LockedWrites(self)
        # What the status line said when each save under way was asked for, and the last lines a
        # lock wait and a save showed: a save's "Saved" never covers a newer word from the screen
        # (an earlier save landing meanwhile, on a slow disk, is not one).
        self._status_at_request: dict[int, str | None] = {}
        self._lock_status: str | None = None
        self._save_status: str | None = None
        self._autosave_timer: Timer | None = None
        self._autosave_deadline: Timer | None = None
        self._warned_revision: int | None = None
        self._hang_up: asyncio.Task[None] | None = None
        self.ascii_only = not shows_unicode()
        self.set_class(self.ascii_only, "-ascii")
        self._held_keys: list[events.Key] = []
        self._releasing_keys: Timer | None = None
        # Holds not yet released (hold_keys: serial numbers, in the order they were made).
        self._key_holds: list[int] = []
        self._key_hold_serial = 0
        self.register_theme(MONOCHROME)
        self.default_theme = self.theme  # Textual's own colours (TEXTUAL_THEME may name them)
        wanted = theme_for(context.settings.theme, self.default_theme)
        self._unknown_theme = None if wanted in self.available_themes else wanted
        self.theme = theme_for("auto", self.default_theme) if self._unknown_theme else wanted
        # The user's own keys ([keymap] in the settings), for the ids that name a key here.
        self.keymap, self._unknown_key_ids = known_keymap(context.settings.keymap)
        self.set_keymap(self.keymap)

    def get_driver_class(self) -> type[Driver]:
        from stratui.screens.escape_key import read_escape_first

        driver = super().get_driver_class()
        read_escape_first(driver)  # Esc then keys in one read: Esc, then those keys (the module says why)
        return driver if shows_unicode() else ascii_driver(driver)

    def get_key_display(self, binding: Binding) -> str:
        shown = super().get_key_display(binding)
        if shown.isascii() or not self.ascii_only:
            return shown
        return binding.key.split(",")[0].replace("ctrl+", "^")  # "enter", not the ⏎ Textual draws

    def format_title(self, title: str, sub_title: str) -> Content:
        if not self.ascii_only or not sub_title:
            return super().format_title(title, sub_title)
        return Content.assemble(Content(title), (" - ", "dim"), Content(sub_title).stylize("dim"))

    def on_unmount(self) -> None:
        self.saver.close()

    async def on_mount(self) -> None:
        self._install_signal_handlers()
        if self._unknown_theme:
            self.notify(
                f"The settings name the theme '{self._unknown_theme}', which stratui does not have: "
                "using the usual colours. Pick one with ctrl+p, Theme.",
                severity="warning",
                timeout=12,
            )
        if self._unknown_key_ids:
            self.notify(
                "The settings' [keymap] names " + ", ".join(f"'{i}'" for i in self._unknown_key_ids)
                + ", which is no key's id here: those lines are left out. Help (?) lists the ids.",
                severity="warning",
                timeout=15,
            )
        self.theme_changed_signal.subscribe(self, self.keep_theme)
        self.set_interval(CHANGE_CHECK_SECONDS, self.check_open_discussion)
        dashboard = DashboardScreen(self.context)
        await self.push_screen(dashboard)
        found = scan_drafts(self.context)
        for ignored in found.ignored:  # a draft not provably this user's is never offered as theirs
            self.notify(ignored, severity="warning", timeout=20)
        drafts = found.drafts
        if drafts:
            from stratui.screens.recovery import RecoveryScreen

            self.push_screen(RecoveryScreen(self.context, drafts))
        else:
            # First start (no discussion yet): a short welcome with the keys that matter.
            from stratui.screens.welcome import welcome_on_first_start

            welcome_on_first_start(dashboard, self.context)

    def keep_theme(self, theme: Theme) -> None:
        """A theme picked in the command palette is kept in the settings for the next start.

        Only the theme changes in the file as it is now: another change made there since
        stratui started (by hand, or on another screen) is not written over.
        """
        settings = self.context.settings
        value = setting_for(theme.name, settings.theme, self.default_theme)
        if value == settings.theme:
            return
        try:
            on_disk = load_settings(self.context.config_path)
            on_disk.theme = value
            save_settings(on_disk, self.context.config_path)
        except SettingsError as exc:
            self.notify(f"The theme is used now but not kept for next time: {exc}", severity="warning", timeout=12)
            return
        settings.theme = value

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice as plain text: they quote record text ("Done: Ask [Police]..."), which
        markup would alter. One place for every screen's notify (they all come here)."""
        super().notify(escape(message), title=escape(title), severity=severity, timeout=timeout, markup=False)

    def now(self) -> datetime:
        return datetime.now().astimezone()

    # -- recording a discussion -----------------------------------------------------------

    def start_discussion(self, kind: DiscussionKind = DiscussionKind.STRATEGY_DISCUSSION) -> None:
        self.open_editor(DiscussionEditor.start(self.context, new_discussion(self.context, kind, self.now())))

    def start_follow_up(self, previous_id: str, kind: DiscussionKind = DiscussionKind.STRATEGY_DISCUSSION) -> None:
        previous = self.context.store.get(previous_id)
        record = follow_up(self.context, previous, kind, self.now())
        editor = DiscussionEditor.start(self.context, record)
        self.open_editor(editor)
        if record.actions:
            # The earlier open actions are reviewed first: carried, done or dropped.
            from stratui.screens.carry_over import CarryOverScreen

            self.push_screen(CarryOverScreen(editor))

    def open_discussion(self, discussion_id: str, phase: Phase = DETAILS) -> None:
        self.open_editor(DiscussionEditor.open(self.context, discussion_id), phase)

    def open_editor(self, editor: DiscussionEditor, phase: Phase = DETAILS) -> None:
        self.close_discussion(quietly=True)
        self.editor = editor
        self.push_screen(phase_screen(editor, phase))

    def show_phase(self, editor: DiscussionEditor, phase: Phase) -> None:
        """Leave the phase shown for another: what was typed is saved first, at once."""
        self.autosave_now()
        self.switch_screen(phase_screen(editor, phase))

    def close_discussion(self, quietly: bool = False) -> None:
        """Save and go back to the dashboard."""
        if self.editor is None:
            return
        # Written in the background: a refusal is told when it comes (see on_save_written).
        self.request_save()
        self.editor = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, DashboardScreen):
            self.screen.action_refresh()

    def check_open_discussion(self) -> None:
        """Tell the worker at once when someone else saved the discussion they have open."""
        from stratui.screens.phase import PhaseScreen

        editor = self.editor
        screen = self._current_screen()
        if editor is None or not isinstance(screen, PhaseScreen) or not self.saver.idle():
            return  # (a save of our own under way would pass for someone else's)
        had_unsaved = editor.dirty
        stored = editor.changed_elsewhere()
        if stored is None or stored.revision == self._warned_revision:
            return
        self._warned_revision = stored.revision
        who = stored.updated_by or "Another user"
        when = f" at {stored.updated_at:%H:%M}" if stored.updated_at else ""
        if had_unsaved:
            self.notify(
                f"{who} saved this discussion{when} since you opened it. Your changes will not be saved "
                "over theirs: the save is refused and your text kept as a draft to compare and re-apply.",
                title="Changed by someone else",
                severity="error",
                timeout=20,
            )
        else:
            # A new editor on the stored version, shown in place.
            self.editor = DiscussionEditor.start(self.context, stored)
            screen.reload(self.editor)
            self.notify(
                f"{who} saved this discussion{when}: you now see their version.",
                title="Changed by someone else",
                severity="warning",
                timeout=12,
            )

    # -- autosave ------------------------------------------------------------------------

    def schedule_autosave(self) -> None:
        """A change was made: save after a quiet second, or when the first unsaved change is 3 s old."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_DELAY_SECONDS, self.autosave_now, name="autosave")
        if self._autosave_deadline is None:
            self._autosave_deadline = self.set_timer(
                AUTOSAVE_MAX_WAIT_SECONDS, self.autosave_now, name="autosave-deadline"
            )

    def autosave_now(self) -> None:
        """Save what is unsaved now (whichever timer fires first, or leaving a phase)."""
        for timer in (self._autosave_timer, self._autosave_deadline):
            if timer is not None:
                timer.stop()
        self._autosave_timer = self._autosave_deadline = None
        if self._current_screen() is None:
            # The app is closing (a timer fired late) and the process may end next: wait for it.
            self.save_editor(QUIT_SAVE_WAIT_SECONDS)
            return
        self.request_save()

    def request_save(self) -> PendingSave | None:
        """Save the open discussion in the saver's thread (its draft is on disk before this returns)."""
        if self.editor is None:
            return None
        pending = self.editor.begin_save()
        if pending is None:
            return None
        self._status_at_request[id(pending)] = self._status_text()
        return self.saver.submit(pending)

    def on_save_written(self, message: SaveWritten) -> None:
        editor, result = message.pending.editor, message.pending.result
        said = self._status_at_request.pop(id(message.pending), None)
        if result is None:
            return
        if editor is not self.editor:
            if not result.saved:  # a discussion closed meanwhile: its draft is kept, and this says so
                self.notify(result.message, severity="error", timeout=12)
            elif isinstance(self._current_screen(), DashboardScreen):
                self.screen.action_refresh()  # back on the dashboard before the save landed
            return
        now = self._status_text()
        if result.saved and now not in (said, self._lock_status, self._save_status):
            return  # the screen has said something newer since this save was asked for
        if self._show_status(editor.last_message, error=not result.saved):
            self._save_status = self._status_text()

    def on_lock_waiting(self, message: LockWaiting) -> None:
        text = (
            f"Not saved yet: {holder_sentence(message.holder)}; your draft is kept and will be saved "
            "when it is free."
        )
        if message.pending.editor is self.editor and self._show_status(text, error=True):
            self._lock_status = self._status_text()
            return
        if self._lock_notified is not message.pending:  # once a wait, not every half second
            self._lock_notified = message.pending
            self.notify(text, severity="warning", timeout=10)

    def _status_text(self) -> str | None:
        from stratui.screens.phase import StatusLine

        screen = self._current_screen()
        lines = screen.query(StatusLine) if screen is not None else None
        return str(lines.first().render()) if lines else None

    def _show_status(self, text: str, error: bool) -> bool:
        screen = self._current_screen()
        if not isinstance(screen, DiscussionScreen):
            return False
        screen.show_status(text, error=error)
        return True

    def _current_screen(self) -> Screen | None:
        """The screen shown, or None while the app is closing (a timer may still fire then)."""
        try:
            return self.screen
        except ScreenStackError:
            return None

    def save_editor(self, seconds: float | None = None) -> bool:
        """Save now and wait for it, ACTION_SAVE_WAIT_SECONDS at most (see `saved_in_turn`).

        Only where the app must not go on before it is saved (closing); a screen waits for
        its save in a worker thread instead (LockedWrites, `saved_in_turn`).
        """
        if self.editor is None:
            return True
        pending = self.request_save()
        if pending is None:
            return not self.editor.dirty
        return self.saved_in_turn(pending, min(wait_seconds(), ACTION_SAVE_WAIT_SECONDS) if seconds is None else seconds)

    def saved_in_turn(self, pending: PendingSave, seconds: float, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Wait for `pending` (in any thread) behind the saves under way, `seconds` at most.

        A save still waiting for the lock then is withdrawn, never left to land later: the
        caller is told it was not saved (and a sign-off undone) and must not find it saved
        after all. The editor keeps the change unsaved for the next save.
        """
        deadline = time.monotonic() + seconds
        while not pending.done.wait(0.05):
            if cancelled() or time.monotonic() >= deadline:
                self.saver.withdraw(pending)
                pending.done.wait(QUIT_WRITE_WAIT_SECONDS)  # at once: refused, or written if it had the lock
                break
        return pending.result is not None and pending.result.saved

    async def action_quit(self) -> None:
        await self.settle_input()  # the keys typed just before ctrl+q are saved too
        await self.save_and_leave(0)

    async def save_and_leave(self, code: int) -> None:
        """The last save, awaited, then exit; a held lock does not keep anyone here (the draft stays)."""
        self.request_save()
        if not await self._saves_written(QUIT_SAVE_WAIT_SECONDS):
            self.saver.stop_waiting.set()
            await self._saves_written(QUIT_WRITE_WAIT_SECONDS)
        unsaved = self.saver.unsaved()
        # A mark done (or a milestone) still waiting for the lock is not a draft: said plainly.
        not_written = [f"Not saved: {escape(what)}. It is not kept: do it again when the lock is free." for what in self.writes.under_way()]
        self.writes.stop()  # what is said to be not saved is never written after all
        if not unsaved and not not_written:
            self.exit(code)
            return
        # Each editor's last word names its draft file and why it is not saved (a held lock:
        # who holds it and since when). The drafts are offered back at the next start.
        told = "\n".join(not_written + [f"{escape(editor.last_message)} It is offered when stratui starts." for editor in unsaved])
        self.exit(code or 1, return_code=code or 1, message=Text(told))

    async def _saves_written(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not self.saver.idle():
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def action_focus_next(self) -> None:
        # The keys typed before Tab in the same burst are let through first: the "y" that shows a
        # decision's details box must have shown it before Tab looks for the next field, or the
        # details typed next land in the following choice and every later field is one off.
        await self.settle_input()
        self.screen.focus_next()

    async def action_focus_previous(self) -> None:
        await self.settle_input()
        self.screen.focus_previous()

    def action_settings(self) -> None:
        from stratui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(self.context), lambda _: self.name_the_nation())

    @property
    def rules(self) -> NationRules:
        """The settings' nation's words and rules (they may change in the settings screen)."""
        return rules_for(self.context.settings.nation)

    def name_the_nation(self) -> None:
        # "strategy discussions", "IRDs": the header speaks the team's nation's words.
        self.sub_title = f"{self.rules.discussion_short_name}s"

    def action_help(self) -> None:
        from stratui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): the main commands, then Textual's own."""
        from stratui.phases import PHASES

        for kind in DiscussionKind:
            yield SystemCommand(f"New {self.rules.kind_name(kind)}", "Start recording", partial(self.start_discussion, kind))
        if self.editor is not None:
            editor = self.editor
            for phase in PHASES:
                yield SystemCommand(f"Go to: {phase.title}", "Phase of this discussion", partial(self.show_phase, editor, phase))
            yield SystemCommand("Save now", "Save this discussion", self.autosave_now)
            yield SystemCommand("Back to the dashboard", "Save and close this discussion", self.close_discussion)
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description and binding.action.startswith(("open_", "show_", "search", "handover", "filter", "toggle")):
                yield SystemCommand(binding.description, f"key: {binding.key}", partial(screen.run_action, binding.action))
        yield SystemCommand("Help: all keys", "Every key, per screen", self.action_help)
        yield SystemCommand("Settings", "Nation, timescales, agencies, team (ctrl+o)", self.action_settings)
        yield from super().get_system_commands(screen)

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: save the draft, write a private report, leave with a short message.

        Replaces Textual's App._handle_exception whole (it has no documented hook for this):
        Textual prints a traceback with the local variables of every frame (_fatal_error's
        rich Traceback(show_locals=True)) or the exception's own __rich__ rendering, and either
        can show a child's name and date of birth on the screen, in scrollback and in logs.
        What it does besides printing is kept: the exit code, the exception for Pilot tests
        (run_test re-raises it), and closing the app.
        """
        saved = self._save_before_crash()
        where = self._write_crash_report(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.bell()
        # Printed soft-wrapped, so the report's path stays whole (to be copied), not cut or
        # broken at the console's width.
        self.error_console.soft_wrap = True
        self._exit_renderables.append(Text(crash_message(saved, where)))
        self._close_messages_no_wait()

    def _save_before_crash(self) -> bool | None:
        """True if the draft is saved, False if it could not be, None if none was open."""
        if self.editor is None:
            return None
        try:
            return self.save_editor(QUIT_SAVE_WAIT_SECONDS)
        except Exception:  # the bug may be in the save itself: the recovery draft may still exist
            return False

    def _write_crash_report(self, error: BaseException) -> str:
        from stratui import crash

        try:
            return str(crash.write_report(error, self.now()))
        except Exception as exc:  # a full disk, an unwritable folder: say so, never raise again
            return f"(no report: {type(exc).__name__})"

    def _install_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._save_and_exit, sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests), or a platform without these signals

    def _save_and_exit(self, sig: signal.Signals) -> None:
        # The terminal may already be gone: save first, then leave without drawing. Text already
        # on screen may still be on its way from the box to the record (a message or two): it is
        # let through first, so what the worker saw typed is what is saved.
        if not self._input_pending(include_app=True):
            self._save_now_and_exit(sig)
            return
        self._hang_up = asyncio.get_running_loop().create_task(self._settle_then_save_and_exit(sig))

    async def _settle_then_save_and_exit(self, sig: signal.Signals) -> None:
        await self.settle_input(include_app=True)
        self._save_now_and_exit(sig)

    def _save_now_and_exit(self, sig: signal.Signals) -> None:
        # No one is watching keys echo now: wait here for the save (it follows any under way),
        # but not for a held lock. What is not saved stays in its draft, offered at the next start.
        self.save_editor(QUIT_SAVE_WAIT_SECONDS)
        self.saver.stop_waiting.set()
        self.exit(128 + sig.value)

    # -- keys on their way ---------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys that arrive while the screen on top is not mounted yet wait here, in order.

        Textual's App takes the keys from its queue one at a time and forwards each to
        `self.focused or self.screen` (App.on_event). push_screen and switch_screen put the new
        screen on the stack at once, but it composes and mounts in its own task: the App awaits
        that mount only through a call_next queued by the push, which runs after the message
        being handled, and, when the push itself runs in a call_next (the callback of a modal
        just dismissed: the kind of discussion or the phase chosen), after the NEXT key. A key
        forwarded to a screen that is not mounted lands on the screen itself with nothing
        focused and is dropped. Held here and replayed once it is mounted, it reaches the box the
        screen focused on mount (screens.kit.focus_at_once). The other half of the rule: a key
        that opens a screen is a priority binding, so it acts before the next key is routed.
        """
        if isinstance(event, events.Key) and not event.is_forwarded and (self._held_keys or not self._screen_ready()):
            self._held_keys.append(event)
            self._release_held_keys_soon()
            return
        await super().on_event(event)

    def _screen_ready(self) -> bool:
        screen = self._current_screen()
        return not self._key_holds and (screen is None or screen.is_mounted)

    def hold_keys(self) -> int:
        """A key acts later than Textual routes the next one: the keys after it wait here until
        `release_keys(serial)`, then go where the focus is by then.

        Called while the app routes that key (a priority binding), so the next key typed in the
        same burst is held: after a one-key choice, until the focus has moved on
        (ChoiceBox.MoveOn); after a modal's Enter, until its box has handled it (kit.TypeAheadModal).
        """
        self._key_hold_serial += 1
        self._key_holds.append(self._key_hold_serial)
        lost = partial(self.release_keys, self._key_hold_serial)
        self.set_timer(KEY_HOLD_LIMIT_SECONDS, lost, name="key-hold-limit")
        return self._key_hold_serial

    @on(ChoiceBox.MoveOn)
    def _move_focus_on(self, event: ChoiceBox.MoveOn) -> None:
        # Tab order follows the layout: boxes the answer has just shown have their place in it
        # only once the screen has been laid out again.
        self.call_after_refresh(self._focus_after_pick, event.box, event.hold)

    def _focus_after_pick(self, box: ChoiceBox, serial: int) -> None:
        if self.focused is box:
            self.screen.focus_next()
        self.release_keys(serial)

    def release_keys(self, serial: int) -> None:
        if serial in self._key_holds:
            self._key_holds.remove(serial)
        if self._held_keys:
            self._release_held_keys_soon()

    def _release_held_keys_soon(self) -> None:
        if self._releasing_keys is None:
            self._releasing_keys = self.set_timer(KEY_HOLD_POLL_SECONDS, self._release_held_keys, name="held-keys")

    async def _release_held_keys(self) -> None:
        self._releasing_keys = None
        # A replayed key may open another screen: the rest wait for that one in turn.
        while self._held_keys and self._screen_ready():
            await super().on_event(self._held_keys.pop(0))
        if self._held_keys:
            self._release_held_keys_soon()

    def _input_pending(self, include_app: bool = False) -> bool:
        """Keys or field changes still queued between the app, the focused box and its screen."""
        focused = self.focused
        nodes = [] if focused is None else [n for n in focused.ancestors_with_self if n is not self]
        if include_app:
            nodes.append(self)
        return bool(include_app and self._held_keys) or any(node.message_queue_size for node in nodes)

    async def settle_input(self, include_app: bool = False) -> None:
        """Wait (briefly) until what was typed has reached the boxes and the record.

        Enter on a row form waits for the keys typed before it (a burst over a slow SSH link);
        a hang-up waits for the last keys and field changes. Not the app's own queue while it is
        handling a key: the keys after it must wait their turn.
        """
        deadline = time.monotonic() + INPUT_SETTLE_SECONDS
        while self._input_pending(include_app) and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
        await asyncio.sleep(0)  # the last message taken from a queue is handled too


def crash_message(saved: bool | None, report: str) -> str:
    """What the terminal shows after a crash: nothing from the record, and where to look."""
    draft = {
        True: " Your discussion was saved.",
        False: " Your discussion could not be saved: it is offered back as a draft when stratui starts.",
        None: "",
    }[saved]
    return (
        f"stratui stopped after an unexpected error.{draft}\n"
        "A technical report (no record content) was written to:\n"
        f"{report}\n"
        "Send it to whoever supports stratui."
    )


def known_keymap(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap's lines whose id names a key here, and the ids that name none."""
    if not keymap:
        return {}, []  # no need to load every screen to learn their ids
    from stratui.screens.help import binding_ids

    known = binding_ids()
    return {key_id: keys for key_id, keys in keymap.items() if key_id in known}, sorted(set(keymap) - known)


def ascii_driver(driver: type[Driver]) -> type[Driver]:
    """The terminal driver with everything it writes made ASCII, cell for cell."""

    class AsciiDriver(driver):  # type: ignore[misc, valid-type]
        def write(self, data: str) -> None:
            super().write(to_ascii(data))

    return AsciiDriver


def phase_screen(editor: DiscussionEditor, phase: Phase) -> PhaseScreen:
    from stratui.screens.registry import PHASE_SCREENS

    return PHASE_SCREENS[phase.key](editor)


def make_app(context: Context) -> StratuiApp:
    # The bank-holiday tables (~0.1 s to load and build) are made by the first count of working
    # days: off the UI thread on a large database, after the first screenful is drawn.
    return StratuiApp(context)


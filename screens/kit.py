"""The screens' shared kit: the typed app, the screens' header, the modal frame, a prompt and a
confirm screen, and the type-ahead rule.

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

import os
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.dom import DOMNode, NoScreen
from textual.timer import Timer
from textual.worker import get_current_worker
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.visual import VisualType
from textual.widgets import DataTable, Header, Input, Static

from stratui.screens.ordered_input import OrderedInput
from stratui.store import REPORT_AFTER_SECONDS, Holder, LockBusyError, StoreError, holder_sentence, wait_seconds
from stratui.text import one_line

if TYPE_CHECKING:
    from stratui.app import StratuiApp

Result = TypeVar("Result")
Item = TypeVar("Item")


def stylesheets() -> list[Path]:
    """Every screen's .tcss (each screen names its own in CSS_PATH), for the app to read at start.

    Read only when its screen is first shown, a stylesheet makes Textual restyle every widget of
    every screen in the stack, between a key and the next (App._load_screen_css).
    """
    return sorted(Path(__file__).parent.glob("*.tcss"))


def show_content(static: Static, content: VisualType) -> None:
    """`static.update(content)`, unless it already shows `content`.

    Textual lays the whole screen out again after every update (it cannot know the size stays
    the same): a phase screen refreshes its progress strip, its notes and its attendance check on
    every key typed, almost always with what they already show (54 ms a key on the details
    screen's 140 widgets, two layouts; a colleague's save shown costs the same for every field).
    """
    if static.content != content:
        static.update(content)


def stratui_app(node: DOMNode) -> StratuiApp:
    """The app a screen or widget runs in, typed: the calls a screen makes into it are checked."""
    from stratui.app import StratuiApp

    app = node.app
    if not isinstance(app, StratuiApp):
        raise TypeError(f"{type(node).__name__} runs inside StratuiApp, not {type(app).__name__}")
    return app


class StratuiScreen(Screen[Result]):
    """A full screen of stratui: `stratui` is its app, typed."""

    @property
    def stratui(self) -> StratuiApp:
        return stratui_app(self)


class StatusLine(Static):
    """Where a discussion's screen says what its last save did."""

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    StatusLine.error { background: $error 30%; text-style: bold; }
    """


class DiscussionScreen(StratuiScreen[None]):
    """A screen of the discussion being recorded (a phase, the follow-up's review of actions):
    the app shows each save's outcome on it."""

    def show_status(self, message: str, error: bool = False) -> None:
        """The outcome in this screen's status line. A save can land while the screen is still
        being composed, or already being replaced: it has no status line then, and the message
        is not shown here (a screen composes its line from the editor's last message)."""
        for status in self.query(StatusLine):
            show_content(status, self.status_markup(message))
            status.set_class(error, "error")

    def status_markup(self, message: str) -> str:
        """The message as the status line's markup (a phase's callers escape what they pass)."""
        return message


class ScreenHeader(Header):
    """Textual's Header, whose title update lets go of a header that is already removed.

    The header updates its title when the app's or the screen's title changes; Textual runs that
    update later, in the app's turn. A screen replaced in between (a save landing just as the
    sign-off shows the record read only, on a slow disk) has removed the header by then, and the
    update's look for its title crashed the app (Textual lets NoScreen go, not NoMatches).

    Its four watches (the app's and the screen's title and sub-title) each update the title,
    and the screen's sub-title is set on every key typed in a phase: an update showing the title
    already shown is let go, as `show_content` lets go of any other (each lays the screen out).
    """

    _shown_title: object = None

    def watch(self, obj: DOMNode, attribute_name: str, callback: Callable[[], Awaitable[None]], init: bool = True) -> None:  # type: ignore[override]
        async def while_attached() -> None:
            if self.is_attached:
                with suppress(NoMatches, NoScreen):
                    title = self.format_title()
                    if title != self._shown_title:
                        self._shown_title = title
                        await callback()

        super().watch(obj, attribute_name, while_attached, init)


def reading_keys(screen: str) -> list[Binding]:
    """The keys that move a ReadingScreen's text, the same on every one; their ids are the
    screen's own (`history-down` ...), so a [keymap] can move them on one screen alone."""
    return [
        Binding("j,down", "scroll('down')", "Down", id=f"{screen}-down", show=False),
        Binding("k,up", "scroll('up')", "Up", id=f"{screen}-up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "Page down", id=f"{screen}-page-down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", id=f"{screen}-page-up", show=False),
        Binding("home", "scroll('home')", "First", id=f"{screen}-home", show=False),
        Binding("end", "scroll('end')", "Last", id=f"{screen}-end", show=False),
    ]


class ReadingScreen(Screen[None]):
    """A screen of text to read in one VerticalScroll (SCROLLER, its selector), moved by
    `reading_keys` among its bindings."""

    SCROLLER = "#scroller"

    def action_scroll(self, how: str) -> None:
        scroller = self.query_one(self.SCROLLER, VerticalScroll)
        {
            "down": scroller.scroll_down,
            "up": scroller.scroll_up,
            "page_down": scroller.scroll_page_down,
            "page_up": scroller.scroll_page_up,
            "home": scroller.scroll_home,
            "end": scroller.scroll_end,
        }[how](animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def under_cursor(table: DataTable, items: Sequence[Item]) -> Item | None:
    """The item on the table's cursor row, where the table shows `items` one a row, in order;
    None while either is empty (the table is filled after the list is read)."""
    if not items or not table.row_count:
        return None
    index = table.cursor_row
    return items[index] if 0 <= index < len(items) else None


def focus_at_once(screen: Screen[object], widget: Widget) -> None:
    """Focus now, in on_mount: Widget.focus() is deferred behind the keys already waiting."""
    screen.set_focus(widget)


class TypeAheadModal(ModalScreen[Result]):
    """A modal in the shared frame (kit.tcss) whose box takes the keys typed straight after it opens.

    TYPE_AHEAD is a selector of the box that has focus on mount; None for a modal answered by
    a key alone (its keys are priority bindings: see this module's docstring).

    The keys that close a modal let the keys typed after them reach the screen then on top: Esc
    is a priority binding of each modal (it cancels, whatever the box held); Enter in a box
    (`action_enter_in_order`) is handled by the box after the keys typed before it, and the keys
    after it wait until then. "Police", Enter, "h" in one burst filtered the dashboard and lost
    the "h" in the closing prompt; it now opens the handover. A modal that binds Enter itself
    (a key alone answers it) replaces this binding.
    """

    CSS_PATH = "kit.tcss"
    TYPE_AHEAD: str | None = "Input"
    BINDINGS = [Binding("enter", "enter_in_order", "Enter", show=False, priority=True, id="modal-enter")]

    def __init__(self) -> None:
        super().__init__()
        self._enter_holds: list[int] = []

    @property
    def stratui(self) -> StratuiApp:
        return stratui_app(self)

    def on_mount(self) -> None:
        if self.TYPE_AHEAD is not None:
            focus_at_once(self, self.query_one(self.TYPE_AHEAD))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter_in_order":
            return isinstance(self.focused, Input)  # else Enter goes where it went before
        return super().check_action(action, parameters)

    def action_enter_in_order(self) -> None:
        """Enter, as the app routes it: the box gets it behind the keys typed before it, the keys
        after it are held until the box's Submitted has been handled (`_on_input_submitted`)."""
        box = self.focused
        if not isinstance(box, Input):
            return
        self._enter_holds.append(self.stratui.hold_keys())
        box.post_message(events.Key("enter", "\r"))

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        # Textual runs this after the modal's own handler (it walks the class's MRO): by now
        # Enter has closed the modal, or it refused and the modal stays, its focus where it said.
        while self._enter_holds:
            self.stratui.release_keys(self._enter_holds.pop())


class PromptScreen(TypeAheadModal["str | None"]):
    """One line of text, with type-ahead from `suggestions`; Enter returns it (empty clears)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-prompt", priority=True)]

    def __init__(
        self, question: str, hint: str = "", value: str = "", suggestions: list[str] | None = None, placeholder: str = ""
    ) -> None:
        super().__init__()
        self.question = question
        self.hint = hint
        self.value = value
        self.suggestions = suggestions or []
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{one_line_markup(self.question)}[/b]")
            if self.hint:
                yield Static(one_line_markup(self.hint), classes="hint")
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            # Selected: typing replaces the suggested value, Enter keeps it.
            yield OrderedInput(value=self.value, placeholder=self.placeholder, suggester=suggester, id="prompt")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())


class ConfirmScreen(TypeAheadModal[bool]):
    """A yes/no question: Enter or y confirms, Escape or n cancels."""

    TYPE_AHEAD = None
    # Priority: answered before the keys typed after the answer are routed (screens.kit).
    BINDINGS = [
        Binding("enter,y", "dismiss(True)", "Yes", id="confirm-yes", priority=True),
        Binding("escape,n", "dismiss(False)", "No", id="confirm-no", priority=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{one_line_markup(self.question)}[/b]")
            if self.detail:
                yield Static(one_line_markup(self.detail))
            yield Static("Enter or y: yes.  Esc or n: no.", classes="hint")


def one_line_markup(text: str) -> str:
    """Record text on one line, for a Static that reads markup (the heading's [b] is ours)."""
    return escape(one_line(text))  # stratui.text: record text never commands the terminal


# -- writes that may wait for the database lock ---------------------------------------------


@dataclass(eq=False)
class _Write:
    key: str
    what: str
    show: Callable[[str], None]
    draft: bool  # what it writes is in an editor's draft too (kept on quitting)
    timer: Timer | None = None
    holder: Holder | None = None


class LockedWrites:
    """The app's writes that may wait for the database lock (mark done, sign-off, an addendum...),
    each in a worker thread: a colleague holding the lock never freezes the screen.

    While one waits, the screen is told who holds the lock and since when (read from the
    holder file every half second); when it lands or is refused, its screen is told on the UI
    thread. One write per key at a time: the same action pressed twice is not done twice.
    """

    def __init__(self, app: StratuiApp) -> None:
        self.app = app
        self.in_flight: dict[str, _Write] = {}

    def start(
        self,
        key: str,
        what: str,
        write: Callable[[Callable[[], bool]], None],
        landed: Callable[[], None],
        refused: Callable[[Exception], None],
        show: Callable[[str], None],
        draft: bool = False,
    ) -> bool:
        """Run `write(cancelled)` in a thread (its store writes wait STRATUI_LOCK_WAIT for the
        lock); then `landed()` or `refused(exc)` on the UI thread. False if `key` is under way."""
        if key in self.in_flight:
            show(f"Still saving {what}: it is done once, when the lock is free.")
            return False
        try:
            seconds = wait_seconds()
        except StoreError as exc:
            refused(exc)
            return False
        entry = _Write(key, what, show, draft)
        self.in_flight[key] = entry
        store = self.app.context.store

        def run() -> None:
            worker = get_current_worker()

            def cancelled() -> bool:
                return worker.is_cancelled  # the app is closing: stop waiting, write nothing

            try:
                with store.lock.patience(seconds, cancelled=cancelled):
                    write(cancelled)
            except Exception as exc:
                self.app.call_later(self._finish, entry, partial(refused, exc))
            else:
                self.app.call_later(self._finish, entry, landed)

        entry.timer = self.app.set_interval(REPORT_AFTER_SECONDS, lambda: self._report(entry))
        self.app.run_worker(run, thread=True, group="locked-writes", exit_on_error=False)
        return True

    def save_editor(
        self,
        key: str,
        what: str,
        landed: Callable[[], None],
        refused: Callable[[Exception], None],
        show: Callable[[str], None],
    ) -> bool:
        """Save the open discussion now (the saver's thread writes it) and wait for it here,
        STRATUI_LOCK_WAIT at most: withdrawn then, never left to land later (app.saved_in_turn)."""
        app = self.app
        if self.busy(key):
            return self.start(key, what, lambda cancelled: None, landed, refused, show)  # says so
        try:
            seconds = wait_seconds()
        except StoreError as exc:
            refused(exc)
            return False
        pending = app.request_save()

        def write(cancelled: Callable[[], bool]) -> None:
            if pending is None:
                if app.editor is not None and app.editor.dirty:
                    raise StoreError(app.editor.last_message)
                return
            if not app.saved_in_turn(pending, seconds, cancelled):
                raise StoreError(pending.editor.last_message)

        return self.start(key, what, write, landed, refused, show, draft=True)

    def busy(self, key: str) -> bool:
        return key in self.in_flight

    def under_way(self) -> list[str]:
        """What is still waiting to be written and kept nowhere else (for the words on quitting)."""
        return [entry.what for entry in self.in_flight.values() if not entry.draft]

    def stop(self) -> None:
        """The app is leaving and says these are not saved: each stops waiting and writes nothing."""
        self.app.workers.cancel_group(self.app, "locked-writes")

    def _report(self, entry: _Write) -> None:
        holder = self.app.context.store.lock.holder()
        if holder is None or holder.pid == os.getpid() or holder == entry.holder:
            return
        entry.holder = holder
        entry.show(f"Saving {entry.what}... waiting for {waiting_for(holder)}")

    def _finish(self, entry: _Write, then: Callable[[], None]) -> None:
        if entry.timer is not None:
            entry.timer.stop()
        self.in_flight.pop(entry.key, None)
        then()


def waiting_for(holder: Holder, now: datetime | None = None) -> str:
    """ "the lock held by Alex Jones (pid 4242) since 14:02": the holder's words, escaped."""
    now = now or datetime.now().astimezone()
    since = holder.since.astimezone(now.tzinfo)
    day = "" if since.date() == now.date() else f" {since:%d %b}"
    return one_line(f"the lock held by {holder.name or holder.login} (pid {holder.pid}) since {since:%H:%M}{day}")


def refusal(what: str, exc: Exception) -> str:
    """One line for a write that did not land: why, and that it can be done again."""
    if isinstance(exc, LockBusyError):
        reason = f"{holder_sentence(exc.holder)} and did not let go in time; nothing was written"
    else:
        reason = one_line(str(exc)) or type(exc).__name__
    return f"Not saved ({what}): {reason}. Nothing is lost: try again."

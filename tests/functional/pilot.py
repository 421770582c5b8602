"""What the functional tests do with the Pilot again and again: start stratui at 80x24, type,
tab, open a discussion or a screen, sign off, read the screen, wait; and the ASCII terminal
fixture (a test module imports it to use it)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from stratui import terminal
from stratui.app import StratuiApp, make_app
from stratui.context import Context
from stratui.models import Discussion
from stratui.screens.minutes_preview import MinutesPreviewScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.sign_off import SignOffScreen
from waiting import saver_finished, wait_until, writes_landed, writes_settled  # noqa: F401  (the tests import them from here too)

MAX_TABS = 80


@asynccontextmanager
async def stratui_at_80x24(context: Context, **options: Any) -> AsyncIterator[tuple[StratuiApp, Pilot]]:
    """stratui built from `context` as the CLI builds it, run at 80x24 (the smallest terminal a
    worker's link gives it) under the Pilot. `options` go to `App.run_test` (notifications=True)."""
    app = make_app(context)
    async with app.run_test(size=(80, 24), **options) as pilot:
        yield app, pilot
        if app.is_running:  # the saves still under way land while the app can show them
            await wait_until(pilot, lambda: writes_settled(app))
    saver_finished(app)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` into whatever has the focus, as a fast typist or a paste delivers it.

    Each character is still a key event through the app's bindings and the focused widget,
    but the keys arrive in one burst: `Pilot.press` waits for the app to go idle after every
    key, which made typing the slowest part of the suite. Tests about the pace of typing
    (bursts, type-ahead, autosave) press their keys one at a time on purpose.
    """
    if not text:
        return
    *burst, last = text
    for character in burst:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
    # The last key goes through press, which waits until the app and the screen have handled
    # everything queued before it.
    await pilot.press(_character_to_key(last))


async def burst(pilot: Pilot, *keys: str) -> None:
    """Every key in one burst, as a slow link delivers them: none waits for the one before
    (unlike type_text, the last key too; then the app is given a few pauses to handle them)."""
    for key in keys:
        character = key if len(key) == 1 else {"backspace": "\x7f", "escape": "\x1b"}.get(key)
        pilot.app.post_message(events.Key(key, character))
    for _ in range(5):
        await pilot.pause()


async def fill_boxes(pilot: Pilot, *values: str, move: str = "tab") -> None:
    """Type each value into a box in turn, `move` (Tab, or Enter where Enter moves on) between
    them: the focused box, then the next.

    As a worker fills a row's boxes (name, role, agency) or a field and the one after it.
    """
    for number, value in enumerate(values):
        if number:
            await pilot.press(move)
        await type_text(pilot, value)


async def retype(pilot: Pilot, text: str) -> None:
    """Clear the focused box (Home, ctrl+k) and type `text` in its place."""
    await pilot.press("home", "ctrl+k")
    await type_text(pilot, text)
    await pilot.pause()


async def tab_to(pilot: Pilot, selector: str) -> None:
    """Press Tab until the focus is inside the widget `selector` names (as a user would).

    The Tabs the focus chain says it takes go in one burst, as a worker's quick Tabs arrive
    (each Tab pressed alone waits for the app to go idle and redraw a screen of fields); if
    they fell short or overshot (a field shown or hidden on the way), Tab is pressed one at a
    time from there.
    """
    app = pilot.app
    target = app.screen.query_one(selector)

    def arrived() -> bool:
        return app.focused is not None and target in app.focused.ancestors_with_self

    if arrived():
        return
    chain = app.screen.focus_chain
    inside = [index for index, widget in enumerate(chain) if target in widget.ancestors_with_self]
    if inside and app.focused in chain:
        steps = (inside[0] - chain.index(app.focused)) % len(chain)
        for _ in range(steps - 1):
            app.post_message(events.Key("tab", "\t"))
        await pilot.press("tab")
    for _ in range(MAX_TABS):
        if arrived():
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {selector}")


async def press_to(pilot: Pilot, *keys: str, screen: type[Screen]) -> None:
    """Press `keys` and check they brought up `screen` (as `tab_to` checks where Tab got to).

    Most screens are up once the app is idle; one that waits for a worker (a sign-off saved
    under the lock, a list read in the background) is awaited with `wait_until`'s bound.
    """
    await pilot.press(*keys)
    await pilot.pause()
    up = await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen))
    assert up, f"{keys} showed {type(pilot.app.screen).__name__}, not {screen.__name__}"
    await writes_landed(pilot)


def slow_disk(monkeypatch: pytest.MonkeyPatch, seconds: float = 0.3) -> None:
    """Every save, and every write under the lock, starts `seconds` late: a shared host's busy
    disk. What the keys do then lands after the screens have moved on (the races of the class
    the suite's waits are for, and of the app's own: a header removed before its title came)."""
    from stratui.capture import DiscussionEditor
    from stratui.store.lock import Lock

    write, patience = DiscussionEditor.write, Lock.patience

    def late_write(self: DiscussionEditor, *args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return write(self, *args, **kwargs)

    @contextmanager
    def late_patience(self: Lock, *args: Any, **kwargs: Any) -> Iterator[Any]:
        time.sleep(seconds)
        with patience(self, *args, **kwargs) as given:
            yield given

    monkeypatch.setattr(DiscussionEditor, "write", late_write)
    monkeypatch.setattr(Lock, "patience", late_patience)


async def save_now(pilot: Pilot) -> None:
    """Ctrl+S, and wait until the save it asks for is written (the saver's thread writes it)."""
    await pilot.press("ctrl+s")
    await writes_landed(pilot)


async def start_new(pilot: Pilot, kind_key: str = "enter") -> None:
    """From the dashboard: a new discussion (n), its kind chosen by `kind_key`."""
    await pilot.press("n", kind_key)
    await pilot.pause()


async def start_discussion(pilot: Pilot, phase_digit: str) -> None:
    """A new strategy discussion, then straight to phase `phase_digit` (ctrl+g and its number)."""
    await start_new(pilot)
    await pilot.press("ctrl+g", phase_digit)
    await pilot.pause()


async def open_first_discussion(pilot: Pilot, phase_digit: str | None = None) -> None:
    """From the dashboard: open the discussion on the first row (Enter), then go to phase
    `phase_digit` (ctrl+g and its number) if one is given."""
    await pilot.press("enter")
    await pilot.pause()
    if phase_digit is not None:
        await pilot.press("ctrl+g", phase_digit)
        await pilot.pause()


async def open_review(pilot: Pilot) -> None:
    """From the dashboard: the first row's discussion at its review (phase 6)."""
    await open_first_discussion(pilot, "6")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))


async def open_minutes_preview(pilot: Pilot) -> None:
    """On the review: m shows the minutes as they would be circulated."""
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MinutesPreviewScreen)


async def open_sign_off(pilot: Pilot) -> None:
    """On the review: s opens the sign-off, where the manager's name is typed."""
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SignOffScreen)


async def sign_off_as(pilot: Pilot, manager: str) -> None:
    """On the review: s opens the sign-off, the manager's name is typed and Enter pressed.

    What follows is the caller's to check: back on the review once the worker has saved it,
    or still in the sign-off with the problems listed.
    """
    await open_sign_off(pilot)
    await type_text(pilot, manager)
    await pilot.press("enter")


async def refused_sign_off(pilot: Pilot, manager: str) -> str:
    """On the review: a sign-off by `manager` that is refused. The modal stays open (not a crash,
    not signed off) and lists why; what it lists."""
    await sign_off_as(pilot, manager)
    await pilot.pause()
    assert isinstance(pilot.app.screen, SignOffScreen)
    return text_of(pilot.app, "#sign-off-problem-list")


async def saved_discussion(pilot: Pilot) -> Discussion:
    """The discussion open in the app as the store has it once the saves asked for have landed."""
    await writes_landed(pilot)
    app = pilot.app
    assert isinstance(app, StratuiApp) and app.editor is not None
    return app.context.store.get(app.editor.discussion.id)


def text_of(app: object, selector: str) -> str:
    """What the Static `selector` on the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def screen_lines(app: object) -> list[str]:
    """The current screen as the terminal is sent it, line by line (the text of each cell)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]  # type: ignore[attr-defined]


def screen_text(app: object) -> str:
    """The current screen as the terminal is sent it, as one string."""
    return "\n".join(screen_lines(app))


def status(app: object) -> str:
    """The current screen's status line."""
    return text_of(app, "#status")


@pytest.fixture
def ascii_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A terminal that shows only ASCII (LANG=C, a vt100), for this test alone.

    The answer is cached per process: cleared before, and again after, so the next test on
    this worker asks its own terminal.
    """
    monkeypatch.setenv("STRATUI_ASCII", "1")
    terminal.shows_unicode.cache_clear()
    yield
    monkeypatch.undo()
    terminal.shows_unicode.cache_clear()

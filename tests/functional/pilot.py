"""What the functional tests do with the Pilot again and again: type, tab, start, read, wait."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Static

MAX_TABS = 80


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


async def retype(pilot: Pilot, text: str) -> None:
    """Clear the focused box (Home, ctrl+k) and type `text` in its place."""
    await pilot.press("home", "ctrl+k")
    await type_text(pilot, text)
    await pilot.pause()


async def tab_to(pilot: Pilot, selector: str) -> None:
    """Press Tab until the focus is inside the widget `selector` names (as a user would)."""
    app = pilot.app
    target = app.screen.query_one(selector)
    for _ in range(MAX_TABS):
        if app.focused is not None and target in app.focused.ancestors_with_self:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {selector}")


async def start_new(pilot: Pilot, kind_key: str = "enter") -> None:
    """From the dashboard: a new discussion (n), its kind chosen by `kind_key`."""
    await pilot.press("n", kind_key)
    await pilot.pause()


async def start_discussion(pilot: Pilot, phase_digit: str) -> None:
    """A new strategy discussion, then straight to phase `phase_digit` (ctrl+g and its number)."""
    await start_new(pilot)
    await pilot.press("ctrl+g", phase_digit)
    await pilot.pause()


def text_of(app: object, selector: str) -> str:
    """What the Static `selector` on the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def status(app: object) -> str:
    """The current screen's status line."""
    return text_of(app, "#status")


async def wait_until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Let the app run until `condition` holds, checked every 20 ms; False if it never did.

    The bound is generous (the condition normally holds within a few frames), so a loaded
    machine makes the test slower, never red.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.02)
    return True

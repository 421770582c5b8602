"""Waiting in a Pilot test for what the app does in its own time (a worker, a timer, a save).

One way to wait, for every Pilot test: `wait_until(pilot, condition)` (a test of real processes
polls them with `processes.wait_until`); `writes_landed` waits with it for the writes the app
does off the UI thread, and `saver_finished` for the last save once the app has gone. Its bound
is generous (the condition normally holds within a few frames), so a loaded machine makes a
test slower, never red; a test that waits keeps no budget of its own.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

from textual.app import ScreenStackError
from textual.pilot import Pilot

from processes import wait_until as poll
from stratui.app import StratuiApp

#: How often the condition is checked.
POLL_SECONDS = 0.02


async def wait_until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Let the app run until `condition` holds, checked every POLL_SECONDS; False if it never did.

    Between checks the app's loop runs and the screen draws what changed (as Pilot.pause does).
    Not Pilot.pause itself: it first posts a message to every widget on the screen and waits
    for each (its _wait_for_screen), about 5 ms of CPU a check on a phase screen. Polled every
    20 ms that was a fifth of a CPU for as long as a test waited, and the longer the wait (a
    loaded machine), the more CPU it took from the tests beside it.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(POLL_SECONDS)
        try:
            pilot.app.screen._on_timer_update()
        except ScreenStackError:
            pass  # the app is closing: nothing to draw
    return True


def writes_settled(app: StratuiApp) -> bool:
    """Every write the app has asked for has landed or been refused, or waits for a lock that
    another process holds (a lock test's holder: it lands only when the test lets go)."""
    return (app.saver.idle() and not app.writes.in_flight) or _held_elsewhere(app)


def _held_elsewhere(app: StratuiApp) -> bool:
    holder = app.context.store.lock.holder()
    return holder is not None and holder.pid != os.getpid()


async def writes_landed(pilot: Pilot) -> None:
    """Wait for the saves and the dashboard's writes the keys asked for (they run off the UI
    thread, so a screen can be up before its write lands), then for the screen they redraw.

    `press_to` ends with it: a test that reads the store or the rows after it reads what the
    keys wrote, on a loaded machine too."""
    app = pilot.app
    assert isinstance(app, StratuiApp)
    assert await wait_until(pilot, lambda: writes_settled(app)), "a write never landed"
    await pilot.pause()


def saver_finished(app: StratuiApp) -> None:
    """After the app has gone: wait for its saver's thread to write the last save asked for
    (the real app waits for it on quitting; a test that reads the store next would race it)."""
    poll(lambda: app.saver.wait_closed(0) or _held_elsewhere(app), seconds=60, every=0.05)

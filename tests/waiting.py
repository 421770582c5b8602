"""Waiting in a Pilot test for what the app does in its own time (a worker, a timer, a save).

One way to wait, for every Pilot test: `wait_until(pilot, condition)` (a test of real processes
polls them with `processes.wait_until`). Its bound is generous (the
condition normally holds within a few frames), so a loaded machine makes a test slower, never
red; a test that waits keeps no budget of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.app import ScreenStackError
from textual.pilot import Pilot

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

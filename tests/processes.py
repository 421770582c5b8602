"""Helpers for the tests that start real processes (tmux, sshd, the web server): poll, pick a port."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], seconds: float = 30.0, every: float = 0.1) -> bool:
    """Poll `condition` until it holds; False if it never did within `seconds`.

    The bound is generous (the condition normally holds within a fraction of a second), so a
    loaded machine makes the test slower, never red.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that nothing listens on now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]

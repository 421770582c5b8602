"""`stratui serve`: the same app in a web browser, through textual-serve, on this machine only.

For users without an SSH client. Each browser tab runs its own `stratui` process as the user
who started the server, on the same database, settings and "today" as the server itself.
textual-serve has no login of its own: anyone who can open the address can read and change
every record as that user. So the server listens on the loopback interface only (127.0.0.1);
reaching it from elsewhere is a deliberate step (an SSH tunnel, or a reverse proxy that adds
TLS and a login), documented in README "Browser access" with these caveats.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000


class ServeUnavailable(Exception):
    """textual-serve is not installed (it is an optional extra)."""


def app_command(db: Path, config: Path | None, today: str | None) -> str:
    """The shell command textual-serve runs for each browser session."""
    words = [sys.executable, "-m", "stratui", "--db", str(db)]
    if config is not None:
        words += ["--config", str(config)]
    if today is not None:
        words += ["--today", today]
    return shlex.join(words)


def serve(command: str, port: int = DEFAULT_PORT) -> None:
    """Serve `command` on http://127.0.0.1:PORT until interrupted."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeUnavailable(
            "stratui serve needs textual-serve, which is not installed: pip install 'stratui[serve]'"
        ) from None
    Server(command, host=LOOPBACK, port=port, title="stratui").serve()

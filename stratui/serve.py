"""`stratui serve`: the same app in a web browser, through textual-serve, on this machine only.

For users without an SSH client. Each browser tab runs its own `stratui` process as the user
who started the server, on the same database, settings and "today" as the server itself.
textual-serve has no login of its own, so this module adds a gate in front of it:

- the server listens on the loopback interface only (127.0.0.1);
- every request must carry the secret made at start: in the address printed once
  (`?token=...`), then in a cookie the first good visit sets (the page's websocket and assets
  cannot carry the query, and the cookie is named after the port: cookies ignore ports);
- the Host header must name this server (127.0.0.1:PORT or localhost:PORT), which defeats DNS
  rebinding, and an Origin header, when a browser sends one (always on a websocket), must be
  this server's, so a page from elsewhere cannot drive the app even if the cookie is sent.

Anything else gets 403 and one log line naming the path and the reason, never the query or
any record content. What remains open (no TLS; anyone holding the address with its token on
this machine works as the user) is in README "Browser access".
"""

from __future__ import annotations

import logging
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from stratui.terminal import shorten

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_PARAMETER = "token"

log = logging.getLogger("stratui.serve")


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


def new_token() -> str:
    """A fresh secret for one run of the server."""
    return secrets.token_urlsafe(32)


def address(port: int, token: str) -> str:
    """The address to open: the only place the token is shown."""
    return f"http://{LOOPBACK}:{port}/?{TOKEN_PARAMETER}={token}"


class Gate:
    """Who may use the server: requests naming this server, from its own pages, with the token."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.hosts = {f"{LOOPBACK}:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.cookie = f"stratui-{port}"

    def refusal(self, host: str | None, origin: str | None, websocket: bool, query_token: str | None, cookie: str | None) -> str:
        """Why a request is refused, or "" to let it through."""
        if host not in self.hosts:
            return "Host is not this server"
        if origin is not None and origin not in self.origins:
            return "Origin is another site"
        if websocket and origin is None:
            return "websocket without an Origin"
        offered = query_token if query_token is not None else cookie
        if offered is None:
            return "no token"
        if not secrets.compare_digest(offered.encode("utf-8", "replace"), self.token.encode()):
            return "wrong token"
        return ""


def _loggable(path: str, limit: int = 60) -> str:
    """A requested path as one short line of plain text (the caller chose it: never echo controls)."""
    shown = "".join(c if c.isascii() and c.isprintable() else "?" for c in path)
    return shorten(shown, limit)


def serve(
    command: str,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve `command` on http://127.0.0.1:PORT until interrupted; `announce` gets the address."""
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise ServeUnavailable(
            "stratui serve needs textual-serve, which is not installed: pip install 'stratui[serve]'"
        ) from None
    gate = Gate(port, token or new_token())

    @web.middleware
    async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        reason = gate.refusal(
            host=request.headers.get("Host"),
            origin=request.headers.get("Origin"),
            # By route as well as by header: the app's websocket must never be reached without one.
            websocket=request.match_info.route.name == "websocket" or "websocket" in request.headers.get("Upgrade", "").lower(),
            query_token=request.query.get(TOKEN_PARAMETER),
            cookie=request.cookies.get(gate.cookie),
        )
        if reason:
            log.warning("refused %s %s from %s: %s", request.method[:10], _loggable(request.path), request.remote, reason)
            return web.Response(status=403, text=f"403 Forbidden: {reason}. Open the address stratui serve printed.\n")
        if request.host != f"{LOOPBACK}:{port}" and request.path == "/":
            # The page's websocket address names 127.0.0.1: the cookie must be set for that host.
            raise web.HTTPFound(f"http://{LOOPBACK}:{port}{request.path_qs}")
        response = await handler(request)
        if TOKEN_PARAMETER in request.query and not response.prepared:
            response.set_cookie(gate.cookie, gate.token, httponly=True, samesite="Strict", path="/")
        if not response.prepared:
            # The page loads a web font from elsewhere: never tell that site the address.
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    class GuardedServer(Server):
        def initialize_logging(self) -> None:
            super().initialize_logging()
            # aiohttp's access log prints each query string: the token, and whatever a
            # refused caller put there. The gate logs refusals itself.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            # Plain lines, never wrapped: one refusal is one line, to read or to grep.
            plain = logging.StreamHandler(sys.stdout)
            plain.setFormatter(logging.Formatter("%(asctime)s stratui serve: %(message)s", "%H:%M:%S"))
            log.addHandler(plain)
            log.propagate = False

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        async def on_startup(self, app: Any) -> None:
            announce(address(port, gate.token))

    GuardedServer(command, host=LOOPBACK, port=port, title="stratui").serve()

"""`stratui serve`: the app through textual-serve, on the loopback interface only."""

from __future__ import annotations

import asyncio
import re
import selectors
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from processes import free_port
from stratui.serve import LOOPBACK, app_command

pytestmark = pytest.mark.process


def test_each_browser_session_runs_stratui_on_the_same_database_settings_and_today(tmp_path: Path) -> None:
    db = tmp_path / "a folder with spaces" / "db"
    words = shlex.split(app_command(db, tmp_path / "settings.toml", "2026-11-25"))
    assert words[:3] == [sys.executable, "-m", "stratui"]
    assert words[3:] == ["--db", str(db), "--config", str(tmp_path / "settings.toml"), "--today", "2026-11-25"]
    # Without an explicit today, each session reads the clock (a server may run past midnight).
    assert "--today" not in shlex.split(app_command(db, None, None))


@dataclass
class Served:
    port: int
    token: str
    process: subprocess.Popen[bytes]
    output: list[str]

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def origin(self) -> str:
        return self.base


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A real `stratui serve` on a free port, with the address it printed."""
    pytest.importorskip("textual_serve")
    port = free_port(LOOPBACK)
    process = subprocess.Popen(
        [sys.executable, "-m", "stratui", "serve", "--port", str(port), "--db", str(tmp_path / "db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "STRATUI_CONFIG": str(tmp_path / "none.toml")},
    )
    output: list[str] = []
    token = ""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    pending = b""
    deadline = time.monotonic() + 60
    try:
        # Both lines of the announcement: the address, then what it means.
        while not (token and any("Browser access" in line for line in output)) and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if selector.select(timeout=0.5):
                chunk = process.stdout.read1(4096)  # type: ignore[union-attr]
                pending += chunk
                *lines, pending = pending.split(b"\n")
                output += [line.decode("utf-8", "replace") for line in lines]
                for line in lines:
                    found = re.search(rf"http://{re.escape(LOOPBACK)}:{port}/\?token=([A-Za-z0-9_-]+)", line.decode())
                    if found:
                        token = found.group(1)
        assert token, "\n".join(output)
        # Wait until it accepts connections (the address is printed as the server starts).
        while time.monotonic() < deadline:
            try:
                socket.create_connection((LOOPBACK, port), timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield Served(port, token, process, output)
    finally:
        process.terminate()
        process.wait(timeout=30)
        selector.close()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    import aiohttp

    async def go() -> tuple[int, str, dict[str, str]]:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            async with session.get(url, headers=headers or {}, allow_redirects=False) as response:
                cookies = {name: morsel.value for name, morsel in response.cookies.items()}
                return response.status, await response.text(), cookies

    return asyncio.run(go())


def open_websocket(served: Served, headers: dict[str, str]) -> str:
    """Open the page's websocket; returns the first thing the app sends, or the refusal."""
    import aiohttp

    async def go() -> str:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            try:
                socket_ = await session.ws_connect(
                    f"ws://{LOOPBACK}:{served.port}/ws?width=80&height=24", headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=10)
                )
            except aiohttp.WSServerHandshakeError as exc:
                return f"refused {exc.status}"
            async with socket_:
                await socket_.send_json(["resize", {"width": 80, "height": 24}])
                message = await asyncio.wait_for(socket_.receive(), timeout=60)
                return f"open {message.type.name}"

    return asyncio.run(go())


def test_the_printed_address_opens_the_page_and_its_websocket_drives_the_app(served: Served) -> None:
    status, page, cookies = fetch(f"{served.base}/?token={served.token}")
    assert status == 200 and "stratui" in page and "/ws" in page
    cookie = cookies[f"stratui-{served.port}"]
    assert cookie == served.token
    headers = {"Cookie": f"stratui-{served.port}={cookie}"}
    # The page's script and styles come with the cookie the visit set.
    assert fetch(f"{served.base}/static/js/textual.js", headers)[0] == 200
    opened = open_websocket(served, {**headers, "Origin": served.origin})
    assert opened in ("open BINARY", "open TEXT"), opened
    # Listening on the loopback interface only: not on every interface.
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    if listening:
        ours = [line for line in listening.splitlines() if f":{served.port} " in line]
        assert ours and all(f"{LOOPBACK}:{served.port}" in line for line in ours), ours


def test_without_the_token_or_with_a_wrong_one_nothing_is_served(served: Served) -> None:
    assert fetch(f"{served.base}/")[0] == 403
    assert fetch(f"{served.base}/?token=guess")[0] == 403
    assert fetch(f"{served.base}/static/js/textual.js")[0] == 403
    assert fetch(f"{served.base}/", {"Cookie": f"stratui-{served.port}=guess"})[0] == 403
    assert open_websocket(served, {"Origin": served.origin}) == "refused 403"
    assert open_websocket(served, {"Origin": served.origin, "Cookie": f"stratui-{served.port}=guess"}) == "refused 403"


def test_a_page_from_another_site_cannot_drive_the_app_even_with_the_cookie(served: Served) -> None:
    cookie = {"Cookie": f"stratui-{served.port}={served.token}"}
    assert open_websocket(served, {**cookie, "Origin": "http://evil.example"}) == "refused 403"
    assert open_websocket(served, {**cookie, "Origin": f"http://{LOOPBACK}:{served.port + 1}"}) == "refused 403"
    assert open_websocket(served, cookie) == "refused 403"  # no Origin at all: not a browser page of ours
    assert fetch(f"{served.base}/", {**cookie, "Origin": "http://evil.example"})[0] == 403


def test_a_rebound_host_name_is_refused_even_with_the_token(served: Served) -> None:
    status, body, _ = fetch(f"{served.base}/?token={served.token}", {"Host": "evil.example"})
    assert status == 403 and "/ws" not in body and "<html" not in body.lower()
    assert fetch(f"{served.base}/?token={served.token}", {"Host": f"evil.example:{served.port}"})[0] == 403
    # localhost is this machine too: sent on to the address whose cookie the websocket carries.
    assert fetch(f"{served.base}/?token={served.token}", {"Host": f"localhost:{served.port}"})[0] == 302


def test_refusals_are_logged_in_one_line_without_the_query(served: Served) -> None:
    assert fetch(f"{served.base}/?token=guess-SECRETISH&case=CASE-123")[0] == 403
    assert fetch(f"{served.base}/?token={served.token}")[0] == 200
    assert fetch(f"{served.base}/", {"Host": "evil.example"})[0] == 403
    assert fetch(f"{served.base}/%1b%5b2J%0aforged%20line{'-' * 80}")[0] == 403
    assert served.process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(served.process.stdout, selectors.EVENT_READ)
    text = ""
    deadline = time.monotonic() + 30
    while text.count("refused") < 3 and time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            text += served.process.stdout.read1(4096).decode("utf-8", "replace")  # type: ignore[union-attr]
    selector.close()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert [line for line in lines if "refused" in line] == lines, lines  # each refusal is one line, nothing else
    assert "wrong token" in lines[0] and "Host is not this server" in lines[1]
    assert "\x1b" not in text and "forged" in lines[2]  # the caller's path, controls and all, on its one line
    # The query never reaches the log: not a guessed token, not what a caller put there, not ours.
    assert "SECRETISH" not in text and "CASE-123" not in text and served.token not in text

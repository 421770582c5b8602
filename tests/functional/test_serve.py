"""`stratui serve`: the app through textual-serve, on the loopback interface only."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from stratui.serve import LOOPBACK, app_command


def test_each_browser_session_runs_stratui_on_the_same_database_settings_and_today(tmp_path: Path) -> None:
    db = tmp_path / "a folder with spaces" / "db"
    words = shlex.split(app_command(db, tmp_path / "settings.toml", "2026-11-25"))
    assert words[:3] == [sys.executable, "-m", "stratui"]
    assert words[3:] == ["--db", str(db), "--config", str(tmp_path / "settings.toml"), "--today", "2026-11-25"]
    # Without an explicit today, each session reads the clock (a server may run past midnight).
    assert "--today" not in shlex.split(app_command(db, None, None))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def test_serve_answers_a_browser_on_localhost(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "stratui", "serve", "--port", str(port), "--db", str(tmp_path / "db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "STRATUI_CONFIG": str(tmp_path / "none.toml")},
    )
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/", timeout=2) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
        assert "stratui" in page and "/ws" in page
        # Listening on the loopback interface only: not on every interface.
        listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
        if listening:
            ours = [line for line in listening.splitlines() if f":{port} " in line]
            assert ours and all(f"{LOOPBACK}:{port}" in line for line in ours), ours
    finally:
        server.terminate()
        server.wait(timeout=10)

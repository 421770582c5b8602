"""stratui in a real terminal: tmux at 80x24, for what Pilot cannot show (signals, key bursts)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from processes import wait_until


class TmuxApp:
    """The installed `stratui` command running in its own tmux server, 80x24."""

    def __init__(self, env: dict[str, str]) -> None:
        stratui = Path(sys.executable).with_name("stratui")
        if not stratui.exists():
            pytest.skip("the stratui command is not installed beside this Python")
        self.tmux = ["tmux", "-L", f"stratui-test-{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]
        command = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items()) + f" exec {stratui}"
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command], check=True)
        subprocess.run([*self.tmux, "set-option", "-g", "escape-time", "0"], check=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        """One tmux send-keys: the keys reach the terminal in one write, as a burst."""
        subprocess.run([*self.tmux, "send-keys", "-t", "t", *keys], check=True)

    def wait_for(self, text: str) -> str:
        assert self.wait_until(lambda: text in self.screen()), self.screen()
        return self.screen()

    wait_until = staticmethod(wait_until)

    def app_pid(self) -> int:
        pane = int(subprocess.check_output([*self.tmux, "list-panes", "-t", "t", "-F", "#{pane_pid}"], text=True).split()[0])
        # The pane runs a shell that may exec stratui or start it as a child.
        children = subprocess.run(["pgrep", "-P", str(pane)], capture_output=True, text=True).stdout.split()
        for pid in [pane, *map(int, children)]:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if any(part.endswith(b"stratui") for part in cmdline.split(b"\0")[:2]):
                return pid
        raise AssertionError("stratui's process not found in the tmux pane")

    def stop(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def stratui_in_tmux() -> Iterator[Callable[[dict[str, str]], TmuxApp]]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    started: list[TmuxApp] = []

    def start(env: dict[str, str]) -> TmuxApp:
        started.append(TmuxApp(env))
        return started[-1]

    yield start
    for app in started:
        app.stop()


@pytest.fixture
def autosave_timers_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The autosave timers never fire, so a refusal in the status line is not replaced by
    "Saved …" while the test reads it (on a loaded machine the timer can fire first).
    Leaving a phase, ctrl+s and quitting still save."""
    from stratui import app as app_module

    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY_SECONDS", 3600.0)
    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_WAIT_SECONDS", 3600.0)


@pytest.fixture
def new_discussion_at_vt100(tmp_path: Path, stratui_in_tmux: Callable[[dict[str, str]], TmuxApp]) -> TmuxApp:
    """stratui at TERM=vt100 for Sam Patel on tmp_path/"db", a new discussion open at its details."""
    settings = tmp_path / "settings.toml"
    settings.write_text('user = "Sam Patel"\n')
    terminal = stratui_in_tmux(
        {"TERM": "vt100", "STRATUI_DB": str(tmp_path / "db"), "STRATUI_CONFIG": str(settings), "STRATUI_TODAY": "2026-11-25"}
    )
    terminal.wait_for("No discussions yet")
    terminal.keys("n")
    terminal.wait_for("which kind")
    terminal.keys("Enter")
    terminal.wait_for("Case reference")
    return terminal

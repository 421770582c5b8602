"""Keys in bursts, as a slow SSH link delivers them: rows typed without a pause land whole.

Pilot waits for the app after every key, so it cannot show this; a real terminal (tmux
send-keys, several keys in one write) can. Before the fix, "Team manager<Enter>DC Lee Grant"
sent at once added a participant with no role and ran the next name into the role box.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from stratui.store import Store


def _wait_for(condition, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_participants_and_actions_typed_in_one_burst_land_in_their_rows(tmp_path: Path) -> None:
    stratui = Path(sys.executable).with_name("stratui")
    if not stratui.exists():
        pytest.skip("the stratui command is not installed beside this Python")
    settings = tmp_path / "settings.toml"
    settings.write_text('user = "Sam Patel"\n')
    tmux = ["tmux", "-L", f"stratui-burst-{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]
    env = f"TERM=vt100 STRATUI_DB={tmp_path / 'db'} STRATUI_CONFIG={settings} STRATUI_TODAY=2026-11-25"
    subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24", f"{env} exec {stratui}"], check=True)
    try:
        subprocess.run([*tmux, "set-option", "-g", "escape-time", "0"], check=True)

        def screen() -> str:
            return subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout

        def keys(*args: str) -> None:
            subprocess.run([*tmux, "send-keys", "-t", "b", *args], check=True)

        assert _wait_for(lambda: "No discussions yet" in screen()), screen()
        keys("n")
        assert _wait_for(lambda: "which kind" in screen()), screen()
        keys("Enter")
        assert _wait_for(lambda: "Case reference" in screen()), screen()
        # One write each: text, Tab and Enter arrive together.
        keys("CS-BURST", "Tab", "Amy Stone", "Tab", "Jo Reid", "Tab", "Team manager", "Enter",
             "DC Lee Grant", "Tab", "Detective constable", "Enter", "Ann Hughes", "Tab", "Health visitor", "Enter")
        assert _wait_for(lambda: "Ann Hughes" in screen() and "Attendance check (England): complete" in screen()), screen()
        keys("C-s")
        time.sleep(1.0)

        def participants() -> list[tuple[str, str, str]]:
            store = Store.open(tmp_path / "db")
            [summary] = store.summaries()
            return [(p.name, p.role, p.agency) for p in store.get(summary.id).participants]

        assert _wait_for(lambda: len(participants()) == 4), participants()
        assert participants() == [
            ("Sam Patel", "Social worker", "Children's social care"),
            ("Jo Reid", "Team manager", "Children's social care"),
            ("DC Lee Grant", "Detective constable", "Police"),
            ("Ann Hughes", "Health visitor", "Health"),
        ]
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)

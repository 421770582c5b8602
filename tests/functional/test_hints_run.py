"""A hint that names a command names one that runs: after the README's install, `stratui` is in
.venv/bin and not on PATH until the venv is activated."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from stratui.context import Context
from stratui.invocation import stratui_command
from stratui.screens.welcome import WelcomePanel

from pilot import stratui_at_80x24

pytestmark = pytest.mark.process

NOT_ACTIVATED = "/usr/bin:/bin"


@pytest.fixture
def venv_not_activated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PATH", NOT_ACTIVATED)
    stratui_command.cache_clear()
    yield
    stratui_command.cache_clear()


def run_in_shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": NOT_ACTIVATED}
    return subprocess.run(["sh", "-c", command], cwd=os.getcwd(), env=env, capture_output=True, text=True, timeout=300)


async def test_the_welcome_and_the_dashboard_name_a_demo_command_that_runs(
    context: Context, tmp_path: Path, venv_not_activated: None
) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        welcome = str(app.screen.query_one(WelcomePanel).render())
        summary = str(app.screen.query_one("#summary", Static).render())
    [hint] = re.findall(r"^  (.+ demo)$", welcome, flags=re.MULTILINE)
    assert summary.endswith(f"Load demo data from the shell with: {hint}")
    assert hint != "stratui demo"  # not on PATH here: that would fail
    made = run_in_shell(f"{hint} --count 2 --yes", tmp_path)
    assert made.returncode == 0, made.stderr
    assert "wrote 2 demo discussions" in made.stdout
    started = re.search(r"then start (.+) again\.", welcome)
    assert started is not None
    assert run_in_shell(f"{started.group(1)} --version", tmp_path).returncode == 0

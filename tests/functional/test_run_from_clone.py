"""`python -m stratui` run from the repository folder, where stratui/ shadows the installed package.

The README's install leaves the user in the clone. There `stratui/` is found first and has no
screens/ or data/ inside (pyproject maps them into the package only when installed). The test
runs without site's .pth hooks (-S), so an editable install's import finder cannot hide the
problem: only the folders of the clone and the dependencies are on the path.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

CLONE = Path(__file__).resolve().parents[2]


def run_from_clone(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dependencies = os.pathsep.join(site.getsitepackages())
    return subprocess.run(
        [sys.executable, "-S", "-m", "stratui", *args],
        cwd=CLONE,
        env={**env, "PYTHONPATH": dependencies},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_python_m_stratui_works_in_the_clone(tmp_path: Path) -> None:
    env = {**os.environ, "STRATUI_DB": str(tmp_path / "db"), "STRATUI_TODAY": "2026-12-01"}
    demo = run_from_clone("demo", "--count", "5", env=env)
    assert demo.returncode == 0, demo.stderr
    shown = run_from_clone("dashboard", "--all", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "unexpected error" not in shown.stdout + shown.stderr


def test_the_clone_is_what_was_imported(tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-S", "-c", "import stratui.screens, stratui.data; print(stratui.screens.__file__)"],
        cwd=CLONE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(site.getsitepackages())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert Path(probe.stdout.strip()).parent == CLONE / "screens"

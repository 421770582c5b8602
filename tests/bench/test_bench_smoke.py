"""The benchmark runs end to end at a tiny size: its code cannot rot unseen between measurements.

Only that it runs and prints every row is checked: the figures themselves are for people, on a
quiet machine (README "Performance"), never asserted in a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "20", "--repeat", "2", "--starts", "1", "--data", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    table = run.stdout
    for row in ("`stratui demo --count N`, whole process", "`stratui dashboard --json`, whole process", "TUI in tmux 80x24", "save one edit", "dashboard after a save",
                "start to dashboard filled, fresh process", "database on disk",
                "open after a bulk write of N killed half-way", "killed after its last batch, before its commit",
                "history of one record", "`stratui audit ID`, fresh process", "audit verify",
                "`stratui export --all --format json -o FILE`", "`stratui check`, fresh process"):
        assert row in table, table
    assert "Traceback" not in run.stdout + run.stderr

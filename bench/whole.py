"""Whole-process figures, each beside its floor in the same run (interleaved, medians).

    stratui dashboard --json          against  python -c "import textual.app"
    the TUI in tmux (80x24), from launch to its first "OVERDUE" row on the screen
                                      against  a bare Textual app showing one such row

Timed from this side: the interpreter, the imports, opening the database and drawing are all
in. The tmux figures poll the pane every few milliseconds, so they include up to one poll.
"""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import time
import uuid
from pathlib import Path

FIRST_ROW = "OVERDUE"
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 180.0


def process_seconds(args: list[str], env: dict[str, str], cwd: Path) -> float:
    began = time.perf_counter()
    run = subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - began
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{run.stderr[-2000:]}")
    return elapsed


def tmux_seconds(args: list[str], env: dict[str, str], cwd: Path, text: str = FIRST_ROW) -> float:
    """Seconds from launching `args` in a new 80x24 tmux session to `text` on its screen."""
    return tmux_seconds_and_cpu(args, env, cwd, text)[0]


def tmux_seconds_and_cpu(args: list[str], env: dict[str, str], cwd: Path, text: str = FIRST_ROW) -> tuple[float, float]:
    """`tmux_seconds`, and the CPU seconds the process had used by then (user and system, every
    thread): on a loaded machine the CPU seconds vary far less than the wall clock."""
    server = ["tmux", "-L", f"stratui-bench-{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]
    command = "cd " + shlex.quote(str(cwd)) + " && exec env " + " ".join(
        f"{key}={shlex.quote(value)}" for key, value in env.items()
    ) + " " + " ".join(shlex.quote(a) for a in args)
    began = time.perf_counter()
    subprocess.run([*server, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24", command], check=True)
    try:
        while time.perf_counter() - began < TIMEOUT_SECONDS:
            pane = subprocess.run([*server, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            if text in pane:
                elapsed = time.perf_counter() - began
                pid = subprocess.run([*server, "display", "-p", "-t", "b", "#{pane_pid}"], capture_output=True, text=True).stdout
                return elapsed, cpu_seconds(int(pid))
            time.sleep(POLL_SECONDS)
        raise SystemExit(f"{' '.join(args)} did not show {text!r} in tmux within {TIMEOUT_SECONDS:.0f} s:\n{pane}")
    finally:
        subprocess.run([*server, "kill-server"], capture_output=True)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a running process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


def interleaved(measure_a, measure_b, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Medians of `repeat` runs of each, taken in turn so both see the same machine (one
    warm-up run of each first: the page cache, and the first screen's file written)."""
    measure_a()
    measure_b()
    a, b = [], []
    for _ in range(repeat):
        a.append(measure_a())
        b.append(measure_b())
    return statistics.median(a), statistics.median(b)

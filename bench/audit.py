"""The rows of the benchmark for what reads the whole database or trail: one record's history,
`stratui audit ID`, `export --all`, `check` and `audit verify`, each as a user runs it (a fresh
process: its wall time and peak memory)."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from stratui.audit_history import history_text
from stratui.store import Store

if TYPE_CHECKING:
    from bench.run import Table

TARGETS = {"history": ("<=", 100.0), "export_rss": ("<=", 500.0)}
ORDER = (
    "history", "audit_id", "audit_id_rss", "verify", "export", "export_rss", "check", "check_rss", "verify_cli",
    "verify_cli_rss",
)  # fmt: skip


def measure_audit(table: Table, n: int, db: Path, repeat: int, scratch: Path) -> None:
    store = Store.open(db, user="bench", read_only=True)
    ids = [s.id for s in random.Random(n).sample(store.summaries(), min(repeat, n))]
    log = store.audit
    walls = []
    for discussion_id in ids:
        started = time.perf_counter()
        history_text(discussion_id, log.history(discussion_id))
        walls.append(time.perf_counter() - started)
    table.add("history", "history of one record (TUI ctrl+t: AuditLog.history + text)", "ms", n, statistics.median(walls) * 1000)
    runs = [_process(db, scratch, "audit", discussion_id) for discussion_id in ids[:3]]
    table.add("audit_id", "`stratui audit ID`, fresh process", "s", n, statistics.median(r[0] for r in runs), 2)
    table.add("audit_id_rss", "  its peak RSS", "MB", n, statistics.median(r[1] for r in runs), 0)
    started = time.perf_counter()
    problems = log.verify()
    table.add("verify", "audit verify: the whole chain (AuditLog.verify)", "s", n, time.perf_counter() - started, 2)
    if problems:
        table.notes.append(f"N={n}: audit verify found {problems[0]}")
    # Once each: at 100,000 each reads every record (or every entry) and takes minutes.
    wall, rss = _process(db, scratch, "export", "--all", "--format", "json", "-o", str(scratch / "backup.json"))
    (scratch / "backup.json").unlink()
    table.add("export", "`stratui export --all --format json -o FILE`, fresh process", "s", n, wall, 1)
    table.add("export_rss", "  its peak RSS (written a discussion at a time)", "MB", n, rss, 0)
    wall, rss = _process(db, scratch, "check")
    table.add("check", "`stratui check`, fresh process", "s", n, wall, 1)
    table.add("check_rss", "  its peak RSS", "MB", n, rss, 0)
    wall, rss = _process(db, scratch, "audit", "verify")
    table.add("verify_cli", "`stratui audit verify`, fresh process", "s", n, wall, 1)
    table.add("verify_cli_rss", "  its peak RSS", "MB", n, rss, 0)


# Runs argv[1:] and prints its peak RSS (kB). The benchmark starts this small process, and it
# starts the command: ru_maxrss survives fork and execve, so a command started straight from the
# benchmark (which holds every summary of the database) would report the benchmark's own peak.
_PEAK_OF = r"""
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss, flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _process(db: Path, scratch: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a stratui command as a user runs it (`check` and
    `audit verify` record the chain's end in a witness file: the scratch folder's, not the user's).
    The wall time includes the start of the small process that measures it (tens of ms)."""
    command = [sys.executable, "-m", "stratui", *args, "--db", str(db), "--config", str(scratch / "none.toml")]
    env = dict(os.environ, STRATUI_WITNESS=str(scratch / "witness"))
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", _PEAK_OF, *command], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if run.returncode:
        raise SystemExit(f"`stratui {' '.join(args)}` failed: {run.stderr[-500:]}")
    return wall, int(run.stdout.split()[-1]) / 1024

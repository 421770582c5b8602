"""The audit trail's rows of the benchmark: one record's history, `stratui audit ID` in a fresh
process (time and peak memory), and `audit verify` over the whole log."""

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

TARGETS = {"history": ("<=", 100.0)}
ORDER = ("history", "audit_id", "audit_id_rss", "verify")


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
    runs = [_audit_process(db, discussion_id, scratch) for discussion_id in ids[:3]]
    table.add("audit_id", "`stratui audit ID`, fresh process", "s", n, statistics.median(r[0] for r in runs), 2)
    table.add("audit_id_rss", "  its peak RSS", "MB", n, statistics.median(r[1] for r in runs), 0)
    started = time.perf_counter()
    problems = log.verify()
    table.add("verify", "audit verify: the whole chain (AuditLog.verify)", "s", n, time.perf_counter() - started, 2)
    if problems:
        table.notes.append(f"N={n}: audit verify found {problems[0]}")


def _audit_process(db: Path, discussion_id: str, scratch: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `stratui audit ID` as a user runs it."""
    command = [sys.executable, "-m", "stratui", "audit", discussion_id, "--db", str(db), "--config", str(scratch / "none.toml")]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"`stratui audit {discussion_id}` failed: {child.stderr.read().decode()[-500:] if child.stderr else ''}")
    return wall, usage.ru_maxrss / 1024

"""Crash safety: writers killed with SIGKILL at random moments, hundreds of times over one database.

After every kill the database must open (the journal repair runs), every save the writer had
acknowledged must be there, and `check()` must find nothing wrong.

The writers are forked from one `python -c` process that has already imported stratui, so a run
costs the random delay before the kill rather than an interpreter start: 300 runs take about
half a minute. Each forked writer opens the store itself, as a new stratui process would.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from stratui.models import Child, Discussion
from stratui.store import Store

pytestmark = pytest.mark.process

ROUNDS = 150  # two writers a round, so 300 kill -9 runs
LANES = 2

# Reads "root discussion-id lane output-file" lines and forks a writer for each, printing its pid.
# A writer saves in a loop; "ack N" is printed (and flushed) only after save() returned, so an ack
# is a promise kept. Every 20th save also creates a discussion, acknowledged with its id.
ZYGOTE = r"""
import os, random, signal, sys, time
from datetime import date
from pathlib import Path

import pytest
from stratui.models import Child, Discussion
from stratui.store import Store

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the killed writers


def write(root, discussion_id, lane):
    store = Store.open(Path(root), user="lane" + lane)
    record = store.get(discussion_id)
    n = int(record.concern_source)
    print("ready", n, flush=True)
    while True:
        n += 1
        record.concern_source = str(n)
        record.information.concerns = ("Saved text %d. " % n) * (n % 50)
        record = store.save(record)
        print("ack", n, flush=True)
        if n % 20 == 0:
            new = store.create(Discussion(case_ref="K%s-%d" % (lane, n), children=[Child(name="Amy Stone")],
                                          concern_date=date(2026, 11, 23), held_on=date(2026, 11, 24)))
            print("created", new.id, flush=True)
        # A breath between saves: filelock polls every 50 ms, so a writer saving in a tight loop
        # would starve the other lane (no user saves hundreds of times a second).
        time.sleep(random.uniform(0, 0.004))


for line in sys.stdin:
    root, discussion_id, lane, output = line.split()
    pid = os.fork()
    if pid == 0:
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            random.seed()
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            write(root, discussion_id, lane)
        except BaseException as exc:
            print("error", repr(exc), flush=True)
        finally:
            os._exit(1)
    print(pid, flush=True)
"""


class Zygote:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def fork_writer(self, root: Path, discussion_id: str, lane: int, output: Path) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{root} {discussion_id} {lane} {output}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.kill()
        self.process.wait(10)


def wait_for(condition: object, what: str, timeout: float = 600.0) -> None:
    # A guard against a hung writer only: every run is counted, never timed (CI shares the machine).
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.001)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def acknowledged(output: str) -> tuple[int | None, list[str], list[str]]:
    """The last acknowledged counter, the ids of acknowledged creates and any errors (complete lines only)."""
    last, created, errors = None, [], []
    for line in output.splitlines(keepends=True):
        if not line.endswith("\n"):
            continue
        word, _, value = line.strip().partition(" ")
        if word in ("ready", "ack"):
            last = int(value)
        elif word == "created":
            created.append(value)
        elif word == "error":
            errors.append(value)
    return last, created, errors


def test_kill_9_at_random_moments_loses_no_acknowledged_save(tmp_path: Path) -> None:
    root = tmp_path / "db"
    store = Store.open(root, user="setup")
    lane_ids = [
        store.create(
            Discussion(
                case_ref=f"LANE-{lane}",
                children=[Child(name="Maya Okafor")],
                concern_date=date(2026, 11, 23),
                held_on=date(2026, 11, 24),
                concern_source="0",
            )
        ).id
        for lane in range(LANES)
    ]
    rng = random.Random(int(os.environ.get("STRATUI_KILL9_SEED", "9")))
    acked_creates: list[str] = []
    runs = losses = phantoms = before_ready = acks = 0
    began = time.monotonic()
    zygote = Zygote()
    try:
        for round_number in range(ROUNDS):
            outputs = [tmp_path / f"round{round_number}-lane{lane}.out" for lane in range(LANES)]
            pids = [zygote.fork_writer(root, lane_ids[lane], lane, outputs[lane]) for lane in range(LANES)]
            # Most kills land while saving; some while the writer is opening the store (and repairing it).
            early = rng.random() < 0.15
            if not early:
                for output in outputs:
                    wait_for(lambda o=output: o.exists() and o.read_text().startswith(("ready", "error")), "a writer to start")
            start_of_delay = time.monotonic()
            schedule = sorted((rng.uniform(0.0, 0.03 if early else 0.2), lane) for lane in range(LANES))
            for delay, lane in schedule:
                pause = start_of_delay + delay - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                os.kill(pids[lane], signal.SIGKILL)
            for pid in pids:
                wait_for(lambda p=pid: not alive(p), "a killed writer to go")

            # Both writers are dead: the database must open, repair itself and hold every ack.
            reopened = Store.open(root, user="checker")
            for lane, output in enumerate(outputs):
                runs += 1
                text = output.read_text() if output.exists() else ""
                last_ack, created, errors = acknowledged(text)
                assert errors == [], f"run {runs}: the writer failed: {errors}"
                if not text.startswith("ready"):
                    before_ready += 1
                acked_creates += created
                acks += text.count("ack ")
                stored = int(reopened.get(lane_ids[lane]).concern_source)
                if last_ack is not None:
                    if stored < last_ack:
                        losses += 1
                    # At most the one save in flight when killed may have landed unacknowledged.
                    if stored > last_ack + 1:
                        phantoms += 1
            assert reopened.check() == [], f"after run {runs}"
            assert not any((root / "journal").iterdir()), f"a journal entry survived the repair after run {runs}"
            assert losses == 0 and phantoms == 0, f"after run {runs}: {losses} lost, {phantoms} unexplained"
    finally:
        zygote.close()

    final = Store.open(root, user="checker")
    missing = [i for i in acked_creates if not final.exists(i)]
    indexed = {s.id for s in final.summaries()}
    unindexed = [i for i in acked_creates if i not in indexed]
    leftovers = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.tmp"))
    elapsed = time.monotonic() - began
    print(
        f"\n[trust] kill -9: {runs} runs ({before_ready} killed before the writer was ready), {acks} saves "
        f"acknowledged, {losses} acknowledged saves lost, {len(missing)} of {len(acked_creates)} acknowledged "
        f"creates lost, {phantoms} unexplained values, {len(final)} discussions, check clean after every run, "
        f"{len(leftovers)} orphan temp files left by killed writers, {elapsed:.1f} s"
    )
    assert runs >= 200
    assert missing == [] and unindexed == []
    assert final.check() == []


def test_a_temp_file_left_in_the_journal_does_not_stop_the_database_opening(tmp_path: Path) -> None:
    """What a writer killed inside atomic_write of its journal marker leaves (found by the test above)."""
    root = tmp_path / "db"
    store = Store.open(root, user="setup")
    saved = store.create(Discussion(case_ref="CS-1", concern_date=date(2026, 11, 23), held_on=date(2026, 11, 24)))
    (root / "journal" / f".{saved.id}.4242.139900000000000.tmp").write_bytes(b"")
    reopened = Store.open(root, user="checker")
    assert reopened.get(saved.id) == saved
    assert reopened.check() == []

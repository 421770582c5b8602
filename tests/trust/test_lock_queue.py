"""Writers waiting for the lock are served in the order they asked, and a dead one blocks no one.

Found with four writers saving at once: the lock was a bare flock, which wakes every waiter at
a release and lets them race, and the writer that had just let go, asking again at once, won
that race again and again (p99 of a save 0.3-0.8 s, max 2.5 s). Here real processes queue in a
known order; what is checked is the order they were served in, never how long it took.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from holding import LockHolder
from processes import wait_until
from stratui.models import Child, Discussion
from stratui.store import Store, StoreError
from stratui.store.lock import QUEUE_FOLDER, LockBusyError, LockWaitCancelled

# A team member's app asking for the lock once, writing its mark in the served list while it
# holds it. It waits as long as it takes: the tests release what it waits for.
WAITER = r"""
import sys
from pathlib import Path
from stratui.store import Store

db, mark, served = sys.argv[1:4]
store = Store(Path(db), user=f"writer {mark}")
with store.lock.patience(None), store.lock:
    with open(served, "a", encoding="utf-8") as out:
        out.write(mark + "\n")
"""


def numbers_taken(db: Path) -> list[int]:
    """The numbers in the lock's queue: one for each writer holding or waiting for the lock."""
    return sorted(int(name) for name in os.listdir(db / QUEUE_FOLDER) if name.isdigit())


def served(path: Path) -> list[str]:
    return path.read_text("utf-8").split() if path.exists() else []


class Waiter:
    """A real process that asks for the lock; `queued` once its number is in the line."""

    def __init__(self, db: Path, mark: str, served: Path) -> None:
        ahead = len(numbers_taken(db))
        self.process = subprocess.Popen([sys.executable, "-c", WAITER, str(db), mark, str(served)])
        assert wait_until(lambda: len(numbers_taken(db)) == ahead + 1 or self.process.poll() is not None, 60)
        assert self.process.poll() is None, "the waiter did not wait"

    def finished(self) -> int:
        return self.process.wait(120)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(60)


def _new() -> Discussion:
    return Discussion(
        case_ref="QUEUE-1", children=[Child(name="Amy Stone")], concern_date=date(2026, 11, 23), held_on=date(2026, 11, 24)
    )


def test_waiters_are_served_in_the_order_they_asked(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "served"
    with LockHolder(store.root, "Alex Jones") as holder:
        waiters = [Waiter(store.root, str(k), out) for k in range(4)]  # each queued before the next asks
        assert served(out) == []  # none served while the lock is held
        holder.release()
        assert [w.finished() for w in waiters] == [0, 0, 0, 0]
    assert served(out) == ["0", "1", "2", "3"]
    assert numbers_taken(store.root) == []  # each took its number away with it


def test_a_writer_asking_again_at_once_is_served_after_those_already_waiting(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "served"
    with store.lock:
        waiter = Waiter(store.root, "colleague", out)
    # Let go and asked again at once, as an autosave loop does: the colleague goes first.
    with store.lock:
        assert served(out) == ["colleague"]
    assert waiter.finished() == 0


def test_a_waiter_killed_in_the_line_does_not_block_the_next(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "served"
    with LockHolder(store.root, "Alex Jones") as holder:
        first = Waiter(store.root, "first", out)
        second = Waiter(store.root, "second", out)  # waits on the first
        first.kill()  # kill -9 while queued: its number stays, its flock goes
        assert served(out) == []  # the second still waits: the lock is still held
        holder.release()
        assert second.finished() == 0
    assert served(out) == ["second"]
    assert numbers_taken(store.root) == []  # the dead waiter's number was removed by the next in line
    assert store.create(_new()).revision == 1


def test_a_holder_killed_with_writers_queued_lets_the_next_in(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "served"
    holder = LockHolder(store.root, "Alex Jones")
    waiter = Waiter(store.root, "next", out)
    holder.kill()
    assert waiter.finished() == 0
    assert served(out) == ["next"]


def test_a_write_refused_in_the_line_names_the_holder_and_leaves_the_line(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "served"
    with LockHolder(store.root, "Alex Jones") as holder:
        ahead = Waiter(store.root, "ahead", out)
        with pytest.raises(LockBusyError) as refused, store.lock.patience(0.3):
            store.create(_new())
        assert f"Alex Jones (pid {holder.pid}) has held the database lock since " in str(refused.value)
        assert "nothing was written" in str(refused.value)
        assert len(numbers_taken(store.root)) == 2  # the holder's and the one ahead: the refused one left
        holder.release()
        assert ahead.finished() == 0
    assert len(store) == 0
    assert store.create(_new()).revision == 1


def test_a_cancelled_wait_leaves_the_line_and_the_next_is_served(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "served"
    stop = threading.Event()
    outcome: list[BaseException] = []
    with LockHolder(store.root, "Alex Jones") as holder:

        def save() -> None:
            try:
                with store.lock.patience(None, cancelled=stop.is_set):
                    store.create(_new())
            except LockWaitCancelled as exc:
                outcome.append(exc)

        writer = threading.Thread(target=save)
        writer.start()
        assert wait_until(lambda: len(numbers_taken(store.root)) == 2, 60)
        behind = Waiter(store.root, "behind", out)  # queued behind the writer that will give up
        stop.set()
        writer.join(60)
        assert outcome and isinstance(outcome[0], LockWaitCancelled)
        holder.release()
        assert behind.finished() == 0
    assert served(out) == ["behind"]
    assert len(store) == 0


def test_a_caller_that_has_stopped_takes_no_lock_even_a_free_one(store: Store) -> None:
    """"Not saved" said on quitting, a write that came to the lock afterwards (free by then) took
    it and wrote: cancelled means nothing is written, free lock or held."""
    with pytest.raises(LockWaitCancelled) as refused:
        with store.lock.patience(None, cancelled=lambda: True):
            store.create(_new())
    assert "stratui was closing" in str(refused.value)  # no one holds it: no one is named
    assert len(store) == 0
    assert store.create(_new()).revision == 1  # and the lock was not left taken


def test_a_lock_given_just_as_the_caller_stops_is_let_go_unwritten(store: Store) -> None:
    asked: list[bool] = []

    def cancelled() -> bool:  # still waiting when first asked; stopped by the time it is given
        asked.append(True)
        return len(asked) > 1

    with pytest.raises(LockWaitCancelled):
        with store.lock.patience(None, cancelled=cancelled):
            store.create(_new())
    assert len(store) == 0
    assert store.create(_new()).revision == 1


def test_files_planted_in_the_line_are_passed_over_never_followed(store: Store, tmp_path: Path) -> None:
    queue = store.root / QUEUE_FOLDER
    with store.lock:
        pass  # the queue folder exists once the lock has been taken
    target = tmp_path / "someone-elses-file"
    target.write_text("keep me")
    (queue / "1").symlink_to(target)
    os.mkfifo(queue / "2")
    (queue / "3").mkdir()
    (queue / ("9" * 40)).write_text("")  # no number stratui takes
    saved = store.create(_new())
    assert store.get(saved.id).revision == 1
    assert target.read_text() == "keep me"
    assert sorted(os.listdir(queue)) == sorted(["1", "2", "3", "9" * 40])  # only stratui's own are removed


def test_a_queue_folder_planted_as_a_link_is_refused_in_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "db"
    Store.open(db, user="tester")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (db / QUEUE_FOLDER).rmdir()
    (db / QUEUE_FOLDER).symlink_to(elsewhere)
    store = Store.open(db, user="tester", read_only=True)
    with pytest.raises(StoreError) as refused:
        store.create(_new())
    assert "is a symbolic link, which stratui does not follow" in str(refused.value)
    assert os.listdir(elsewhere) == []


def test_a_number_taken_while_another_writer_scans_its_file_is_taken_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by the kill -9 test: another writer's scan of the queue flocks a file it finds there
    # without a number (a dead writer's, it thinks) in the instant between this writer making it
    # and flocking it, so this writer's own flock is refused. That is not a locked database: the
    # writer makes its file again and is served.
    import fcntl

    from stratui.store import lock as lock_module

    store = Store(tmp_path / "db", user="writer")
    store.lock.root.mkdir(parents=True, exist_ok=True)
    real_flock = fcntl.flock
    refused: list[int] = []

    def scanned_once(fd: int, operation: int) -> None:
        if operation == fcntl.LOCK_EX | fcntl.LOCK_NB and not refused:
            refused.append(fd)
            raise BlockingIOError(11, "Resource temporarily unavailable")
        real_flock(fd, operation)

    monkeypatch.setattr(lock_module.fcntl, "flock", scanned_once)
    with store.lock:
        assert numbers_taken(tmp_path / "db") == [1]
    assert refused, "the scan never came between making the file and flocking it"
    assert numbers_taken(tmp_path / "db") == []
    assert [name for name in os.listdir(tmp_path / "db" / QUEUE_FOLDER) if name.endswith(".tmp")] == []

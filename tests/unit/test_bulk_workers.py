"""A bulk write whose records are prepared in worker processes (bulk_prepare) writes the very
bytes the same write prepared in one process writes; a record refused in a worker is refused
with the same words; a worker that fails or is killed stops the write with a clear sentence and
leaves none of it."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from stratui.demo import stream_demo_json
from stratui.store import Store, StoreError, bulk_prepare, writes

TODAY = date(2026, 11, 25)
COUNT = 60
# Small enough that 60 records make several lots for each worker and several batches.
LOT = 7
BATCH = 25
AT = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def small_lots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_prepare, "LOT", LOT)
    monkeypatch.setattr(writes, "BULK_BATCH", BATCH)


def built(root: Path, items: Iterator[bytes] | list[bytes], workers: int) -> Store:
    store = Store.open(root, user="Sam Patel", clock=lambda: AT)
    assert store.save_all_new(items, command="stratui demo", total=COUNT, workers=workers) == COUNT
    return store


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the database but the lock's, by its path inside it."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".lock")
    }


def demo_elsewhere(count: int = COUNT) -> Iterator[bytes]:
    return bulk_prepare.produced_elsewhere("stratui.demo", "stream_demo_json", count, 3, TODAY, "england")


def test_prepared_in_workers_the_database_is_the_same_byte_for_byte(tmp_path: Path) -> None:
    serial = built(tmp_path / "serial", stream_demo_json(COUNT, 3, TODAY), workers=0)
    parallel = built(tmp_path / "parallel", stream_demo_json(COUNT, 3, TODAY), workers=2)
    # The demo's generator in a process of its own too, as `stratui demo` runs a large one.
    generated = built(tmp_path / "generated", demo_elsewhere(), workers=2)
    files = tree(tmp_path / "serial")
    assert len([name for name in files if name.startswith("discussions/")]) == COUNT
    assert {name for name in files if name.startswith("index/")}
    assert files == tree(tmp_path / "parallel") == tree(tmp_path / "generated")
    assert [s.id for s in parallel.summaries()] == [s.id for s in serial.summaries()]
    for store in (serial, parallel, generated):
        assert store.audit.verify() == [] and store.check() == []


def with_invalid(number: int) -> list[bytes]:
    docs = list(stream_demo_json(COUNT, 3, TODAY))
    bad = json.loads(docs[number])
    bad["held_on"] = "the day after the call"
    docs[number] = json.dumps(bad).encode("utf-8")
    return docs


@pytest.mark.parametrize("workers", [0, 2])
def test_a_record_refused_in_a_worker_is_refused_as_in_one_process_and_nothing_is_written(
    tmp_path: Path, workers: int
) -> None:
    store = Store.open(tmp_path / "db", user="Sam Patel", clock=lambda: AT)
    with pytest.raises(StoreError) as refused:
        store.save_all_new(with_invalid(40), command="stratui demo", total=COUNT, workers=workers)
    assert str(refused.value).startswith("Not saved: ") and str(refused.value).endswith("; nothing was imported")
    assert list((tmp_path / "db" / "discussions").glob("*/*.json")) == []
    assert store.summaries() == [] and store.check() == []
    assert not (tmp_path / "db" / "journal" / writes.BULK_FILE).exists()


def test_the_refusal_names_the_same_problem_either_way(tmp_path: Path) -> None:
    said = []
    for workers in (0, 2):
        store = Store.open(tmp_path / f"db{workers}", user="Sam Patel", clock=lambda: AT)
        with pytest.raises(StoreError) as refused:
            store.save_all_new(with_invalid(40), command="stratui demo", total=COUNT, workers=workers)
        said.append(str(refused.value))
    assert said[0] == said[1]


def workers_of_this_process(started: bytes = b"import serve") -> list[int]:
    """The pids of the worker processes this process started (read from /proc); with `started`
    b"import produce", its producer's."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and started in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_a_worker_killed_part_way_stops_the_write_clearly_and_leaves_none_of_it(tmp_path: Path) -> None:
    killed = []

    def killing_a_worker() -> Iterator[bytes]:
        for number, item in enumerate(stream_demo_json(2 * COUNT, 3, TODAY), start=1):
            # Two batches are written by now: the lots in flight run at most 35 records ahead.
            if number == 100:
                killed.extend(workers_of_this_process()[:1])
                os.kill(killed[0], signal.SIGKILL)
            yield item

    store = Store.open(tmp_path / "db", user="Sam Patel", clock=lambda: AT)
    with pytest.raises(StoreError) as stopped:
        store.save_all_new(killing_a_worker(), command="stratui demo", total=2 * COUNT, workers=2)
    assert killed
    assert str(stopped.value) == (
        "a process preparing the records stopped (killed, or out of memory); nothing was imported"
    )
    assert list((tmp_path / "db" / "discussions").glob("*/*.json")) == []
    assert store.summaries() == [] and store.check() == []
    assert workers_of_this_process() == []  # the other one was ended too
    # And the write, run again, writes all of it.
    assert store.save_all_new(stream_demo_json(COUNT, 3, TODAY), total=COUNT, workers=2) == COUNT


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the producer in /proc")
def test_the_demos_generator_killed_part_way_stops_the_write_clearly_and_leaves_none_of_it(tmp_path: Path) -> None:
    killed = []

    def killing_the_producer() -> Iterator[bytes]:
        for number, item in enumerate(demo_elsewhere(2 * COUNT), start=1):
            if number == 60:
                killed.extend(workers_of_this_process(b"import produce"))
                os.kill(killed[0], signal.SIGKILL)
            yield item

    store = Store.open(tmp_path / "db", user="Sam Patel", clock=lambda: AT)
    with pytest.raises(StoreError) as stopped:
        store.save_all_new(killing_the_producer(), command="stratui demo", total=2 * COUNT, workers=2)
    assert len(killed) == 1
    assert str(stopped.value) == (
        "a process generating the records stopped (killed, or out of memory); nothing was imported"
    )
    assert list((tmp_path / "db" / "discussions").glob("*/*.json")) == []
    assert store.summaries() == [] and store.check() == []
    assert workers_of_this_process() == [] and workers_of_this_process(b"import produce") == []


def test_with_no_process_to_be_had_the_records_are_prepared_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = built(tmp_path / "serial", stream_demo_json(COUNT, 3, TODAY), workers=0)

    def no_process(*args: object, **kwargs: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN at a limit

    monkeypatch.setattr(bulk_prepare.subprocess, "Popen", no_process)
    here = built(tmp_path / "here", demo_elsewhere(), workers=2)
    assert tree(tmp_path / "here") == tree(tmp_path / "serial")
    assert here.check() == [] and serial.audit.verify() == []

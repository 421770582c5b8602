"""Save latency with several writers at once: `python -m bench.writers --writers 4 --saves 200`.

Each writer is its own process, like a team member's app, saving edits of its own discussion
as fast as the lock allows; every save's wall time is kept, waiting for the lock included.
Prints the median, p99 and worst of all of them together, and how many saves were refused
because the lock stayed held for the whole wait.

The floor is one writer alone, measured in the same run (before and after, `--rounds` times),
so the ratios hold on a loaded machine. The lock serves writers in turn: with N writers each
saving as fast as it can, a save waits for the N - 1 ahead of it, so about N times the floor
is the fair share, and a p99 far above that is a writer losing its turn.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from stratui.models import Child, Discussion
from stratui.store import Store, StoreError


def _record(writer: int) -> Discussion:
    return Discussion(
        case_ref=f"BENCH-{writer}",
        children=[Child(name="Amy Stone")],
        concern_date=date(2026, 11, 23),
        held_on=date(2026, 11, 24),
    )


def _patiently(write: Callable[[], Discussion]) -> Discussion:
    while True:
        try:
            return write()
        except StoreError:
            continue


def _writer(root: str, writer: int, saves: int, ready: Any, start: Any, out: str) -> None:
    store = Store.open(Path(root), user=f"writer{writer}")
    record = _patiently(lambda: store.create(_record(writer)))
    ready.put(writer)
    start.wait(600)
    walls, refused = [], 0
    for k in range(saves):
        record.information.concerns += f" {k}"
        began = time.perf_counter()
        try:
            record = store.save(record)
        except StoreError:
            refused += 1  # the lock stayed held for the whole wait (15 s): counted apart
            continue
        walls.append((time.perf_counter() - began) * 1000)
    Path(out).write_text(json.dumps({"walls": walls, "refused": refused}))


def measure(writers: int, saves: int) -> tuple[list[float], int]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "db"
        Store.open(root, user="seeder")
        spawn = multiprocessing.get_context("spawn")
        ready, start = spawn.Queue(), spawn.Event()
        outs = [Path(scratch) / f"w{w}.json" for w in range(writers)]
        processes = [
            spawn.Process(target=_writer, args=(str(root), w, saves, ready, start, str(outs[w]))) for w in range(writers)
        ]
        for process in processes:
            process.start()
        for _ in processes:
            ready.get(timeout=600)  # every writer has opened the store and made its record
        start.set()
        for process in processes:
            process.join(600)
        results = [json.loads(out.read_text()) for out in outs]
        return [wall for r in results for wall in r["walls"]], sum(r["refused"] for r in results)


def _figures(walls: list[float]) -> tuple[float, float, float]:
    walls = sorted(walls)
    return statistics.median(walls), walls[min(len(walls) - 1, int(len(walls) * 0.99))], walls[-1]


def _line(label: str, walls: list[float], refused: int) -> str:
    median, p99, worst = _figures(walls)
    return f"{label}: median {median:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms; refused after the whole wait: {refused}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writers", description=__doc__)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--saves", type=int, default=200, help="saves per writer")
    parser.add_argument("--rounds", type=int, default=1, help="floor and writers measured alternately, this many times")
    args = parser.parse_args(argv)
    floor: list[float] = []
    many: list[float] = []
    floor_refused = many_refused = 0
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        walls, refused = measure(1, args.saves)
        floor += walls
        floor_refused += refused
        walls, refused = measure(args.writers, args.saves)
        many += walls
        many_refused += refused
    walls, refused = measure(1, args.saves)  # the floor after too: the load may have changed meanwhile
    floor += walls
    floor_refused += refused
    loads.append(os.getloadavg()[0])
    print(_line(f"1 writer x {args.saves} saves (the floor)", floor, floor_refused))
    print(_line(f"{args.writers} writers x {args.saves} saves", many, many_refused))
    base, *_ = _figures(floor)
    median, p99, worst = _figures(many)
    print(
        f"to the floor's median: median {median / base:.1f}x, p99 {p99 / base:.1f}x, max {worst / base:.1f}x "
        f"(served in turn, {args.writers} writers wait about {args.writers}x); "
        f"load average {loads[0]:.1f} before, {loads[1]:.1f} after"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Save latency with several writers at once: `python -m bench.writers --writers 4 --saves 200`.

Each writer is its own process, like a team member's app, saving edits of its own discussion
as fast as the lock allows; every save's wall time is kept, waiting for the lock included.
Prints the median, p99 and worst of all of them together, and how many saves were refused
because the lock stayed held for the whole wait.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

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


def _writer(root: str, writer: int, saves: int, start: object, out: str) -> None:
    store = Store.open(Path(root), user=f"writer{writer}")
    record = _patiently(lambda: store.create(_record(writer)))
    start.wait(600)  # type: ignore[attr-defined]
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
        start = spawn.Event()
        outs = [Path(scratch) / f"w{w}.json" for w in range(writers)]
        processes = [spawn.Process(target=_writer, args=(str(root), w, saves, start, str(outs[w]))) for w in range(writers)]
        for process in processes:
            process.start()
        time.sleep(2.0)  # every writer has opened the store and made its record
        start.set()
        for process in processes:
            process.join(600)
        results = [json.loads(out.read_text()) for out in outs]
        return [wall for r in results for wall in r["walls"]], sum(r["refused"] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writers", description=__doc__)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--saves", type=int, default=200, help="saves per writer")
    args = parser.parse_args(argv)
    walls, refused = measure(args.writers, args.saves)
    walls.sort()
    p99 = walls[min(len(walls) - 1, int(len(walls) * 0.99))]
    print(
        f"{args.writers} writers x {args.saves} saves: median {statistics.median(walls):.1f} ms, "
        f"p99 {p99:.1f} ms, max {walls[-1]:.1f} ms; refused after the whole wait: {refused}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

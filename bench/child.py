"""What the benchmark runs in a fresh process: building a database, and the two app starts.

    python -m bench.child build N SEED TODAY DB [KILL]
                                                   write the demo database (prints "built SECONDS
                                                   PEAK_RSS_KB"); with KILL, SIGKILL itself part-way:
                                                   "record:K" once K record files are written,
                                                   "commit:1" at its commit, every batch written
    python -m bench.child recover DB               open the database (settling what a kill left);
                                                   prints "recovered SECONDS NOTE"
    python -m bench.child floor                    a bare Textual app: Header, DataTable, Footer
    python -m bench.child app DB TODAY CONFIG      stratui, until the dashboard's table is filled
    python -m bench.child floor-tty                the bare Textual app on the terminal, until killed
                                                   (the floor of the TUI's start in tmux)

A start prints "ready SECONDS PEAK_RSS_KB" (seconds since this process's interpreter began) the
moment the screen is interactive; the parent times the whole process from its own side too.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import threading
import time
from pathlib import Path

# Seconds the interpreter took before this module ran (the parent's clock includes it too).
_STARTED = time.perf_counter()
READY_TIMEOUT_SECONDS = 120.0


def _ready(watch: StallWatch) -> None:
    stall_ms = watch.stop() * 1000
    print(f"ready {time.perf_counter() - _STARTED:.4f} {peak_rss_kb()} {stall_ms:.1f}", flush=True)


class StallWatch:
    """The longest time the event loop (Textual's UI thread) could not run a callback.

    A thread asks the loop every 5 ms to run a no-op and measures how long it waited: a frame
    freeze shows as a long wait. Started once the app's loop runs, stopped when it is ready.
    """

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._watch, args=(loop,), daemon=True)
        self._thread.start()

    def _watch(self, loop: asyncio.AbstractEventLoop) -> None:
        while not self._stop.is_set():
            ran = threading.Event()
            asked = time.perf_counter()
            loop.call_soon_threadsafe(ran.set)
            while not ran.wait(0.05):
                if self._stop.is_set():
                    return
            self.longest = max(self.longest, time.perf_counter() - asked)
            time.sleep(0.005)

    def stop(self) -> float:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.longest


def peak_rss_kb() -> int:
    """This process's peak resident memory.

    getrusage's ru_maxrss survives execve, so in a child it starts at the parent's peak (the
    benchmark's parent holds every database's summaries); Linux's VmHWM belongs to this program.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class TreeMemory:
    """The peak of the resident memory of this process and every process it started, summed,
    sampled every 0.2 s (a bulk write prepares its records, and the demo generates them, in
    processes of their own; their ru_maxrss would start at this one's peak)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(os.getpid())))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return max(self.peak_kb, peak_rss_kb())


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += _tree(int(child))
    except OSError:
        pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def bare_app() -> object:
    """The floor: a bare Textual app with a Header, a one-row DataTable and a Footer."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("State", "Due", "What")
            table.add_row("!! OVERDUE", "3 Dec 2026", "Circulate minutes to attendees")
            table.focus()

    return Bare()


def floor() -> None:
    from textual.widgets import DataTable

    async def run() -> None:
        watch = StallWatch()
        watch.start()
        app = bare_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: app.query_one(DataTable).row_count > 0)
            _ready(watch)

    asyncio.run(run())


def app(db: str, today: str, config: str) -> None:
    from stratui.app import make_app
    from stratui.context import open_context

    async def run() -> None:
        watch = StallWatch()
        watch.start()
        context = open_context(db=Path(db), config=Path(config), today=today)
        stratui = make_app(context)
        async with stratui.run_test(size=(80, 24)) as pilot:
            # Keys work (n, /, ?) once the dashboard is shown, while a large list still loads.
            await _until(pilot, lambda: dashboard_shown(stratui))
            print(f"interactive {time.perf_counter() - _STARTED:.4f}", flush=True)
            await _until(pilot, lambda: dashboard_filled(stratui))
            _ready(watch)

    asyncio.run(run())


def dashboard_shown(app: object) -> bool:
    """The dashboard screen is mounted and has drawn its first frame (its summary line)."""
    from textual.widgets import Static

    from stratui.screens.dashboard import DashboardScreen

    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, DashboardScreen) or not screen.is_mounted:
        return False
    return bool(str(screen.query_one("#summary", Static).render()).strip())


def dashboard_filled(app: object) -> bool:
    """The dashboard screen is mounted and its table holds the deadlines."""
    from textual.widgets import DataTable

    from stratui.screens.dashboard import DashboardScreen

    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, DashboardScreen) or not screen.is_mounted:
        return False
    return any(table.row_count > 0 for table in screen.query(DataTable))


async def _until(pilot: object, done: object) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit("the screen did not become ready in time")
        await pilot.pause(0.002)  # type: ignore[attr-defined]


def build(count: int, seed: int, today: str, db: str, kill: str | None = None) -> None:
    """The real command, `stratui demo --count N`, in this process: its whole time and peak RSS."""
    from stratui import cli

    if kill:
        _kill_itself_at(kill)
    began = time.perf_counter()
    memory = TreeMemory()
    settings = Path(db).with_name(Path(db).name + "-settings.toml")  # none: the defaults
    args = ["demo", "--count", str(count), "--seed", str(seed), "--nation", "england", "--yes"]
    code = cli.main([*args, "--db", db, "--config", str(settings), "--today", today])
    if code:
        raise SystemExit(f"stratui demo ended with {code}")
    print(f"built {time.perf_counter() - began:.1f} {memory.stop()}", flush=True)


def _kill_itself_at(kill: str) -> None:
    """SIGKILL this process at one step of the bulk write, as a crash or `kill -9` would."""
    import signal

    from stratui.store import writes
    from stratui.store.records import RecordFiles

    step, _, number = kill.partition(":")
    calls = [0]

    def counting(original):  # type: ignore[no-untyped-def]
        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            if step == "commit":
                calls[0] += 1
                if calls[0] == int(number):
                    os.kill(os.getpid(), signal.SIGKILL)
                return original(*args, **kwargs)
            result = original(*args, **kwargs)
            calls[0] += 1
            if calls[0] == int(number):
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        return counted

    if step == "commit":
        # The write's commit, every batch written and audited: the next open still undoes it all.
        writes.Journal.end_bulk = counting(writes.Journal.end_bulk)  # type: ignore[method-assign]
    else:
        RecordFiles.write_new = counting(RecordFiles.write_new)  # type: ignore[method-assign]


def recover(db: str) -> None:
    from stratui.store import Store

    began = time.perf_counter()
    store = Store.open(Path(db), user="bench")
    print(f"recovered {time.perf_counter() - began:.3f} {' '.join(store.recovered) or '-'}", flush=True)


def main(argv: list[str]) -> None:
    command, args = argv[0], argv[1:]
    if command == "floor":
        floor()
    elif command == "floor-tty":
        bare_app().run()  # type: ignore[attr-defined]
    elif command == "app":
        app(*args)
    elif command == "build":
        build(int(args[0]), int(args[1]), args[2], args[3], *args[4:5])
    elif command == "recover":
        recover(args[0])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])

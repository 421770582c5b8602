"""The benchmark: build the demo databases, time each operation, print the table.

Every timing is the median of repeated runs on a warm OS page cache. Starts are timed in fresh
processes (python + imports + database + dashboard filled), beside a bare Textual app as the
floor; the same starts inside this process (imports already paid) are shown too.

Over 500 lines on purpose: one table, each row's measurement beside the way it is printed and
its target; the whole-process and audit rows are bench.whole and bench.audit.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.audit import ORDER as AUDIT_ORDER
from bench.audit import TARGETS as AUDIT_TARGETS
from bench.audit import measure_audit
from stratui.context import Context
from stratui.dashboard_read import read_rows
from stratui.deadlines import dashboard_items
from stratui.models import ActionStatus, DiscussionStatus
from stratui.search import search
from stratui.settings import Settings
from stratui.store import Store

SIZES = (1_000, 5_000, 20_000, 100_000)
TODAY = date(2026, 11, 25)
SEED = 1
# Measured at 20,000 discussions on 2 cores (issue 6).
TARGETS = {
    "save": ("<=", 20.0),
    "mark": ("<=", 20.0),
    "dashboard": ("<=", 50.0),  # issue 14, at 100,000
    "open": ("<=", 50.0),
    "search": ("<=", 100.0),
    "start_ratio": ("<=", 3.5),
    "rss": ("<=", 250.0),
    "recover_undo": ("<=", 10.0),
    "recover_undo_all": ("<=", 10.0),
    "build_rss": ("<=", 500.0),
    "build": ("<=", 180.0),
    "stall": ("<=", 100.0),
    # Issue 14, at 100,000 discussions: whole processes against their floors.
    "cli_ratio": ("<=", 2.5),
    "tui_ratio": ("<=", 2.0),
}
TARGETS.update(AUDIT_TARGETS)
# Bumped when the database layout changes, so a kept database (--data) is rebuilt.
LAYOUT = "index-lines-1"


@dataclass
class Row:
    key: str
    label: str
    unit: str
    values: dict[int, float] = field(default_factory=dict)
    digits: int = 1


@dataclass
class Table:
    rows: dict[str, Row] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, label: str, unit: str, n: int, value: float, digits: int = 1) -> None:
        self.rows.setdefault(key, Row(key, label, unit, digits=digits)).values[n] = value


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- databases ------------------------------------------------------------------------------


def build_databases(folder: Path, sizes: tuple[int, ...], seed: int) -> dict[int, tuple[float, int]]:
    """Build the missing databases, two at a time (the largest alone), in child processes.

    Returns each built size's seconds and peak RSS (kB)."""
    seconds: dict[int, tuple[float, int]] = {}
    todo = []
    for n in sizes:
        db = database_path(folder, n, seed)
        stamp = db / "bench-stamp.json"
        kept = json.loads(stamp.read_text()) if stamp.exists() else {}
        if {k: kept.get(k) for k in _stamp(n, seed)} == _stamp(n, seed):
            log(f"reusing the {n:,} database in {db}")
            if "built" in kept:  # the figures of the run that built it
                seconds[n] = kept["built"][0], kept["built"][1]
            continue
        if db.exists():
            shutil.rmtree(db)
        todo.append(n)
    lanes: list[list[int]] = [[], []]
    for n in sorted(todo, reverse=True):
        lightest = min(lanes, key=sum)
        lightest.append(n)
    procs = []
    for lane in lanes:
        if lane:
            procs.append((lane, _start_builds(folder, lane, seed)))
    for lane, proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"building the {lane} databases failed")
        for n, line in zip(lane, [line for line in out.splitlines() if line.startswith("built ")]):
            seconds[n] = float(line.split()[1]), int(line.split()[2])
            # The build's figures are kept with it: a run reusing it (--data) still shows them.
            stamp = {**_stamp(n, seed), "built": seconds[n]}
            database_path(folder, n, seed).joinpath("bench-stamp.json").write_text(json.dumps(stamp))
    return seconds


def _start_builds(folder: Path, lane: list[int], seed: int) -> subprocess.Popen[str]:
    log(f"building the demo database{'s' if len(lane) > 1 else ''} of {', '.join(f'{n:,}' for n in lane)} discussions")
    commands = " && ".join(
        f"{sys.executable} -m bench.child build {n} {seed} {TODAY.isoformat()} {database_path(folder, n, seed)}"
        for n in lane
    )
    return subprocess.Popen(["sh", "-c", commands], stdout=subprocess.PIPE, text=True, cwd=_repo())


def _stamp(n: int, seed: int) -> dict[str, object]:
    return {"count": n, "seed": seed, "today": TODAY.isoformat(), "layout": LAYOUT}


def database_path(folder: Path, n: int, seed: int) -> Path:
    return folder / f"demo-{n}-seed{seed}"


def disk_usage(folder: Path) -> int:
    """Bytes allocated on disk (like du), every file and folder."""
    total = 0
    stack = [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                st = entry.stat(follow_symlinks=False)
                total += st.st_blocks * 512
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
    return total


def _repo() -> Path:
    return Path(__file__).resolve().parent.parent


# -- operations -------------------------------------------------------------------------------


def measure_store(table: Table, n: int, db: Path, repeat: int) -> None:
    settings = Settings()
    rng = random.Random(n)

    started = time.perf_counter()
    store = Store.open(db, user="bench")
    summaries = store.summaries()
    items = dashboard_items(summaries, TODAY, settings)
    table.add("cold", "first dashboard in a new process: open + read index + compute", "ms", n, (time.perf_counter() - started) * 1000, 0)
    table.add("items", "dashboard items (overdue, today, soon)", "", n, len(items), 0)

    drafts = [s.id for s in summaries if s.status is DiscussionStatus.DRAFT]
    with_open = [(s.id, a.id) for s in summaries for a in s.actions if a.status is ActionStatus.OPEN]
    rng.shuffle(drafts)
    rng.shuffle(with_open)
    if len(drafts) < 3 * repeat or len(with_open) < repeat:
        raise SystemExit(f"the {n} database has too few drafts or open actions to measure")

    def autosave(discussion_id: str) -> Callable[[], object]:
        record = store.get(discussion_id)
        record.information.concerns += " Update from the school."
        return lambda: store.save(record)

    walls, cpus = [], []
    for discussion_id in drafts[:repeat]:
        wall, cpu = timed(autosave(discussion_id))
        walls.append(wall)
        cpus.append(cpu)
    table.add("save", "save one edit (autosave: Store.save)", "ms", n, median_ms(walls))
    table.add("save_cpu", "  of which CPU (flat = no growth with N)", "ms", n, median_ms(cpus), 2)

    walls = []
    for discussion_id, action_id in with_open[:repeat]:
        walls.append(
            timed(
                lambda: store.update(
                    discussion_id, lambda d: d.close_action(action_id, ActionStatus.DONE, TODAY, "bench")
                )
            )[0]
        )
    table.add("mark", "mark an action done (Store.update + close_action)", "ms", n, median_ms(walls))

    # What the dashboard's worker reads after a save (here or another user's): the index's
    # stamps, the rows (kept between reads: only the changed shard is worked out again) and
    # whether the first screen's file is in step.
    context = Context(store=store, settings=settings, today=TODAY, user="bench")

    def dashboard() -> object:
        return read_rows(context, with_closed=False)

    dashboard()
    walls = []
    for discussion_id in drafts[repeat : 2 * repeat]:
        autosave(discussion_id)()  # another save lands: its shard is read again
        walls.append(timed(dashboard)[0])
    table.add("dashboard", "dashboard after a save (read_rows: index + kept rows)", "ms", n, median_ms(walls))
    walls = [timed(dashboard)[0] for _ in range(repeat)]
    table.add("dashboard_same", "dashboard, nothing changed", "ms", n, median_ms(walls))

    def from_scratch() -> object:
        return dashboard_items(store.summaries(), TODAY, settings)

    from_scratch()
    walls = []
    for discussion_id in drafts[2 * repeat : 3 * repeat]:
        autosave(discussion_id)()
        walls.append(timed(from_scratch)[0])
    table.add("dashboard_all", "  the same from every summary (summaries + dashboard_items)", "ms", n, median_ms(walls))

    ids = [s.id for s in rng.sample(summaries, repeat)]
    walls = [timed(lambda i=i: store.get(i))[0] for i in ids]
    table.add("open", "open one discussion (Store.get)", "ms", n, median_ms(walls))

    names = [s.children[0] for s in rng.sample([s for s in summaries if s.children], repeat)]
    found = []
    walls = []
    for name in names:
        wall, _ = timed(lambda name=name: found.append(len(search(store, name).results)))
        walls.append(wall)
    table.add("search", "search by child name (stratui.search.search)", "ms", n, median_ms(walls))
    if not all(found):
        table.notes.append(f"N={n}: a search found nothing: check the benchmark")
    store = summaries = items = None  # type: ignore[assignment]  # free before the next N
    gc.collect()


# -- recovery after a killed bulk write ---------------------------------------------------------


def measure_recovery(table: Table, n: int, db: Path, seed: int, runs: int) -> None:
    """The next open after a demo build of `n` discussions is killed with SIGKILL part-way: the
    build is one operation, so all it wrote is undone, whatever its size.

    Killed half-way (writing a batch's files, the usual moment: n/2 to undo) and after its last
    batch, just before its commit (all n to undo, the worst case). Each killed database is built
    once and copied, flushed to disk as the build left it, for each of `runs` opens; each open is
    a fresh process, timed whole (interpreter, imports, open and undoing) from this side.
    """
    kills = (
        ("recover_undo", "open after a bulk write of N killed half-way (N/2 undone)", f"record:{max(1, n // 2)}"),
        ("recover_undo_all", "  same, killed after its last batch, before its commit (N undone)", "commit:1"),
    )
    for key, label, kill in kills:
        killed = db.with_name(f"{db.name}-{key}")
        _killed_build(n, seed, killed, kill)
        times = []
        for _ in range(max(1, runs)):
            shutil.rmtree(db, ignore_errors=True)
            shutil.copytree(killed, db, symlinks=True)
            os.sync()  # removing a file still in the page cache only would be unfairly quick
            times.append(_timed_recover(db))
        table.add(key, label, "s", n, statistics.median(times), 2)
        shutil.rmtree(killed, ignore_errors=True)
    shutil.rmtree(db, ignore_errors=True)


def _killed_build(n: int, seed: int, db: Path, kill: str) -> None:
    args = [sys.executable, "-m", "bench.child", "build", str(n), str(seed), TODAY.isoformat(), str(db), kill]
    run = subprocess.run(args, cwd=_repo(), capture_output=True, text=True)
    if run.returncode != -9:
        log(f"the build of {n:,} killed at {kill} ended with {run.returncode} instead: {run.stderr[-500:]}")


def _timed_recover(db: Path) -> float:
    began = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "bench.child", "recover", str(db)], cwd=_repo(), capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if run.returncode != 0 or not run.stdout.startswith("recovered "):
        raise SystemExit(f"opening the killed database failed:\n{run.stderr[-3000:]}")
    log(f"  {run.stdout.strip()}")
    return elapsed


# -- starts -----------------------------------------------------------------------------------


def child_start(args: list[str], env: dict[str, str]) -> tuple[float, int, float, float]:
    """Seconds from spawning the process to its "ready" line, its peak RSS in kB, the longest
    UI-thread stall (ms) while it started, and seconds to its "interactive" line (or "ready")."""
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.child", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=_repo(),
        env=env,
    )
    assert proc.stdout is not None
    interactive = None
    for line in proc.stdout:
        if line.startswith("interactive ") and interactive is None:
            interactive = time.perf_counter() - began
        if line.startswith("ready "):
            elapsed = time.perf_counter() - began
            rss_kb = int(line.split()[2])
            stall_ms = float(line.split()[3])
            break
    else:
        _, err = proc.communicate()
        raise SystemExit(f"bench.child {' '.join(args)} failed:\n{err[-3000:]}")
    proc.communicate()
    return elapsed, rss_kb, stall_ms, elapsed if interactive is None else interactive


def measure_starts(table: Table, n: int, db: Path, repeat: int, scratch: Path) -> None:
    config = scratch / "settings.toml"  # missing: the defaults
    env = dict(os.environ, STRATUI_EXPORTS=str(scratch / "exports"), STRATUI_TODAY=TODAY.isoformat())
    env.pop("STRATUI_DEBUG", None)
    app_args = ["app", str(db), TODAY.isoformat(), str(config)]
    # Interleaved, so both see the same machine.
    floors, starts, rss, floor_rss, stalls, floor_stalls, shown = [], [], [], [], [], [], []
    child_start(["floor"], env)  # the first run warms the page cache
    child_start(app_args, env)
    for _ in range(repeat):
        seconds, kb, stall, _ = child_start(["floor"], env)
        floors.append(seconds)
        floor_rss.append(kb)
        floor_stalls.append(stall)
        seconds, kb, stall, interactive = child_start(app_args, env)
        starts.append(seconds)
        shown.append(interactive)
        rss.append(kb)
        stalls.append(stall)
    floor, start = statistics.median(floors), statistics.median(starts)
    table.add("start", "start to dashboard filled, fresh process", "s", n, start, 2)
    table.add("floor", "  bare Textual (Header+DataTable+Footer), fresh process", "s", n, floor, 2)
    table.add("start_ratio", "  ratio to the floor", "x", n, start / floor, 2)
    interactive = statistics.median(shown)
    table.add("interactive", "start to dashboard shown, keys live (list may still load)", "s", n, interactive, 2)
    table.add("interactive_ratio", "  ratio to the floor", "x", n, interactive / floor, 2)
    table.add("stall", "longest UI-thread stall during the start (worst run)", "ms", n, max(stalls), 0)
    table.add("floor_stall", "  same for the bare Textual app", "ms", n, max(floor_stalls), 0)

    in_app, in_floor = asyncio.run(_starts_in_process(db, config, repeat))
    table.add("start_in", "start to dashboard filled, in this process (imports paid)", "ms", n, in_app * 1000, 0)
    table.add("floor_in", "  bare Textual, in this process", "ms", n, in_floor * 1000, 0)
    table.add("start_in_ratio", "  ratio to the floor", "x", n, in_app / in_floor, 2)
    table.add("rss", "peak RSS of the app at start (VmHWM)", "MB", n, statistics.median(rss) / 1024, 0)
    table.add("floor_rss", "  peak RSS of the bare Textual app", "MB", n, statistics.median(floor_rss) / 1024, 0)


async def _starts_in_process(db: Path, config: Path, repeat: int) -> tuple[float, float]:
    from textual.widgets import DataTable

    from bench.child import bare_app, dashboard_filled
    from stratui.app import make_app
    from stratui.context import open_context

    async def until(pilot: object, done: Callable[[], bool]) -> None:
        while not done():
            await pilot.pause(0.002)  # type: ignore[attr-defined]

    async def floor() -> float:
        began = time.perf_counter()
        bare = bare_app()
        async with bare.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: bare.query_one(DataTable).row_count > 0)
            return time.perf_counter() - began

    async def start() -> float:
        began = time.perf_counter()
        # A new Store each time: the index is read from disk as at a real start.
        context = open_context(db=db, config=config, today=TODAY.isoformat())
        app = make_app(context)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: dashboard_filled(app))
            return time.perf_counter() - began

    await floor()
    await start()
    floors, starts = [], []
    for _ in range(repeat):
        floors.append(await floor())
        starts.append(await start())
        gc.collect()
    return statistics.median(starts), statistics.median(floors)


# -- whole processes against their floors (issue 14) --------------------------------------------


def measure_whole(table: Table, n: int, db: Path, repeat: int, scratch: Path, python: str) -> None:
    """`stratui dashboard --json` and the TUI's first screenful in tmux, each beside its floor."""
    from bench import whole

    env = dict(
        os.environ,
        STRATUI_DB=str(db),
        STRATUI_CONFIG=str(scratch / "settings.toml"),
        STRATUI_EXPORTS=str(scratch / "exports"),
        STRATUI_TODAY=TODAY.isoformat(),
    )
    env.pop("STRATUI_DEBUG", None)
    # Run from the scratch folder: `python -m stratui` from this checkout would import its stratui,
    # whichever Python runs it (--python measures another checkout's).
    # `dashboard --json` writes nothing (a read-only command): the first screen's file is written
    # as the app writes it after its full read.
    first = (
        "from stratui.context import open_context; from stratui.dashboard_read import read_rows, write_first_screen; "
        "c = open_context(); write_first_screen(c, read_rows(c, with_closed=False))"
    )
    subprocess.run([python, "-c", first], env=env, cwd=scratch, check=True)
    # The bytecode an installed stratui has (pip compiles it at install): a checkout run with
    # PYTHONDONTWRITEBYTECODE set (as on the machine this table comes from) would otherwise compile
    # each of its modules from source at every start, some 0.1 s the floor (Textual, installed)
    # never pays.
    compiled = "import compileall, stratui, stratui.screens as s; [compileall.compile_dir(d, quiet=2) for d in (*stratui.__path__, *s.__path__)]"
    subprocess.run([python, "-c", compiled], env=env, cwd=scratch, check=True)
    cli = [python, "-m", "stratui", "dashboard", "--json"]
    floor = [python, "-c", "import textual.app"]
    seconds, floor_seconds = whole.interleaved(
        lambda: whole.process_seconds(cli, env, scratch), lambda: whole.process_seconds(floor, env, scratch), repeat
    )
    table.add("cli", "`stratui dashboard --json`, whole process", "s", n, seconds, 2)
    table.add("cli_floor", "  `python -c \"import textual.app\"`", "s", n, floor_seconds, 2)
    table.add("cli_ratio", "  ratio to the floor", "x", n, seconds / floor_seconds, 2)
    if not whole.have_tmux():
        table.notes.append("tmux is not installed: no TUI start in a terminal")
        return
    tui_env = {k: env[k] for k in ("STRATUI_DB", "STRATUI_CONFIG", "STRATUI_EXPORTS", "STRATUI_TODAY")}
    tui_env["TERM"] = "xterm-256color"
    tui = [python, "-m", "stratui"]
    bare = [python, "-m", "bench.child", "floor-tty"]
    seconds, floor_seconds = whole.interleaved(
        lambda: whole.tmux_seconds(tui, tui_env, scratch), lambda: whole.tmux_seconds(bare, tui_env, _repo()), repeat
    )
    table.add("tui", "TUI in tmux 80x24, launch to the first OVERDUE row", "s", n, seconds, 2)
    table.add("tui_floor", "  bare Textual app in tmux, same", "s", n, floor_seconds, 2)
    table.add("tui_ratio", "  ratio to the floor", "x", n, seconds / floor_seconds, 2)


# -- the table --------------------------------------------------------------------------------

ORDER = (
    "save", "save_cpu", "mark", "dashboard", "dashboard_same", "dashboard_all", "open", "search", "cold", "items",
    "cli", "cli_floor", "cli_ratio", "tui", "tui_floor", "tui_ratio",
    "start", "floor", "start_ratio", "interactive", "interactive_ratio", "stall", "floor_stall", "start_in", "floor_in", "start_in_ratio", "rss", "floor_rss", "size", "build", "build_rss", "recover_undo", "recover_undo_all",
)  # fmt: skip
ORDER += AUDIT_ORDER


def render(table: Table, sizes: tuple[int, ...]) -> str:
    big = max(sizes)
    header = ["measure (median)", *[f"{n:,}" for n in sizes], f"target at {big:,}", "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * len(sizes) + ["---", "---"]) + "|"]
    for key in ORDER:
        row = table.rows.get(key)
        if row is None:
            continue
        cells = [f"{row.label}, {row.unit}" if row.unit else row.label]
        for n in sizes:
            value = row.values.get(n)
            cells.append("" if value is None else f"{value:,.{row.digits}f}")
        target = TARGETS.get(key)
        if target and big in row.values:
            op, limit = target
            cells.append(f"{op} {limit:g}")
            cells.append("yes" if row.values[big] <= limit else "**NO**")
        else:
            cells += ["", ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES), help="discussions per database (default 1000,5000,20000,100000; keep them with --data)")
    parser.add_argument("--repeat", type=int, default=21, help="runs per timed operation (default 21)")
    parser.add_argument("--starts", type=int, default=5, help="runs per start measurement (default 5)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--recoveries", type=int, default=3, help="opens timed per killed build (default 3)")
    parser.add_argument("--only-recovery", action="store_true", help="time only the opens after a killed build")
    parser.add_argument("--data", type=Path, help="keep the databases in this folder and reuse them next time (default: a temp folder, removed); the 100,000 takes minutes to build")
    parser.add_argument("--python", default=sys.executable, help="the Python whose stratui the whole-process rows run (another checkout's venv: a before/after in one harness)")
    parser.add_argument("--only-whole", action="store_true", help="only the whole-process rows (dashboard --json and the TUI in tmux, beside their floors)")
    parser.add_argument("--only-store", action="store_true", help="only the rows timed in this process (save, dashboard, open, search)")
    args = parser.parse_args(argv)
    sizes = tuple(sorted(int(n) for n in args.sizes.split(",")))

    began = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="stratui-bench-"))
    # Absolute: the whole-process rows run stratui from another folder.
    folder = (args.data or scratch / "databases").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    before = machine()
    table = Table()
    try:
        built = {} if args.only_recovery else build_databases(folder, sizes, args.seed)
        for n in sizes:
            if args.only_recovery:
                measure_recovery(table, n, scratch / f"killed-{n}", args.seed, args.recoveries)
                continue
            db = database_path(folder, n, args.seed)
            if n in built:
                table.add("build", "build: `stratui demo --count N`, whole process", "s", n, built[n][0], 0)
                table.add("build_rss", "  its peak RSS, with its generator and workers, summed", "MB", n, built[n][1] / 1024, 0)
            log(f"measuring {n:,} discussions")
            if not args.only_whole:
                measure_store(table, n, db, args.repeat)
            if args.only_store:
                continue
            measure_whole(table, n, db, args.starts, scratch, args.python)
            if args.only_whole:
                continue
            measure_starts(table, n, db, args.starts, scratch)
            measure_audit(table, n, db, args.repeat, scratch)
            table.add("size", "database on disk", "MB", n, disk_usage(db) / 1e6, 0)
            measure_recovery(table, n, scratch / f"killed-{n}", args.seed, args.recoveries)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(render(table, sizes))
    print()
    print(f"Machine: {before} at the start, {machine().split(', load average ')[1]} at the end. "
          f"Whole run {time.perf_counter() - began:.0f} s.")
    for note in table.notes:
        print(note)
    return 0

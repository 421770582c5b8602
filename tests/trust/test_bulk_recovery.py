"""A bulk write (import, demo) is one operation: killed with SIGKILL at any step, at any size, the
next open undoes all of it, and recovery reads the audit log at most once.

Each kill is a real process dying: either killed from outside once the write is seen past its
first batch (its journal names more than one batch of ids), or killing itself at one exact step
of the write (before any batch, inside one, between two, after the last before its commit). The
next open, even one that only reads, must leave none of it, with an audit trail (and this user's
witness of it) that verifies clean, say so in one line, and the same command run again must write
all of it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from stratui.audit import AuditLog
from stratui.demo import generate_demo
from stratui.exchange import ImportFileError, dump_all
from stratui.store import Store, StoreError, bulk_prepare, writes
from stratui.store.index import Index
from stratui.store.writes import BULK_FILE, JOURNAL_FOLDER
from holding import LockHolder

STRATUI = Path(sys.executable).with_name("stratui")
TODAY = date(2026, 11, 25)
COUNT = 35  # in batches of BATCH: four, the last one short
BATCH = 10
# Killed from outside: LARGE discussions in batches of OUTSIDE_BATCH, so that the kill, once the
# second batch is named, still finds eight batches to go however slowly this process polls.
LARGE = 400
OUTSIDE_BATCH = 40

# Runs `stratui ARGS...` in this process after arranging to SIGKILL itself at one step:
#   ids N      as the Nth batch is about to be named in the journal (1: before any batch,
#              2: between the first and the second, the first's audit entries recorded)
#   record N   once N record files are written     index N   at the Nth index shard write
#   head N     at the Nth audit append, its entries written but their end not recorded
#   end N      at the commit (the journal's removal), every batch written, indexed and audited
# and with `batch` discussions per batch.
SELF_KILLING = r"""
import os, signal, sys
from stratui import cli
from stratui.audit import AuditLog
from stratui.store import writes
from stratui.store.index import Index
from stratui.store.records import RecordFiles

point, after, batch, *args = sys.argv[1:]
after = int(after)
writes.BULK_BATCH = int(batch)
calls = [0]


def dying(original):
    def step(*a, **k):
        calls[0] += 1
        if calls[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*a, **k)
    return step


def dying_after(original):
    def step(*a, **k):
        result = original(*a, **k)
        calls[0] += 1
        if calls[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return step


if point == "ids":
    writes.Journal.add_bulk_ids = dying(writes.Journal.add_bulk_ids)
elif point == "record":
    RecordFiles.write_new = dying_after(RecordFiles.write_new)
elif point == "head":
    AuditLog._write_head = dying(AuditLog._write_head)
elif point == "index":
    Index.write = dying(Index.write)
elif point == "end":
    writes.Journal.end_bulk = dying(writes.Journal.end_bulk)
sys.exit(cli.main(args))
"""


# Runs `stratui ARGS...` with its bulk writes in batches of argv[1] discussions.
IN_BATCHES_OF = r"""
import sys
from stratui import cli
from stratui.store import writes
writes.BULK_BATCH = int(sys.argv[1])
sys.exit(cli.main(sys.argv[2:]))
"""


# The same, its records prepared by worker processes (bulk_prepare) however small the write.
WITH_WORKERS = r"""
import sys
from stratui import cli
from stratui.store import bulk_prepare, writes
writes.BULK_BATCH = int(sys.argv[1])
bulk_prepare.PARALLEL_FROM = 0
sys.exit(cli.main(sys.argv[2:]))
"""


def stratui(*args: str) -> subprocess.CompletedProcess[str]:
    # The conftest's environment (STRATUI_DB, STRATUI_WITNESS, STRATUI_TODAY ...) is inherited.
    return subprocess.run([str(STRATUI), *args], capture_output=True, text=True, env=dict(os.environ), timeout=900)


def killed_at(point: str, after: int, batch: int, *args: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SELF_KILLING, point, str(after), str(batch), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=900,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr[-2000:]


def killed_from_outside(db: Path, *args: str, script: str = IN_BATCHES_OF) -> list[int]:
    """Run `stratui ARGS...` and SIGKILL it once its journal names more ids than one batch holds:
    the first batch's files, index and audit entries are all in by then. Returns the pids of
    the processes it had started, as they were just before the kill."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(OUTSIDE_BATCH), *args], env=dict(os.environ), stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 600
    while journal_ids(db) <= OUTSIDE_BATCH:
        assert process.poll() is None, f"it ended before it could be killed: {process.stderr.read()[-2000:]!r}"
        assert time.monotonic() < deadline, "the bulk write never got past its first batch"
        time.sleep(0.005)
    children = children_of(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait(60)
    assert process.returncode == -signal.SIGKILL
    return children


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Whether `pid` is a process still running (a zombie left for its new parent to reap is not)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def journal_ids(db: Path) -> int:
    """How many ids the bulk write's journal names (0 if it has none)."""
    try:
        return max(0, (db / JOURNAL_FOLDER / BULK_FILE).read_bytes().count(b"\n") - 1)
    except FileNotFoundError:
        return 0


@pytest.fixture
def db(isolated_environment: Path) -> Path:
    return Path(os.environ["STRATUI_DB"])


@pytest.fixture
def mine(db: Path, make_discussion):  # type: ignore[no-untyped-def]
    """A discussion saved before the bulk write: its audit entry and this user's witness of it
    are what the undoing must leave true."""
    return Store.open(db, user="Sam Patel").create(make_discussion())


def export_of(tmp_path: Path, count: int) -> Path:
    path = tmp_path / f"backup-{count}.json"
    path.write_text(dump_all(generate_demo(count, 4, TODAY)), encoding="utf-8")
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return export_of(tmp_path, COUNT)


def export_ids(path: Path) -> set[str]:
    return {doc["id"] for doc in json.loads(path.read_text("utf-8"))["discussions"]}


def record_ids(db: Path) -> set[str]:
    return {p.name.removesuffix(".json") for p in (db / "discussions").glob("*/*.json")}


def audited_ids(db: Path) -> list[str]:
    log = db / "audit" / "audit.jsonl"
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    return [json.loads(line)["discussion_id"] for line in lines]


def dashboard_ids(db: Path) -> set[str]:
    shown = stratui("dashboard", "--json")
    assert shown.returncode == 0, shown.stderr
    return {row["discussion_id"] for row in json.loads(shown.stdout)}


def assert_undone(db: Path, before: set[str], command: str, total: int) -> None:
    """The next open (`stratui check`, which only reads) undid the killed write, said so in one
    line, and leaves exactly `before`, each audited once, with a clean check and audit trail."""
    check = stratui("check")
    assert "Traceback" not in check.stderr
    assert check.returncode == 0, check.stdout + check.stderr
    said = check.stderr
    assert said.count("\n") == 1, said
    assert f"stratui: {command} was stopped before it finished, so it has been undone: nothing of it is in " in said
    assert f"Run it again to {'import' if ' import ' in f' {command} ' else 'write'} all {total} of them." in said
    assert_sound(db, before)


def assert_sound(db: Path, expected: set[str], edits: int = 0) -> None:
    """Clean `check` and `audit verify`; exactly `expected` stored, listed and audited (each once,
    and `edits` more entries)."""
    check = stratui("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "match their audit trail" in check.stdout
    verify = stratui("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "chain intact" in verify.stdout and verify.stderr == "", verify.stdout + verify.stderr
    assert record_ids(db) == expected
    assert set(audited_ids(db)) == expected and len(audited_ids(db)) == len(expected) + edits
    assert {s.id for s in Store.open(db).summaries()} == expected
    assert dashboard_ids(db) <= expected
    assert list((db / JOURNAL_FOLDER).iterdir()) == []
    assert not list(db.glob("**/.*.tmp"))


def audit_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the AuditLog's whole-log reads, one each time one is called, from now on."""
    reads: list[str] = []
    for reader in ("entries", "history", "latest_revisions"):
        original = getattr(AuditLog, reader)

        def counted(self: AuditLog, *args: object, _original=original, _name=reader):  # type: ignore[no-untyped-def]
            reads.append(_name)
            return _original(self, *args)

        monkeypatch.setattr(AuditLog, reader, counted)
    return reads


# -- a real process killed from outside part-way through more than one batch ----------------


def test_an_import_of_more_than_a_batch_killed_part_way_leaves_none_of_it(db: Path, tmp_path: Path, mine) -> None:
    export = export_of(tmp_path, LARGE)
    killed_from_outside(db, "import", str(export))
    assert len(record_ids(db)) > OUTSIDE_BATCH  # its whole first batch was in when it died

    # The first open after the kill is one that only reads: it shows none of it.
    assert dashboard_ids(db) <= {mine.id}
    assert record_ids(db) == {mine.id}
    assert_sound(db, {mine.id})

    again = stratui("import", str(export))
    assert again.returncode == 0, again.stderr
    assert f"imported {LARGE} discussions" in again.stdout and "already there" not in again.stdout
    assert_sound(db, export_ids(export) | {mine.id})


def test_the_first_open_after_the_kill_says_it_was_undone(db: Path, tmp_path: Path, mine) -> None:
    export = export_of(tmp_path, LARGE)
    killed_from_outside(db, "import", str(export))
    assert_undone(db, {mine.id}, f"stratui import {export}", LARGE)


def test_a_demo_of_more_than_a_batch_killed_part_way_leaves_none_of_it(db: Path, mine) -> None:
    killed_from_outside(db, "demo", "--count", str(LARGE), "--yes")
    command = f"stratui demo --count {LARGE} --seed 1 --nation england --today {TODAY}"
    assert_undone(db, {mine.id}, command, LARGE)

    again = stratui("demo", "--count", str(LARGE), "--yes")
    assert again.returncode == 0, again.stderr
    assert f"wrote {LARGE} demo discussions" in again.stdout and "already there" not in again.stdout
    assert len(record_ids(db)) == LARGE + 1
    assert_sound(db, record_ids(db))


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or bulk_prepare.workers_for(bulk_prepare.PARALLEL_FROM) == 0,
    reason="needs /proc and two CPUs (a bulk write has no workers on one)",
)
def test_a_demo_killed_while_workers_prepare_its_records_is_undone_and_its_workers_end(db: Path, mine) -> None:
    workers = killed_from_outside(db, "demo", "--count", str(LARGE), "--yes", script=WITH_WORKERS)
    assert len(workers) == bulk_prepare.workers_for(bulk_prepare.PARALLEL_FROM)
    # The lock is free at once (the workers never held it): the next open undoes the write.
    command = f"stratui demo --count {LARGE} --seed 1 --nation england --today {TODAY}"
    assert_undone(db, {mine.id}, command, LARGE)
    # With their writer gone their input ended, and they ended too (the deadline only stops a hang).
    deadline = time.monotonic() + 300
    while any(running(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its writer"
        time.sleep(0.05)
    again = stratui("demo", "--count", str(LARGE), "--yes")
    assert again.returncode == 0, again.stderr


# -- killed at each step of the operation -------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "after"),
    [
        ("ids", 1),  # journalled, before any batch
        ("record", 15),  # inside the second batch, writing its files
        ("index", 3),  # inside the first batch, writing its index
        ("head", 3),  # inside the third batch, its audit entries written but not recorded
        ("ids", 2),  # between the first batch (all in) and the second
        ("ids", 4),  # between the third and the last
        ("end", 1),  # after the last batch, before the commit
    ],
)
def test_killed_at_any_step_the_whole_import_is_undone(db: Path, export: Path, mine, point: str, after: int) -> None:
    killed_at(point, after, BATCH, "import", str(export))
    assert_undone(db, {mine.id}, f"stratui import {export}", COUNT)
    again = stratui("import", str(export))
    assert again.returncode == 0, again.stderr
    assert f"imported {COUNT} discussions" in again.stdout
    assert_sound(db, export_ids(export) | {mine.id})


def test_killed_before_its_commit_even_a_whole_written_import_is_undone(db: Path, export: Path) -> None:
    killed_at("end", 1, BATCH, "import", str(export))
    assert record_ids(db) == export_ids(export) and len(audited_ids(db)) == COUNT  # all of it, uncommitted
    assert_undone(db, set(), f"stratui import {export}", COUNT)
    assert not (db / "audit" / "audit.jsonl").exists()  # the log began with the import: it goes with it


def test_a_demo_killed_between_batches_is_undone_whole(db: Path) -> None:
    killed_at("ids", 3, BATCH, "demo", "--count", str(COUNT))
    assert len(record_ids(db)) == 2 * BATCH
    assert_undone(db, set(), f"stratui demo --count {COUNT} --seed 1 --nation england --today {TODAY}", COUNT)


def test_an_import_run_again_after_some_was_already_in_undoes_only_its_own(db: Path, tmp_path: Path, export: Path) -> None:
    first = tmp_path / "first.json"
    docs = json.loads(export.read_text("utf-8"))
    first.write_text(json.dumps({**docs, "discussions": docs["discussions"][:12]}), encoding="utf-8")
    done = stratui("import", str(first))
    assert done.returncode == 0, done.stderr
    before = record_ids(db)

    # Killed after its first batch with anything new in it: the 8 of the second ten not in yet.
    killed_at("ids", 2, BATCH, "import", str(export))
    assert len(record_ids(db)) == 2 * BATCH
    assert_undone(db, before, f"stratui import {export}", COUNT)
    again = stratui("import", str(export))
    assert f"imported {COUNT - 12} discussions" in again.stdout and "12 were already there unchanged" in again.stdout


def test_a_read_only_open_while_the_write_holds_the_lock_leaves_it_alone(db: Path, export: Path, mine) -> None:
    killed_at("ids", 2, BATCH, "import", str(export))
    with LockHolder(db, "Alex Moss") as holder:  # as if the import were still writing
        shown = stratui("dashboard", "--json")
        assert shown.returncode == 0 and "undone" not in shown.stderr
        assert len(record_ids(db)) == BATCH + 1  # not undone under a live writer's lock
        check = stratui("check")
        assert check.returncode != 0 and "a bulk write (import or demo) is under way" in check.stdout
        holder.release()
    assert_undone(db, {mine.id}, f"stratui import {export}", COUNT)


def test_undoing_reads_the_audit_log_at_most_once_and_rewrites_each_shard_once(
    db: Path, export: Path, mine
) -> None:
    killed_at("end", 1, BATCH, "import", str(export))
    # The counting patches only: undone before the checks, which must keep the test's isolated
    # environment (undoing the test's own monkeypatch pointed them at the user's default database).
    patches = pytest.MonkeyPatch()
    reads = audit_reads(patches)
    # Each touched shard is put back once: rewritten without the undone lines, or removed when
    # none is left (which shards keep a line depends on the random ids).
    shards: list[str] = []
    put_back = Index.put_back

    def counted_put_back(self: Index, shard: str, lines: dict[str, bytes], existed: bool) -> None:
        shards.append(shard)
        put_back(self, shard, lines, existed)

    patches.setattr(Index, "put_back", counted_put_back)
    reopened = Store.open(db, user="Sam Patel", read_only=True)

    assert len(reads) <= 1, reads
    assert shards and max(Counter(shards).values()) == 1, shards
    assert len(reopened.recovered) == 1 and f"the {COUNT} discussions it had written were removed" in reopened.recovered[0]
    patches.undo()
    assert_sound(db, {mine.id})


def test_an_app_that_opened_the_database_before_the_kill_undoes_it_before_its_save(
    db: Path, export: Path, make_discussion
) -> None:
    app_store = Store.open(db, user="Sam Patel")
    mine = app_store.create(make_discussion())
    killed_at("ids", 2, BATCH, "import", str(export))

    mine.information.concerns += " Update from the school."
    app_store.save(mine)  # would otherwise land on top of the killed write's entries

    assert len(app_store.recovered) == 1 and "has been undone" in app_store.recovered[0]
    assert_sound(db, {mine.id}, edits=1)


def test_a_write_refused_part_way_is_undone_at_once(db: Path, mine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "BULK_BATCH", BATCH)
    demo = generate_demo(COUNT, 4, TODAY)
    repeated = [*demo[:250], demo[10]]  # found in the third batch, after two were written
    store = Store.open(db, user="Sam Patel")
    with pytest.raises(StoreError) as refused:
        store.save_all_new(iter(repeated), command="stratui import backup.json", total=len(repeated))
    assert str(refused.value) == f"discussion id {demo[10].id} appears twice; nothing was imported"
    assert_sound(db, {mine.id})


def test_a_write_whose_file_changed_part_way_is_undone_at_once(db: Path, mine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "BULK_BATCH", BATCH)

    def read_again():  # type: ignore[no-untyped-def]
        yield from generate_demo(COUNT, 4, TODAY)[:250]
        raise ImportFileError("backup.json changed while it was being imported")

    with pytest.raises(ImportFileError):
        Store.open(db, user="Sam Patel").save_all_new(read_again(), command="stratui import backup.json", total=COUNT)
    assert_sound(db, {mine.id})


# -- single saves' markers: the audit log is read once, whatever their number ---------------


def test_many_interrupted_saves_are_settled_with_one_read_of_the_audit_log(db: Path, make_discussion) -> None:
    store = Store.open(db, user="Sam Patel")
    saved = [store.create(make_discussion(case_ref=f"CS-{n:06d}")) for n in range(40)]
    journal = db / JOURNAL_FOLDER
    for discussion in saved:
        (journal / discussion.id).touch()  # as 40 saves killed after their audit entry
    # Ten more killed after replacing their file, before their entry: recorded at the next open.
    for discussion in saved[:10]:
        doc = discussion.model_copy(update={"revision": discussion.revision + 1, "concern_source": "Police"})
        store.records.write_doc(store.records.path(discussion.id), doc.model_dump(mode="json"))

    patches = pytest.MonkeyPatch()  # undone before `check`, the isolated environment kept
    reads = audit_reads(patches)
    reopened = Store.open(db, user="Sam Patel")

    assert len(reads) == 1, reads
    assert list(journal.iterdir()) == []
    assert reopened.get(saved[0].id).concern_source == "Police"
    assert {s.id: s.revision for s in reopened.summaries()} == {
        d.id: d.revision + (1 if n < 10 else 0) for n, d in enumerate(saved)
    }
    patches.undo()
    check = stratui("check")
    assert check.returncode == 0, check.stdout
    actions = [json.loads(line)["action"] for line in (db / "audit" / "audit.jsonl").read_text().splitlines()]
    assert actions.count("recovered-save") == 10

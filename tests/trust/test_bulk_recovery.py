"""A bulk write (import, demo) killed with SIGKILL is all or nothing, and recovery reads the audit log once.

Each kill is a real process dying: either killed from outside once the write is seen under way
(its journal and some record files exist), or killing itself at one exact step of the write
(after some record files, between its audit entries and their recorded end, before the index).
The next open must leave all of the batch or none of it, with an audit trail that matches, and
say so in one line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from stratui.audit import AuditLog
from stratui.demo import generate_demo
from stratui.exchange import dump_all
from stratui.store import Store
from stratui.store.writes import BULK_FILE, JOURNAL_FOLDER

STRATUI = Path(sys.executable).with_name("stratui")
TODAY = date(2026, 11, 25)
COUNT = 350

# Runs `stratui ARGS...` in this process after arranging to SIGKILL itself at one step:
#   record N   once N record files are written     index N   at the Nth index shard write
#   head N     at the Nth audit append, its entries written but their end not recorded
#   end N      at the Nth batch's last step, its audit entries recorded (its commit)
# and with `batch` discussions per all-or-nothing batch.
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


if point == "record":
    RecordFiles.write_doc = dying_after(RecordFiles.write_doc)
elif point == "head":
    AuditLog._write_head = dying(AuditLog._write_head)
elif point == "index":
    Index.write = dying(Index.write)
elif point == "end":
    writes.Journal.end_bulk = dying(writes.Journal.end_bulk)
sys.exit(cli.main(args))
"""


def stratui(*args: str) -> subprocess.CompletedProcess[str]:
    # The conftest's environment (STRATUI_DB, STRATUI_WITNESS, STRATUI_TODAY ...) is inherited.
    return subprocess.run([str(STRATUI), *args], capture_output=True, text=True, env=dict(os.environ), timeout=600)


def killed_at(point: str, after: int, batch: int, *args: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SELF_KILLING, point, str(after), str(batch), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=600,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr[-2000:]


@pytest.fixture
def db(isolated_environment: Path) -> Path:
    return Path(os.environ["STRATUI_DB"])


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "backup.json"
    path.write_text(dump_all(generate_demo(COUNT, 4, TODAY)), encoding="utf-8")
    return path


def export_ids(path: Path) -> set[str]:
    return {doc["id"] for doc in json.loads(path.read_text("utf-8"))["discussions"]}


def record_ids(db: Path) -> set[str]:
    return {p.name.removesuffix(".json") for p in (db / "discussions").glob("*/*.json")}


def audited_ids(db: Path) -> list[str]:
    log = db / "audit" / "audit.jsonl"
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    return [json.loads(line)["discussion_id"] for line in lines]


def assert_sound(db: Path, expected: set[str] | None = None, edits: int = 0) -> str:
    """`stratui check --repair` (the first open after the kill: a read-only command leaves the
    batch to a writer) settles it, `stratui check` is then clean, and the database holds exactly
    `expected` (by default whatever it holds), each audited once (and `edits` more entries).
    Returns what that open said."""
    settled = stratui("check", "--repair")
    check = stratui("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "match their audit trail" in check.stdout
    assert "no audit entry" not in check.stdout
    expected = record_ids(db) if expected is None else expected
    assert record_ids(db) == expected
    assert set(audited_ids(db)) == expected
    assert len(audited_ids(db)) == len(expected) + edits
    assert {s.id for s in Store.open(db).summaries()} == expected
    assert not (db / JOURNAL_FOLDER / BULK_FILE).exists()
    assert list((db / JOURNAL_FOLDER).iterdir()) == []
    assert "Traceback" not in settled.stderr + check.stderr
    assert settled.returncode == 0, settled.stdout + settled.stderr
    return settled.stderr


def test_an_import_killed_from_outside_leaves_none_or_all_of_it(db: Path, export: Path) -> None:
    process = subprocess.Popen([str(STRATUI), "import", str(export)], env=dict(os.environ))
    journal = db / JOURNAL_FOLDER / BULK_FILE
    # Awaited, not timed: the write is seen under way (its journal, some of its files), then killed.
    deadline = time.monotonic() + 300
    while not (journal.exists() and len(record_ids(db)) >= 30) and process.poll() is None:
        assert time.monotonic() < deadline, "the import never got under way"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(60)

    said = assert_sound(db)
    assert record_ids(db) in (set(), export_ids(export)), f"{len(record_ids(db))} of {COUNT} kept"
    if process.returncode == -signal.SIGKILL and not record_ids(db):
        assert "was interrupted" in said and "rolled back" in said
    again = stratui("import", str(export))
    assert again.returncode == 0, again.stderr
    assert_sound(db, export_ids(export))


def test_a_demo_killed_from_outside_leaves_none_or_all_of_it(db: Path) -> None:
    process = subprocess.Popen([str(STRATUI), "demo", "--count", str(COUNT)], env=dict(os.environ))
    journal = db / JOURNAL_FOLDER / BULK_FILE
    deadline = time.monotonic() + 300
    while not (journal.exists() and len(record_ids(db)) >= 30) and process.poll() is None:
        assert time.monotonic() < deadline, "the demo never got under way"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(60)

    assert_sound(db)
    assert len(record_ids(db)) in (0, COUNT)
    again = stratui("demo", "--count", str(COUNT))
    assert again.returncode == 0, again.stderr
    assert_sound(db)
    assert len(record_ids(db)) == COUNT


def test_killed_while_writing_its_files_nothing_of_the_import_is_kept(db: Path, export: Path) -> None:
    killed_at("record", 150, 1000, "import", str(export))
    said = assert_sound(db, set())
    assert said.count("\n") == 1
    assert f"stratui import {export} was interrupted: its batch of {COUNT} was rolled back" in said
    assert "nothing of it is in the database; run it again" in said


def test_killed_between_its_audit_entries_and_their_recorded_end_nothing_is_kept(db: Path, export: Path) -> None:
    killed_at("head", 1, 1000, "import", str(export))
    assert len(audited_ids(db)) == COUNT  # written, not yet recorded: the kill came at the last step
    said = assert_sound(db, set())
    assert "rolled back" in said


def test_killed_while_writing_the_index_nothing_is_kept(db: Path, export: Path) -> None:
    killed_at("index", 3, 1000, "import", str(export))
    assert "rolled back" in assert_sound(db, set())


def test_killed_once_its_audit_entries_are_recorded_the_import_is_kept_whole(db: Path, export: Path) -> None:
    killed_at("end", 1, 1000, "import", str(export))
    said = assert_sound(db, export_ids(export))
    assert f"interrupted after recording a batch of {COUNT}: {COUNT} of {COUNT} discussions are in" in said
    assert "run it again" not in said


def test_a_large_import_keeps_its_whole_batches_and_says_how_many_are_in(db: Path, export: Path) -> None:
    # Batches of 100: killed inside the third, after 250 files.
    killed_at("record", 250, 100, "import", str(export))
    said = assert_sound(db)
    assert len(record_ids(db)) == 200
    assert f"its last batch of 100 was rolled back, 200 of {COUNT} discussions are in" in said
    assert "run it again to add the rest (those already in are skipped)" in said

    # Run again, and killed once its first new batch is recorded: those already in count as in.
    killed_at("end", 1, 100, "import", str(export))
    said = assert_sound(db)
    assert len(record_ids(db)) == 300
    assert f"interrupted after recording a batch of 100: 300 of {COUNT} discussions are in" in said

    again = stratui("import", str(export))
    assert again.returncode == 0, again.stderr
    assert f"imported {COUNT - 300} discussions" in again.stdout and "300 were already there unchanged" in again.stdout
    assert_sound(db, export_ids(export))


def test_an_app_that_opened_the_database_before_the_kill_settles_the_batch_before_its_save(
    db: Path, export: Path, make_discussion
) -> None:
    app_store = Store.open(db, user="Sam Patel")
    mine = app_store.create(make_discussion())
    killed_at("head", 1, 1000, "import", str(export))

    mine.information.concerns += " Update from the school."
    app_store.save(mine)  # would otherwise adopt the killed batch's unrecorded entries

    assert len(app_store.recovered) == 1 and "rolled back" in app_store.recovered[0]
    assert_sound(db, {mine.id}, edits=1)


# -- single saves' markers: the audit log is read once, whatever their number ---------------


def test_many_interrupted_saves_are_settled_with_one_read_of_the_audit_log(
    db: Path, make_discussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db, user="Sam Patel")
    saved = [store.create(make_discussion(case_ref=f"CS-{n:06d}")) for n in range(40)]
    journal = db / JOURNAL_FOLDER
    for discussion in saved:
        (journal / discussion.id).touch()  # as 40 saves killed after their audit entry
    # Ten more killed after replacing their file, before their entry: recorded at the next open.
    for discussion in saved[:10]:
        doc = discussion.model_copy(update={"revision": discussion.revision + 1, "concern_source": "Police"})
        store.records.write_doc(store.records.path(discussion.id), doc.model_dump(mode="json"))

    reads: list[str] = []
    for reader in ("entries", "history", "latest_revisions"):
        original = getattr(AuditLog, reader)

        def counted(self: AuditLog, *args: object, _original=original, _name=reader):  # type: ignore[no-untyped-def]
            reads.append(_name)
            return _original(self, *args)

        monkeypatch.setattr(AuditLog, reader, counted)
    reopened = Store.open(db, user="Sam Patel")

    assert len(reads) == 1, reads
    assert list(journal.iterdir()) == []
    assert reopened.get(saved[0].id).concern_source == "Police"
    assert {s.id: s.revision for s in reopened.summaries()} == {
        d.id: d.revision + (1 if n < 10 else 0) for n, d in enumerate(saved)
    }
    monkeypatch.undo()
    check = stratui("check")
    assert check.returncode == 0, check.stdout
    actions = [json.loads(line)["action"] for line in (db / "audit" / "audit.jsonl").read_text().splitlines()]
    assert actions.count("recovered-save") == 10

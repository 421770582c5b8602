"""The store: atomic saves, conflicts, the sign-off lock, damage detection, repair, concurrency."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import stat
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from stratui import files
from stratui.models import Action, ActionStatus, Addendum, Child, Discussion, DiscussionStatus, SignOff
from stratui.store import (
    ConflictError,
    DamagedFileError,
    InvalidRecordError,
    LockedError,
    NotFoundError,
    Store,
    StoreError,
    writes,
)

HELD = date(2026, 11, 24)


def fixed_clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def discussion(case_ref: str = "CS-2026-00001", **changes: object) -> Discussion:
    base = Discussion(
        case_ref=case_ref,
        children=[Child(name="Amy Stone")],
        concern_date=date(2026, 11, 23),
        held_on=HELD,
        actions=[Action(text="Visit Amy at school", owner="Jo Bell", agency="Children's social care", due=date(2026, 11, 27))],
    )
    return base.model_copy(update=changes)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "db", user="alice", clock=fixed_clock)


def discussion_file(store: Store, discussion_id: str) -> Path:
    return store.root / "discussions" / discussion_id[:2] / f"{discussion_id}.json"


def test_create_then_get_round_trips_every_field(store: Store) -> None:
    saved = store.create(discussion())
    assert saved.revision == 1
    assert saved.created_by == "alice" and saved.updated_at == fixed_clock()
    assert store.get(saved.id) == saved
    [summary] = store.summaries()
    assert (summary.id, summary.case_ref, summary.children) == (saved.id, "CS-2026-00001", ["Amy Stone"])


def test_saving_bumps_revision_and_keeps_previous_version_as_backup(store: Store) -> None:
    saved = store.create(discussion())
    saved.concern_source = "Call from school"
    again = store.save(saved)
    assert again.revision == 2
    backup = json.loads(discussion_file(store, saved.id).with_suffix(".json.bak").read_text())
    assert backup["discussion"]["1"]["revision"] == 1
    assert store.summaries()[0].revision == 2


def test_a_stale_copy_is_refused_as_a_conflict_and_nothing_is_overwritten(store: Store) -> None:
    mine = store.create(discussion())
    theirs = mine.model_copy(deep=True)
    theirs.concern_source = "Their words"
    store.save(theirs)
    mine.concern_source = "My words"
    with pytest.raises(ConflictError) as refused:
        store.save(mine)
    assert "alice saved this discussion" in str(refused.value)
    assert refused.value.stored.concern_source == "Their words"
    assert store.get(mine.id).concern_source == "Their words"


def test_update_works_on_the_freshest_copy(store: Store) -> None:
    saved = store.create(discussion())
    other = saved.model_copy(deep=True)
    other.concern_source = "Edited elsewhere"
    store.save(other)

    def mark_done(d: Discussion) -> None:
        action = d.actions[0]
        action.status, action.closed_on, action.closed_by = ActionStatus.DONE, date(2026, 11, 25), "alice"

    updated = store.update(saved.id, mark_done)
    assert updated.revision == 3
    assert updated.concern_source == "Edited elsewhere"
    assert store.get(saved.id).actions[0].status is ActionStatus.DONE


def test_a_draft_breaking_a_rule_between_fields_is_saved_with_its_problem(store: Store) -> None:
    saved = store.create(discussion())
    saved.actions[0].due = date(2026, 1, 1)  # before the discussion
    again = store.save(saved)
    assert store.get(saved.id).actions[0].due == date(2026, 1, 1)
    assert any("cannot be earlier than the discussion" in p for p in again.rule_problems())


def test_a_record_of_the_wrong_type_is_not_written(store: Store) -> None:
    saved = store.create(discussion())
    saved.actions[0].due = "next week"  # type: ignore[assignment]
    with pytest.raises(InvalidRecordError, match="not a valid date"):
        store.save(saved)
    assert store.get(saved.id).actions[0].due == date(2026, 11, 27)


def test_signing_off_a_record_that_breaks_a_rule_is_refused(store: Store) -> None:
    saved = store.create(discussion())
    saved.actions[0].due = date(2026, 1, 1)
    saved.status = DiscussionStatus.SIGNED_OFF
    saved.sign_off = SignOff(manager="Jo Reid", signed_at=datetime(2026, 11, 25, 10, 0))
    with pytest.raises(InvalidRecordError, match="a signed-off record must meet every rule: .*cannot be earlier"):
        store.save(saved)
    assert not store.get(saved.id).is_signed_off


def signed_off(store: Store) -> Discussion:
    saved = store.create(discussion())
    saved.status = DiscussionStatus.SIGNED_OFF
    saved.sign_off = SignOff(manager="Sam Reid", signed_at=fixed_clock())
    return store.save(saved)


def test_signed_off_record_cannot_be_edited_in_place(store: Store) -> None:
    record = signed_off(store)
    record.concern_source = "quietly changed"
    with pytest.raises(LockedError, match="signed off by Sam Reid.*Add an addendum"):
        store.save(record)
    assert store.get(record.id).concern_source == ""


def test_signed_off_record_takes_addenda_and_action_tracking(store: Store) -> None:
    record = signed_off(store)
    record.addenda.append(Addendum(author="Sam Reid", written_at=fixed_clock(), reason="Police update", text="Arrest made"))
    action = record.actions[0]
    action.status, action.closed_on, action.closing_note = ActionStatus.DONE, date(2026, 11, 26), "Seen at school"
    saved = store.save(record)
    assert saved.addenda[0].text == "Arrest made"
    assert saved.actions[0].status is ActionStatus.DONE


def test_addenda_of_a_signed_off_record_cannot_be_rewritten(store: Store) -> None:
    record = signed_off(store)
    record.addenda.append(Addendum(author="Sam Reid", written_at=fixed_clock(), reason="r", text="first"))
    record = store.save(record)
    record.addenda[0].text = "rewritten"
    with pytest.raises(LockedError, match="never changed or removed"):
        store.save(record)
    record = store.get(record.id)
    record.addenda.clear()
    with pytest.raises(LockedError):
        store.save(record)


def test_signed_off_record_cannot_gain_new_actions(store: Store) -> None:
    record = signed_off(store)
    record.actions.append(Action(text="New", owner="x", due=date(2026, 12, 1)))
    with pytest.raises(LockedError):
        store.save(record)


def test_a_failing_write_leaves_the_old_file_and_reports_clearly(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = store.create(discussion())
    before = discussion_file(store, saved.id).read_bytes()

    def disk_full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", disk_full)
    saved.concern_source = "typed during the call"
    with pytest.raises(StoreError, match="No space left on device.*your work is kept"):
        store.save(saved)
    monkeypatch.undo()
    assert discussion_file(store, saved.id).read_bytes() == before
    assert not list(discussion_file(store, saved.id).parent.glob("*.tmp"))
    # The caller still holds the edit and can retry once space is freed.
    assert store.save(saved).concern_source == "typed during the call"


def test_a_damaged_file_is_reported_with_its_backup_and_never_overwritten(store: Store) -> None:
    saved = store.create(discussion())
    store.save(saved)
    path = discussion_file(store, saved.id)
    path.write_bytes(path.read_bytes()[:50])  # truncated
    with pytest.raises(DamagedFileError) as damaged:
        store.get(saved.id)
    message = str(damaged.value)
    assert str(path) in message and str(path) + ".bak" in message and "not valid JSON" in message
    with pytest.raises(DamagedFileError):
        store.save(saved.model_copy(update={"revision": 2}))
    assert len(path.read_bytes()) == 50
    assert any(str(path) in problem for problem in store.check())


def test_an_interrupted_save_is_repaired_in_the_index_on_next_open(store: Store, tmp_path: Path) -> None:
    saved = store.create(discussion())
    # As if the process died after writing the discussion but before the index.
    (store.root / "journal" / saved.id).write_bytes(b"")
    edited = saved.model_copy(update={"case_ref": "CS-NEW", "revision": 2})
    payload = json.dumps({"discussion": {"1": edited.model_dump(mode="json")}}).encode()
    files.atomic_write(discussion_file(store, saved.id), payload)
    # Until a writer settles it, reading follows the file (the truth), not the shard left behind.
    assert store.summaries()[0].case_ref == "CS-NEW"
    assert (store.root / "journal" / saved.id).exists()
    reopened = Store.open(tmp_path / "db", user="alice")
    assert reopened.summaries()[0].case_ref == "CS-NEW"
    assert not list((store.root / "journal").iterdir())
    assert reopened.check() == []


def test_rebuild_index_restores_a_deleted_index(store: Store) -> None:
    ids = {store.create(discussion(f"CS-{n}")).id for n in range(5)}
    for shard in (store.root / "index").glob("*.json"):
        shard.unlink()
    # Nothing is hidden meanwhile: read from the files, with each missing shard named.
    assert {s.id for s in store.summaries()} == ids
    assert {d.reason for d in store.index_damage()} == {"it is missing"}
    assert store.rebuild_index() == 5
    assert {s.id for s in store.summaries()} == ids


def test_save_all_new_is_all_or_nothing_and_idempotent(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = [discussion(f"CS-{n}") for n in range(4)]
    assert store.save_all_new(batch) == 4
    assert store.save_all_new(batch) == 0
    assert len(store) == 4
    changed = batch[0].model_copy(update={"case_ref": "CS-OTHER"})
    with pytest.raises(StoreError, match="already exists with different content"):
        store.save_all_new([discussion("CS-9"), changed])
    assert len(store) == 4

    calls = {"n": 0}
    real_write = files.atomic_write

    def fail_third(*args: object, **kwargs: object) -> files.Replacement:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(errno.EIO, "Input/output error")
        return real_write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "atomic_write", fail_third)
    with pytest.raises(StoreError, match="nothing was imported"):
        store.save_all_new([discussion(f"CS-NEW-{n}") for n in range(3)])
    monkeypatch.undo()
    assert len(store) == 4
    assert len(list((store.root / "discussions").glob("*/*.json"))) == 4


def test_save_all_new_refuses_a_document_that_does_not_validate_and_writes_none(store: Store) -> None:
    good = discussion("CS-1").model_dump(mode="json")
    wrong = {**discussion("CS-2").model_dump(mode="json"), "held_on": "the day after"}
    with pytest.raises(StoreError, match="nothing was imported"):
        store.save_all_new([good, wrong])
    assert len(store) == 0
    assert not list((store.root / "discussions").glob("*/*.json"))
    # A text arriving with a control character is kept as its stand-in, as a save keeps it.
    raw = {**discussion("CS-3").model_dump(mode="json"), "concern_source": "school\x1b[2J"}
    assert store.save_all_new([raw]) == 1
    assert store.get(raw["id"]).concern_source == "school\u241b[2J"
    assert store.check() == []  # its file matches its audit entry


def test_a_bulk_write_in_many_batches_indexes_as_one_in_a_single_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Later batches append their lines to the shards as the earlier ones left them.
    batch = [discussion(f"CS-{n}") for n in range(40)]
    whole = Store.open(tmp_path / "whole")
    assert whole.save_all_new(batch) == 40
    monkeypatch.setattr(writes, "BULK_BATCH", 3)
    batched = Store.open(tmp_path / "batched")
    assert batched.save_all_new(batch) == 40
    for shard in sorted((tmp_path / "whole" / "index").glob("*.json")):
        assert (tmp_path / "batched" / "index" / shard.name).read_bytes() == shard.read_bytes()
    assert batched.check() == []


def test_a_bulk_write_stops_and_is_undone_if_an_index_shard_changes_under_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "BULK_BATCH", 1)
    first, second = discussion("CS-1", id="00" + "a" * 30), discussion("CS-2", id="00" + "b" * 30)  # one shard

    def changed_by_hand():  # type: ignore[no-untyped-def]
        yield first
        shard = store.root / "index" / "00.json"
        shard.write_bytes(shard.read_bytes())  # the same bytes, another file
        yield second

    with pytest.raises(StoreError, match="changed by something else during the write; nothing was imported"):
        store.save_all_new(changed_by_hand())
    assert len(store) == 0 and store.check() == []


def test_files_are_private_to_their_owner(store: Store) -> None:
    saved = store.create(discussion())
    for path in [store.root, *store.root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = 0o700 if path.is_dir() else 0o600
        assert mode == expected, f"{path} has mode {oct(mode)}"
    assert saved


def test_refuses_a_database_folder_anyone_can_write(tmp_path: Path) -> None:
    root = tmp_path / "open"
    root.mkdir()
    os.chmod(root, 0o777)
    with pytest.raises(files.UnsafeFolderError, match="chmod o-w"):
        Store.open(root)


def test_unknown_and_malformed_ids_are_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get("0123456789abcdef0123456789abcdef")
    with pytest.raises(NotFoundError):
        store.get("../../etc/passwd")


def test_a_save_touches_one_discussion_file_and_one_index_shard(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the cost of a save against growing with the database (no timings: count the files)."""
    for n in range(300):
        store.create(discussion(f"CS-{n}"))
    target = store.create(discussion("CS-TARGET"))
    written: list[Path] = []
    read: list[Path] = []
    real_write, real_read = files.atomic_write, Path.read_bytes

    def counting_write(path: Path, *args: object, **kwargs: object) -> files.Replacement:
        written.append(path)
        return real_write(path, *args, **kwargs)  # type: ignore[arg-type]

    def counting_read(path: Path) -> bytes:
        read.append(path)
        return real_read(path)

    monkeypatch.setattr(files, "atomic_write", counting_write)
    monkeypatch.setattr(Path, "read_bytes", counting_read)
    target.concern_source = "autosave"
    store.save(target)
    data_written = [p for p in written if "journal" not in p.parts]
    assert sorted(p.parent.name for p in data_written) == sorted([target.id[:2], "index"])
    assert len({p for p in read if p.suffix == ".json"}) == 2


def _writer(root: str, worker: int, count: int) -> None:
    store = Store.open(Path(root), user=f"worker{worker}")
    for n in range(count):
        store.create(discussion(f"CS-{worker}-{n}"))


def test_several_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    Store.open(root)
    workers = [multiprocessing.get_context("spawn").Process(target=_writer, args=(str(root), w, 15)) for w in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    store = Store.open(root)
    cases = sorted(s.case_ref for s in store.summaries())
    assert cases == sorted(f"CS-{w}-{n}" for w in range(3) for n in range(15))
    assert store.check() == []


def test_is_empty_until_the_first_discussion(tmp_path, make_discussion) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "db", user="sam")
    assert store.is_empty()
    store.create(make_discussion())
    assert not store.is_empty()

"""Speed at scale, guarded by counting work instead of timing it (issue 6; `python -m bench` times it).

A save reads two files, parses one, writes three, whatever the size of the database; a repeated
`summaries()` reads no index shard unless one changed, and then only that one; the deadline
engine works out again only the discussions whose summaries changed. And the caches behind
this never serve stale data: another Store's save is seen at once, even one that leaves the
shard's size and timestamps as they were.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from stratui import files
from stratui.store import index as index_module
from stratui.deadlines import compute_deadlines, dashboard_items
from stratui.deadlines import engine as deadline_engine
from stratui.demo import generate_demo
from stratui.models import ActionStatus, ActionSummary, DiscussionStatus, DiscussionSummary
from stratui.settings import Settings
from stratui.store import IndexedAction, IndexedSummary, Store

TODAY = date(2026, 11, 25)
COUNT = 300


def fixed_clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "db"
    Store.open(root, user="demo", clock=fixed_clock).save_all_new(generate_demo(COUNT, 5, TODAY))
    return root


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    root = tmp_path / "db"
    shutil.copytree(demo_db, root, symlinks=True)
    return root


def open_store(root: Path, user: str = "alice") -> Store:
    return Store.open(root, user=user, clock=fixed_clock)


def a_draft(store: Store) -> str:
    return next(s.id for s in store.summaries() if s.status is DiscussionStatus.DRAFT)


class Counter:
    """Files read, JSON documents parsed and files written while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.read: list[Path] = []
        self.opened: list[str] = []
        self.parsed: list[int] = []
        self.written: list[Path] = []
        real_read, real_open, real_loads = Path.read_bytes, open, json.loads
        real_write, real_create = files.atomic_write, files.create_empty

        def read_bytes(path: Path) -> bytes:
            self.read.append(path)
            return real_read(path)

        def counting_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.opened.append(str(file))
            return real_open(file, *args, **kwargs)

        def loads(text, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.parsed.append(len(text))
            return real_loads(text, *args, **kwargs)

        def atomic_write(path: Path, *args, **kwargs) -> files.Replacement:  # type: ignore[no-untyped-def]
            self.written.append(path)
            return real_write(path, *args, **kwargs)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
        monkeypatch.setattr(index_module, "open", counting_open, raising=False)
        monkeypatch.setattr(json, "loads", loads)
        def create_empty(path: Path, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            self.written.append(path)  # the journal's marker
            real_create(path, *args, **kwargs)

        monkeypatch.setattr(files, "atomic_write", atomic_write)
        monkeypatch.setattr(files, "create_empty", create_empty)

    def index_files_opened(self) -> list[str]:
        return [name for name in self.opened if f"{os.sep}index{os.sep}" in name]


def assert_only_the_head_witness_and_one_entry(db: Path, parsed: list[int]) -> None:
    """The audit trail's few-byte head and witness, and at most one entry of the log (the per-record
    index is checked against the head's entry before it is appended to): never anything that grows
    with the database."""
    longest_entry = max(len(line) for line in (db / "audit" / "audit.jsonl").read_text("utf-8").splitlines())
    head, witness, *entries = parsed
    assert head < 1024 and witness < 1024, parsed
    assert len(entries) <= 1 and all(size <= longest_entry for size in entries), parsed


def test_a_save_reads_two_files_parses_one_and_writes_three(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db)
    # The draft whose index shard holds the most discussions.
    drafts = [s.id for s in store.summaries() if s.status is DiscussionStatus.DRAFT]
    record = store.get(max(drafts, key=lambda i: len(json.loads((db / "index" / f"{i[:2]}.json").read_bytes())["summaries"])))
    shard = db / "index" / f"{record.id[:2]}.json"
    discussion_file = db / "discussions" / record.id[:2] / f"{record.id}.json"
    record.information.concerns += " More from the school."
    counter = Counter(monkeypatch)
    store.save(record)
    # The discussion is read twice: worked out before the lock, then its bytes checked unchanged
    # under the lock before anything is written.
    assert sorted(p.name for p in counter.read) == sorted([discussion_file.name, discussion_file.name, shard.name])
    # Only the discussion is parsed, besides the audit trail's few-byte head and witness: the
    # index entry is replaced as a line of bytes, whatever the size of the database.
    assert counter.parsed[0] == len(discussion_file.with_suffix(".json.bak").read_text("utf-8"))
    assert counter.parsed[1] == len((db / "audit" / "head").read_text("utf-8"))
    assert_only_the_head_witness_and_one_entry(db, counter.parsed[1:])
    assert [p.parent.name for p in counter.written] == ["journal", record.id[:2], "index"]


def test_marking_an_action_done_costs_the_same_as_a_save(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db)
    target = next(s for s in store.summaries() if any(a.status is ActionStatus.OPEN for a in s.actions))
    action = next(a for a in target.actions if a.status is ActionStatus.OPEN)
    counter = Counter(monkeypatch)
    store.update(target.id, lambda d: d.close_action(action.id, ActionStatus.DONE, TODAY, "alice"))
    # The discussion and the audit trail's head are parsed; never the index shard.
    assert len(counter.read) == 2 and len(counter.written) == 3
    assert counter.parsed[1] == len((db / "audit" / "head").read_text("utf-8"))
    # Besides the discussion, only the audit trail's few-byte head and witness: never the shard.
    assert_only_the_head_witness_and_one_entry(db, counter.parsed[1:])
    [summary] = [s for s in store.summaries() if s.id == target.id]
    assert next(a for a in summary.actions if a.id == action.id).status is ActionStatus.DONE


def test_summaries_read_only_the_shards_that_changed(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db)
    first = store.summaries()
    assert len(first) == COUNT
    # Past the window in which a just-written shard is read again at every call.
    monkeypatch.setattr(index_module, "RACY_SECONDS", 0.0)
    store = open_store(db)
    store.summaries()
    counter = Counter(monkeypatch)
    again = store.summaries()
    assert counter.index_files_opened() == []
    assert [s.id for s in again] == [s.id for s in first]
    assert all(a is b for a, b in zip(again, store.summaries()))  # the same objects, shared

    record = store.get(a_draft(store))
    record.case_ref = "CS-CHANGED"
    store.save(record)
    counter.opened.clear()
    changed = store.summaries()
    assert [Path(name).name for name in counter.index_files_opened()] == [f"{record.id[:2]}.json"]
    assert next(s for s in changed if s.id == record.id).case_ref == "CS-CHANGED"
    assert len(store) == COUNT


def test_another_stores_save_is_seen_at_once(db: Path) -> None:
    mine, theirs = open_store(db, "alice"), open_store(db, "bob")
    draft = a_draft(mine)
    assert {s.id: s.revision for s in mine.summaries()}[draft] == 1
    record = theirs.get(draft)
    for n in range(3):
        record.case_ref = f"CS-BOB-{n}"
        record = theirs.save(record)
        seen = next(s for s in mine.summaries() if s.id == draft)
        assert (seen.case_ref, seen.revision) == (f"CS-BOB-{n}", record.revision)


def test_a_rewrite_with_the_same_size_and_timestamps_is_still_seen(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two saves within one tick of a coarse filesystem clock: the racy window re-reads the shard."""
    mine, theirs = open_store(db, "alice"), open_store(db, "bob")
    mine.summaries()
    monkeypatch.setattr(index_module, "_file_key", lambda st: (1, 2, 3, 4))  # every file looks the same
    record = theirs.get(a_draft(theirs))
    record.case_ref = "CS-SAME-A"
    record = theirs.save(record)
    assert next(s for s in mine.summaries() if s.id == record.id).case_ref == "CS-SAME-A"
    record.case_ref = "CS-SAME-B"  # same length
    theirs.save(record)
    assert next(s for s in mine.summaries() if s.id == record.id).case_ref == "CS-SAME-B"


def test_an_index_rebuilt_elsewhere_is_seen(db: Path) -> None:
    mine, theirs = open_store(db, "alice"), open_store(db, "bob")
    assert len(mine.summaries()) == COUNT
    for shard in (db / "index").glob("*.json"):
        shard.unlink()
    # Meanwhile every discussion is read from its file: none is hidden by the missing shards.
    assert len(mine.summaries()) == COUNT and mine.index_damage()
    assert theirs.rebuild_index() == COUNT
    assert len(mine.summaries()) == COUNT and not mine.index_damage()


def test_the_fast_index_reader_agrees_with_full_validation(db: Path) -> None:
    store = open_store(db)
    # A field added to the pydantic summary must be added to the light one too.
    assert IndexedSummary._fields == tuple(DiscussionSummary.model_fields)
    assert IndexedAction._fields == tuple(ActionSummary.model_fields)
    for shard in sorted((db / "index").glob("*.json")):
        fast = index_module.load_shard(shard)
        checked = index_module.load_shard(shard, validate=True)
        assert fast is not None and checked is not None
        assert fast.summaries == checked.summaries
    by_id = {s.id: s for s in store.summaries()}
    for discussion in store.discussions():
        assert by_id[discussion.id] == IndexedSummary.of(discussion.summary())


def test_a_shard_in_the_older_layout_is_read_and_rewritten_line_by_line(db: Path) -> None:
    store = open_store(db)
    draft = a_draft(store)
    shard = db / "index" / f"{draft[:2]}.json"
    entries = json.loads(shard.read_bytes())["summaries"]
    # As TinyDB wrote it before: one line, spaces after separators.
    shard.write_text(json.dumps({"summaries": entries}))
    before = {s.id: s for s in open_store(db).summaries()}
    record = store.get(draft)
    record.case_ref = "CS-REWRITTEN"
    store.save(record)
    raw = shard.read_bytes()
    assert raw.startswith(b'{"summaries":{\n') and raw.count(b"\n") == len(entries) + 2
    after = {s.id: s for s in open_store(db).summaries()}
    assert after[draft].case_ref == "CS-REWRITTEN"
    assert {i: s for i, s in after.items() if i != draft} == {i: s for i, s in before.items() if i != draft}


def test_a_damaged_shard_is_named_not_crashed_on(db: Path) -> None:
    store = open_store(db)
    draft = a_draft(store)
    shard = db / "index" / f"{draft[:2]}.json"
    shard.write_bytes(shard.read_bytes().replace(b'"held_on":"', b'"held_on":"not a date', 1))
    reader = open_store(db)
    assert len(reader.summaries()) == COUNT
    assert [str(d.path) for d in reader.index_damage()] == [str(shard)]
    assert "held_on" in reader.index_damage()[0].reason
    assert any(shard.name in problem and "check --repair" in problem for problem in store.check())
    assert store.rebuild_index() == COUNT
    assert len(open_store(db).summaries()) == COUNT


def test_a_marker_left_half_written_in_the_journal_does_not_stop_the_database_opening(db: Path) -> None:
    # A writer killed inside atomic_write of its journal marker leaves its temp file.
    orphan = db / "journal" / f".{'a' * 32}.123.456.tmp"
    orphan.write_bytes(b"")
    store = open_store(db)
    assert not orphan.exists()
    assert store.check() == []


def test_the_deadline_engine_works_out_only_the_discussions_that_changed(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = open_store(db), Settings()
    calls: list[str] = []
    real_part = deadline_engine._Engine._part

    def counting_part(engine, s):  # type: ignore[no-untyped-def]
        calls.append(s.id)
        return real_part(engine, s)

    monkeypatch.setattr(deadline_engine._Engine, "_part", counting_part)
    first = dashboard_items(store.summaries(), TODAY, settings)
    assert len(calls) == COUNT
    calls.clear()
    assert dashboard_items(store.summaries(), TODAY, settings) == first
    assert calls == []

    # Close an open action on the dashboard: its shard is read again, but only the line that
    # changed is parsed, so only that discussion is worked out again.
    item = next(i for i in first if i.action_id is not None)
    store.update(item.discussion_id, lambda d: d.close_action(item.action_id, ActionStatus.DONE, TODAY, "alice"))
    after = dashboard_items(store.summaries(), TODAY, settings)
    assert calls == [item.discussion_id]
    assert item.key not in {i.key for i in after}
    # Remembered or not, the answer is the engine's answer from scratch on the full records.
    fresh = [d.summary() for d in store.discussions()]
    assert after == dashboard_items(fresh, TODAY, settings)
    assert compute_deadlines(store.summaries(), TODAY, settings) == compute_deadlines(fresh, TODAY, settings)


def test_summaries_built_elsewhere_are_never_remembered(make_discussion) -> None:  # type: ignore[no-untyped-def]
    """Discussion.summary() gives a pydantic model that may be changed in place between calls."""
    settings = Settings()
    summary = make_discussion(held_on=date(2026, 11, 20)).summary()
    before = dashboard_items([summary], TODAY, settings)
    assert any(i.action_id for i in before)
    for action in summary.actions:
        action.status = ActionStatus.DONE
    assert not any(i.action_id for i in dashboard_items([summary], TODAY, settings))


def test_a_shard_read_again_parses_only_the_lines_that_changed(db: Path) -> None:
    """Another user's save (or this one's) rewrites a shard of some 400 summaries at 100,000
    discussions: the summaries of the lines it left as they were are kept, the same objects,
    and what is read is what a fresh read gives, line for line."""
    reader, writer = open_store(db), open_store(db, user="bob")
    before = {s.id: s for s in reader.summaries()}
    changed = a_draft(writer)
    writer.update(changed, lambda d: setattr(d, "case_ref", "CS-MOVED-1"))
    after = reader.summaries()
    assert {s.id for s in after if s is not before[s.id]} == {changed}
    assert next(s for s in after if s.id == changed).case_ref == "CS-MOVED-1"
    assert after == open_store(db).summaries()
    # Moved back: the reader still reads what a fresh read gives.
    writer.update(changed, lambda d: setattr(d, "case_ref", before[changed].case_ref))
    assert reader.summaries() == open_store(db).summaries()


def test_a_shard_not_written_a_line_an_entry_is_read_whole(db: Path) -> None:
    """Lines are only read one by one when each is an entry of its own, numbered as the writer
    numbers them: any other shard (by hand, another tool) is read as one JSON document."""
    store = open_store(db)
    expected = store.summaries()
    shard = next(iter(sorted((db / "index").glob("*.json"))))
    table = json.loads(shard.read_bytes())["summaries"]
    # The same entries, numbered from 7 and written on one line.
    shard.write_text(json.dumps({"summaries": {str(n + 7): e for n, e in enumerate(table.values())}}))
    os.utime(shard, ns=(1, 1))  # as old as can be: trusted at once
    assert open_store(db).summaries() == expected
    assert index_module._read_by_line(shard.read_bytes(), index_module._Shared(), None) is None


def _shard_of_most(store: Store) -> tuple[str, list[str]]:
    """The index shard holding the most drafts, and their ids."""
    by_shard: dict[str, list[str]] = {}
    for s in store.summaries():
        if s.status is DiscussionStatus.DRAFT:
            by_shard.setdefault(s.id[:2], []).append(s.id)
    return max(by_shard.items(), key=lambda item: len(item[1]))


def test_a_save_replaces_its_line_in_the_shard_as_writing_every_line_again_would(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without parsing the shard's lines one by one (at 100,000 a shard holds ~390 of them)."""
    store = open_store(db)
    shard, drafts = _shard_of_most(store)
    path = db / "index" / f"{shard}.json"
    lines = index_module._shard_lines(path, path.read_bytes())
    assert len(lines) > 2
    record = store.get(drafts[len(drafts) // 2])
    record.information.concerns += " More from the school."
    parsed = []
    real = index_module._shard_lines
    monkeypatch.setattr(index_module, "_shard_lines", lambda *args: parsed.append(args) or real(*args))
    saved = store.save(record)
    monkeypatch.undo()
    assert parsed == []
    lines[saved.id] = index_module.summary_line(saved.summary())
    body = b",\n".join(b'"%d":%s' % (n, line) for n, line in enumerate(lines.values(), start=1))
    assert path.read_bytes() == index_module._SHARD_HEAD + body + index_module._SHARD_TAIL


def _garbled_line(path: Path, discussion_id: str) -> None:
    raw = path.read_bytes()
    at = raw.index(b'{"id":"' + discussion_id.encode())
    path.write_bytes(raw[:at] + b'{"id":"' + discussion_id.encode() + b'", garbled\n by hand' + raw[raw.index(b",\n", at) :])


def _file_removed(path: Path, discussion_id: str) -> None:
    (path.parent.parent / "discussions" / path.stem / f"{discussion_id}.json").unlink()


def _line_removed(path: Path, discussion_id: str) -> None:
    raw = path.read_bytes()
    at = raw.index(b'{"id":"' + discussion_id.encode())
    start = raw.rindex(b"\n", 0, at) + 1
    path.write_bytes(raw[:start] + raw[raw.index(b",\n", at) + 2 :])


@pytest.mark.parametrize("damage", [_garbled_line, _file_removed, _line_removed])
def test_a_save_into_a_shard_that_does_not_list_its_folder_line_for_line_rebuilds_it(db: Path, damage) -> None:  # type: ignore[no-untyped-def]
    """The save's line is replaced as bytes only in a shard whose every line is whole and which
    lists its folder's files exactly: any other is rebuilt from the files before the save."""
    store = open_store(db)
    shard, drafts = _shard_of_most(store)
    path = db / "index" / f"{shard}.json"
    damage(path, drafts[0])
    record = store.get(drafts[-1])
    record.information.concerns += " More from the school."
    saved = store.save(record)
    fresh = open_store(db)
    on_disk = {p.name[:-5] for p in (db / "discussions" / shard).glob("*.json")}
    listed = {s.id: s.revision for s in fresh.summaries() if s.id[:2] == shard}
    assert set(listed) == on_disk and listed[saved.id] == saved.revision
    assert set(index_module._shard_lines(path, path.read_bytes())) == on_disk
    assert fresh.index_damage() == [] and fresh.check() == []

"""The audit trail's index of entries by record: in step with every write, never trusted blindly."""

from __future__ import annotations

import grp
import json
import os
import stat
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from stratui.audit import AuditLog
from stratui.audit_changes import resolved
from stratui.audit_index import LINE, line_for
from stratui.demo import generate_demo
from stratui.files import Access
from stratui.models import Discussion
from stratui.store import Store

AT = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)


def scanned(log: AuditLog, discussion_id: str) -> list[dict[str, Any]]:
    """A record's history the slow way: every entry of the log read."""
    return resolved([entry for entry in log.entries() if entry.get("discussion_id") == discussion_id])


def in_step(log: AuditLog) -> bool:
    head = json.loads(log.head_path.read_text())
    return log.index.in_step(head["count"], head["size"])


def fresh(count: int, seed: int) -> list[Discussion]:
    """Demo discussions as new ones (revision 0), to create one by one."""
    return [d.model_copy(update={"revision": 0}) for d in generate_demo(count, seed, TODAY)]


def edited(store: Store, discussion: Discussion, concerns: str) -> Discussion:
    stored = store.get(discussion.id)
    stored.information.concerns = concerns
    return store.save(stored)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "db", user="ann", clock=lambda: AT)


@pytest.fixture
def demo_store(store: Store) -> tuple[Store, list[Discussion]]:
    # Those still open to edits first: a signed-off record only takes addenda.
    discussions = sorted(generate_demo(300, 3, TODAY), key=lambda d: d.is_signed_off)
    assert not discussions[39].is_signed_off
    store.save_all_new(discussions, command="stratui demo", total=len(discussions))
    for number, discussion in enumerate(discussions[:40]):
        edited(store, discussion, f"Edited {number}: the school rang back.")
    for discussion in discussions[:10]:
        edited(store, discussion, "Edited again, after the home visit.")
    return store, discussions


def test_the_index_is_in_step_after_a_create_a_save_and_a_bulk_write(store: Store) -> None:
    first, second, *rest = fresh(30, 5)
    store.create(first)
    assert in_step(store.audit)
    edited(store, first, "More from the school.")
    assert in_step(store.audit)
    store.save_all_new([second, *rest], command="stratui import", total=len(rest) + 1)
    assert in_step(store.audit)
    assert store.audit.index.lines() == 31  # one line an entry
    assert store.audit.verify() == []
    assert [e["action"] for e in store.audit.history(first.id)] == ["create", "edit"]
    assert store.audit.history(first.id) == scanned(store.audit, first.id)


def test_history_through_the_index_equals_the_whole_log_read(demo_store: tuple[Store, list[Discussion]]) -> None:
    store, discussions = demo_store
    assert in_step(store.audit)
    for discussion in discussions:
        assert store.audit.history(discussion.id) == scanned(store.audit, discussion.id)
    assert len(store.audit.history(discussions[0].id)) == 3  # imported, then edited twice
    assert store.audit.history("0" * 32) == []


def test_a_history_reads_only_its_own_entries(demo_store: tuple[Store, list[Discussion]], monkeypatch: pytest.MonkeyPatch) -> None:
    store, discussions = demo_store
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(json, "loads", lambda raw, *a, **k: parsed.append(raw) or real_loads(raw, *a, **k))
    history = store.audit.history(discussions[20].id)
    # The head; its 2 entries, each with the entry before it in the chain; the log's last entry
    # with the one before it (the index is checked to end where the log does); the record its
    # first entry holds, unpacked: not the 350.
    assert len(history) == 2 and len(parsed) <= 1 + 2 * 2 + 2 + 1


def test_a_deleted_index_is_read_around_then_rebuilt_by_the_next_write(demo_store: tuple[Store, list[Discussion]]) -> None:
    store, discussions = demo_store
    store.audit.index.path.unlink()
    assert store.audit.history(discussions[1].id) == scanned(store.audit, discussions[1].id)
    assert store.audit.verify() == []  # a missing index is not damage: older databases have none
    edited(store, discussions[1], "Saved after the index went.")
    assert in_step(store.audit)
    assert store.audit.history(discussions[1].id) == scanned(store.audit, discussions[1].id)


def test_a_damaged_index_is_named_by_check_read_around_and_rebuilt_by_repair(
    demo_store: tuple[Store, list[Discussion]],
) -> None:
    store, discussions = demo_store
    index = store.audit.index.path
    data = bytearray(index.read_bytes())
    data[LINE * 100 + 70 : LINE * 100 + 80] = b"xxxxxxxxxx"
    index.write_bytes(bytes(data))
    for discussion in discussions[95:105]:
        assert store.audit.history(discussion.id) == scanned(store.audit, discussion.id)
    [problem] = store.audit.verify()
    assert "does not match the log at entry 101" in problem and "check --repair" in problem
    assert any("by-record" in p for p in store.check())
    store.rebuild_index()  # what `stratui check --repair` does
    assert store.audit.verify() == [] and in_step(store.audit)


def test_an_entry_planted_through_a_forged_index_is_refused(demo_store: tuple[Store, list[Discussion]]) -> None:
    store, discussions = demo_store
    victim, other = discussions[200], discussions[201]
    index = store.audit.index.path
    lines = index.read_bytes()
    # The other record's entry claimed for the victim: its line given the victim's id.
    seq = next(n for n in range(1, len(lines) // LINE + 1) if lines[(n - 1) * LINE :].startswith(other.id.encode()))
    place = store.audit.index.place(seq)[1]
    forged = line_for(victim.id, seq, place.offset, place.length)
    index.write_bytes(lines[: (seq - 1) * LINE] + forged + lines[seq * LINE :])
    history = store.audit.history(victim.id)
    assert history == scanned(store.audit, victim.id)
    assert all(entry["discussion_id"] == victim.id for entry in history)
    # The line taken from the other record hides its entry from its history until the index is
    # rebuilt: `check` (and `audit verify`) compare every line with the log, and name it.
    assert "does not match the log" in store.audit.verify()[0]
    store.rebuild_index()
    assert store.audit.history(other.id) == scanned(store.audit, other.id) != []


def test_an_index_line_pointing_inside_an_entry_is_refused(demo_store: tuple[Store, list[Discussion]]) -> None:
    store, discussions = demo_store
    target = discussions[7]
    index = store.audit.index.path
    lines = index.read_bytes()
    seq = next(n for n in range(1, len(lines) // LINE + 1) if lines[(n - 1) * LINE :].startswith(target.id.encode()))
    place = store.audit.index.place(seq)[1]
    forged = line_for(target.id, seq, place.offset + 10, place.length - 10)
    index.write_bytes(lines[: (seq - 1) * LINE] + forged + lines[seq * LINE :])
    assert store.audit.history(target.id) == scanned(store.audit, target.id)


def test_an_index_left_by_a_log_cut_back_detects_itself(store: Store) -> None:
    """A bulk write undone cuts the log back to where it began (and its head); the index lines it
    added are stale, whoever undid it: readers ignore them and the next writer cuts them off."""
    first, *batch = fresh(12, 9)
    store.create(first)
    head, size = store.audit.head_path.read_bytes(), store.audit.path.stat().st_size
    store.save_all_new(batch, command="stratui demo", total=len(batch))
    assert store.audit.index.lines() == 12
    os.truncate(store.audit.path, size)
    store.audit.head_path.write_bytes(head)
    for discussion in batch:
        store.records.path(discussion.id).unlink()
    assert store.audit.history(batch[0].id) == []
    assert store.audit.history(first.id) == scanned(store.audit, first.id)
    assert store.audit.verify() == []
    again = generate_demo(3, 11, TODAY)
    store.save_all_new(again, command="stratui demo", total=3)
    assert in_step(store.audit) and store.audit.index.lines() == 4
    assert store.audit.history(again[0].id) == scanned(store.audit, again[0].id) != []


def test_truncate_forgets_the_entries_from_an_offset(store: Store) -> None:
    records = fresh(5, 2)
    store.create(records[0])
    size = store.audit.path.stat().st_size
    for discussion in records[1:]:
        store.create(discussion)
    store.audit.index.truncate(size)
    assert store.audit.index.lines() == 1
    assert store.audit.index.in_step(1, size)


def test_an_index_behind_the_log_is_caught_up(store: Store) -> None:
    """Written by a stratui from before the index, or a write that could not append to it."""
    records = fresh(6, 4)
    for discussion in records[:3]:
        store.create(discussion)
    os.truncate(store.audit.index.path, LINE)
    assert store.audit.history(records[2].id) == scanned(store.audit, records[2].id) != []
    store.create(records[3])
    assert in_step(store.audit) and store.audit.index.lines() == 4


def test_a_recorded_id_is_found_by_its_prefix(demo_store: tuple[Store, list[Discussion]]) -> None:
    store, discussions = demo_store
    target = discussions[3].id
    assert target in store.audit.recorded_ids(target[:6])
    assert store.audit.recorded_ids("Leah Morgan") == set()


def test_in_a_team_database_the_index_is_as_readable_as_the_log(tmp_path: Path) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    team = Store.open(tmp_path / "team", user="ann", clock=lambda: AT, access=Access(group=group))
    team.create(fresh(1, 1)[0])
    mode = stat.S_IMODE(team.audit.index.path.stat().st_mode)
    assert mode == stat.S_IMODE(team.audit.path.stat().st_mode) == 0o660

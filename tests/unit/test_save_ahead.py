"""A save is worked out before it takes the lock, and written only if it still stands once it has it.

Validating, encoding, the summary and the audit entry are made without the lock (other writers
are not kept waiting meanwhile); under the lock the record's file must still hold the very bytes
they were made from, or the save is worked out again from the file as it is then, as a save
always was: a stale copy is refused as a conflict, and an audit entry's old values are always
the ones on disk when it is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from stratui.models import Child, Discussion
from stratui.store import ConflictError, Store, writes

AT = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = AT

    def __call__(self) -> datetime:
        return self.now


def _new() -> Discussion:
    return Discussion(
        case_ref="AHEAD-1",
        children=[Child(name="Amy Stone")],
        concern_date=date(2026, 11, 23),
        held_on=date(2026, 11, 24),
        concern_source="School",
    )


def _file(store: Store, discussion_id: str) -> Path:
    return store.root / "discussions" / discussion_id[:2] / f"{discussion_id}.json"


def _between_working_out_and_the_lock(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> None:
    """Run `meanwhile` after the next save has been worked out ahead and before it takes the lock
    (once: the saves `meanwhile` makes are left alone)."""
    real = writes._prepared_ahead
    pending = [meanwhile]

    def prepared_then_meanwhile(store: Store, discussion: Discussion) -> object:
        prepared = real(store, discussion)
        if pending:
            assert prepared is not None  # it was worked out ahead, from the file as it was then
            pending.pop()()
        return prepared

    monkeypatch.setattr(writes, "_prepared_ahead", prepared_then_meanwhile)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Store:
    return Store.open(tmp_path / "db", user="alice", clock=clock)


def test_the_save_is_worked_out_before_the_lock_is_taken(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = store.create(_new())
    holders = []
    real = writes.revalidated

    def revalidated(discussion: Discussion) -> Discussion:
        holders.append(store.lock.holder())  # who holds the lock while the record is validated
        return real(discussion)

    monkeypatch.setattr(writes, "revalidated", revalidated)
    mine.concern_source = "School nurse"
    store.save(mine)
    assert holders == [None]
    assert store.get(mine.id).concern_source == "School nurse"


def test_a_copy_saved_by_someone_else_before_the_lock_is_refused_as_a_conflict(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = store.create(_new())
    colleague = Store.open(store.root, user="bob")

    def they_save() -> None:
        theirs = colleague.get(mine.id)
        theirs.concern_source = "Their words"
        colleague.save(theirs)

    _between_working_out_and_the_lock(monkeypatch, they_save)
    mine.concern_source = "My words"
    with pytest.raises(ConflictError) as refused:
        store.save(mine)
    assert refused.value.stored.concern_source == "Their words"
    assert store.get(mine.id).concern_source == "Their words"
    assert [e["revision"] for e in store.audit.history(mine.id)] == [1, 2]
    assert store.audit.verify() == []
    assert not any((store.root / "journal").iterdir())


def test_a_file_changed_at_the_same_revision_before_the_lock_is_logged_by_what_it_then_held(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = store.create(_new())
    path = _file(store, mine.id)

    def changed_by_hand() -> None:
        # Another value, the same revision: only the bytes tell it from the copy worked out from.
        path.write_text(path.read_text("utf-8").replace('"concern_source":"School"', '"concern_source":"Police"'), "utf-8")

    _between_working_out_and_the_lock(monkeypatch, changed_by_hand)
    mine.concern_source = "School nurse"
    saved = store.save(mine)
    assert saved.revision == 2 and store.get(mine.id).concern_source == "School nurse"
    [change] = [c for c in store.audit.history(mine.id)[-1]["changes"] if c["field"] == "concern_source"]
    assert change == {"field": "concern_source", "old": "Police", "new": "School nurse"}


def test_a_save_that_waited_long_for_the_lock_takes_its_time_once_it_has_it(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = store.create(_new())
    later = AT + timedelta(seconds=writes.STAMPED_AHEAD_SECONDS + 4)

    def long_wait() -> None:
        clock.now = later

    _between_working_out_and_the_lock(monkeypatch, long_wait)
    mine.concern_source = "School nurse"
    saved = store.save(mine)
    assert saved.updated_at == later
    assert store.get(mine.id).updated_at == later
    assert store.audit.history(mine.id)[-1]["at"] == later.isoformat()


def test_a_short_wait_keeps_the_time_it_was_worked_out_at_in_the_record_and_its_entry(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = store.create(_new())

    def short_wait() -> None:
        clock.now = AT + timedelta(seconds=writes.STAMPED_AHEAD_SECONDS / 2)

    _between_working_out_and_the_lock(monkeypatch, short_wait)
    mine.concern_source = "School nurse"
    saved = store.save(mine)
    assert saved.updated_at == AT == store.get(mine.id).updated_at
    assert store.audit.history(mine.id)[-1]["at"] == AT.isoformat()
    entry = json.loads((store.root / "audit" / "audit.jsonl").read_text("utf-8").splitlines()[-1])
    assert entry["revision"] == 2


def test_this_users_audit_witness_is_moved_past_the_save_once_the_lock_is_let_go(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It is this user's own file outside the database: no other writer needs to wait for it."""
    mine = store.create(_new())
    holders = []
    real = type(store.audit)._witness_own_write

    def witnessed(audit: object, *args: object) -> None:
        holders.append(store.lock.holder())
        real(audit, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(type(store.audit), "_witness_own_write", witnessed)
    mine.concern_source = "School nurse"
    store.save(mine)
    assert holders == [None]
    witness = json.loads(store.audit.witness_path.read_text("utf-8"))
    head = json.loads((store.root / "audit" / "head").read_text("utf-8"))
    assert (witness["hash"], witness["count"], witness["size"]) == (head["hash"], head["count"], head["size"])
    assert store.audit.witness_problems() == []

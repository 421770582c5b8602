"""`stratui check` and `audit verify` read every record and entry one at a time: what they hold
is counted here (a hook on each read), never measured as memory or time."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from stratui import integrity
from stratui.audit import AuditLog
from stratui.cli import main
from stratui.demo import generate_demo
from stratui.store import Store
from stratui.store import integrity as store_integrity

COUNT = 15


class Doc(dict):  # type: ignore[type-arg]
    """A record's document as read, that a weak reference can follow."""


@pytest.fixture
def saved(store: Store) -> Store:
    store.save_all_new(generate_demo(COUNT, 5, date(2026, 11, 25)))
    return store


def held_while_reading(read: Callable[..., Any], wrap: Callable[[Any], Any] = lambda value: value) -> tuple[Callable[..., Any], list[int]]:
    """`read` counted: before each call, how many of the values it returned before are alive."""
    alive: list[weakref.ref[Any]] = []
    held: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        held.append(sum(1 for ref in alive if ref() is not None))
        value = read(*args, **kwargs)
        if value is None:
            return value
        value = wrap(value)
        alive.append(weakref.ref(value))
        return value

    return counted, held


def test_check_holds_one_record_at_a_time(
    saved: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], only_new_objects: None
) -> None:
    # Both passes over the files: the store's (each record validated) and the audit's (each hashed).
    validate, validated = held_while_reading(store_integrity.validate)
    read_doc, hashed = held_while_reading(integrity.read_doc, lambda doc: Doc(doc))
    monkeypatch.setattr(store_integrity, "validate", validate)
    monkeypatch.setattr(integrity, "read_doc", read_doc)
    # Nor is every summary of the index parsed (at 100,000 that is ~400 MB).
    monkeypatch.setattr(Store, "__len__", lambda self: pytest.fail("every summary was read to count them"))
    assert main(["--db", str(saved.root), "check"]) == 0, capsys.readouterr().out
    assert f"all {COUNT} discussions read cleanly" in capsys.readouterr().out
    assert len(validated) == COUNT and max(validated) <= 1, validated
    assert len(hashed) >= COUNT and max(hashed) <= 1, hashed


def test_audit_verify_counts_the_entries_without_parsing_the_log_again(
    saved: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = AuditLog.entries
    parsed: list[object] = []

    def counted(self: AuditLog) -> Iterator[dict[str, Any]]:
        for entry in entries(self):
            parsed.append(entry.get("seq"))
            yield entry

    saved.update(next(iter(saved.summaries())).id, lambda d: setattr(d, "case_ref", "CS-EDITED"))
    capsys.readouterr()
    monkeypatch.setattr(AuditLog, "entries", counted)
    assert main(["--db", str(saved.root), "audit", "verify"]) == 0, capsys.readouterr().out
    # One entry for each record of the bulk write, and the edit.
    assert capsys.readouterr().out.strip() == f"{COUNT + 1} entries, chain intact"
    # Besides the chain check's own pass: whether the log holds any, the witness's pass and the
    # pass that takes each record's last hash (the count is not a pass of its own).
    assert len(parsed) <= 1 + 2 * (COUNT + 1), str(parsed)


def test_a_last_entry_without_its_newline_is_counted(saved: Store) -> None:
    lines = saved.audit.path.read_bytes().count(b"\n")
    assert integrity.entries_in(saved.audit) == lines
    saved.audit.path.write_bytes(saved.audit.path.read_bytes().rstrip(b"\n"))
    assert integrity.entries_in(saved.audit) == lines
    saved.audit.path.unlink()
    assert integrity.entries_in(saved.audit) == 0


def test_the_counting_hook_sees_a_reader_that_holds_everything(saved: Store, only_new_objects: None) -> None:
    """The hook is not blind: a pass that keeps every record is caught."""
    read_doc, held = held_while_reading(integrity.read_doc, lambda doc: Doc(doc))
    kept = [read_doc(path) for path in integrity.discussion_files(saved.root)]
    assert len(kept) == COUNT and max(held) == COUNT - 1

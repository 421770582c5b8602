"""The audit trail: who changed what and when, and tampering detected."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stratui.audit import AuditError, AuditLog
from stratui.audit_changes import diff

AT = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def record(**fields: object) -> dict:
    base = {"id": "a" * 32, "revision": 1, "case_ref": "CS-1", "status": "draft", "addenda": [], "actions": [
        {"id": "x", "text": "Visit", "status": "open"}
    ]}
    return base | fields


def write_some(log: AuditLog) -> None:
    log.append(action="create", user="ann", at=AT, old=None, new=record())
    log.append(action="edit", user="bob", at=AT, old=record(), new=record(case_ref="CS-2", revision=2))
    done = record(case_ref="CS-2", revision=3, actions=[{"id": "x", "text": "Visit", "status": "done"}])
    log.append(action="edit", user="ann", at=AT, old=record(case_ref="CS-2", revision=2), new=done)


def test_entries_say_who_what_and_old_and_new_values(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    write_some(log)
    history = log.history("a" * 32)
    assert [(e["user"], e["action"]) for e in history] == [("ann", "create"), ("bob", "edit"), ("ann", "action-done")]
    assert history[1]["changes"] == [{"field": "case_ref", "old": "CS-1", "new": "CS-2"}]
    assert history[2]["changes"] == [{"field": "actions.0.status", "old": "open", "new": "done"}]
    assert log.verify() == []


def test_an_unchanged_save_writes_nothing(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    assert log.append(action="edit", user="a", at=AT, old=record(), new=record(revision=2)) is None
    assert not log.path.exists()


def test_edited_entry_is_detected(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    write_some(log)
    lines = log.path.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["user"] = "mallory"
    lines[1] = json.dumps(entry)
    log.path.write_text("\n".join(lines) + "\n")
    assert log.verify() == ["entry 2: its content was changed after it was written"]


def test_removed_entries_are_detected_in_the_middle_and_at_the_end(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    write_some(log)
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    problems = log.verify()
    assert any("removed or reordered" in p for p in problems)
    log.path.write_text("\n".join(lines[:2]) + "\n")
    assert log.verify() == ["the log ends at entry 2 but 3 were written: entries at the end were removed"]


def test_signoff_and_addendum_are_named(tmp_path: Path) -> None:
    old = record()
    signed = record(status="signed-off", revision=2)
    assert diff(old, signed)[0].field == "status"
    log = AuditLog(tmp_path / "audit")
    assert log.append(action="edit", user="m", at=AT, old=old, new=signed).action == "sign-off"  # type: ignore[union-attr]
    added = signed | {"addenda": [{"text": "more"}], "revision": 3}
    assert log.append(action="edit", user="m", at=AT, old=signed, new=added).action == "addendum"  # type: ignore[union-attr]


# -- a writer killed between its entry and the head ------------------------------------------


def killed_after_append(log: AuditLog) -> bytes:
    """The log as a writer killed after appending its entry, before recording the new end, leaves it."""
    write_some(log)
    head = log.head_path.read_bytes()
    log.append(action="edit", user="cy", at=AT, old=record(), new=record(case_ref="CS-3", revision=4))
    log.head_path.write_bytes(head)
    return head


def test_an_entry_appended_by_a_killed_writer_is_adopted(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    killed_after_append(log)
    assert log.needs_settling() and log.verify() != []
    assert log.settle()[1] == 4
    assert not log.needs_settling() and log.verify() == []
    assert [e["user"] for e in log.entries()] == ["ann", "bob", "ann", "cy"]


def test_a_line_cut_short_by_a_kill_is_removed(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    write_some(log)
    whole = log.path.read_bytes()
    with log.path.open("ab") as file:
        file.write(b'{"seq":4,"at":"2026-11-')
    assert log.needs_settling()
    assert log.settle()[1] == 3
    assert log.path.read_bytes() == whole and log.verify() == []
    log.append(action="edit", user="cy", at=AT, old=record(), new=record(case_ref="CS-9"))
    assert log.verify() == []


def test_a_line_added_by_hand_after_the_end_is_refused_not_adopted(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    write_some(log)
    forged = json.loads(log.path.read_text().splitlines()[-1])
    forged["seq"], forged["user"] = 4, "mallory"
    with log.path.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    before = log.path.read_bytes()
    with pytest.raises(AuditError, match="entry 4 does not follow"):
        log.settle()
    with pytest.raises(AuditError):
        log.append(action="edit", user="cy", at=AT, old=record(), new=record(case_ref="CS-9"))
    assert log.path.read_bytes() == before
    assert log.verify() != []

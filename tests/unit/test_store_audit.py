"""The store's audit trail and rolling backups: every change logged, a failed log refuses the save whole.

Faults are injected into the `os` the audit log and stratui.files see (the only code that writes),
so the tests need neither a real full disk nor a non-root user.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import types
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from stratui import audit as audit_module
from stratui import files
from stratui.audit import AuditLog
from stratui.files import atomic_write, backup_path, backup_paths
from stratui.models import SCHEMA_VERSION, ActionStatus, Addendum, Discussion, DiscussionStatus, SignOff
from stratui.store import DamagedFileError, Store, StoreError

AT = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)
MakeDiscussion = Callable[..., Discussion]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "db", user="Sam Patel", clock=lambda: AT)
    opened.os_user = "spatel"
    return opened


def record_file(store: Store, discussion_id: str) -> Path:
    return store.root / "discussions" / discussion_id[:2] / f"{discussion_id}.json"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the database but the lock and journal markers."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "journal" not in p.relative_to(root).parts and p.name != ".lock"
    }


def strays(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.tmp"))


# -- every change is logged ----------------------------------------------------------------


def test_every_kind_of_change_is_logged_with_who_when_and_old_and_new_values(
    store: Store, make_discussion: MakeDiscussion
) -> None:
    created = store.create(make_discussion())
    created.concern_source = "School DSL, then the GP"
    edited = store.save(created)
    action_id = edited.actions[0].id
    store.update(edited.id, lambda d: d.close_action(action_id, ActionStatus.DONE, date(2026, 11, 25), "Sam Patel"))
    store.update(edited.id, lambda d: d.reopen_action(action_id))

    def sign(d: Discussion) -> None:
        d.status = DiscussionStatus.SIGNED_OFF
        d.sign_off = SignOff(manager="Jo Reid", signed_at=AT)

    store.update(edited.id, sign)
    store.update(
        edited.id,
        lambda d: d.addenda.append(Addendum(author="Jo Reid", written_at=AT, reason="Police update", text="Charged")),
    )

    history = store.audit.history(created.id)
    assert [e["action"] for e in history] == [
        "create", "edit", "action-done", "action-reopened", "sign-off", "addendum",
    ]  # fmt: skip
    assert [e["revision"] for e in history] == [1, 2, 3, 4, 5, 6]
    assert {e["user"] for e in history} == {"spatel"}
    assert {e["name"] for e in history} == {"Sam Patel"}
    assert {e["at"] for e in history} == {AT.isoformat()}
    assert history[1]["changes"] == [
        {"field": "concern_source", "old": "School designated safeguarding lead", "new": "School DSL, then the GP"}
    ]
    assert {"field": "actions.0.status", "old": "open", "new": "done"} in history[2]["changes"]
    assert {"field": "actions.0.status", "old": "done", "new": "open"} in history[3]["changes"]
    assert {"field": "sign_off.manager", "old": None, "new": "Jo Reid"} in history[4]["changes"]
    assert {"field": "addenda.0.text", "old": None, "new": "Charged"} in history[5]["changes"]
    assert store.audit.verify() == []


def test_a_save_that_changes_nothing_logs_nothing(store: Store, make_discussion: MakeDiscussion) -> None:
    created = store.create(make_discussion())
    store.save(created)
    assert [e["action"] for e in store.audit.history(created.id)] == ["create"]


def test_an_import_logs_one_entry_per_new_record_and_none_for_those_already_there(
    store: Store, make_discussion: MakeDiscussion
) -> None:
    batch = [make_discussion(case_ref=f"CS-{n}") for n in range(3)]
    assert store.save_all_new(batch) == 3
    assert store.save_all_new(batch) == 0
    entries = list(store.audit.entries())
    assert [(e["action"], e["discussion_id"]) for e in entries] == [("import", d.id) for d in batch]
    assert store.audit.verify() == []


def test_the_audit_log_is_private_like_the_records(store: Store, make_discussion: MakeDiscussion) -> None:
    store.create(make_discussion())
    folder = store.root / "audit"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_os_user_is_recorded_even_when_the_login_name_cannot_be_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_discussion: MakeDiscussion
) -> None:
    from stratui import settings

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(settings.getpass, "getuser", no_login)
    store = Store.open(tmp_path / "db", user="Sam Patel")
    created = store.create(make_discussion())
    [entry] = store.audit.history(created.id)
    assert entry["user"] == f"uid {os.getuid()}"


# -- a failed audit append refuses the save whole ---------------------------------------------


class FullDisk(types.SimpleNamespace):
    """The real `os`, except that writes to files under `target` fail with ENOSPC while armed."""

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self.armed = True
        self.failures = 0
        self._paths: dict[int, Path] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def open(self, path: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        fd = os.open(path, flags, mode, *args, **kwargs)
        self._paths[fd] = Path(os.fsdecode(path))
        return fd

    def write(self, fd: int, data: Any) -> int:
        if self.armed and fd in self._paths and self._paths[fd].is_relative_to(self.target):
            self.failures += 1
            # A full disk may take part of the data before it refuses the rest.
            if len(data) > 10 and self.failures == 1:
                return os.write(fd, bytes(data[:10]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return os.write(fd, data)

    def close(self, fd: int) -> None:
        self._paths.pop(fd, None)
        os.close(fd)


@pytest.mark.parametrize("where", ["log", "head"])
def test_a_save_whose_audit_entry_cannot_be_written_is_refused_whole_and_the_retry_works(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    saved = store.create(make_discussion())
    for n in range(4):  # every version slot full, so the rollback must put back the oldest too
        saved.concern_source = f"source {n}"
        saved = store.save(saved)
    before = snapshot(store.root)
    full = FullDisk(store.root / "audit")
    # The log is appended by audit.py itself; its head is replaced through stratui.files.
    monkeypatch.setattr(audit_module if where == "log" else files, "os", full)

    saved.concern_source = "typed while the audit disk was full"
    with pytest.raises(StoreError, match="No space left on device.*try again"):
        store.save(saved)
    assert full.failures > 0
    assert snapshot(store.root) == before
    assert strays(store.root) == []
    assert not any((store.root / "journal").iterdir())
    assert store.get(saved.id).revision == 5
    assert [s.revision for s in store.summaries()] == [5]

    full.armed = False
    retried = store.save(saved)
    assert retried.revision == 6
    assert store.audit.history(saved.id)[-1]["changes"] == [
        {"field": "concern_source", "old": "source 3", "new": "typed while the audit disk was full"}
    ]
    assert store.audit.verify() == []
    assert store.check() == []


def test_a_new_discussion_whose_audit_entry_cannot_be_written_is_not_created(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(store.root)
    monkeypatch.setattr(audit_module, "os", FullDisk(store.root / "audit"))
    new = make_discussion()
    with pytest.raises(StoreError, match="No space left on device"):
        store.create(new)
    assert snapshot(store.root) == before
    assert not store.exists(new.id) and store.summaries() == []
    monkeypatch.undo()
    assert store.create(new).revision == 1
    assert [e["action"] for e in store.audit.history(new.id)] == ["create"]


def test_an_import_whose_audit_entries_cannot_be_written_imports_nothing(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.create(make_discussion(case_ref="CS-OLD"))
    before = snapshot(store.root)
    monkeypatch.setattr(audit_module, "os", FullDisk(store.root / "audit"))
    with pytest.raises(StoreError, match="nothing was imported"):
        store.save_all_new([make_discussion(case_ref=f"CS-{n}") for n in range(3)])
    assert snapshot(store.root) == before
    assert [s.case_ref for s in store.summaries()] == ["CS-OLD"]
    assert store.audit.verify() == []


def test_a_save_killed_before_its_audit_entry_is_recorded_when_the_database_is_next_opened(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = store.create(make_discussion())
    saved.concern_source = "saved just before the power went"

    def killed(*_: object, **__: object) -> None:
        raise KeyboardInterrupt  # like kill -9: nothing after this point runs, nothing is rolled back

    monkeypatch.setattr(store.audit, "append_bodies", killed)  # the entry a save made ahead, appended
    with pytest.raises(KeyboardInterrupt):
        store.save(saved)
    monkeypatch.undo()
    assert (store.root / "journal" / saved.id).exists()

    reopened = Store.open(store.root, user="Jo Reid")
    history = reopened.audit.history(saved.id)
    assert [e["revision"] for e in history] == [1, 2]
    assert history[1]["changes"] == [
        {"field": "concern_source", "old": "School designated safeguarding lead", "new": "saved just before the power went"}
    ]
    assert "Sam Patel" in history[1]["name"]
    assert reopened.audit.verify() == []
    assert not any((store.root / "journal").iterdir())
    # Opening again adds nothing more.
    assert len(Store.open(store.root).audit.history(saved.id)) == 2


def test_a_damaged_audit_head_refuses_the_save_and_changes_nothing(
    store: Store, make_discussion: MakeDiscussion
) -> None:
    saved = store.create(make_discussion())
    (store.root / "audit" / "head").write_text("{oops")
    before = snapshot(store.root)
    saved.concern_source = "x"
    with pytest.raises(StoreError, match="audit verify"):
        store.save(saved)
    assert snapshot(store.root) == before


# -- rolling backups -------------------------------------------------------------------------


def revision_in(path: Path) -> int:
    return json.loads(path.read_text("utf-8"))["discussion"]["1"]["revision"]


def test_the_configured_number_of_previous_versions_is_kept(tmp_path: Path, make_discussion: MakeDiscussion) -> None:
    store = Store.open(tmp_path / "db", user="t", versions_kept=3)
    saved = store.create(make_discussion())
    path = record_file(store, saved.id)
    assert backup_paths(path) == []
    for n in range(5):
        saved.concern_source = f"source {n}"
        saved = store.save(saved)
    assert revision_in(path) == 6
    assert [revision_in(p) for p in backup_paths(path)] == [5, 4, 3]
    assert backup_paths(path) == [backup_path(path), backup_path(path, 2), backup_path(path, 3)]
    assert not backup_path(path, 4).exists()
    assert strays(store.root) == []
    assert store.check() == []
    # The versions are not discussions: they are never listed or indexed.
    assert len(list(store.discussions())) == 1

    one = Store.open(tmp_path / "db", user="t", versions_kept=1)
    saved.concern_source = "with one version kept"
    one.save(saved)
    assert revision_in(backup_path(path)) == 6


def test_check_names_every_version_kept_of_a_damaged_file(tmp_path: Path, make_discussion: MakeDiscussion) -> None:
    store = Store.open(tmp_path / "db", user="t", versions_kept=3)
    saved = store.create(make_discussion())
    for n in range(3):
        saved.concern_source = f"source {n}"
        saved = store.save(saved)
    path = record_file(store, saved.id)
    path.write_bytes(path.read_bytes()[:100])
    [problem] = store.check()
    assert str(path) in problem
    assert f"kept at {backup_path(path)}" in problem
    assert str(backup_path(path, 2)) in problem and str(backup_path(path, 3)) in problem
    with pytest.raises(DamagedFileError, match="older versions"):
        store.get(saved.id)


def test_a_save_whose_index_cannot_be_written_puts_every_version_back(
    tmp_path: Path, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "db", user="t", versions_kept=2)
    saved = store.create(make_discussion())
    for n in range(3):
        saved.concern_source = f"source {n}"
        saved = store.save(saved)
    before = snapshot(store.root)
    monkeypatch.setattr(files, "os", FullDisk(store.root / "index"))
    saved.concern_source = "not saved"
    with pytest.raises(StoreError, match="No space left on device"):
        store.save(saved)
    assert snapshot(store.root) == before
    assert strays(store.root) == []
    monkeypatch.undo()
    assert store.save(saved).revision == 5


def test_atomic_write_undo_puts_back_the_file_and_its_versions(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    for n in range(4):
        atomic_write(path, f"v{n}".encode(), keep_backup=3)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert before == {"record.json": b"v3", "record.json.bak": b"v2", "record.json.bak.2": b"v1", "record.json.bak.3": b"v0"}
    replaced = atomic_write(path, b"v4", keep_backup=3, undoable=True)
    assert path.read_bytes() == b"v4"
    replaced.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    atomic_write(path, b"v5", keep_backup=3, undoable=True).commit()
    assert [p.read_bytes() for p in backup_paths(path)] == [b"v3", b"v2", b"v1"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
    new = tmp_path / "new.json"
    atomic_write(new, b"x", keep_backup=3, undoable=True).undo()
    assert not new.exists()


def test_atomic_write_that_cannot_rename_leaves_the_versions_and_no_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "record.json"
    for n in range(3):
        atomic_write(path, f"v{n}".encode(), keep_backup=2)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == path:  # the last step: every version has been moved along by now
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    with pytest.raises(OSError):
        atomic_write(path, b"v3", keep_backup=2)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_the_audit_log_alone_holds_record_content(store: Store, make_discussion: MakeDiscussion) -> None:
    """Nothing of a record is written outside its own files and the audit log."""
    secret = "Disclosure to the class teacher about the step-father"
    created = store.create(make_discussion())
    created.information.concerns = secret
    store.save(created)
    holders = sorted(
        p.relative_to(store.root).as_posix()
        for p in store.root.rglob("*")
        if p.is_file() and secret.encode() in p.read_bytes()
    )
    assert holders == [
        "audit/audit.jsonl",
        f"discussions/{created.id[:2]}/{created.id}.json",
    ]
    assert isinstance(store.audit, AuditLog)


# -- a journal marker never stops the database opening ----------------------------------------


def test_a_marker_that_cannot_be_settled_yet_does_not_stop_the_database_opening(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = store.create(make_discussion())
    marker = store.root / "journal" / saved.id
    marker.write_bytes(b"")  # as a save killed mid-way leaves it
    shard = store.root / "index" / f"{saved.id[:2]}.json"
    shard.write_bytes(shard.read_bytes()[:30])  # and the index shard it would repair is damaged

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(files, "atomic_write", disk_full)  # so the shard cannot be rebuilt yet
        reopened = Store.open(store.root, user="Jo Reid")
    assert reopened.get(saved.id) == saved
    assert marker.exists()
    # Meanwhile nothing is hidden: the discussion is read from its file, and the shard named.
    assert [s.id for s in reopened.summaries()] == [saved.id]
    assert "stratui check --repair" in str(reopened.index_damage()[0])
    assert reopened.rebuild_index() == 1
    assert not marker.exists()
    assert reopened.check() == []


def test_a_marker_is_settled_without_writing_when_the_index_is_already_right(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = store.create(make_discussion())
    marker = store.root / "journal" / saved.id
    marker.write_bytes(b"")
    before = snapshot(store.root)
    full = FullDisk(store.root)
    monkeypatch.setattr(files, "os", full)
    monkeypatch.setattr(audit_module, "os", full)
    reopened = Store.open(store.root, user="Jo Reid")  # the disk is full: nothing needs writing
    assert not marker.exists()
    assert full.failures == 0
    assert snapshot(store.root) == before
    assert [s.id for s in reopened.summaries()] == [saved.id]


def test_opening_while_the_disk_is_full_leaves_the_marker_for_later(
    store: Store, make_discussion: MakeDiscussion, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = store.create(make_discussion())
    # A save killed after its file was replaced: the index still holds revision 1.
    changed = saved.model_copy(update={"concern_source": "killed mid-save", "revision": 2})
    store.records.write_doc(record_file(store, saved.id), changed.model_dump(mode="json"))
    marker = store.root / "journal" / saved.id
    marker.write_bytes(b"")
    full = FullDisk(store.root)
    monkeypatch.setattr(files, "os", full)
    monkeypatch.setattr(audit_module, "os", full)
    reopened = Store.open(store.root, user="Jo Reid")
    assert full.failures > 0 and marker.exists()
    assert reopened.get(saved.id).concern_source == "killed mid-save"
    monkeypatch.undo()
    again = Store.open(store.root, user="Jo Reid")
    assert not marker.exists()
    assert [s.revision for s in again.summaries()] == [2]
    assert [e["action"] for e in again.audit.history(saved.id)] == ["create", "recovered-save"]
    assert again.check() == []


def test_opening_adopts_an_entry_whose_writer_was_killed_before_recording_the_end(
    store: Store, make_discussion: MakeDiscussion
) -> None:
    saved = store.create(make_discussion())
    head = store.root / "audit" / "head"
    recorded = head.read_bytes()
    saved.concern_source = "saved, then killed before the head was written"
    store.save(saved)
    head.write_bytes(recorded)
    assert store.check() != []
    reopened = Store.open(store.root, user="Jo Reid")
    assert reopened.check() == []
    assert [e["action"] for e in reopened.audit.history(saved.id)] == ["create", "edit"]


def test_an_upgrade_of_an_old_database_is_in_the_audit_trail(older_database: Callable[[str], Path]) -> None:
    old_db = older_database("v1_database")
    store = Store.open(old_db, user="upgrader")
    entries = list(store.audit.entries())
    assert len(entries) == 3 and {e["action"] for e in entries} == {"migrate"}
    assert any(c["field"] == "schema_version" and c["new"] == SCHEMA_VERSION for c in entries[0]["changes"])
    assert store.audit.verify() == []
    assert len(list(Store.open(old_db).audit.entries())) == 3  # nothing more at the next open

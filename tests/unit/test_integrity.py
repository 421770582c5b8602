"""Content hashes in audit entries, the records-vs-audit check, and the per-user witness."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from stratui import integrity
from stratui.audit import AuditLog
from stratui.audit_changes import content_hash
from stratui.models import Discussion
from stratui.store import Store

AT = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def record(**fields: object) -> dict[str, Any]:
    return {"id": "a" * 32, "revision": 1, "case_ref": "CS-1", "status": "draft", "addenda": []} | fields


# -- the content hash -------------------------------------------------------------------------


def test_the_content_hash_ignores_bookkeeping_and_key_order_but_nothing_else() -> None:
    base = record(updated_at="2026-11-25T09:00:00", updated_by="ann")
    assert content_hash(base) == content_hash(dict(reversed(list(base.items()))))
    assert content_hash(base) == content_hash(base | {"revision": 7, "updated_at": "later", "updated_by": "bob"})
    assert content_hash(base) != content_hash(base | {"case_ref": "CS-2"})
    assert content_hash(base) != content_hash(base | {"addenda": [{"text": "x"}]})


def test_each_entry_carries_the_hash_of_the_record_it_produced(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    new = record(case_ref="CS-2", revision=2)
    entry = log.append(action="edit", user="ann", at=AT, old=record(), new=new)
    assert entry is not None and entry.content == content_hash(new)
    assert json.loads(log.path.read_text().splitlines()[-1])["content"] == content_hash(new)
    assert log.verify() == []


# -- the records against the trail ------------------------------------------------------------


def test_a_hand_edit_is_named_and_its_audited_version_rebuilt_from_the_kept_version(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    store = Store.open(tmp_path / "db", user="Sam Patel", clock=lambda: AT)
    saved = store.create(make_discussion())
    saved = store.update(saved.id, lambda d: setattr(d, "case_ref", "CS-999"))
    path = next((store.root / "discussions").glob(f"*/{saved.id}.json"))
    audited = json.loads(path.read_text())["discussion"]["1"]
    report = integrity.check_records(store.root, store.audit)
    assert (report.verified, report.tampered, report.trail) == (1, [], [])

    edited = json.loads(path.read_text())
    edited["discussion"]["1"]["information"]["concerns"] = "Nothing of note."
    path.write_text(json.dumps(edited))  # in place: the audited version is now in no file
    report = integrity.check_records(store.root, store.audit)
    [found] = report.tampered
    assert (found.discussion_id, found.case_ref, found.path) == (saved.id, "CS-999", path)
    assert found.base is not None and found.base.name.endswith(".bak")
    assert found.audited is not None and content_hash(found.audited) == content_hash(audited)
    assert "CS-999" in found.describe(store.root) and "changed outside stratui" in found.describe(store.root)


def test_entries_written_before_content_hashes_are_counted_unverified_not_failed(tmp_path: Path) -> None:
    db = tmp_path / "db"
    (db / "discussions" / "aa").mkdir(parents=True)
    (db / "discussions" / "aa" / f"{'a' * 32}.json").write_text(json.dumps({"discussion": {"1": record()}}))
    log = AuditLog(db / "audit")
    log.append(action="create", user="ann", at=AT, old=None, new=record())
    # The entry as an older stratui wrote it: no content field.
    old_style = json.loads(log.path.read_text())
    del old_style["content"]
    log.path.write_text(json.dumps(old_style) + "\n")
    report = integrity.check_records(db, log)
    assert (report.unverified, report.tampered, report.verified) == (["a" * 32], [], 0)
    assert report.lines(db) == []
    assert "1 discussions unverified" in report.notes()[0]


def test_an_empty_trail_with_records_is_a_problem_and_an_empty_database_is_not(tmp_path: Path) -> None:
    db = tmp_path / "db"
    log = AuditLog(db / "audit")
    assert integrity.trail_problems(log, discussions=0) == []
    assert "is missing, yet the database holds 3 discussions" in integrity.trail_problems(log, discussions=3)[0]


# -- the witness ------------------------------------------------------------------------------


def write_three(log: AuditLog) -> None:
    log.append(action="create", user="ann", at=AT, old=None, new=record())
    log.append(action="edit", user="ann", at=AT, old=record(), new=record(case_ref="CS-2"))
    log.append(action="edit", user="ann", at=AT, old=record(case_ref="CS-2"), new=record(case_ref="CS-3"))


def test_the_witness_is_private_outside_the_database_and_follows_own_writes(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "db" / "audit")
    write_three(log)
    witness = Path(os.environ["STRATUI_WITNESS"])
    assert log.witness_path.parent == witness and tmp_path / "db" not in log.witness_path.parents
    assert stat.S_IMODE(log.witness_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(witness.stat().st_mode) == 0o700
    seen = json.loads(log.witness_path.read_text())
    assert seen["count"] == 3 and seen["hash"] == json.loads(log.path.read_text().splitlines()[-1])["hash"]
    assert log.witness_problems() == []


def rehash(log: AuditLog, entries: list[dict[str, Any]]) -> None:
    from stratui.audit import GENESIS
    from stratui.audit_changes import _hash

    prev, lines = GENESIS, []
    for seq, entry in enumerate(entries, start=1):
        entry.pop("hash", None)
        entry["seq"], entry["prev"] = seq, prev
        prev = _hash(entry)
        lines.append(json.dumps({**entry, "hash": prev}) + "\n")
    data = "".join(lines).encode()
    log.path.write_bytes(data)
    log.head_path.write_text(json.dumps({"hash": prev, "count": len(lines), "size": len(data)}))
    log.reindex()  # the index of entries by record is derived from the log: a forger rebuilds it too


def test_a_rebuilt_chain_passes_verify_but_not_the_witness(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "db" / "audit")
    write_three(log)
    entries = [json.loads(line) for line in log.path.read_text().splitlines()]
    entries[0]["user"] = "mallory"
    rehash(log, entries)
    assert log.verify() == []  # the chain alone cannot tell
    [problem] = log.witness_problems()
    assert "entry 3 is not the one you saw" in problem
    rehash(log, entries[:2])
    [problem] = log.witness_problems()
    assert "has 2 entries, but you saw 3" in problem


def test_a_save_after_a_rewrite_keeps_the_witness_as_evidence(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "db" / "audit")
    write_three(log)
    before = log.witness_path.read_text()
    entries = [json.loads(line) for line in log.path.read_text().splitlines()]
    entries[1]["user"] = "mallory"
    rehash(log, entries)
    log.append(action="edit", user="ann", at=AT, old=record(case_ref="CS-3"), new=record(case_ref="CS-4"))
    assert log.witness_path.read_text() == before
    assert "entry 3 is not the one you saw" in log.witness_problems()[0]


def test_other_members_appends_do_not_trouble_the_witness(tmp_path: Path) -> None:
    mine = AuditLog(tmp_path / "db" / "audit", witness=tmp_path / "ann.json")
    theirs = AuditLog(tmp_path / "db" / "audit", witness=tmp_path / "bob.json")
    write_three(mine)
    theirs.append(action="edit", user="bob", at=AT, old=record(case_ref="CS-3"), new=record(case_ref="CS-5"))
    assert mine.witness_problems() == [] and theirs.witness_problems() == []
    mine.append(action="edit", user="ann", at=AT, old=record(case_ref="CS-5"), new=record(case_ref="CS-6"))
    assert json.loads((tmp_path / "ann.json").read_text())["count"] == 5

"""Records stored without their defaults, new records' audit entries packed, index lines trimmed:
the same Discussion read back, the same content hash, and the audit's guarantees over old
(whole-record, field-by-field) entries and new ones alike."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from stratui.audit import GENESIS, AuditLog
from stratui.audit_changes import _hash, content_hash, diff, stored_change
from stratui.audit_history import history_text
from stratui.audit_record import pack, unpack
from stratui.demo import generate_demo
from stratui.integrity import check_records, last_audited_version, restore
from stratui.models import SCHEMA_VERSION, ActionStatus, Discussion
from stratui.store import Store
from stratui.stored_form import _NO_DEFAULT, _discussion_shape, stored, whole

TODAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def record_file(store: Store, discussion_id: str) -> Path:
    return store.records.path(discussion_id)


def stored_doc(path: Path) -> dict:
    return json.loads(path.read_bytes())["discussion"]["1"]


def field_paths(shape=None, prefix: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    shape = shape or _discussion_shape()
    paths = []
    for name, spec in shape.fields.items():
        default = "(none)" if spec.default is _NO_DEFAULT else json.dumps(spec.default, sort_keys=True)
        paths.append(f"{prefix}{name}={default}")
        if spec.model is not None and spec.model is not shape:
            paths.extend(field_paths(spec.model, f"{prefix}{name}{'[]' if spec.many else ''}."))
    return paths


def test_every_demo_record_reads_back_the_same_and_hashes_as_written_whole() -> None:
    for discussion in generate_demo(400, 7, TODAY):
        whole_doc = discussion.model_dump(mode="json")
        kept = stored(whole_doc)
        assert Discussion.model_validate(kept) == discussion
        assert whole(kept) == whole_doc
        assert content_hash(kept) == content_hash(whole_doc)
        assert {"schema_version", "id", "kind", "status"} <= kept.keys()


def test_a_record_saved_and_read_through_the_store_is_the_same_and_smaller(store: Store) -> None:
    demo = generate_demo(60, 3, TODAY)
    store.save_all_new(demo, command="test")
    for discussion in demo:
        path = record_file(store, discussion.id)
        saved = store.get(discussion.id)
        assert saved == discussion.model_copy(update={"revision": saved.revision})
        assert len(path.read_bytes()) < len(json.dumps(saved.model_dump(mode="json")))
    # A record whose blanks are all left out still says what it is.
    blank = store.create(Discussion(concern_date=TODAY, held_on=TODAY))
    doc = stored_doc(record_file(store, blank.id))
    assert doc["schema_version"] == SCHEMA_VERSION and doc["id"] == blank.id
    assert "children" not in doc and "family" not in doc
    assert store.get(blank.id) == blank


def test_the_fields_are_those_of_schema_version_5() -> None:
    # A document of the current version is made whole by today's fields (stratui.stored_form).
    # Adding a field, or a default, without moving SCHEMA_VERSION would make every record
    # written before it hash differently. Moving it on: keep making version 5 documents whole
    # by these fields (the hash below), then update it.
    assert SCHEMA_VERSION == 5
    fingerprint = hashlib.sha256("\n".join(field_paths()).encode()).hexdigest()[:16]
    assert (len(field_paths()), fingerprint) == (FIELDS_OF_VERSION_5, FINGERPRINT_OF_VERSION_5)


FIELDS_OF_VERSION_5 = 224
FINGERPRINT_OF_VERSION_5 = "58c2cc65d878a438"


def test_a_new_record_is_in_its_entry_once_packed_and_shown_field_by_field(store: Store) -> None:
    [discussion] = generate_demo(1, 11, TODAY)
    store.save_all_new([discussion], command="test")
    [line] = store.audit.path.read_bytes().splitlines()
    entry = json.loads(line)
    assert "changes" not in entry
    assert unpack(entry["record"]) == stored_doc(record_file(store, discussion.id))
    assert len(line) < len(record_file(store, discussion.id).read_bytes())
    [shown] = store.audit.history(discussion.id)
    assert {"field": "case_ref", "old": None, "new": discussion.case_ref} in shown["changes"]
    text = history_text(discussion.id, [shown], full=True)
    assert f"case_ref = {json.dumps(discussion.case_ref)}" in text


def test_a_packed_record_changed_by_hand_is_found_by_verify(store: Store) -> None:
    [discussion] = generate_demo(1, 12, TODAY)
    store.save_all_new([discussion], command="test")
    raw = store.audit.path.read_bytes()
    entry = json.loads(raw)
    other = stored_doc(record_file(store, discussion.id)) | {"case_ref": "CS-FORGED"}
    entry["record"] = pack(other)
    store.audit.path.write_bytes(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    assert any("content was changed" in p for p in store.audit.verify())


def test_a_created_record_changed_by_hand_is_restored_from_its_packed_entry(store: Store) -> None:
    [discussion] = generate_demo(1, 13, TODAY)
    store.save_all_new([discussion], command="test")
    path = record_file(store, discussion.id)
    assert list(path.parent.glob("*.bak*")) == []  # no kept version: the trail alone holds it
    original = path.read_bytes()
    doc = stored_doc(path) | {"case_ref": "CS-EDITED-BY-HAND"}
    path.write_text(json.dumps({"discussion": {"1": doc}}))
    [found] = check_records(store.root, store.audit).tampered
    assert found.discussion_id == discussion.id and found.base == store.audit.path
    restore(store.root, store.audit, discussion.id, user="ann", name="Ann", access=store.access, at=AT, versions_kept=1)
    # The audited content back (its bookkeeping, revision and who saved, is the trail's own).
    assert content_hash(stored_doc(path)) == content_hash(json.loads(original)["discussion"]["1"])
    report = check_records(store.root, store.audit)
    assert report.tampered == [] and report.verified == 1
    assert store.audit.verify() == []


def old_format_log(folder: Path, doc: dict) -> AuditLog:
    """A log as the stratui before this one wrote it: a create listing every field, old and new."""
    body = {
        "seq": 1, "at": AT.isoformat(), "user": "ann", "action": "create", "discussion_id": doc["id"],
        "revision": doc["revision"], "changes": [stored_change(c) for c in diff(None, doc)],
        "content": content_hash(doc), "prev": GENESIS,
    }  # fmt: skip
    digest = _hash(body)
    line = (json.dumps({**body, "hash": digest}, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "audit.jsonl").write_bytes(line)
    (folder / "head").write_text(json.dumps({"hash": digest, "count": 1, "size": len(line)}))
    return AuditLog(folder, witness=folder.parent / "witness")


def test_an_old_database_with_whole_records_and_field_by_field_entries_still_verifies(tmp_path: Path) -> None:
    discussion = next(d for d in generate_demo(20, 14, TODAY) if not d.is_signed_off)
    whole_doc = discussion.model_copy(update={"revision": 1}).model_dump(mode="json")
    root = tmp_path / "db"
    Store.open(root, user="ann")  # a database, empty, as the stratui before this one made it
    log = old_format_log(root / "audit", whole_doc)
    path = root / "discussions" / discussion.id[:2] / f"{discussion.id}.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"discussion": {"1": whole_doc}}, separators=(",", ":")))
    path.chmod(0o600)

    assert log.verify() == []
    report = check_records(root, log)
    assert report.tampered == [] and report.verified == 1
    [entry] = log.history(discussion.id)
    assert {"field": "case_ref", "old": None, "new": discussion.case_ref} in entry["changes"]
    # The old entry alone rebuilds the record (a restore of a file changed by hand).
    audited, base = last_audited_version(path, [entry], log.path)
    assert base == log.path and audited is not None and content_hash(audited) == content_hash(whole_doc)

    # Saved on top by this stratui: the file is stored without its defaults, the entry holds
    # only what changed, and both old and new entries verify and vouch.
    store = Store.open(root, user="bob")
    changed = store.get(discussion.id)
    changed.concern_source = "the school nurse"
    store.save(changed)
    assert len(path.read_bytes()) < len(json.dumps(whole_doc, separators=(",", ":")))
    assert store.audit.verify() == []
    assert [c["field"] for c in store.audit.history(discussion.id)[-1]["changes"]] == ["concern_source"]
    report = check_records(root, store.audit)
    assert report.tampered == [] and report.verified == 1


def test_a_summary_keeps_only_open_actions_words_and_reads_back_the_same(store: Store) -> None:
    demo = generate_demo(80, 5, TODAY)
    store.save_all_new(demo, command="test")
    by_id = {s.id: s for s in store.summaries()}
    for discussion in demo:
        summary = by_id[discussion.id]
        for action, kept in zip(discussion.actions, summary.actions):
            assert (kept.id, kept.status) == (action.id, action.status)
            if action.status is ActionStatus.OPEN:
                assert (kept.text, kept.owner, kept.agency, kept.due) == (action.text, action.owner, action.agency, action.due)
            else:
                assert (kept.text, kept.owner, kept.agency, kept.due) == ("", "", "", None)
    # `stratui check` validates every line in full: the lines left short read as whole summaries.
    assert [e for _, e in store.index.validated() if isinstance(e, Exception)] == []
    assert store.check() == []


@pytest.mark.parametrize("seed", [21, 22])
def test_an_edit_on_a_stored_record_lists_only_what_changed(store: Store, seed: int) -> None:
    discussion = next(d for d in generate_demo(20, seed, TODAY) if not d.is_signed_off)
    store.save_all_new([discussion], command="test")
    edited = store.get(discussion.id)
    edited.children[0].notes = "Seen at school."
    edited.information.concerns = ""
    store.save(edited)
    changes = store.audit.history(discussion.id)[-1]["changes"]
    assert {"field": "children.0.notes", "old": "", "new": "Seen at school."} in changes
    assert {c["field"] for c in changes} <= {"children.0.notes", "information.concerns"}
    assert store.get(discussion.id) == edited.model_copy(update={"revision": edited.revision + 1}).model_copy(
        update={"updated_at": store.get(discussion.id).updated_at, "updated_by": store.get(discussion.id).updated_by}
    )

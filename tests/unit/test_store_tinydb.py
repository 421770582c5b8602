"""TinyDB is what reads and writes the discussion files, through the atomic, never-overwrite storage.

A file the store writes is an ordinary TinyDB database (and byte for byte the layout stratui
always wrote, so no migration was needed); one TinyDB writes is read by the store; the store's
reads and writes go through TinyDB's table API; a damaged file is refused, never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.table import Document, Table

from stratui.audit_record import unpack
from stratui.models import Discussion
from stratui.stored_form import stored
from stratui.files import PRIVATE
from stratui.store import AtomicJSONStorage, DamagedFileError, Store
from stratui.store.records import RecordFile


def discussion_file(store: Store, discussion_id: str) -> Path:
    return store.root / "discussions" / discussion_id[:2] / f"{discussion_id}.json"


def test_a_record_the_store_writes_reads_back_with_plain_tinydb(store: Store, make_discussion) -> None:  # type: ignore[no-untyped-def]
    saved = store.create(make_discussion())
    path = discussion_file(store, saved.id)
    with TinyDB(path, encoding="utf-8") as db:
        [doc] = db.table("discussion").all()
    assert doc.doc_id == 1
    assert Discussion.model_validate(dict(doc)) == saved
    # The layout stratui wrote before TinyDB was in the path (nothing to migrate), without the
    # values equal to their defaults (stratui.stored_form).
    expected = json.dumps({"discussion": {"1": stored(saved.model_dump(mode="json"))}}, ensure_ascii=False, separators=(",", ":"))
    assert path.read_bytes() == expected.encode("utf-8")


def test_a_record_written_with_plain_tinydb_reads_through_the_store(store: Store, make_discussion) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion().model_copy(update={"revision": 1})
    path = discussion_file(store, record.id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with TinyDB(path, encoding="utf-8") as db:
        db.table("discussion").insert(record.model_dump(mode="json"))
    path.chmod(0o600)
    assert store.rebuild_index() == 1
    assert store.get(record.id) == record
    assert [s.id for s in store.summaries()] == [record.id]
    # And it is saved on top, still a TinyDB file with its one document.
    changed = store.get(record.id)
    changed.concern_source = "the school nurse"
    store.save(changed)
    with TinyDB(path, encoding="utf-8") as db:
        [doc] = db.table("discussion").all()
    assert doc["concern_source"] == "the school nurse" and doc["revision"] == 2


def test_saves_and_reads_go_through_tinydbs_table(store: Store, make_discussion, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    for name in ("insert", "update", "all"):
        real = getattr(Table, name)

        def spy(self: Table, *args: object, _name: str = name, _real: object = real, **kwargs: object) -> object:
            calls.append(f"{self.name}.{_name}")
            return _real(self, *args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(Table, name, spy)
    saved = store.create(make_discussion())
    assert calls == ["discussion.insert"]
    calls.clear()
    saved.concern_source = "a neighbour"
    store.save(saved)
    assert calls == ["discussion.all", "discussion.update"]
    calls.clear()
    assert store.get(saved.id).concern_source == "a neighbour"
    assert calls == ["discussion.all"]


def test_a_bulk_write_writes_each_file_as_tinydb_writes_it_and_audits_the_json_it_holds(  # type: ignore[no-untyped-def]
    store: Store, make_discussion, tmp_path: Path
) -> None:
    # Its files' bytes are made ahead (stratui.store.bulk_prepare, maybe in another process):
    # they are those TinyDB writes for the same document, and TinyDB reads them back.
    new = [make_discussion(case_ref=f"CS-BULK-{n}", concern_source="Kai \u2014 \u0647\u0644\u0627") for n in range(3)]
    # A Discussion or its JSON document, as an import or the demo gives them.
    assert store.save_all_new([new[0], new[1].model_dump(mode="json"), new[2]]) == 3
    entries = {e["discussion_id"]: e for e in store.audit.entries()}
    for discussion in new:
        path = discussion_file(store, discussion.id)
        with TinyDB(path, encoding="utf-8") as db:
            [doc] = db.table("discussion").all()
        written = discussion.model_copy(update={"revision": 1})
        assert Discussion.model_validate(dict(doc)) == written == store.get(discussion.id)
        expected = json.dumps({"discussion": {"1": stored(written.model_dump(mode="json"))}}, ensure_ascii=False, separators=(",", ":"))
        assert path.read_bytes() == expected.encode("utf-8")
        by_tinydb = tmp_path / f"{discussion.id}.json"
        RecordFile(by_tinydb, PRIVATE, 0).write(written.model_dump(mode="json"))
        assert path.read_bytes() == by_tinydb.read_bytes()
        # Its audit entry holds the very document the file does.
        assert unpack(entries[discussion.id]["record"]) == dict(doc)


def test_a_save_replaces_the_document_whole(store: Store, make_discussion) -> None:  # type: ignore[no-untyped-def]
    """TinyDB's update merges fields; a field a migration removed must not survive a save."""
    saved = store.create(make_discussion())
    path = discussion_file(store, saved.id)
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.table("discussion").update({"a_field_from_long_ago": 1}, doc_ids=[1])
    doc = json.loads(path.read_text("utf-8"))["discussion"]["1"]
    assert doc["a_field_from_long_ago"] == 1
    store.records.write_doc(path, saved.model_dump(mode="json"))
    assert "a_field_from_long_ago" not in json.loads(path.read_text("utf-8"))["discussion"]["1"]


def test_the_storage_never_writes_over_a_file_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "damaged.json"
    path.write_bytes(b'{"discussion": {"1": {"id": "ab", "case_ref": "CS-1"')  # cut short
    with pytest.raises(DamagedFileError, match="not valid JSON"):
        TinyDB(path, storage=AtomicJSONStorage).table("discussion").insert({"id": "cd"})
    assert path.read_bytes().endswith(b'"CS-1"')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.json"]  # no temp file left either
    path.write_bytes(b'{"discussion": ["not", "a", "table"]}')
    with pytest.raises(DamagedFileError, match="not a TinyDB database"):
        TinyDB(path, storage=AtomicJSONStorage).table("discussion").all()


def test_the_storage_writes_atomically_private_and_keeps_versions(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    for n in range(4):
        with TinyDB(path, storage=AtomicJSONStorage, versions_kept=2) as db:
            db.table("discussion").upsert(Document({"n": n}, doc_id=1))
    assert json.loads(path.read_text("utf-8")) == {"discussion": {"1": {"n": 3}}}
    assert json.loads((tmp_path / "record.json.bak").read_text("utf-8"))["discussion"]["1"] == {"n": 2}
    assert json.loads((tmp_path / "record.json.bak.2").read_text("utf-8"))["discussion"]["1"] == {"n": 1}
    assert not (tmp_path / "record.json.bak.3").exists()
    assert {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {0o600}


def test_the_schema_version_is_a_tinydb_document(store: Store) -> None:
    with TinyDB(store.root / "stratui.json", encoding="utf-8") as db:
        [meta] = db.table("meta").all()
    assert meta["schema_version"] >= 1
    # Written once (TinyDB's upsert would write an empty table first, then the document).
    assert not (store.root / "stratui.json.bak").exists()

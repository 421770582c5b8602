"""The JSON export/import format: round trips, idempotent re-import, and bad files that change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stratui import exchange
from stratui.exchange import ImportFileError, dump_all, dump_one, load_file, parse_export
from stratui.models import SCHEMA_VERSION, Attendance, Discussion
from stratui.store import Store, StoreError

MakeDiscussion = Callable[..., Discussion]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a database and its content, to prove nothing was written."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def export_bytes(docs: list[Any], **top: Any) -> bytes:
    data = {"format": exchange.FORMAT, "schema_version": SCHEMA_VERSION, "discussions": docs, **top}
    return json.dumps(data).encode("utf-8")


def import_into(store: Store, raw: bytes) -> int:
    return store.save_all_new(parse_export(raw, "backup.json"))


@pytest.fixture
def saved(store: Store, make_discussion: MakeDiscussion) -> list[Discussion]:
    first = store.create(make_discussion())
    second = store.create(
        make_discussion(case_ref="CS-200417", held_on=date(2026, 11, 21), social_worker="Jo Reid")
    )
    return [first, second]


@pytest.fixture
def valid_doc(make_discussion: MakeDiscussion) -> dict[str, Any]:
    return make_discussion().model_dump(mode="json")


# -- round trips ----------------------------------------------------------------------


def test_export_then_import_gives_the_same_discussions(tmp_path: Path, store: Store, saved: list[Discussion]) -> None:
    text = dump_all(store.discussions())
    assert json.loads(text)["format"] == "stratui-export"

    fresh = Store.open(tmp_path / "other", user="someone else")
    assert import_into(fresh, text.encode("utf-8")) == 2

    assert sorted(fresh.discussions(), key=lambda d: d.id) == sorted(saved, key=lambda d: d.id)
    assert sorted(s.id for s in fresh.summaries()) == sorted(d.id for d in saved)
    assert fresh.check() == []


def test_dump_one_is_an_export_of_one(store: Store, saved: list[Discussion]) -> None:
    (back,) = parse_export(dump_one(saved[0]).encode("utf-8"))
    assert back == saved[0]


def test_text_outside_ascii_survives(tmp_path: Path, store: Store, make_discussion: MakeDiscussion) -> None:
    original = store.create(make_discussion(case_ref="CS-9 Zoë Ó Dónaill — “urgent”"))
    path = tmp_path / "backup.json"
    path.write_text(dump_all([original]), encoding="utf-8")
    assert load_file(path) == [original]


def test_a_byte_order_mark_is_harmless(saved: list[Discussion]) -> None:
    raw = "\ufeff".encode("utf-8") + dump_all(saved).encode("utf-8")
    assert parse_export(raw) == saved


def test_an_unsaved_discussion_is_written_as_revision_1(store: Store, make_discussion: MakeDiscussion) -> None:
    new = make_discussion()
    assert import_into(store, dump_one(new).encode("utf-8")) == 1
    assert store.get(new.id).revision == 1
    # ...and importing the same file again is recognised as already there.
    assert import_into(store, dump_one(new).encode("utf-8")) == 0


def test_reimporting_the_same_data_changes_nothing(store: Store, saved: list[Discussion]) -> None:
    raw = dump_all(store.discussions()).encode("utf-8")
    before = snapshot(store.root)

    assert import_into(store, raw) == 0

    assert snapshot(store.root) == before
    assert [store.get(d.id).revision for d in saved] == [d.revision for d in saved]


def test_reimport_adds_only_what_is_new(store: Store, saved: list[Discussion], make_discussion: MakeDiscussion) -> None:
    extra = make_discussion(case_ref="CS-300001")
    raw = dump_all([*saved, extra]).encode("utf-8")
    assert import_into(store, raw) == 1
    assert len(store) == 3
    assert [store.get(d.id).revision for d in saved] == [d.revision for d in saved]


def test_a_version_1_document_is_migrated_on_import(store: Store, valid_doc: dict[str, Any]) -> None:
    old = dict(valid_doc)
    del old["schema_version"]
    old["children"] = ["Maya Okafor", "Theo Okafor"]
    old["participants"] = [
        {"name": "Sam Patel", "agency": "Children's social care", "present": True},
        {"name": "Ann Hughes", "agency": "Health", "present": False, "absent_reason": "Off sick"},
    ]
    old["minutes_circulated_on"] = "2026-11-21"

    (discussion,) = parse_export(export_bytes([old], schema_version=1))

    assert discussion.schema_version == SCHEMA_VERSION
    assert [c.name for c in discussion.children] == ["Maya Okafor", "Theo Okafor"]
    ann = discussion.participants[1]
    assert (ann.attendance, ann.absence_reason) == (Attendance.ABSENT, "Off sick")
    assert discussion.milestone("minutes").on == date(2026, 11, 21)
    assert store.save_all_new([discussion]) == 1


# -- bad files: a clear ImportFileError, and nothing written ------------------------------


def assert_refused(store: Store, raw: bytes, *expected: str) -> str:
    before = snapshot(store.root)
    with pytest.raises(ImportFileError) as caught:
        import_into(store, raw)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("backup.json")
    for words in expected:
        assert words in message
    assert snapshot(store.root) == before
    return message


def test_not_json(store: Store) -> None:
    assert_refused(store, b'{"format": "stratui-export", "discussions": [', "not valid JSON", "line 1")


def test_not_utf8(store: Store) -> None:
    assert_refused(store, "{\"note\": \"caf\u00e9\"}".encode("latin-1"), "not UTF-8", "position 13")


def test_empty_file(store: Store) -> None:
    assert_refused(store, b"", "not valid JSON")


def test_deeply_nested(store: Store) -> None:
    assert_refused(store, b"[" * 100_000 + b"]" * 100_000)


def test_a_list_at_the_top(store: Store, valid_doc: dict[str, Any]) -> None:
    assert_refused(store, json.dumps([valid_doc]).encode(), "not a stratui export")


def test_some_other_json(store: Store) -> None:
    assert_refused(store, b'{"discussions": []}', "not a stratui export")


@pytest.mark.parametrize("discussions", ["missing", None, {"a": 1}, "abc"])
def test_discussions_must_be_a_list(store: Store, discussions: Any) -> None:
    data: dict[str, Any] = {"format": exchange.FORMAT}
    if discussions != "missing":
        data["discussions"] = discussions
    assert_refused(store, json.dumps(data).encode(), "'discussions' must be a list")


def test_a_discussion_that_is_a_string(store: Store, valid_doc: dict[str, Any]) -> None:
    assert_refused(store, export_bytes([valid_doc, "a discussion"]), "discussion 2", "not a discussion object")


def test_a_bad_date(store: Store, valid_doc: dict[str, Any]) -> None:
    valid_doc["held_on"] = "31/11/2026"
    message = assert_refused(store, export_bytes([valid_doc]), "discussion 1", f"id {valid_doc['id'][:12]}")
    assert "held_on: not a valid date (use YYYY-MM-DD)" in message


def test_a_draft_breaking_a_rule_between_fields_is_imported_with_its_problem(
    store: Store, valid_doc: dict[str, Any]
) -> None:
    # The store saves such a draft and `export --all` writes it: a backup must load back.
    valid_doc["actions"][0]["due"] = "2026-11-01"
    assert import_into(store, export_bytes([valid_doc])) == 1
    stored = store.get(valid_doc["id"])
    assert any("a due date cannot be earlier than the discussion" in p for p in stored.rule_problems())


def test_a_signed_off_record_breaking_a_rule_is_refused(store: Store, valid_doc: dict[str, Any]) -> None:
    valid_doc["actions"][0]["due"] = "2026-11-01"
    valid_doc |= {"status": "signed-off", "sign_off": {"manager": "Jo Reid", "signed_at": "2026-11-21T10:00:00"}}
    assert_refused(store, export_bytes([valid_doc]), "a due date cannot be earlier than the discussion")


def test_an_unknown_field(store: Store, valid_doc: dict[str, Any]) -> None:
    valid_doc["participants"][0]["favourite_colour"] = "blue"
    assert_refused(store, export_bytes([valid_doc]), "participants.0.favourite_colour: not a field of the record")


def test_a_document_from_a_newer_stratui(store: Store, valid_doc: dict[str, Any]) -> None:
    valid_doc["schema_version"] = 99
    assert_refused(store, export_bytes([valid_doc]), "newer stratui")


def test_every_bad_discussion_is_counted_and_good_ones_are_not_written(
    store: Store, valid_doc: dict[str, Any], make_discussion: MakeDiscussion
) -> None:
    good = make_discussion().model_dump(mode="json")
    bad = [dict(valid_doc, id=f"{n:032x}", held_on="never") for n in range(8)]
    message = assert_refused(store, export_bytes([good, *bad]), "8 of 9 discussions are not valid", "and 3 more")
    assert "nothing was imported" in message


def test_duplicate_ids(store: Store, valid_doc: dict[str, Any], make_discussion: MakeDiscussion) -> None:
    twin = make_discussion(id=valid_doc["id"], case_ref="CS-777").model_dump(mode="json")
    assert_refused(store, export_bytes([valid_doc, twin]), f"discussion id {valid_doc['id']} appears twice")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        load_file(tmp_path / "nope.json")


def test_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="is a folder"):
        load_file(tmp_path)


# -- conflicts with the store ------------------------------------------------------------


def test_same_id_with_different_content_is_refused_whole(
    store: Store, saved: list[Discussion], make_discussion: MakeDiscussion
) -> None:
    changed = saved[1].model_copy(update={"case_ref": "CS-CHANGED"})
    new = make_discussion(case_ref="CS-400000")
    raw = dump_all([new, changed]).encode("utf-8")
    before = snapshot(store.root)

    with pytest.raises(StoreError, match="already exists with different content; nothing was imported"):
        import_into(store, raw)

    assert snapshot(store.root) == before
    assert not store.exists(new.id)


@pytest.mark.parametrize("field", ["revision", "updated_by"])
def test_same_id_differing_only_in_its_bookkeeping_is_refused_too(
    store: Store, saved: list[Discussion], field: str
) -> None:
    # The comparison is by content hash, which leaves the bookkeeping out: it is compared beside it.
    changed = saved[1].model_copy(update={"revision": saved[1].revision + 1} if field == "revision" else {field: "Someone Else"})
    before = snapshot(store.root)
    with pytest.raises(StoreError, match="already exists with different content; nothing was imported"):
        import_into(store, dump_all([changed]).encode("utf-8"))
    assert snapshot(store.root) == before
    # Stored as it is: an import run again, skipped.
    assert import_into(store, dump_all([saved[1]]).encode("utf-8")) == 0
    assert store.get(saved[1].id).case_ref == "CS-200417"


def test_an_id_that_is_not_a_safe_file_name_writes_nothing(
    tmp_path: Path, store: Store, make_discussion: MakeDiscussion
) -> None:
    doc = make_discussion().model_dump(mode="json")
    doc["id"] = "../../escaped"
    before = snapshot(tmp_path)
    with pytest.raises(ImportFileError, match="id: not in the expected form"):
        import_into(store, export_bytes([doc]))
    assert snapshot(tmp_path) == before

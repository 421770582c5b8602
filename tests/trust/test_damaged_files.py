"""Damaged files: truncated or hand-edited discussion files, index shards and the meta file.

Each is detected when read, with a message naming the file; stratui never writes to it; `stratui
check` reports it and how to restore it (the .bak beside a discussion file, `check --repair` for
the index, which is rebuilt from the discussion files).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stratui.cli import main
from stratui.models import Discussion
from stratui.store import DamagedFileError, Store, StoreError

MakeDiscussion = Callable[..., Discussion]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def assert_no_crash(self) -> None:
        text = self.out + self.err
        assert "Traceback" not in text and "unexpected error" not in text, text


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@dataclass
class Database:
    root: Path
    store: Store
    target: Discussion  # saved twice, so its file has a .bak
    others: list[Discussion]

    def discussion_file(self, discussion: Discussion | None = None) -> Path:
        d = discussion or self.target
        return self.root / "discussions" / d.id[:2] / f"{d.id}.json"

    def shard(self, discussion: Discussion | None = None) -> Path:
        return self.root / "index" / f"{(discussion or self.target).id[:2]}.json"

    @property
    def meta(self) -> Path:
        return self.root / "stratui.json"


@pytest.fixture
def db(store: Store, make_discussion: MakeDiscussion) -> Database:
    """The conftest's store lives at STRATUI_DB, so the CLI runs on the same database."""
    target = store.create(make_discussion())
    target.concern_source = "School DSL, then the GP"
    target = store.save(target)
    others = [store.create(make_discussion(case_ref=f"CS-2000{n}", held_on=date(2026, 11, 21))) for n in range(3)]
    return Database(store.root, store, target, others)


def edit_json(change: Callable[[Any], Any]) -> Callable[[bytes], bytes]:
    def damage(raw: bytes) -> bytes:
        data = json.loads(raw)
        return json.dumps(change(data)).encode()

    return damage


def set_field(table: str, key: str, value: Any) -> Callable[[bytes], bytes]:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        first = next(iter(data[table].values()))
        first[key] = value
        return data

    return edit_json(change)


def drop_field(table: str, key: str) -> Callable[[bytes], bytes]:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        del next(iter(data[table].values()))[key]
        return data

    return edit_json(change)


COMMON_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "emptied": lambda raw: b"",
    "cut-to-one-byte": lambda raw: raw[:1],
    "invalid-json": lambda raw: raw.replace(b'":', b'"', 1),
    "trailing-garbage": lambda raw: raw + b"\n}oops",
    "not-utf8": lambda raw: raw.replace(b'"', b'"\xff\xfe', 3),
    "nul-bytes": lambda raw: raw[:20] + b"\x00" * 64 + raw[20:],
    "json-list": lambda raw: b"[]",
    "json-string": lambda raw: b'"a string"',
    "json-null": lambda raw: b"null",
    # Valid JSON, but more digits than Python's int() reads (4,300): json.loads raises ValueError.
    "huge-number": lambda raw: re.sub(rb'("(?:revision|schema_version)":\s*)\d+', rb"\g<1>" + b"7" * 4400, raw, count=1),
}


def _with(table: str, value: Any) -> Callable[[bytes], bytes]:
    return lambda raw: json.dumps({table: value}).encode()


DISCUSSION_DAMAGE = {
    **COMMON_DAMAGE,
    "table-is-a-list": _with("discussion", []),
    "table-is-null": _with("discussion", None),
    "record-is-text": _with("discussion", {"1": "Maya Okafor"}),
    "record-is-a-list": _with("discussion", {"1": [1, 2]}),
    "no-record": _with("discussion", {}),
    "other-table-only": lambda raw: json.dumps({"_default": json.loads(raw)["discussion"]}).encode(),
    "date-is-a-number": set_field("discussion", "held_on", 12),
    "date-out-of-range": set_field("discussion", "held_on", "2026-02-30"),
    "revision-is-text": set_field("discussion", "revision", "two"),
    "actions-is-text": set_field("discussion", "actions", "none"),
    "child-is-a-number": set_field("discussion", "children", [5]),
    "field-added-by-hand": set_field("discussion", "notes_by_hand", "typed in vi"),
    "required-field-removed": drop_field("discussion", "held_on"),
    "status-unknown": set_field("discussion", "status", "approved"),
}

SHARD_DAMAGE = {
    **COMMON_DAMAGE,
    "table-is-a-list": _with("summaries", []),
    "entry-is-text": _with("summaries", {"1": "x"}),
    "entry-without-id": lambda raw: json.dumps({"summaries": {"1": {}}}).encode(),
    "entry-revision-is-text": set_field("summaries", "revision", "two"),
    "entry-missing-revision": drop_field("summaries", "revision"),
    "entry-date-is-a-number": set_field("summaries", "held_on", 12),
    "entry-actions-is-text": set_field("summaries", "actions", "none"),
    "entry-case-ref-is-a-number": set_field("summaries", "case_ref", 104233),
}

META_DAMAGE = {
    **COMMON_DAMAGE,
    "table-is-a-list": _with("meta", []),
    "entry-is-text": _with("meta", {"1": "x"}),
    "version-is-text": set_field("meta", "schema_version", "two"),
    "version-is-a-list": set_field("meta", "schema_version", [2]),
    "version-is-negative": set_field("meta", "schema_version", -1),
}

# Bugs found by these tests and not yet fixed, pinned as strict xfails: (kind, damage) -> reason.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def damage(path: Path, how: Callable[[bytes], bytes]) -> bytes:
    damaged = how(path.read_bytes())
    path.write_bytes(damaged)
    return damaged


def known(kind: str, cases: dict[str, Callable[[bytes], bytes]]) -> list[Any]:
    params = []
    for name in cases:
        reason = KNOWN_BUGS.get((kind, name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


# -- discussion files ---------------------------------------------------------------------


@pytest.mark.parametrize("how", known("discussion", DISCUSSION_DAMAGE))
def test_a_damaged_discussion_file_is_named_refused_and_never_written(
    db: Database, run: Callable[..., Result], how: str
) -> None:
    path = db.discussion_file()
    backup = path.with_name(path.name + ".bak")
    stale_copy = db.store.get(db.target.id)
    damaged = damage(path, DISCUSSION_DAMAGE[how])

    with pytest.raises(DamagedFileError) as refused:
        db.store.get(db.target.id)
    message = str(refused.value)
    assert str(path) in message and "has not changed it" in message
    assert f"The previous version is kept at {backup}" in message

    # Writing to it is refused too, whichever way a write comes.
    stale_copy.concern_source = "an edit made before the damage was noticed"
    with pytest.raises(StoreError):
        db.store.save(stale_copy)
    with pytest.raises(StoreError):
        db.store.update(db.target.id, lambda d: setattr(d, "concern_source", "x"))
    assert path.read_bytes() == damaged

    # The rest of the database is still usable.
    assert Store.open(db.root, user="someone else") is not None
    assert {s.id for s in db.store.summaries()} == {db.target.id, *(d.id for d in db.others)}
    assert db.store.get(db.others[0].id) == db.others[0]

    checked = run("check")
    checked.assert_no_crash()
    assert checked.code == 1
    assert str(path) in checked.out and f"kept at {backup}" in checked.out and "copy it over" in checked.out
    exported = run("export", db.target.id)
    exported.assert_no_crash()
    assert exported.code == 1 and str(path) in exported.err and len(exported.err.splitlines()) == 1
    assert run("dashboard").code == 0
    assert path.read_bytes() == damaged

    # Following the advice restores the previous version; --repair brings the index in line.
    shutil.copyfile(backup, path)
    repaired = run("check", "--repair")
    repaired.assert_no_crash()
    assert repaired.code == 0, repaired.out + repaired.err
    restored = db.store.get(db.target.id)
    assert restored.revision == 1 and restored.concern_source == "School designated safeguarding lead"
    assert db.store.check() == []


def test_a_discussion_file_whose_id_was_changed_by_hand_is_not_taken_for_another(
    db: Database, run: Callable[..., Result]
) -> None:
    path = db.discussion_file()
    other_id = "f" * 32
    damaged = damage(path, set_field("discussion", "id", other_id))
    with pytest.raises(DamagedFileError, match=str(path)):
        db.store.get(db.target.id)
    checked = run("check")
    assert checked.code == 1 and str(path) in checked.out
    assert path.read_bytes() == damaged


# -- index shards -------------------------------------------------------------------------


@pytest.mark.parametrize("how", known("shard", SHARD_DAMAGE))
def test_a_damaged_index_shard_is_named_and_check_repair_rebuilds_it(
    db: Database, run: Callable[..., Result], how: str
) -> None:
    shard = db.shard()
    damaged = damage(shard, SHARD_DAMAGE[how])

    assert Store.open(db.root, user="someone else") is not None
    # Nothing is hidden: the shard's discussions are read from their files, and the shard is named.
    assert {s.id for s in db.store.summaries()} == {db.target.id, *(d.id for d in db.others)}
    assert [d.path for d in db.store.index_damage()] == [shard]
    # The discussion itself is intact and readable.
    assert db.store.get(db.target.id) == db.target

    dashboard = run("dashboard")
    dashboard.assert_no_crash()
    assert dashboard.code == 1 and str(shard) in dashboard.err and len(dashboard.err.splitlines()) == 1
    checked = run("check")
    checked.assert_no_crash()
    assert checked.code == 1 and str(shard) in checked.out and "stratui check --repair" in checked.out
    assert shard.read_bytes() == damaged

    repaired = run("check", "--repair")
    repaired.assert_no_crash()
    assert repaired.code == 0, repaired.out + repaired.err
    assert "rebuilt the index of 4 discussions" in repaired.out
    assert {s.id for s in db.store.summaries()} == {db.target.id, *(d.id for d in db.others)}
    assert db.store.check() == []


UNREADABLE_SHARDS = ["truncated", "invalid-json", "not-utf8", "table-is-a-list", "emptied", "json-null"]


@pytest.mark.parametrize("how", UNREADABLE_SHARDS)
def test_a_save_into_an_unreadable_shard_rebuilds_it_from_the_discussion_files(
    db: Database, run: Callable[..., Result], how: str
) -> None:
    """The writer holds the lock: it rebuilds the shard from the files (the truth) and saves,
    instead of refusing the user's work or writing a shard that keeps only its own entry."""
    neighbour = db.store.create(db.others[0].model_copy(update={"id": db.target.id[:2] + "0" * 30, "revision": 0}))
    damage(db.shard(), SHARD_DAMAGE[how])
    db.target.concern_source = "edited while the index was damaged"
    saved = db.store.save(db.target)

    listed = {s.id: s.revision for s in Store.open(db.root).summaries()}
    assert listed[saved.id] == saved.revision and neighbour.id in listed
    assert db.store.index_damage() == []
    assert db.store.check() == []
    assert run("dashboard").code == 0


def test_the_dashboard_says_a_damaged_index_is_rebuilt_by_check_repair(db: Database, run: Callable[..., Result]) -> None:
    damage(db.shard(), COMMON_DAMAGE["truncated"])
    result = run("dashboard")
    assert result.code == 1 and "stratui check --repair" in result.err, result.err


# -- the meta file ------------------------------------------------------------------------


@pytest.mark.parametrize("how", known("meta", META_DAMAGE))
def test_a_damaged_meta_file_stops_the_open_with_its_name_and_is_never_written(
    db: Database, run: Callable[..., Result], how: str
) -> None:
    meta = db.meta
    damaged = damage(meta, META_DAMAGE[how])

    with pytest.raises(StoreError) as refused:
        Store.open(db.root, user="someone else")
    assert str(meta) in str(refused.value)
    for command in (["dashboard"], ["check"], ["export", "--all", "--format", "json"]):
        result = run(*command)
        result.assert_no_crash()
        assert result.code == 1, (command, result.out)
        assert str(meta) in result.err + result.out
        # How to put it right is part of the message (a backup, or where to restore from).
        text = result.err + result.out
        assert f"kept at {meta}.bak" in text or "restore it from your backups" in text, text
    assert meta.read_bytes() == damaged


@pytest.mark.parametrize("emptied", ["{}", '{"meta": {}}'])
def test_a_meta_file_emptied_by_hand_is_not_taken_for_a_new_database(
    db: Database, run: Callable[..., Result], emptied: str
) -> None:
    """A database with discussions but no schema version must not be silently stamped as current:
    an older database so stamped would skip its migration."""
    db.meta.write_text(emptied)
    result = run("check")
    result.assert_no_crash()
    assert result.code == 1 and str(db.meta) in result.err + result.out
    assert db.meta.read_text() == emptied

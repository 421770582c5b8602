"""Opening a version 1 database: back up, migrate every discussion, rebuild the index, once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from stratui.models import SCHEMA_VERSION, Attendance
from stratui.store import DamagedFileError, Store, StoreError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "v1_database"
MARSH = "3f2a9c1e8b7d4e6f9a0b1c2d3e4f5a6b"  # two children, an absentee, minutes circulated
JONES = "9c41d07be2a84f3c8d5e6f708192a3b4"  # everyone present, no minutes yet
TURNER = "c7e5a0f19d3b4c28a6e7f8091a2b3c4d"


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def discussion_file(root: Path, discussion_id: str) -> Path:
    return root / "discussions" / discussion_id[:2] / f"{discussion_id}.json"


@pytest.fixture
def old_db(older_database: Callable[[str], Path]) -> Path:
    return older_database(FIXTURE.name)


def test_the_fixture_is_an_old_database_without_an_index() -> None:
    assert json.loads((FIXTURE / "stratui.json").read_text())["meta"]["1"] == {"schema_version": 1}
    assert not (FIXTURE / "index").exists()
    for path in (FIXTURE / "discussions").glob("*/*.json"):
        assert "schema_version" not in json.loads(path.read_text())["discussion"]["1"]


def test_discussions_read_with_migrated_values(old_db: Path) -> None:
    store = Store.open(old_db, user="tester")

    marsh = store.get(MARSH)
    assert [c.name for c in marsh.children] == ["Leo Marsh", "Ruby Marsh"]
    assert marsh.schema_version == SCHEMA_VERSION
    helen = next(p for p in marsh.participants if p.name == "Helen Ford")
    assert helen.attendance is Attendance.ABSENT
    assert helen.absence_reason.startswith("Clinic commitments")
    assert all(p.attendance is Attendance.PRESENT for p in marsh.participants if p is not helen)
    minutes = marsh.milestone("minutes")
    assert minutes is not None and minutes.on.isoformat() == "2025-03-05"

    jones = store.get(JONES)
    assert jones.milestone("minutes") is None
    assert jones.absentees() == []

    # The file itself is now written in the current schema.
    stored = json.loads(discussion_file(old_db, MARSH).read_text())["discussion"]["1"]
    assert stored["schema_version"] == SCHEMA_VERSION
    assert "minutes_circulated_on" not in stored
    # The child's details are blank (stratui.family): stored without them, read back as blanks.
    assert stored["children"][0] == {"name": "Leo Marsh"}
    child = store.get(MARSH).children[0]
    assert (child.date_of_birth, child.age, child.notes, child.profile.due_date) == (None, "", "", None)


def test_meta_records_the_new_schema(old_db: Path) -> None:
    Store.open(old_db, user="tester")
    assert json.loads((old_db / "stratui.json").read_text())["meta"]["1"] == {"schema_version": SCHEMA_VERSION}


def test_the_original_files_are_backed_up_unchanged(old_db: Path) -> None:
    original = files_in(FIXTURE)
    Store.open(old_db, user="tester")

    backups = list((old_db / "backups").iterdir())
    assert len(backups) == 1
    assert backups[0].name.startswith("before-migration-v1-")
    copied = files_in(backups[0])
    for name, content in original.items():
        assert copied[name] == content, name


def test_the_index_is_rebuilt(old_db: Path) -> None:
    store = Store.open(old_db, user="tester")
    summaries = {s.id: s for s in store.summaries()}
    assert set(summaries) == {MARSH, JONES, TURNER}
    assert summaries[MARSH].children == ["Leo Marsh", "Ruby Marsh"]
    assert summaries[MARSH].milestones == {"minutes": store.get(MARSH).milestone("minutes").on}
    assert len(store) == 3
    assert store.check() == []


def test_opening_twice_migrates_once(old_db: Path) -> None:
    Store.open(old_db, user="tester")
    after_first = files_in(old_db / "discussions")
    store = Store.open(old_db, user="tester")
    assert len(list((old_db / "backups").iterdir())) == 1
    assert files_in(old_db / "discussions") == after_first
    assert {d.revision for d in store.discussions()} == {3, 1, 2}


def test_a_database_from_a_newer_stratui_is_refused(old_db: Path) -> None:
    (old_db / "stratui.json").write_text(json.dumps({"meta": {"1": {"schema_version": 99}}}))
    before = files_in(old_db / "discussions")
    with pytest.raises(StoreError, match=r"newer stratui \(schema version 99\).*upgrade stratui"):
        Store.open(old_db, user="tester")
    assert files_in(old_db / "discussions") == before
    assert not (old_db / "backups").exists()


def test_a_document_invalid_after_migration_names_its_file(old_db: Path) -> None:
    path = discussion_file(old_db, JONES)
    data = json.loads(path.read_text())
    data["discussion"]["1"]["held_on"] = "2025-04-31"  # no such day
    damaged = json.dumps(data).encode()
    path.write_bytes(damaged)

    with pytest.raises(DamagedFileError) as caught:
        Store.open(old_db, user="tester")
    message = str(caught.value)
    assert str(path) in message
    assert "held_on: not a valid date" in message
    assert "children" not in message  # the migration itself worked: only the real problem is reported
    assert path.read_bytes() == damaged

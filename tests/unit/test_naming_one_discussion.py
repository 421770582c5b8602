"""Naming one discussion (`audit ID`, `export ID`, `check --restore ID`) parses only the index
shards that could hold the name, and answers exactly as reading every summary would."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from stratui.cli import main
from stratui.context import Context
from stratui.models import Child, Discussion
from stratui.refer import index_words, resolve
from stratui.store import Store, StoreError
from stratui.store.index import Index

MakeDiscussion = Callable[..., Discussion]


def answer(summaries: list, reference: str) -> str:
    try:
        return resolve(summaries, reference)
    except StoreError as exc:
        return f"refused: {exc}"


def named(store: Store, reference: str) -> str:
    return answer(store.index.summaries_holding(index_words(reference)), reference)


@pytest.fixture
def many(store: Store, make_discussion: MakeDiscussion) -> list[Discussion]:
    """Discussions in many shards; two share a case, one child's name is hexadecimal, one holds
    a quote, one a name that casefolds (ß is ss)."""
    made = []
    for n in range(40):
        children = [Child(name=f"Child {n} Example")]
        if n == 7:
            children = [Child(name="Abbe")]  # also an id prefix of some discussion, perhaps
        if n == 8:
            children = [Child(name='Sinéad "Shay" O\'Brien')]
        if n == 9:
            children = [Child(name="Jonas Groß")]
        case_ref = "CS-SHARED" if n in (3, 4) else f"CS-{1000 + n}"
        made.append(make_discussion(id=f"{n * 6:02x}{n:030x}", case_ref=case_ref, children=children, held_on=date(2026, 11, 1 + n % 20)))
    made.append(make_discussion(id="abbe" + "1" * 28, case_ref="CS-ABBE"))
    store.save_all_new(made)
    return made


def references(many: list[Discussion]) -> list[str]:
    refs = ["CS-SHARED", "cs-shared ", "CS-SHARED@latest", "CS-SHARED@2026-11-04", "CS-1007", "Abbe", "abbe", "ABBE1111",
            'sinéad "shay" o\'brien', "JONAS GROSS", "jonas groß", "Child 12 Example", "child  12   EXAMPLE",
            "Example", "CS-10", "nobody at all", "zzzz", "0000", "1e", "", "@latest"]
    for discussion in many[::5]:
        refs += [discussion.id, discussion.id[:6], discussion.id[:4].upper()]
    return refs


def test_it_answers_every_reference_as_reading_every_summary_does(store: Store, many: list[Discussion]) -> None:
    everything = store.summaries()
    for reference in references(many):
        assert named(store, reference) == answer(everything, reference), reference


def test_an_id_parses_only_the_shards_that_hold_it(store: Store, many: list[Discussion], monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    load = Index._load

    def counted(self: Index, name: str, *args: object) -> object:
        loaded.append(name)
        return load(self, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Index, "_load", counted)
    target = many[22]
    found = store.index.summaries_holding(index_words(target.id))
    assert [s.id for s in found] == [target.id]
    assert loaded == [f"{target.id[:2]}.json"]
    loaded.clear()
    assert {s.id for s in store.index.summaries_holding(index_words("CS-SHARED"))} == {many[3].id, many[4].id}
    assert sorted(loaded) == sorted({f"{many[3].id[:2]}.json", f"{many[4].id[:2]}.json"})


def test_a_shard_out_of_step_with_its_files_is_read_from_them(store: Store, many: list[Discussion]) -> None:
    """A shard that is damaged, gone, leaves out a file or has a save under way may hide the one
    named: it is read as the dashboard reads it, from the files where it cannot be trusted."""
    root = store.root
    damaged, gone, unlisted, saving = many[11], many[12], many[13], many[14]
    (root / "index" / f"{damaged.id[:2]}.json").write_text("garbage")
    (root / "index" / f"{gone.id[:2]}.json").unlink()
    shard = root / "index" / f"{unlisted.id[:2]}.json"
    shard.write_bytes(b"".join(line for line in shard.read_bytes().splitlines(keepends=True) if unlisted.id.encode() not in line))
    # A save killed after its file was written: the file has the new case reference, the shard the old.
    path = root / "discussions" / saving.id[:2] / f"{saving.id}.json"
    doc = json.loads(path.read_text())
    doc["discussion"]["1"]["case_ref"] = "CS-SAVED-JUST-NOW"
    path.write_text(json.dumps(doc))
    (root / "journal" / saving.id).write_bytes(b"")
    fresh = Store.open(root, user="tester", read_only=True)
    for discussion in (damaged, gone, unlisted):
        assert named(fresh, discussion.case_ref) == discussion.id
        assert named(fresh, discussion.id[:8]) == discussion.id
    assert named(fresh, "CS-SAVED-JUST-NOW") == saving.id


def test_audit_and_export_of_one_never_read_every_summary(
    context: Context, many: list[Discussion], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def every_summary(self: Store) -> list:
        raise AssertionError("every summary was read to name one discussion")

    monkeypatch.setattr(Store, "summaries", every_summary)
    target = many[3]
    for reference in (target.id, target.id[:6], "CS-SHARED@2026-11-04", "Child 3 Example"):
        capsys.readouterr()
        assert main(["--db", str(context.store.root), "audit", reference]) == 0, capsys.readouterr().err
        assert target.id in capsys.readouterr().out
    assert main(["--db", str(context.store.root), "export", target.id, "--format", "json", "-o", str(tmp_path / "one.json")]) == 0
    assert json.loads((tmp_path / "one.json").read_text())["discussions"][0]["id"] == target.id
    # Several match: listed, and nothing done.
    capsys.readouterr()
    assert main(["--db", str(context.store.root), "audit", "CS-SHARED"]) == 1
    assert "matches 2 discussions" in capsys.readouterr().err

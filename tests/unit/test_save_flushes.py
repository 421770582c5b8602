"""What a save flushes to disk, and in which order: the power-cut half of its all-or-nothing.

A killed process loses nothing it gave the kernel; a power cut loses what was not flushed, in
any order. Each flush a save makes orders one step before the next (stratui.store.writes says
why each is needed); the states the others can leave (a torn index shard, a head behind the
log, a marker back after its save) are the ones a kill leaves, repaired by tests elsewhere.
"""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import pytest

from stratui.models import Child, Discussion
from stratui.store import Store


def _new() -> Discussion:
    return Discussion(
        case_ref="FLUSH-1", children=[Child(name="Amy Stone")], concern_date=date(2026, 11, 23), held_on=date(2026, 11, 24)
    )


def _where(root: Path, path: str) -> str:
    """What a path in the database is; a temp file is named by the file it becomes."""
    relative = Path(path).relative_to(root)
    parts = relative.parts
    if not parts:
        return "database folder"
    if parts == ("discussions",):
        return "records folder"
    if parts in (("journal",), ("index",), ("audit",)):
        return f"{parts[0]} folder"
    if parts[0] == "discussions":
        return "record folder" if len(parts) == 2 else "record"
    if parts == ("audit", "audit.jsonl"):
        return "audit log"
    if parts[0] == "audit" and relative.name.lstrip(".").startswith("head"):
        return "head"
    if parts[0] == "index":
        return "index shard"
    return relative.as_posix()


def _events_of_one_save(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    saved = store.create(_new())
    saved.information.concerns = "Dad shouted"
    saved = store.save(saved)  # the record's .bak rotation is in every save from here on
    events: list[tuple[str, str]] = []
    root = store.root.resolve()
    real_fsync, real_replace, real_unlink = os.fsync, os.replace, os.unlink

    def fsync(fd: int) -> None:
        events.append(("fsync", _where(root, os.readlink(f"/proc/self/fd/{fd}"))))
        real_fsync(fd)

    def replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str, **kwargs: object) -> None:
        real_replace(src, dst, **kwargs)  # type: ignore[arg-type]
        if Path(os.fspath(dst)).resolve().is_relative_to(root):
            events.append(("rename", _where(root, str(Path(os.fspath(dst)).resolve()))))

    def unlink(path: os.PathLike[str] | str, **kwargs: object) -> None:
        real_unlink(path, **kwargs)  # type: ignore[arg-type]
        if not kwargs and Path(os.fspath(path)).resolve().parent == (root / "journal"):
            events.append(("unlink", "marker"))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    saved.information.concerns += " and threw a cup"
    store.save(saved)
    monkeypatch.undo()
    return events


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files through /proc")
def test_a_save_flushes_each_step_before_the_next_and_nothing_else(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    events = _events_of_one_save(store, monkeypatch)
    flushed = [what for kind, what in events if kind == "fsync"]
    # The six of stratui.store.writes, each once.
    assert sorted(flushed) == sorted(["journal folder", "record", "record folder", "index folder", "audit log", "head"])

    def at(event: tuple[str, str]) -> int:
        return events.index(event)

    # The marker is on disk before any of the record is.
    assert at(("fsync", "journal folder")) < at(("fsync", "record"))
    # The record's bytes before its name, its name before the audit entry describing it.
    assert at(("fsync", "record")) < at(("rename", "record")) < at(("fsync", "record folder"))
    assert at(("fsync", "record folder")) < at(("fsync", "audit log"))
    # The head's bytes before its name (never a torn head).
    assert at(("fsync", "head")) < at(("rename", "head"))
    # Everything the marker stands for is on disk before it goes.
    for step in ("index folder", "audit log"):
        assert at(("fsync", step)) < at(("unlink", "marker"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files through /proc")
@pytest.mark.parametrize(
    ("waiting", "meanwhile", "renamed_after"),
    [
        # Neither needs to be on disk before the other (both before the audit entry's flush and
        # the marker's removal).
        ("record folder", "index folder", None),
        # The head's bytes need not wait for the log's; the head is renamed only once the log is
        # on disk, so it never counts entries a power cut could take back.
        ("audit log", "head", "head"),
    ],
)
def test_flushes_not_ordered_between_themselves_wait_for_the_disk_side_by_side(
    store: Store, monkeypatch: pytest.MonkeyPatch, waiting: str, meanwhile: str, renamed_after: str | None
) -> None:
    """Served one after the other, the flush of `meanwhile` would only start once `waiting`'s is over."""
    saved = store.create(_new())
    root = store.root.resolve()
    real_fsync, real_replace = os.fsync, os.replace
    started, over = threading.Event(), threading.Event()
    side_by_side: list[bool] = []
    renamed_once_over: list[bool] = []

    def fsync(fd: int) -> None:
        where = _where(root, os.readlink(f"/proc/self/fd/{fd}"))
        if where == meanwhile:
            started.set()
        if where == waiting:
            side_by_side.append(started.wait(30))
        real_fsync(fd)
        if where == waiting:
            over.set()

    def replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str, **kwargs: object) -> None:
        if Path(os.fspath(dst)).name == renamed_after:
            renamed_once_over.append(over.is_set())
        real_replace(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    saved.information.concerns += " and threw a cup"
    store.save(saved)
    monkeypatch.undo()
    assert side_by_side == [True]
    assert renamed_once_over == ([True] if renamed_after else [])
    assert store.get(saved.id).information.concerns.endswith("threw a cup")
    assert store.audit.verify() == [] and len(store.audit.history(saved.id)) == 2


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files through /proc")
def test_a_bulk_write_flushes_each_batchs_ids_before_its_files_and_everything_once_before_its_commit(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undone whole unless committed, a bulk write needs its files on disk only by its commit:
    flushing each of them (and its folder) was most of its time. What must come first is the
    journal's list of a batch's ids, or a power cut would leave files the undoing does not know."""
    from stratui.store import writes

    monkeypatch.setattr(writes, "BULK_BATCH", 3)
    root = store.root.resolve()
    events: list[tuple[str, str]] = []
    real_fsync, real_sync, real_replace, real_unlink = os.fsync, os.sync, os.replace, os.unlink

    def fsync(fd: int) -> None:
        events.append(("fsync", _where(root, os.readlink(f"/proc/self/fd/{fd}"))))
        real_fsync(fd)

    def sync() -> None:
        events.append(("sync", "everything"))
        real_sync()

    def replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str, **kwargs: object) -> None:
        real_replace(src, dst, **kwargs)  # type: ignore[arg-type]
        events.append(("rename", _where(root, str(Path(os.fspath(dst)).resolve()))))

    def unlink(path: os.PathLike[str] | str, **kwargs: object) -> None:
        real_unlink(path, **kwargs)  # type: ignore[arg-type]
        if Path(os.fspath(path)).name == writes.BULK_FILE:
            events.append(("unlink", "the journal"))

    for name, patched in (("fsync", fsync), ("sync", sync), ("replace", replace), ("unlink", unlink)):
        monkeypatch.setattr(os, name, patched)
    new = [_new().model_copy(update={"case_ref": f"FLUSH-{n}"}) for n in range(7)]
    assert store.save_all_new(new, command="test") == 7
    monkeypatch.undo()
    made = ("records folder", "database folder")  # a folder made, before anything is written in it
    flushed = [what for kind, what in events if kind == "fsync" and what not in made]
    # The journal's first line (written whole: a temp file, then its folder), each of the three
    # batches' ids, and the commit: no record, index shard, audit log or head, nor their folders.
    assert flushed[0].startswith("journal/.bulk-write.json.") and flushed[0].endswith(".tmp")
    assert flushed[1:] == ["journal folder"] + ["journal/bulk-write.json"] * 3 + ["journal folder"]
    ids_flushed = [n for n, event in enumerate(events) if event == ("fsync", "journal/bulk-write.json")]
    records = [n for n, event in enumerate(events) if event == ("rename", "record")]
    assert len(records) == 7
    # Each batch's ids are on disk before any of its files is written.
    for batch, flushed_at in enumerate(ids_flushed):
        assert all(flushed_at < n for n in records[3 * batch :])
    # Everything is flushed once, after the last file, before the journal goes; then its removal is.
    assert events.count(("sync", "everything")) == 1
    sync_at = events.index(("sync", "everything"))
    assert max(records) < sync_at < events.index(("unlink", "the journal"))
    assert events[-1] == ("fsync", "journal folder")

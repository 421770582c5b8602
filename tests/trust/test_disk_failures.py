"""A full disk or a read-only folder while saving through the DiscussionEditor.

What the worker must get: a clear message, the work still in memory (and unsaved), the file on
disk exactly as it was, and a save that works once the fault clears. The faults are injected
into the `os` that stratui.files (the only code that writes files) sees, so the tests do not
depend on running as a non-root user or on a real full disk.
"""

from __future__ import annotations

import errno
import os
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stratui import files
from stratui.capture import DiscussionEditor
from stratui.context import Context
from stratui.drafts import recovered_drafts
from stratui.models import Discussion

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FaultyOs(types.SimpleNamespace):
    """The real `os` module, except that writes to files under `target` fail once `armed`.

    The fault persists (a disk stays full, a folder read-only) until `cleared()`.
    """

    def __init__(self, target: Path, kind: str) -> None:
        super().__init__()
        self.target = target
        self.kind = kind  # "full" (ENOSPC on write), "read-only" (EROFS on create), "no-rename" (EACCES on replace)
        self.armed = False
        self.failures = 0
        self._paths: dict[int, Path] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _hits(self, path: Any) -> bool:
        return self.armed and Path(os.fsdecode(path)).is_relative_to(self.target)

    def _fail(self, code: int, path: Any = None) -> None:
        self.failures += 1
        raise OSError(code, os.strerror(code), None if path is None else os.fsdecode(path))

    def open(self, path: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        if self.kind == "read-only" and flags & os.O_CREAT and self._hits(path):
            self._fail(errno.EROFS, path)
        fd = os.open(path, flags, mode, *args, **kwargs)
        self._paths[fd] = Path(os.fsdecode(path))
        return fd

    def write(self, fd: int, data: Any) -> int:
        if self.kind == "full" and fd in self._paths and self._hits(self._paths[fd]):
            self._fail(errno.ENOSPC)
        return os.write(fd, data)

    def close(self, fd: int) -> None:
        self._paths.pop(fd, None)
        os.close(fd)

    def replace(self, src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if self.kind == "no-rename" and self._hits(dst):
            self._fail(errno.EACCES, dst)
        os.replace(src, dst, *args, **kwargs)

    def link(self, src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if self.kind == "read-only" and self._hits(dst):
            self._fail(errno.EROFS, dst)
        os.link(src, dst, *args, **kwargs)

    def cleared(self) -> None:
        self.armed = False


def snapshot(root: Path) -> dict[str, bytes]:
    """The records and the index: every file but recovery drafts (a failed save writes one on purpose)
    and journal markers (a failed save may leave one; the next open repairs the index from it)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {"drafts", "journal"} & set(p.relative_to(root).parts) and p.name != ".lock"
    }


def stray_temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.tmp"))


# Where the fault is: the whole database folder, or only one of its parts (a folder made
# read-only by a mistaken chmod, a quota hit while writing one file rather than another).
AREAS = ["", "drafts", "discussions", "index"]
KINDS = ["full", "read-only", "no-rename"]

def fault_cases(areas: list[str], replacing: bool) -> list[Any]:
    cases = []
    for kind in KINDS:
        for area in areas:
            cases.append(pytest.param(kind, area, id=f"{kind}-{area or 'whole-db'}"))
    return cases


MESSAGES = {"full": "No space left on device", "read-only": "Read-only file system", "no-rename": "Permission denied"}


@pytest.fixture
def saved_editor(context: Context, make_discussion: Callable[..., Discussion]) -> DiscussionEditor:
    editor = DiscussionEditor.start(context, make_discussion())
    editor.changed()
    assert editor.save().saved
    return editor


def inject(monkeypatch: pytest.MonkeyPatch, target: Path, kind: str) -> FaultyOs:
    faulty = FaultyOs(target, kind)
    monkeypatch.setattr(files, "os", faulty)
    return faulty


@pytest.mark.parametrize(("kind", "area"), fault_cases(AREAS, replacing=True))
def test_an_edit_that_cannot_be_saved_is_kept_and_saves_once_the_fault_clears(
    saved_editor: DiscussionEditor, context: Context, monkeypatch: pytest.MonkeyPatch, kind: str, area: str
) -> None:
    root = context.store.root
    before = snapshot(root)
    record_file = root / "discussions" / saved_editor.discussion.id[:2] / f"{saved_editor.discussion.id}.json"
    old_record = record_file.read_bytes()
    faulty = inject(monkeypatch, root / area if area else root, kind)

    typed = "Typed during the call: Maya's teacher rang back at 14:10 with more detail."
    saved_editor.discussion.information.concerns = typed
    saved_editor.changed()
    faulty.armed = True
    result = saved_editor.save()

    if area == "drafts":
        # Only the recovery copy could not be written: the save itself must still go through.
        assert result.saved, result.message
        faulty.cleared()
        assert context.store.get(saved_editor.discussion.id).information.concerns == typed
        assert stray_temp_files(root) == []
        return

    assert faulty.failures > 0
    assert not result.saved
    assert MESSAGES[kind] in result.message and "try again" in result.message, result.message
    assert "Traceback" not in result.message
    # The work is still in memory, still marked unsaved.
    assert saved_editor.dirty and saved_editor.discussion.information.concerns == typed
    # Nothing on disk changed: the record byte for byte, and every other file of the database.
    assert record_file.read_bytes() == old_record
    assert snapshot(root) == before
    assert stray_temp_files(root) == []
    if area in ("discussions", "index"):
        # The drafts folder was writable, so the edit is also safe on disk for a crash.
        [draft] = recovered_drafts(context)
        assert draft.information.concerns == typed

    faulty.cleared()
    retry = saved_editor.save()
    assert retry.saved, retry.message
    assert not saved_editor.dirty
    stored = context.store.get(saved_editor.discussion.id)
    assert stored.information.concerns == typed and stored.revision == 2
    assert record_file.with_name(record_file.name + ".bak").read_bytes() == old_record
    assert recovered_drafts(context) == []
    assert context.store.check() == []
    assert stray_temp_files(root) == []


@pytest.mark.parametrize(("kind", "area"), fault_cases(["", "discussions", "index"], replacing=False))
def test_a_new_discussion_that_cannot_be_saved_is_kept_and_created_once_the_fault_clears(
    context: Context, make_discussion: Callable[..., Discussion], monkeypatch: pytest.MonkeyPatch, kind: str, area: str
) -> None:
    root = context.store.root
    before = snapshot(root)
    faulty = inject(monkeypatch, root / area if area else root, kind)
    editor = DiscussionEditor.start(context, make_discussion())
    editor.changed()
    faulty.armed = True
    result = editor.save()

    assert not result.saved
    assert MESSAGES[kind] in result.message, result.message
    assert editor.dirty and editor.discussion.revision == 0
    assert snapshot(root) == before
    assert not context.store.exists(editor.discussion.id)
    assert stray_temp_files(root) == []

    faulty.cleared()
    retry = editor.save()
    assert retry.saved, retry.message
    assert [s.id for s in context.store.summaries()] == [editor.discussion.id]
    assert context.store.get(editor.discussion.id).revision == 1
    assert context.store.check() == []


def test_a_disk_that_fills_again_and_again_never_loses_the_latest_text(
    saved_editor: DiscussionEditor, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Autosave keeps failing while the worker keeps typing; the last text typed is what lands."""
    root = context.store.root
    faulty = inject(monkeypatch, root / "discussions", "full")
    for attempt in range(5):
        saved_editor.discussion.information.concerns = f"version {attempt}"
        saved_editor.changed()
        faulty.armed = True
        assert not saved_editor.save().saved
        assert recovered_drafts(context)[0].information.concerns == f"version {attempt}"
    faulty.cleared()
    assert saved_editor.save().saved
    assert context.store.get(saved_editor.discussion.id).information.concerns == "version 4"
    assert context.store.check() == [] and stray_temp_files(root) == []


def test_the_team_can_still_read_while_the_disk_is_full(
    saved_editor: DiscussionEditor, context: Context, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from stratui.cli import main

    root = context.store.root
    faulty = inject(monkeypatch, root, "full")
    saved_editor.discussion.information.concerns = "typed while the disk was full"
    saved_editor.changed()
    faulty.armed = True
    assert not saved_editor.save().saved
    capsys.readouterr()
    # Another member of the team starts stratui while the disk is still full.
    code = main(["dashboard", "--db", str(root)])
    err = capsys.readouterr().err
    assert "unexpected error" not in err and "Traceback" not in err, err
    assert code == 0, err

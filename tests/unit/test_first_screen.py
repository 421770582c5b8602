"""The first screen's file (stratui.store.first_screen): the dashboard's rows without reading a
summary, only ever used when in step with the index, and then the very rows a full read gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stratui.context import Context, open_context
from stratui.dashboard_read import (
    DashboardRead,
    dashboard_json_items,
    first_screen_key,
    read_first_screen,
    read_first_screenful,
    read_rows,
    row_json,
    write_first_screen,
)
from stratui.deadlines import DeadlineState
from stratui.models import ActionStatus, Discussion, DiscussionStatus, SignOff
from stratui.store import first_screen
from stratui.store.records import shard_of


def full(context: Context) -> DashboardRead:
    return read_rows(context, with_closed=False)


def written(context: Context) -> DashboardRead:
    """A full read that finds the file out of step, and the file written from it."""
    read = full(context)
    assert read.stale_file is not None
    assert write_first_screen(context, read)
    return read


@pytest.fixture
def demo(demo_context: Callable[..., Context]) -> Context:
    """This test's copy of the 200-record demo, its first screen's file written: in step."""
    context = demo_context(200)
    written(context)
    return context


def assert_same_as_full_read(context: Context) -> None:
    quick = read_first_screen(context)
    assert quick is not None, "the file should be in step"
    whole = full(context)
    assert quick.rows == whole.rows
    assert quick.count == whole.count and quick.empty == whole.empty
    for row in whole.rows:
        held = quick.summaries[row.discussion_id]
        summary = whole.summaries[row.discussion_id]
        assert (held.kind, held.held_on) == (summary.kind, summary.held_on)


def some_open_action(context: Context) -> tuple[str, str]:
    """A draft's open action on the dashboard (a draft's text can still be edited)."""
    read = full(context)
    row = next(
        r for r in read.rows if r.action_id is not None and read.summaries[r.discussion_id].status is DiscussionStatus.DRAFT
    )
    assert row.action_id is not None
    return row.discussion_id, row.action_id


def mark_one_done(context: Context) -> str:
    """Mark some_open_action done, as the dashboard's mark-done does; its id."""
    discussion_id, action_id = some_open_action(context)
    context.store.update(discussion_id, lambda d: d.close_action(action_id, ActionStatus.DONE, context.today, "test"))
    return action_id


def test_the_file_gives_the_rows_of_a_full_read_on_the_demo_database(demo_context: Callable[..., Context]) -> None:
    context = demo_context(200)
    assert read_first_screen(context) is None  # never written: the index is read
    read = written(context)
    assert read.rows, "the demo database has deadlines"
    assert_same_as_full_read(context)
    assert full(context).stale_file is None  # in step: nothing to write again
    mode = (first_screen.folder(context.store) / first_screen.ROWS_FILE).stat().st_mode & 0o777
    assert mode == context.store.access.file_mode


def test_an_edit_of_the_text_keeps_it_in_step(demo: Context) -> None:
    discussion_id, _ = some_open_action(demo)
    record = demo.store.get(discussion_id)
    record.information.concerns += " Update from the school."
    demo.store.save(record)
    assert_same_as_full_read(demo)


def test_a_mark_done_puts_it_out_of_step_and_the_next_read_writes_it_anew(demo: Context) -> None:
    action_id = mark_one_done(demo)
    assert read_first_screen(demo) is None
    read = written(demo)
    assert all(r.action_id != action_id for r in read.rows)
    assert_same_as_full_read(demo)


def test_a_sign_off_puts_it_out_of_step(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    saved = context.store.create(make_discussion())
    written(context)
    context.store.update(saved.id, _signed_off)
    assert read_first_screen(context) is None
    written(context)
    assert_same_as_full_read(context)


def _signed_off(d: Discussion) -> None:
    d.status = DiscussionStatus.SIGNED_OFF
    d.sign_off = SignOff(manager="Jo Reid", signed_at=datetime(2026, 11, 25, 10, tzinfo=timezone.utc))


def test_a_new_discussion_puts_it_out_of_step(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    written(context)  # an empty database: no rows, count 0
    assert read_first_screen(context) is not None
    context.store.create(make_discussion())
    assert read_first_screen(context) is None
    written(context)
    assert_same_as_full_read(context)


def _in_another_process(db: Path, code: str) -> None:
    script = textwrap.dedent(
        f"""
        from datetime import date
        from pathlib import Path
        from stratui.models import ActionStatus
        from stratui.store import Store
        store = Store.open(Path({str(db)!r}), user="another")
        """
    ) + textwrap.dedent(code)
    subprocess.run([sys.executable, "-c", script], check=True, env=dict(os.environ))


def test_another_processes_saves_are_seen(demo: Context) -> None:
    discussion_id, action_id = some_open_action(demo)
    # A text edit in another process: still in step, and the same rows.
    _in_another_process(
        demo.store.root,
        f"""
        record = store.get({discussion_id!r})
        record.information.concerns += " Another user's note."
        store.save(record)
        """,
    )
    assert_same_as_full_read(demo)
    # A mark-done there: out of step here, so never used until written anew.
    _in_another_process(
        demo.store.root,
        f"""
        store.update({discussion_id!r}, lambda d: d.close_action({action_id!r}, ActionStatus.DONE, date(2026, 11, 25), "x"))
        """,
    )
    assert read_first_screen(demo) is None
    read = written(demo)
    assert all(r.action_id != action_id for r in read.rows)
    assert_same_as_full_read(demo)


def test_a_shard_changed_behind_its_back_is_noticed(demo: Context) -> None:
    discussion_id, _ = some_open_action(demo)
    shard = shard_of(discussion_id)
    # The same bytes written again (a restore, another version of stratui): a new file.
    path = demo.store.index.path(shard)
    raw = path.read_bytes()
    path.unlink()
    path.write_bytes(raw)
    assert read_first_screen(demo) is None
    written(demo)
    assert_same_as_full_read(demo)


def test_a_discussion_file_added_by_hand_is_noticed(demo: Context) -> None:
    discussion_id, _ = some_open_action(demo)
    folder = demo.store.records.path(discussion_id).parent
    (folder / "copied-in.txt").write_text("a file a restore left")
    assert read_first_screen(demo) is None


def test_a_save_in_progress_is_never_read_around(demo: Context) -> None:
    discussion_id, _ = some_open_action(demo)
    demo.store.journal.mark(discussion_id)  # as a save killed half-way leaves it
    assert read_first_screen(demo) is None


def test_another_day_or_other_timescales_are_not_read_from_it(demo: Context, tmp_path: Path) -> None:
    tomorrow = open_context(db=demo.store.root, config=tmp_path / "settings.toml", today="2026-11-26")
    assert read_first_screen(tomorrow) is None
    (tmp_path / "wales.toml").write_text('nation = "wales"\n')
    wales = open_context(db=demo.store.root, config=tmp_path / "wales.toml", today="2026-11-25")
    assert read_first_screen(wales) is None


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"count": 1}'])
def test_damaged_rows_are_never_shown_and_check_names_and_rebuilds_them(
    demo: Context, damage: bytes
) -> None:
    rows = first_screen.folder(demo.store) / first_screen.ROWS_FILE
    rows.write_bytes(damage)
    assert read_first_screen(demo) is None
    problems = [p for p in demo.store.check() if "first screen" in p]
    assert len(problems) == 1 and str(first_screen.folder(demo.store)) in problems[0]
    assert "rebuilt from the index" in problems[0]
    assert_same_as_full_read(demo)
    assert not [p for p in demo.store.check() if "first screen" in p]


def test_rows_that_are_whole_but_wrong_are_named_by_check(demo: Context) -> None:
    folder = first_screen.folder(demo.store)
    lines = (folder / first_screen.ROWS_FILE).read_bytes().split(b"\n")
    del lines[1]  # a row lost (a line each after the count), the digest made to match
    _planted(demo, first_screen.ROWS_FILE, "digest", b"\n".join(lines))
    problems = [p for p in demo.store.check() if "first screen" in p]
    assert problems and "not those the index gives" in problems[0]
    assert_same_as_full_read(demo)


def test_a_first_screenful_that_is_whole_but_wrong_is_never_shown_whole_and_check_names_it(
    demo: Context,
) -> None:
    folder = first_screen.folder(demo.store)
    head = json.loads((folder / first_screen.HEAD_FILE).read_bytes())
    head["states"]["overdue"] += 1  # a count changed, the digest made to match
    _planted(demo, first_screen.HEAD_FILE, "head_digest", json.dumps(head).encode())
    problems = [p for p in demo.store.check() if "first screen" in p]
    assert problems and "first screenful" in problems[0]
    rebuilt = read_first_screenful(demo)
    assert rebuilt is not None
    whole = full(demo)
    assert rebuilt.state_count(DeadlineState.OVERDUE, rebuilt.rows, filtered=False) == sum(
        1 for r in whole.rows if r.state is DeadlineState.OVERDUE
    )
    assert rebuilt.rows == whole.rows[: len(rebuilt.rows)]


# An entry's fields as written (dashboard_read._entry_of), each given a value not as written.
_NOT_AS_WRITTEN = [
    (0, 7), (1, None), (2, 3), (3, "no-such-kind"), (4, ["a title"]), (7, {"ref": 1}), (8, "Ava"), (8, ["Ava", 2]),
    (9, True), (10, "2026-02-30"), (10, "2026-1-5"), (10, 20261105), (11, True), (11, "3"), (12, "late"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value"), _NOT_AS_WRITTEN)
def test_dashboard_json_never_gives_an_entry_not_as_written_but_the_full_reads_items(
    demo: Context, field: int, value: object
) -> None:
    folder = first_screen.folder(demo.store)
    lines = (folder / first_screen.ROWS_FILE).read_bytes().split(b"\n")
    entry, held = json.loads(lines[-2])
    entry[field] = value
    lines[-2] = json.dumps([entry, held]).encode()
    _planted(demo, first_screen.ROWS_FILE, "digest", b"\n".join(lines))
    assert first_screen.read(demo.store, first_screen_key(demo)) is not None  # in step, its digest matching
    assert dashboard_json_items(demo) == [row_json(r) for r in full(demo).rows]


def test_dashboard_json_from_the_file_is_the_full_reads_items(demo: Context) -> None:
    items = dashboard_json_items(demo)
    assert items and items == [row_json(r) for r in full(demo).rows]


def _planted(context: Context, name: str, digest: str, raw: bytes) -> None:
    """A file written by another hand, with its digest in the stamps made to match."""
    folder = first_screen.folder(context.store)
    recorded = json.loads((folder / first_screen.STAMPS_FILE).read_bytes())
    (folder / name).write_bytes(raw)
    recorded[digest] = first_screen._digest(raw)
    (folder / first_screen.STAMPS_FILE).write_bytes(json.dumps(recorded).encode())


def test_damaged_stamps_are_removed_by_check(demo: Context) -> None:
    (first_screen.folder(demo.store) / first_screen.STAMPS_FILE).write_bytes(b"\x00garbage")
    assert read_first_screen(demo) is None
    problems = [p for p in demo.store.check() if "first screen" in p]
    assert problems and "removed" in problems[0]
    assert read_first_screen(demo) is None
    written(demo)
    assert_same_as_full_read(demo)


def test_check_writes_an_out_of_date_file_anew_without_calling_it_damage(demo: Context) -> None:
    mark_one_done(demo)
    assert not [p for p in demo.store.check() if "first screen" in p]
    assert_same_as_full_read(demo)


@pytest.mark.parametrize("name", [first_screen.HEAD_FILE, first_screen.ROWS_FILE, first_screen.STAMPS_FILE])
def test_a_file_put_there_as_a_symbolic_link_is_never_read(
    demo: Context, tmp_path: Path, name: str
) -> None:
    folder = first_screen.folder(demo.store)
    elsewhere = tmp_path / f"elsewhere-{name}"
    elsewhere.write_bytes((folder / name).read_bytes())  # the very bytes, through a link
    (folder / name).unlink()
    (folder / name).symlink_to(elsewhere)
    # The reads that use the file give nothing (the index is read instead).
    uses = {first_screen.HEAD_FILE: [read_first_screenful], first_screen.ROWS_FILE: [read_first_screen]}
    for read in uses.get(name, [read_first_screenful, read_first_screen]):
        assert read(demo) is None


def test_a_file_larger_than_its_limit_is_refused_unread(
    demo: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read_first_screenful(demo) is not None
    size = (first_screen.folder(demo.store) / first_screen.HEAD_FILE).stat().st_size
    monkeypatch.setitem(first_screen.LIMITS, first_screen.HEAD_FILE, size - 1)
    assert read_first_screenful(demo) is None
    assert read_first_screen(demo) is not None  # the rows are still in step


def test_the_folder_as_a_symbolic_link_is_never_read(demo: Context, tmp_path: Path) -> None:
    folder = first_screen.folder(demo.store)
    folder.rename(tmp_path / "moved")
    folder.symlink_to(tmp_path / "moved")
    assert read_first_screenful(demo) is None
    assert read_first_screen(demo) is None
    # Nor written through: the full read's rows are not put where the link points.
    before = {f.name: f.stat().st_mtime_ns for f in (tmp_path / "moved").iterdir()}
    read = full(demo)
    assert read.stale_file is not None
    assert not write_first_screen(demo, read)
    assert {f.name: f.stat().st_mtime_ns for f in (tmp_path / "moved").iterdir()} == before
    # check names it and removes the link (not what it points to); the next start writes anew.
    problems = [p for p in demo.store.check() if "first screen" in p]
    assert problems and "removed" in problems[0]
    assert not folder.is_symlink() and {f.name for f in (tmp_path / "moved").iterdir()} == set(before)
    written(demo)
    assert_same_as_full_read(demo)

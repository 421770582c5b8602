"""The dashboard's first screen comes from the first screen's file (stratui.store.first_screen),
before a single summary is read; every summary is then read off the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from textual.widgets import DataTable

from stratui.app import make_app
from stratui.context import Context
from stratui.dashboard_read import read_rows, write_first_screen
from stratui.screens import dashboard as dashboard_module
from stratui.screens.dashboard import DashboardScreen
from stratui.store import Store, first_screen
from stratui.store.index import Index
from waiting import wait_until

WAIT_SECONDS = 30.0


async def _until(pilot: object, condition: Callable[[], bool]) -> None:
    assert await wait_until(pilot, condition, WAIT_SECONDS), "the condition did not come true in time"


async def test_the_first_screen_is_drawn_from_the_file_before_any_summary_is_read(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = demo_context(200)
    read = read_rows(context, with_closed=False)
    assert write_first_screen(context, read)
    monkeypatch.setattr(dashboard_module, "LOAD_IN_BACKGROUND_BYTES", 0)  # the full read in a worker
    # Reading the summaries waits until the test lets it: whatever is drawn before came from the file.
    released = threading.Event()
    reads: list[str] = []
    summaries = Index.by_shard  # what the dashboard reads the index through

    def held_back(index: Index) -> list:
        reads.append(threading.current_thread().name)
        released.wait(WAIT_SECONDS)
        return summaries(index)

    monkeypatch.setattr(Index, "by_shard", held_back)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#deadlines", DataTable)
        await _until(pilot, lambda: table.row_count > 0)
        assert not released.is_set()
        assert not table.loading
        drawn = [r.key.value for r in table.ordered_rows]
        assert drawn == [row.key for row in read.rows[: len(drawn)]]
        overdue = sum(1 for r in read.rows if r.state is not None and r.state.value == "overdue")
        assert f"{overdue} overdue" in str(app.screen.query_one("#summary").render())
        # The keys work on the rows from the file while every summary is still being read.
        await pilot.press("j")
        assert table.cursor_row == 1
        # Any summary read so far was in the worker, never on the UI thread.
        assert threading.main_thread().name not in reads
        released.set()
        await _until(pilot, lambda: not app.screen._loading)  # type: ignore[attr-defined]
        assert table.row_count == len(read.rows)
        assert table.cursor_row == 1


async def test_the_first_screenful_is_drawn_before_the_rest_of_the_rows_is_read(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = demo_context(200)
    monkeypatch.setattr(first_screen, "HEAD_ROWS", 5)  # a first screenful shorter than the rows
    read = read_rows(context, with_closed=False)
    assert len(read.rows) > 5
    assert write_first_screen(context, read)
    monkeypatch.setattr(dashboard_module, "LOAD_IN_BACKGROUND_BYTES", 0)  # the rest in a worker
    # The rest of the rows (rows.json) and the summaries wait until the test lets them be read.
    released = threading.Event()
    reads: list[tuple[str, str]] = []
    every_row, summaries = first_screen.read, Index.by_shard

    def rows_held_back(store: object, key: dict) -> object:
        reads.append(("rows", threading.current_thread().name))
        released.wait(WAIT_SECONDS)
        return every_row(store, key)  # type: ignore[arg-type]

    def summaries_held_back(index: Index) -> list:
        reads.append(("summaries", threading.current_thread().name))
        released.wait(WAIT_SECONDS)
        return summaries(index)

    monkeypatch.setattr(first_screen, "read", rows_held_back)
    monkeypatch.setattr(Index, "by_shard", summaries_held_back)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#deadlines", DataTable)
        await _until(pilot, lambda: table.row_count > 0)
        await pilot.pause(0.2)
        # Only the first screenful, and the counts of every row above it.
        assert [r.key.value for r in table.ordered_rows] == [row.key for row in read.rows[:5]]
        overdue = sum(1 for r in read.rows if r.state is not None and r.state.value == "overdue")
        assert overdue > 5  # so the count cannot be of the rows drawn
        assert f"{overdue} overdue" in str(app.screen.query_one("#summary").render())
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        # A filter while the rest is read says so.
        await pilot.press("l")
        assert "of the first 5 (reading the rest)" in str(app.screen.query_one("#filters").render())
        await pilot.press("escape")
        assert all(thread != threading.main_thread().name for _, thread in reads)
        released.set()
        await _until(pilot, lambda: not app.screen._loading)  # type: ignore[attr-defined]
        await _until(pilot, lambda: table.row_count == len(read.rows))
        assert [r.key.value for r in table.ordered_rows] == [row.key for row in read.rows]
        assert table.cursor_row == 2
        assert [what for what, _ in reads] == ["rows", "summaries"]
        assert "reading the rest" not in str(app.screen.query_one("#filters").render())


async def test_a_colleague_s_save_on_a_large_index_is_read_off_the_ui_thread(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch, make_discussion
) -> None:
    """At 100,000 discussions a read of the index takes half a second: a save seen on the
    dashboard, or a discussion closed, must not freeze the keys for that long."""
    context = demo_context(200)
    monkeypatch.setattr(dashboard_module, "LOAD_IN_BACKGROUND_BYTES", 0)  # any index is large here
    reads: list[str] = []
    summaries = Index.by_shard  # what the dashboard reads the index through

    def noted(index: Index) -> list:
        reads.append(threading.current_thread().name)
        return summaries(index)

    monkeypatch.setattr(Index, "by_shard", noted)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        table = screen.query_one("#deadlines", DataTable)
        await _until(pilot, lambda: table.row_count > 0 and not screen._loading)  # type: ignore[attr-defined]
        await pilot.press("j", "j")
        before = table.row_count
        colleague = Store.open(context.store.root, user="Jo Reid")
        colleague.create(make_discussion(case_ref="CS-NEW-1", held_on=date(2026, 11, 2)))
        screen.check_for_changes()  # as its timer does
        await _until(pilot, lambda: table.row_count > before)
        assert any("CS-NEW-1" in str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))
        assert table.cursor_row == 2  # the rows were redrawn under the cursor, not from the top
        assert reads and threading.main_thread().name not in reads


async def test_while_a_large_index_is_first_read_the_dashboard_says_so_not_that_it_is_empty(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No first screen's file in step (copied, or written by another version): every summary is
    read first. Meanwhile the screen said "No discussions yet" and showed the welcome (seen in
    tmux on 100,000 discussions, for 4 s)."""
    context = demo_context(200)
    first_screen.remove(context.store)
    monkeypatch.setattr(dashboard_module, "LOAD_IN_BACKGROUND_BYTES", 0)
    released = threading.Event()
    summaries = Index.by_shard  # what the dashboard reads the index through

    def held_back(index: Index) -> list:
        released.wait(WAIT_SECONDS)
        return summaries(index)

    monkeypatch.setattr(Index, "by_shard", held_back)
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.resize_terminal(100, 30)  # a redraw while it reads
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Loading the discussions" in str(screen.query_one("#summary").render())
        assert not screen.has_class("empty")
        assert screen.query_one("#welcome").styles.display == "none"
        released.set()
        table = screen.query_one("#deadlines", DataTable)
        await _until(pilot, lambda: table.row_count > 0)
        assert "overdue" in str(screen.query_one("#summary").render())


async def test_a_first_screen_file_that_holds_every_row_is_the_whole_list(demo_context: Callable[..., Context]) -> None:
    """50 discussions, 64 rows: the file's first screenful is all of them. Filtered by agency, the
    dashboard said "7 of the first 64 (reading the rest)" for good, though nothing was left to read."""
    from pilot import stratui_at_80x24, type_text

    context = demo_context(50)
    read = read_rows(context, with_closed=False)
    assert write_first_screen(context, read) and len(read.rows) <= first_screen.HEAD_ROWS
    async with stratui_at_80x24(context) as (app, pilot):
        await _until(pilot, lambda: app.screen.query_one("#deadlines", DataTable).row_count > 0)
        await pilot.press("a")
        await type_text(pilot, "Police")
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DashboardScreen) and bool(app.screen.filters.agency))
        line = str(app.screen.query_one("#filters").render())
        assert f"of {len(read.rows)}," in line and "reading" not in line, line

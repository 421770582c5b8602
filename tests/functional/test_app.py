"""The app driven by keys through the Pilot, at the 80x24 our users have."""

from __future__ import annotations

import threading
from datetime import date

from textual.widgets import DataTable, Static

from stratui.app import make_app
from stratui.context import Context
from stratui.demo import generate_demo

from pilot import press_to, stratui_at_80x24


async def test_empty_database_says_how_to_load_demo_data(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        summary = app.screen.query_one("#summary", Static)
        assert "stratui demo" in str(summary.render())
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("q")
    assert app.return_code == 0


async def test_dashboard_lists_overdue_first_and_counts_each_group(context: Context) -> None:
    context.store.save_all_new(generate_demo(30, 2, date(2026, 11, 25)))
    async with stratui_at_80x24(context) as (app, pilot):
        table = app.screen.query_one(DataTable)
        states = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        assert states and states[0] == "!! OVERDUE"
        order = {"!! OVERDUE": 0, "!  TODAY": 1, "soon": 2}
        assert [order[s] for s in states] == sorted(order[s] for s in states)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert f"{states.count('!! OVERDUE')} overdue" in summary
        await pilot.press("down", "ctrl+r")
        assert table.row_count == len(states)
        await pilot.press("q")


async def test_command_palette_starts_a_new_discussion(context: Context) -> None:
    from stratui.models import DiscussionKind

    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new network", "enter")
        await pilot.pause()
        assert app.editor is not None
        assert app.editor.discussion.kind is DiscussionKind.NETWORK_MEETING


async def test_help_lists_the_keys_of_every_screen(context: Context) -> None:
    from stratui.screens.help import HelpScreen, help_sections

    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "question_mark", screen=HelpScreen)
        titles = [title for title, _rows in help_sections()]
        assert "Dashboard" in titles and "Recording a discussion (every phase)" in titles
        keys = dict(row for _title, rows in help_sections() for row in rows)
        assert keys["ctrl+n / pagedown"] == "Next phase"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_no_color_picks_the_monochrome_theme(context: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(context)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "stratui-monochrome"
    monkeypatch.delenv("NO_COLOR")
    context.settings.theme = "monochrome"
    assert make_app(context).theme == "stratui-monochrome"
    context.settings.theme = "colour"
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_app(context).theme != "stratui-monochrome"


async def test_an_autosave_due_as_the_app_closes_still_saves_and_does_not_crash(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("n", "enter", *"CS-LATE")
        await pilot.pause()
    # The app has closed: its screens are gone. The autosave timer may still fire.
    app.autosave_now()
    app.check_open_discussion()
    [summary] = context.store.summaries()
    assert summary.case_ref == "CS-LATE"


async def test_a_closed_app_leaves_no_saver_thread_and_nothing_holds_it(context: Context) -> None:
    """The saver's thread wrote the last save and ended with the app: before, it waited for
    more saves for as long as the process lived, holding the app and its screens (a team host
    runs one app a process, but every Pilot test left one behind, and the suite's collector
    walked them all again and again)."""
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("n", "enter", *"CS-THREAD")
        await pilot.press("ctrl+s")
        thread = app.saver._thread
        assert thread is not None and thread.is_alive()
        await pilot.press("ctrl+q")
    thread.join(timeout=60)  # ends as soon as it sees the app gone; the bound only stops a hang
    assert not thread.is_alive()
    [summary] = context.store.summaries()
    assert summary.case_ref == "CS-THREAD"
    assert "stratui-saver" not in [t.name for t in threading.enumerate()]

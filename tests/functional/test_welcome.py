"""First start: the welcome on an empty database, driven by keys at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable

from stratui.context import Context
from stratui.models import Discussion
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.welcome import WelcomePanel

from pilot import press_to, start_new, stratui_at_80x24


def welcome_shown(app) -> bool:  # type: ignore[no-untyped-def]
    panels = app.screen.query(WelcomePanel)
    return bool(panels) and panels.first().shown and panels.first().region.height > 0


async def test_shown_on_an_empty_database_with_the_keys_that_matter(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert welcome_shown(app)
        panel = app.screen.query_one(WelcomePanel)
        assert panel.has_focus
        text = str(panel.render())
        for key, what in (("n", "new strategy discussion"), ("/", "search"), ("?", "every key"), ("ctrl+p", "command palette"), ("ctrl+q", "quit")):
            assert f"{key} " in text and what in text
        assert "stratui demo" in text
        # All of it fits at 80x24: no line cut, the box inside the screen.
        assert all(len(line) <= 72 for line in text.splitlines())
        assert panel.region.bottom <= 23


async def test_enter_or_escape_closes_it(context: Context) -> None:
    for key in ("enter", "escape"):
        async with stratui_at_80x24(context) as (app, pilot):
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert not welcome_shown(app)
            assert isinstance(app.screen, DashboardScreen)
            assert isinstance(app.focused, DataTable)
            await pilot.press("q")
        assert app.return_code == 0


async def test_its_keys_work_at_once(context: Context) -> None:
    """n, ? and q reach the dashboard and the app while the welcome is up."""
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from stratui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert welcome_shown(app)
        await pilot.press("n", "enter")  # a strategy discussion, the usual kind
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)


async def test_gone_once_the_first_discussion_is_recorded(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await start_new(pilot)
        await pilot.press(*"CS-1", "ctrl+s")
        await pilot.pause()
        await press_to(pilot, "escape", screen=DashboardScreen)  # back to the dashboard, saved
        assert context.store.summaries()
        assert not welcome_shown(app)
        assert isinstance(app.focused, DataTable)
        await pilot.press("q")
    assert app.return_code == 0
    # And on the next start there is no welcome at all.
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert not welcome_shown(app)
        assert isinstance(app.focused, DataTable)


async def test_not_shown_when_the_database_has_discussions(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    context.store.save_all_new([make_discussion()])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert not welcome_shown(app)
        assert app.screen.query_one(DataTable).row_count > 0
        await pilot.press("enter")  # Enter opens the highlighted discussion as always
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)

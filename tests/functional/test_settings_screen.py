"""The settings screen: change what a team changes, by keys, saved to the TOML file."""

from __future__ import annotations

import tomllib

from textual.widgets import Static

from stratui.app import make_app
from stratui.context import Context
from stratui.screens.settings import SettingsScreen


async def test_change_nation_and_a_timescale_then_save(context: Context) -> None:
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("s", "tab", "ctrl+u", "3", "ctrl+s")  # the pick moves on to Colours
        await pilot.pause()
        assert "Saved" in str(app.screen.query_one("#settings-status", Static).render())
        saved = tomllib.loads(context.config_path.read_text())  # type: ignore[union-attr]
        assert saved["nation"] == "scotland"
        assert saved["timescales"]["strategy_discussion_working_days"] == 3
        assert context.settings.nation == "scotland"


async def test_bad_values_are_explained_and_not_saved(context: Context) -> None:
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("tab", "tab", "ctrl+u", "x")
        await pilot.pause()
        note = str(app.screen.query_one("#field-timescales-strategy-discussion-working-days .note", Static).render())
        assert "'x' is not a whole number" in note
        await pilot.press("backspace", "0")
        await pilot.pause()
        note = str(app.screen.query_one("#field-timescales-strategy-discussion-working-days .note", Static).render())
        assert "at least 1" in note
        await pilot.press("escape")
        assert not isinstance(app.screen, SettingsScreen)  # nothing valid was changed
        assert not context.config_path.exists()  # type: ignore[union-attr]


async def test_escape_warns_once_about_unsaved_changes(context: Context) -> None:
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("w", "escape")
        assert isinstance(app.screen, SettingsScreen)
        assert "Unsaved changes" in str(app.screen.query_one("#settings-status", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, SettingsScreen)
        assert context.settings.nation == "england"

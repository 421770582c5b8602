"""The settings screen: change what a team changes, by keys, saved to the TOML file."""

from __future__ import annotations

import tomllib
from typing import Any

from textual.widgets import Input, Static

from stratui.context import Context
from stratui.screens.settings import SettingsScreen

from pilot import press_to, stratui_at_80x24


async def test_change_nation_and_a_timescale_then_save(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await pilot.press("s", "tab", "ctrl+u", "3", "ctrl+s")  # the pick moves on to Colours
        await pilot.pause()
        assert "Saved" in str(app.screen.query_one("#settings-status", Static).render())
        saved = tomllib.loads(context.config_path.read_text())  # type: ignore[union-attr]
        assert saved["nation"] == "scotland"
        assert saved["timescales"]["strategy_discussion_working_days"] == 3
        assert context.settings.nation == "scotland"


async def test_bad_values_are_explained_and_not_saved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
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
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await pilot.press("w", "escape")
        assert isinstance(app.screen, SettingsScreen)
        assert "Unsaved changes" in str(app.screen.query_one("#settings-status", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, SettingsScreen)
        assert context.settings.nation == "england"


# -- [minutes]: what every page of the minutes carries ----------------------------------------

MARKING = "#field-minutes-protective-marking"
ORGANISATION = "#field-minutes-organisation"


async def tab_to(pilot: Any, field: str) -> None:
    """Tab through the form, as a user does, until the field's box has the focus (bounded)."""
    screen = pilot.app.screen
    for _ in range(40):
        focused = screen.focused
        if focused is not None and screen.query_one(field) in focused.ancestors_with_self:
            # Where typing lands is on the 80x24 screen, not scrolled out of sight.
            await pilot.pause()
            assert 0 <= focused.region.y < 24, focused.region
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {field}")


def note(screen: Any, field: str) -> str:
    return str(screen.query_one(f"{field} .note", Static).render())


def status(screen: Any) -> str:
    return str(screen.query_one("#settings-status", Static).render())


async def test_the_marking_and_council_on_the_minutes_are_changed_and_saved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await tab_to(pilot, MARKING)
        assert app.screen.query_one(f"{MARKING} Input", Input).value == "OFFICIAL-SENSITIVE"
        await pilot.press("end", *" PERSONAL")
        await tab_to(pilot, ORGANISATION)
        await pilot.press(*"Riverside Council", "ctrl+s")
        await pilot.pause()
        assert "Saved" in status(app.screen)
    saved = tomllib.loads(context.config_path.read_text("utf-8"))  # type: ignore[union-attr]
    assert saved["minutes"] == {"protective_marking": "OFFICIAL-SENSITIVE PERSONAL", "organisation": "Riverside Council"}
    # What the minutes print from now on, without a restart.
    assert context.settings.minutes.protective_marking == "OFFICIAL-SENSITIVE PERSONAL"
    assert context.settings.minutes.organisation == "Riverside Council"


async def test_an_empty_marking_is_explained_and_nothing_is_saved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await pilot.press("w")  # a good change elsewhere: it must not go to the file without the marking
        await tab_to(pilot, MARKING)
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert "must not be empty" in note(app.screen, MARKING)
        assert "OFFICIAL-SENSITIVE" in note(app.screen, MARKING)  # says what belongs there
        await tab_to(pilot, ORGANISATION)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert status(app.screen).startswith("Not saved: Protective marking: must not be empty")
        assert app.screen.focused is app.screen.query_one(f"{MARKING} Input", Input)  # back where the fix goes
        assert not context.config_path.exists()  # type: ignore[union-attr]
        await pilot.press(*"OFFICIAL", "ctrl+s")
        await pilot.pause()
        assert "Saved" in status(app.screen)
    saved = tomllib.loads(context.config_path.read_text("utf-8"))  # type: ignore[union-attr]
    assert saved["nation"] == "wales" and saved["minutes"]["protective_marking"] == "OFFICIAL"


async def test_a_marking_too_long_for_the_page_margin_is_explained_and_not_saved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await tab_to(pilot, MARKING)
        await pilot.press("end", *(" X" * 21))  # 18 + 42 = 60 characters: the most that fits
        await pilot.pause()
        assert note(app.screen, MARKING) == ""
        await pilot.press("Y")
        await pilot.pause()
        assert "at most 60 characters" in note(app.screen, MARKING)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert status(app.screen).startswith("Not saved: Protective marking: must be at most 60 characters")
        assert context.settings.minutes.protective_marking == "OFFICIAL-SENSITIVE"
        await pilot.press("backspace", "ctrl+s")
        await pilot.pause()
        assert "Saved" in status(app.screen)
    assert context.settings.minutes.protective_marking == "OFFICIAL-SENSITIVE" + " X" * 21

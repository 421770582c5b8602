"""What a user picks for themselves survives a restart: the theme (command palette) and the keys
(a [keymap] in the settings)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from stratui.app import make_app
from stratui.context import Context, ContextError, open_context
from stratui.screens.theme import MONOCHROME

from pilot import screen_text, stratui_at_80x24, wait_until

TODAY = "2026-11-25"


def start(tmp_path: Path) -> Context:
    return open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)


async def test_a_theme_picked_in_the_palette_is_used_at_the_next_start(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('# our team\nuser = "Sam Patel"  # on duty\n', encoding="utf-8")
    async with stratui_at_80x24(start(tmp_path)) as (app, pilot):
        await pilot.press("ctrl+p", *"theme")
        assert await wait_until(pilot, lambda: "Change the current theme" in screen_text(app)), screen_text(app)
        await pilot.press("enter")
        await pilot.press(*"nord")
        assert await wait_until(pilot, lambda: screen_text(app).count("nord") >= 2 and "gruvbox" not in screen_text(app)), screen_text(app)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: 'theme = "nord"' in settings.read_text(encoding="utf-8"))
        assert app.theme == "nord"
    text = settings.read_text(encoding="utf-8")
    assert 'theme = "nord"' in text
    assert "# our team" in text and "# on duty" in text  # the user's comments are kept

    again = make_app(start(tmp_path))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_picking_what_auto_already_gives_leaves_the_setting_alone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    async with stratui_at_80x24(start(tmp_path)) as (app, pilot):
        await pilot.pause()
        assert app.theme == MONOCHROME.name
        app.theme = "textual-light"
        await pilot.pause()
        app.theme = MONOCHROME.name  # back to what "auto" means here
        await pilot.pause()
    assert start(tmp_path).settings.theme == "monochrome"  # the last explicit pick...
    async with stratui_at_80x24(start(tmp_path)) as (app, pilot):
        app.theme = app.default_theme
        await pilot.pause()
    assert start(tmp_path).settings.theme == "colour"  # ...and Textual's own colours are "colour"


async def test_a_theme_stratui_does_not_have_is_said_and_the_usual_colours_used(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('theme = "no-such-theme"\n', encoding="utf-8")
    async with stratui_at_80x24(start(tmp_path)) as (app, pilot):
        await pilot.pause()
        assert app.theme == app.default_theme
        assert any("no-such-theme" in str(n.message) for n in app._notifications)


def test_a_theme_that_is_not_a_name_is_a_clear_settings_error(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('theme = "Nord Dark!"\n', encoding="utf-8")
    with pytest.raises(ContextError, match="theme: must be auto, monochrome, colour or a theme's name"):
        start(tmp_path)


def footer_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips()[-2:])


async def test_a_keymap_in_the_settings_moves_a_key_and_footer_and_help_say_so(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        'user = "Sam Patel"\n[keymap]\nnext-phase = "ctrl+b, f8"\nnew-discussion = "i"\n', encoding="utf-8"
    )
    async with stratui_at_80x24(start(tmp_path)) as (app, pilot):
        assert await wait_until(pilot, lambda: "i New" in footer_text(app)), footer_text(app)
        await pilot.press("n")  # no longer the key for a new discussion
        await pilot.pause()
        assert "which kind" not in "\n".join(s.text for s in app.screen._compositor.render_strips())
        await pilot.press("i", "enter")  # the new key, then the default kind
        assert await wait_until(pilot, lambda: "^b Next" in footer_text(app)), footer_text(app)
        first = app.screen.PHASE.title  # type: ignore[attr-defined]
        await pilot.press("ctrl+b")
        assert await wait_until(pilot, lambda: getattr(getattr(app.screen, "PHASE", None), "title", first) != first)

        app.action_help()
        await pilot.pause()
        from stratui.screens.help import help_sections

        keys = {what: key for _title, rows in help_sections(app.keymap) for key, what in rows}
        assert keys["Next phase"] == "ctrl+b / f8"
        # What the help screen holds (most of it below the fold at 80x24), as text.
        console = Console(width=76, file=io.StringIO(), record=True)
        console.print(app.screen.query_one(Static).content)
        shown = console.export_text()
        assert "ctrl+b / f8" in shown and "ctrl+n / pagedown" not in shown
        assert "next-phase" in shown  # the ids a keymap may name


async def test_an_unknown_key_id_is_named_and_the_rest_applied(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('[keymap]\nnxt-phase = "f8"\nnew-discussion = "i"\n', encoding="utf-8")
    async with stratui_at_80x24(start(tmp_path)) as (app, pilot):
        assert await wait_until(pilot, lambda: "i New" in footer_text(app)), footer_text(app)
        assert any("'nxt-phase'" in str(n.message) for n in app._notifications)


def test_a_keymap_value_that_is_not_keys_is_a_clear_settings_error(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('[keymap]\nnext-phase = "ctrl+n,,"\n', encoding="utf-8")
    with pytest.raises(ContextError, match=r'keymap.next-phase: must be keys separated by commas, such as "ctrl\+n,f8"'):
        start(tmp_path)

"""Keys typed while the next phase screen is built reach that screen, in order.

Over a slow SSH link `ctrl+n` (or PageDown, PageUp) and the text after it arrive in one burst:
before the fix the text went to a screen with nothing focused yet and was lost. The app holds
the keys that arrive during a phase change and gives them to the new screen once its first
field has focus.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.models import Discussion
from stratui.store import Store

from pilot import start_new, stratui_at_80x24, wait_until


def burst(app: StratuiApp, *keys: str) -> None:
    """Every key at once, as the terminal driver delivers a burst (Pilot's press waits after each)."""
    assert app._driver is not None
    for key in keys:
        names = [key] if len(key) > 1 else [_character_to_key(c) if not c.isalnum() else c for c in key]
        for name in names:
            try:
                char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(name, name)))
            except KeyError:
                char = name if len(name) == 1 else None
            event = events.Key(name, char)
            event.set_sender(app)
            app._driver.send_message(event)


def text(words: str) -> list[str]:
    return list(words)


def record(app: StratuiApp) -> Discussion:
    assert app.editor is not None
    return app.editor.discussion


@pytest.mark.parametrize("next_key", ["ctrl+n", "pagedown"])
async def test_text_typed_with_the_next_phase_key_lands_in_the_next_screen(context: Context, next_key: str) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        burst(app, *text("CS-AHEAD"), next_key, *text("Dad shouted"))
        assert await wait_until(pilot, lambda: record(app).information.concerns == "Dad shouted"), record(app)
        assert record(app).case_ref == "CS-AHEAD"
        assert type(app.screen).__name__ == "InformationScreen"


async def test_text_typed_with_pageup_lands_in_the_previous_screen(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await pilot.press(*"CS-AHEAD", "pagedown")
        await pilot.pause()
        burst(app, "pageup", *text("-2"), "ctrl+n", *text("Seen. "))
        assert await wait_until(pilot, lambda: record(app).information.concerns == "Seen. "), record(app)
        assert record(app).case_ref == "CS-AHEAD-2"


def stored(db: Path) -> Discussion | None:
    store = Store.open(db)
    summaries = store.summaries()
    return store.get(summaries[0].id) if summaries else None


@pytest.mark.process
def test_a_burst_across_phase_changes_under_tmux(tmp_path: Path, new_discussion_at_vt100) -> None:  # type: ignore[no-untyped-def]
    terminal = new_discussion_at_vt100
    db = tmp_path / "db"
    # Each line is ONE send-keys: the phase key and the text after it in one write.
    terminal.keys("CS-AHEAD", "PageDown", "Concerns typed at once")
    terminal.wait_for("Concerns typed at once")
    terminal.keys("PageUp", "-2")
    terminal.wait_for("CS-AHEAD-2")
    terminal.keys("C-n", "Seen. ")
    terminal.wait_for("Seen. Concerns typed at once")
    terminal.keys("C-s")

    def saved() -> tuple[str, str] | None:
        record = stored(db)
        return (record.case_ref, record.information.concerns) if record else None

    assert terminal.wait_until(lambda: saved() == ("CS-AHEAD-2", "Seen. Concerns typed at once")), saved()

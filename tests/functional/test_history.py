"""The audit trail of a discussion, shown in the TUI (case view, t)."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

from textual.widgets import Static

from stratui.context import Context
from stratui.models import Action
from stratui.screens.case_view import CaseViewScreen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.history import READING, HistoryScreen

from pilot import press_to, stratui_at_80x24
from pilot import wait_until


async def shown(pilot) -> str:  # type: ignore[no-untyped-def]
    """The history text, once the screen has read it (off the UI thread)."""
    history = lambda: str(pilot.app.screen.query_one("#history", Static).render())  # noqa: E731
    assert await wait_until(pilot, lambda: history() != READING), "the history was never shown"
    return history()


async def test_the_case_view_shows_who_changed_what_and_when(context: Context, make_discussion) -> None:
    record = make_discussion(
        actions=[Action(text="Visit the school", due=date(2026, 11, 24), owner="Sam Patel", agency="Education")]
    )
    context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        # Mark the action done from the dashboard: a second audited change.
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        index = next(i for i, row in enumerate(screen.rows) if row.title == "Visit the school")
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"seen at school", "enter")
        await pilot.pause()
        await press_to(pilot, "v", screen=CaseViewScreen)
        await press_to(pilot, "t", screen=HistoryScreen)
        text = (await shown(pilot))
        assert f"Audit trail of discussion {record.id}: 2 entries" in text
        assert "create" in text and getpass.getuser() in text
        assert "seen at school" in text and '"open" -> "done"' in text
        await press_to(pilot, "escape", screen=CaseViewScreen)


async def test_a_damaged_audit_log_is_reported_not_shown_in_part(context: Context, make_discussion) -> None:
    record = make_discussion()
    context.store.create(record)
    log: Path = context.store.audit.path
    log.write_text(log.read_text() + "not json\n")
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        text = (await shown(pilot))
        assert "cannot be read" in text and "stratui audit verify" in text


async def test_a_discussion_being_recorded_shows_its_own_history(context: Context, make_discussion, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Only ctrl+t saves here: on a loaded machine the timed autosave (3 s at most while typing)
    # could otherwise save part of the typing as an entry of its own.
    import stratui.app

    monkeypatch.setattr(stratui.app, "AUTOSAVE_DELAY_SECONDS", 3600.0)
    monkeypatch.setattr(stratui.app, "AUTOSAVE_MAX_WAIT_SECONDS", 3600.0)
    record = make_discussion()
    context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("enter")  # opens the discussion at its details
        await pilot.pause()
        await pilot.press("ctrl+g", "2")  # information sharing
        await pilot.pause()
        await pilot.press("end", *" More from the school.")
        await press_to(pilot, "ctrl+t", screen=HistoryScreen)  # saved first, then shown
        assert "2 entries" in (await shown(pilot)) and "information.concerns" in (await shown(pilot))
        await pilot.press("f")  # long values in full
        await pilot.pause()
        assert "More from the school." in (await shown(pilot))
        await pilot.press("escape")
        await pilot.pause()
        await press_to(pilot, "ctrl+g", "6", "t", screen=HistoryScreen)  # the review phase: t

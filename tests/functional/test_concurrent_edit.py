"""Two users, one discussion: the one who has it open is told at once when the other saves it."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from stratui import app as app_module
from stratui.context import Context, open_context
from stratui.drafts import recovered_drafts
from stratui.screens.details import DetailsScreen

from pilot import press_to, save_now, stratui_at_80x24, wait_until


def other_user(context: Context) -> Context:
    other = open_context(db=context.store.root, config=None, today="2026-11-25")
    other.store.user = "Jo Reid"
    return other


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "CHANGE_CHECK_SECONDS", 0.1)


def notices(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(n.message) for n in app._notifications)


async def test_with_nothing_unsaved_the_colleagues_version_is_shown_before_any_typing(
    context: Context, make_discussion
) -> None:
    record = context.store.create(make_discussion())
    async with stratui_at_80x24(context, notifications=True) as (app, pilot):
        await pilot.pause()
        await press_to(pilot, "enter", screen=DetailsScreen)
        other_user(context).store.update(record.id, lambda d: setattr(d, "concern_source", "Police by phone"))
        assert await wait_until(pilot, lambda: "Jo Reid saved this discussion" in notices(app)), notices(app)
        assert "you now see their version" in notices(app)
        assert isinstance(app.screen, DetailsScreen)
        assert app.screen.query_one("#field-concern-source Input", Input).value == "Police by phone"
        # Editing now works on their version: no conflict.
        app.screen.query_one("#field-concern-source Input", Input).focus()
        await pilot.press("end", *" (DC Grant)")
        await save_now(pilot)
    stored = context.store.get(record.id)
    assert stored.concern_source == "Police by phone (DC Grant)" and stored.revision == 3


async def test_with_unsaved_text_the_worker_is_warned_and_the_text_is_kept_as_a_draft(
    context: Context, make_discussion, autosave_timers_off: None
) -> None:
    # The save comes when asked: with only the quiet-second timer held off, typing slower than
    # the longest wait (3 s: 22 keys beside another suite's run) was saved before the colleague's
    # save, and the unsaved text the test is about was gone.
    record = context.store.create(make_discussion())
    async with stratui_at_80x24(context, notifications=True) as (app, pilot):
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-concern-source Input", Input).focus()
        await pilot.press("end", *" and the class teacher")
        # The text is the editor's once the box's change has reached it (later on a loaded machine).
        assert await wait_until(pilot, lambda: app.editor is not None and app.editor.dirty)
        other_user(context).store.update(record.id, lambda d: setattr(d, "concern_source", "Police by phone"))
        assert await wait_until(pilot, lambda: "Jo Reid saved this discussion" in notices(app)), notices(app)
        assert "kept as a draft" in notices(app)
        # What the worker typed is still on screen, and the save does not overwrite the colleague.
        typed = app.screen.query_one("#field-concern-source Input", Input).value
        assert typed.endswith(" and the class teacher")
        await save_now(pilot)
    assert context.store.get(record.id).concern_source == "Police by phone"
    [draft] = recovered_drafts(context)
    assert draft.concern_source == typed

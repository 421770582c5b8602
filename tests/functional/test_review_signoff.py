"""Review, sign-off, addenda, the minutes preview and export, driven by keys at 80x24."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from stratui.context import Context, open_context
from stratui.models import Discussion, DiscussionStatus
from stratui.screens.planning import PlanningScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.widgets import bound_fields
from stratui.store import LockedError

from pilot import (
    open_minutes_preview,
    open_review,
    open_sign_off,
    press_to,
    refused_sign_off,
    sign_off_as,
    stratui_at_80x24,
    text_of,
    type_text,
    wait_until,
    writes_landed,
)

TODAY = "2026-11-25"


async def open_signed_off_review(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the dashboard: the first discussion's review, signed off by Jo Reid."""
    await open_review(pilot)
    await sign_off_as(pilot, "Jo Reid")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))  # saved in a worker thread


@pytest.fixture
def complete(context: Context, make_discussion: Callable[..., Discussion]) -> Discussion:
    return context.store.create(make_discussion())


def context_with_managers(tmp_path: Path) -> Context:
    (tmp_path / "settings.toml").write_text(
        '[[team.members]]\nname = "Jo Reid"\nusername = "jreid"\nmanager = true\n\n'
        '[[team.members]]\nname = "Sam Patel"\n',
        "utf-8",
    )
    return open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)


async def test_review_shows_the_checklist_by_phase_and_the_draft_status(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion()
    record.information.concerns = ""
    context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        checklist = text_of(app, "#checklist")
        assert "[x] 1 Details and participants" in checklist
        assert "[ ] 2 Information sharing (1 to do)" in checklist
        assert "Information sharing > Nature of the concerns: not recorded." in checklist
        assert "[ ] 6 Review and sign-off" in checklist
        assert "4 of 6 phases complete, 2 item(s) to do" in checklist
        assert "DRAFT" in text_of(app, "#review-status")
        # Letters reach the screen: nothing on it takes text.
        assert app.focused is app.screen.query_one("#form", VerticalScroll)


async def test_sign_off_refuses_an_incomplete_record_and_lists_why(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion()
    record.information.concerns = ""
    record.decisions.legal_advice.rationale = ""
    saved = context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        problems = await refused_sign_off(pilot, "Jo Reid")  # the modal stays open, listing why
        assert "Cannot sign off yet (2)" in problems
        assert "Information sharing > Nature of the concerns: not recorded." in problems
        assert "Decisions > Legal advice/action > Rationale: not recorded." in problems
        assert not app.editor.locked
        await press_to(pilot, "escape", screen=ReviewScreen)
    stored = context.store.get(saved.id)
    assert stored.status is DiscussionStatus.DRAFT and stored.sign_off is None


async def test_any_name_signs_off_when_no_managers_are_set(context: Context, complete: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await open_sign_off(pilot)
        assert "any name is accepted" in text_of(app, "#sign-off-managers")
        await pilot.press("enter")  # no name typed
        await pilot.pause()
        assert "Type the name of the manager" in text_of(app, "#sign-off-problem-list")
        await type_text(pilot, "Pat Kerr")
        await pilot.press("enter")
        # Saved in a worker thread (it may wait for the lock): the screen is polled.
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await writes_landed(pilot)
        assert "SIGNED OFF by Pat Kerr" in text_of(app, "#review-status")
        assert app.screen.query("#locked-banner")
    stored = context.store.get(complete.id)
    assert stored.status is DiscussionStatus.SIGNED_OFF
    assert stored.sign_off is not None and stored.sign_off.manager == "Pat Kerr"
    assert stored.revision == complete.revision + 1


async def test_only_a_configured_manager_signs_off_then_the_record_is_read_only(tmp_path: Path, make_discussion) -> None:  # type: ignore[no-untyped-def]
    context = context_with_managers(tmp_path)
    record = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await pilot.press("a")  # an addendum before sign-off: the record is simply edited
        await pilot.pause()
        assert "Not signed off yet" in str(app.screen.query_one("#status", Static).render())
        assert not context.store.get(record.id).addenda
        await pilot.press("s")
        await pilot.pause()
        assert "Managers: Jo Reid" in text_of(app, "#sign-off-managers")
        await type_text(pilot, "Sam Patel")
        await pilot.press("enter")
        await pilot.pause()
        assert "Sam Patel is not a configured manager (Settings > Team" in text_of(app, "#sign-off-problem-list")
        assert context.store.get(record.id).status is DiscussionStatus.DRAFT
        await pilot.press("ctrl+u")
        await type_text(pilot, "jo")
        await pilot.press("right")  # take the suggestion: "Jo Reid"
        assert app.screen.query_one("#manager", Input).value == "Jo Reid"
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert context.store.get(record.id).sign_off.manager == "Jo Reid"  # type: ignore[union-attr]
        # Every phase is read only now.
        await press_to(pilot, "pageup", screen=PlanningScreen)
        assert app.screen.query("#locked-banner")
        assert all(field.disabled for field in bound_fields(app.screen))
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("s")  # a second sign-off is refused with a message
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Already signed off by Jo Reid" in str(app.screen.query_one("#status", Static).render())
    stored = context.store.get(record.id)
    stored.information.concerns = "changed in place"
    with pytest.raises(LockedError):
        context.store.save(stored)


async def test_an_addendum_needs_a_reason_and_text_and_is_saved(context: Context, complete: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await open_signed_off_review(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert text_of(app, "#addendum-error") == "Give the reason for the addendum."
        await type_text(pilot, "School called back")
        await pilot.press("enter")  # on to the text
        await pilot.press("ctrl+s")
        assert text_of(app, "#addendum-error") == "Write the addendum itself."
        await type_text(pilot, "Maya was seen by the school nurse.")
        await pilot.press("enter")
        await type_text(pilot, "No new marks.")
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        addenda = text_of(app, "#addenda")
        assert "Addenda (1):" in addenda and "School called back" in addenda
    stored = context.store.get(complete.id)
    assert stored.is_signed_off
    [addendum] = stored.addenda
    assert addendum.reason == "School called back"
    assert addendum.text == "Maya was seen by the school nurse.\nNo new marks."
    assert addendum.author == context.name


async def test_escape_cancels_an_addendum(context: Context, complete: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await open_signed_off_review(pilot)
        await pilot.press("a")
        await type_text(pilot, "oops")
        await press_to(pilot, "escape", screen=ReviewScreen)
    assert context.store.get(complete.id).addenda == []


async def test_minutes_preview_scrolls_by_keys_and_shows_addenda(context: Context, complete: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await open_minutes_preview(pilot)
        scroller = app.screen.query_one("#minutes")
        assert app.focused is scroller
        source = app.screen.source
        assert "## Addenda" in source and "CS-104233" in source
        assert "Addenda" in [line.strip() for line in app.screen.rendered_text.splitlines()] and "CS-104233" in app.screen.rendered_text
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroller.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert scroller.scroll_y == 0
        await press_to(pilot, "escape", screen=ReviewScreen)


async def test_export_writes_private_markdown_and_html(context: Context, complete: Discussion, tmp_path: Path) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await pilot.press("e")
        await pilot.pause()
        status = str(app.screen.query_one("#status", Static).render())
    exports = tmp_path / "exports"
    stem = f"CS-104233_2026-11-20_{complete.id[:8]}"
    assert sorted(p.name for p in exports.iterdir()) == [f"{stem}.html", f"{stem}.md"]
    assert stem + ".md" in status and "DRAFT" in status
    assert stat.S_IMODE(exports.stat().st_mode) == 0o700
    for path in exports.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Draft (not signed off)" in (exports / f"{stem}.md").read_text("utf-8")
    assert (exports / f"{stem}.html").read_text("utf-8").startswith("<!DOCTYPE html>")

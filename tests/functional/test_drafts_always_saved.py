"""A draft is always saved: rules between fields and over-long text are problems, never a block.

Found by users: a concern date after the discussion, or a long paragraph pasted into a one-line
box, stopped ALL saving until it was put right. Now the draft is saved, the status line says
what is still to fix, and the phase reports it until it is fixed (sign-off waits for it).
"""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.models import ONE_LINE_LIMIT, text_limit
from stratui.phases import DETAILS, phase_problems
from stratui.screens.phase import ProgressStrip, StatusLine
from stratui.screens.widgets import LineInput

from pilot import save_now, saved_discussion, slow_disk, start_new, stratui_at_80x24

PARAGRAPH = ("The school's designated safeguarding lead rang at 9:10 to say Maya arrived with a bruise. " * 4).strip()


async def focus_field(pilot: Pilot, selector: str) -> LineInput:
    app = pilot.app
    target = app.screen.query_one(f"{selector} LineInput", LineInput)
    for _ in range(80):
        if app.focused is target:
            return target
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {selector}")


def status(app: StratuiApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


@pytest.mark.parametrize("disk", ["quick", "slow"])
async def test_a_concern_date_after_the_discussion_is_saved_and_explained(
    context: Context, monkeypatch: pytest.MonkeyPatch, disk: str
) -> None:
    """On a slow disk too (every save 0.3 s late): the autosave of the case reference landed
    after Ctrl+S was asked for, and its plain "Saved" kept the later save's rules off the line."""
    if disk == "slow":
        slow_disk(monkeypatch)
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await pilot.press(*"CS-RULES")
        box = app.screen.query_one("#field-concern-date Input")
        while app.focused is not box:
            await pilot.press("tab")
        await pilot.press("home", "ctrl+k", *"tomorrow")
        await save_now(pilot)

        record = await saved_discussion(pilot)
        assert record.case_ref == "CS-RULES"
        assert record.concern_date > record.held_on  # saved as typed, not refused
        message = status(app)
        assert message.startswith("Saved ") and "Still to fix before sign-off:" in message
        assert "before the concern was raised (26 Nov 2026)" in message
        assert not app.screen.query_one(StatusLine).has_class("error")
        problems = phase_problems(record, DETAILS, context.settings.nation)
        assert any("before the concern was raised" in p for p in problems)
        assert "1[ ]Details" in str(app.screen.query_one(ProgressStrip).render())

        # Put right, the next save says nothing more is wrong with the dates.
        await pilot.press("home", "ctrl+k", *"today")
        await save_now(pilot)
        saved = await saved_discussion(pilot)
        assert saved.concern_date == saved.held_on
        assert "Still to fix" not in status(app)


async def test_a_long_paste_into_a_one_line_box_keeps_what_fits_and_says_so(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        box = await focus_field(pilot, "#field-case-ref")
        # A terminal's bracketed paste, two lines: joined, and cut at what the box holds.
        box.post_message(events.Paste(PARAGRAPH[:150] + "\n" + PARAGRAPH[150:]))
        await pilot.pause()
        assert len(box.value) == ONE_LINE_LIMIT
        assert box.value == (PARAGRAPH[:150] + " " + PARAGRAPH[150:])[:ONE_LINE_LIMIT]
        note = str(app.screen.query_one("#field-case-ref .note", Static).render())
        assert note == "Only 200 characters fit in this box: the rest was not pasted. Long text belongs in a notes box."

        # A key typed into the full box is refused too, and said.
        await pilot.press("x")
        assert len(box.value) == ONE_LINE_LIMIT and not box.value.endswith("x")
        note = str(app.screen.query_one("#field-case-ref .note", Static).render())
        assert "nothing more can be typed" in note

        # Saving was never blocked: what fits is in the store.
        await save_now(pilot)
        assert (await saved_discussion(pilot)).case_ref == box.value.strip()
        assert status(app).startswith("Saved ")

        # Shortened, the note goes.
        await pilot.press("backspace")
        await pilot.pause()
        note_widget = app.screen.query_one("#field-case-ref .note", Static)
        assert not note_widget.has_class("shown")


def test_a_one_line_box_holds_what_its_field_holds() -> None:
    assert text_limit("plan.lead") == text_limit("case_ref") == ONE_LINE_LIMIT
    assert text_limit("concern_source") == 100_000  # free text, shown in one line
    assert text_limit("timescales.discussion_days") == ONE_LINE_LIMIT  # not the record's: a setting


async def test_an_older_record_with_a_value_too_long_still_saves(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    # As an import or an older stratui could leave it: 250 characters in a one-line field.
    record = context.store.create(make_discussion(social_worker="y" * 250))
    async with stratui_at_80x24(context) as (app, pilot):
        app.open_discussion(record.id)
        await pilot.pause()
        box = await focus_field(pilot, "#field-social-worker")
        assert len(box.value) == 250  # shown whole, never cut silently
        await pilot.press("end", "x")
        assert len(box.value) == 250  # not lengthened
        await pilot.press("backspace")  # but it can be shortened
        await save_now(pilot)
        saved = await saved_discussion(pilot)
        assert saved.social_worker == "y" * 249
        assert "Social worker is 249 characters long: a one-line box holds at most 200" in status(app)

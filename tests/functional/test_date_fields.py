"""Date, date-and-time and time fields typed key by key, at 80x24: the note under a field always
describes what the record now holds, after every keystroke (issue 10).

A new discussion is held "today", Wed 25 Nov 2026 (conftest), unless a test starts elsewhere.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from textual.widgets import Input, Static

from stratui.app import StratuiApp
from stratui.context import Context, open_context

from pilot import retype, save_now, start_discussion, start_new, stratui_at_80x24, tab_to


def note(app: StratuiApp, field_id: str) -> str:
    widget = app.screen.query_one(f"#{field_id} .note", Static)
    return str(widget.render()) if widget.has_class("shown") else ""


def record(app: StratuiApp):  # type: ignore[no-untyped-def]
    assert app.editor is not None
    return app.editor.discussion


REVIEW = "field-decisions-inform-parents-review-date"


async def test_each_review_date_typed_key_by_key_is_described_as_stored(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        await tab_to(pilot, "#field-decisions-inform-parents-made")
        await pilot.press("n")
        await tab_to(pilot, f"#{REVIEW}")

        # "2026-11-2" is 2 Nov, before the discussion, on the way to 26 Nov: nothing of it may remain.
        for typed, stored, expected in (
            ("2026-11-26", date(2026, 11, 26), "Thu 26 Nov 2026 (in 1 working day)"),
            ("2026-12-23", date(2026, 12, 23), "Wed 23 Dec 2026 (in 20 working days)"),
            ("fri", date(2026, 11, 27), "Fri 27 Nov 2026 (in 2 working days)"),
            ("3/12", date(2026, 12, 3), "Thu 3 Dec 2026 (in 6 working days)"),
        ):
            await retype(pilot, typed)
            assert record(app).decisions.inform_parents.review_date == stored, typed
            assert note(app, REVIEW) == expected, typed

        # Before the discussion: kept in the draft, and what to fix is said.
        await retype(pilot, "1/11/2026")
        assert record(app).decisions.inform_parents.review_date == date(2026, 11, 1)
        assert note(app, REVIEW).splitlines() == [
            "Sun 1 Nov 2026 (18 working days ago)",
            "!! Sun 1 Nov 2026 is a Sunday: not a working day",
            "!! The review date is before the discussion on 25 Nov 2026: fix before sign-off",
        ]

        # Half typed: the record holds no date, and the note says so (not the 2 Nov of "2026-11-2").
        await retype(pilot, "2026-11-")
        assert record(app).decisions.inform_parents.review_date is None
        assert note(app, REVIEW).startswith('No date recorded: "2026-11-" is not a date')

        # A time in a date-only field: the date is kept and the note says the time is not.
        await retype(pilot, "26/11 4pm")
        assert record(app).decisions.inform_parents.review_date == date(2026, 11, 26)
        assert note(app, REVIEW) == "Thu 26 Nov 2026 (in 1 working day) (the time 16:00 is not kept here)"

        # Emptied: nothing stored, nothing said.
        await retype(pilot, "")
        assert record(app).decisions.inform_parents.review_date is None
        assert note(app, REVIEW) == ""


async def test_a_due_date_on_a_bank_holiday_or_weekend_is_flagged(tmp_path: Path) -> None:
    # Tue 29 Dec 2026: "fri" is Fri 1 Jan 2027, New Year's Day.
    context = open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today="2026-12-29")
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "5")
        await tab_to(pilot, "#field-plan-reconvene-on")
        await retype(pilot, "fri")
        assert record(app).plan.reconvene_on == date(2027, 1, 1)
        assert note(app, "field-plan-reconvene-on").splitlines() == [
            "Fri 1 Jan 2027 (in 2 working days)",
            "!! Fri 1 Jan 2027 is a bank holiday (New Year's Day): not a working day",
        ]
        await retype(pilot, "sat")
        assert "!! Sat 2 Jan 2027 is a Saturday: not a working day" in note(app, "field-plan-reconvene-on")
        await retype(pilot, "mon")
        assert note(app, "field-plan-reconvene-on") == "Mon 4 Jan 2027 (in 3 working days)"


async def test_child_seen_and_parents_spoken_to_take_a_time(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "5")
        await tab_to(pilot, "#field-plan-child-seen")
        for typed, stored, expected in (
            ("2026-11-26 16:00", (date(2026, 11, 26), time(16, 0)), "Thu 26 Nov 2026 (in 1 working day) at 16:00"),
            ("4pm", (date(2026, 11, 25), time(16, 0)), "Wed 25 Nov 2026 (today) at 16:00"),
            ("tomorrow 10am", (date(2026, 11, 26), time(10, 0)), "Thu 26 Nov 2026 (in 1 working day) at 10:00"),
            ("fri 2:30pm", (date(2026, 11, 27), time(14, 30)), "Fri 27 Nov 2026 (in 2 working days) at 14:30"),
            ("27/11", (date(2026, 11, 27), None), "Fri 27 Nov 2026 (in 2 working days)"),
        ):
            await retype(pilot, typed)
            plan = record(app).plan
            assert (plan.child_seen_on, plan.child_seen_at) == stored, typed
            assert note(app, "field-plan-child-seen") == expected, typed

        # A time the clock does not have: nothing recorded, and why.
        await retype(pilot, "26/11 25:00")
        assert (record(app).plan.child_seen_on, record(app).plan.child_seen_at) == (None, None)
        assert note(app, "field-plan-child-seen") == 'No date recorded: "26/11 25:00" is not a time: hours go up to 23'

        await tab_to(pilot, "#field-plan-parents-spoken-to")
        await retype(pilot, "22/12 4pm")
        plan = record(app).plan
        assert (plan.parents_spoken_to_on, plan.parents_spoken_to_at) == (date(2026, 12, 22), time(16, 0))

        await save_now(pilot)
        saved = app.context.store.get(record(app).id).plan
        assert (saved.parents_spoken_to_on, saved.parents_spoken_to_at) == (date(2026, 12, 22), time(16, 0))

    # Opened again: the field shows the date and time it holds.
    async with stratui_at_80x24(context) as (app, pilot):
        discussion_id = next(iter(context.store.summaries())).id
        app.open_discussion(discussion_id)
        await pilot.pause()
        await pilot.press("ctrl+g", "5")
        await pilot.pause()
        box = app.screen.query_one("#field-plan-parents-spoken-to Input", Input)
        assert box.value == "2026-12-22 16:00"
        assert note(app, "field-plan-parents-spoken-to") == "Tue 22 Dec 2026 (in 19 working days) at 16:00"


async def test_a_required_date_that_no_longer_reads_keeps_the_record_and_says_so(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await tab_to(pilot, "#field-held-on")
        await retype(pilot, "24/11/20")
        # "24/11/2" on the way reads as no date; "24/11/20" is 2020, before the concern, until
        # the last digits arrive.
        await retype(pilot, "24/11/2026")
        assert record(app).held_on == date(2026, 11, 24)
        assert note(app, "field-held-on") == "Tue 24 Nov 2026 (1 working day ago)"
        await retype(pilot, "24/11/x")
        assert record(app).held_on == date(2026, 11, 24)
        assert note(app, "field-held-on").endswith(": the record keeps Tue 24 Nov 2026 (1 working day ago)")
        await retype(pilot, "")
        assert record(app).held_on == date(2026, 11, 24)
        assert note(app, "field-held-on") == "a date is needed: the record keeps Tue 24 Nov 2026 (1 working day ago)"


async def test_the_time_held_takes_the_spoken_forms(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await tab_to(pilot, "#field-held-at")
        for typed, stored in (("4pm", time(16, 0)), ("16:00", time(16, 0)), ("noon", time(12, 0)), ("2:30pm", time(14, 30))):
            await retype(pilot, typed)
            assert record(app).held_at == stored, typed
            assert note(app, "field-held-at") == f"{stored:%H:%M}"
        await retype(pilot, "25:00")
        assert record(app).held_at is None
        assert note(app, "field-held-at") == 'No time recorded: "25:00" is not a time: hours go up to 23'

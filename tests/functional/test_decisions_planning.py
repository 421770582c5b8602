"""The Decisions and Planning phases driven by keys, at 80x24; assertions on the saved record.

Every test starts a new strategy discussion from the dashboard (n, Enter): it is held "today",
Wed 25 Nov 2026 (conftest), with the concern raised the same day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from stratui.app import StratuiApp
from stratui.context import Context, open_context
from stratui.models import ActionStatus, Discussion
from stratui.screens.decisions import PARENTS_WARNING
from stratui.screens.phase import ProgressStrip, StatusLine

from pilot import fill_boxes, retype, save_now, start_discussion, stratui_at_80x24, tab_to, text_of, type_text, writes_landed


def shown(app: StratuiApp, selector: str) -> bool:
    widget = app.screen.query_one(selector, Static)
    return widget.has_class("shown") and bool(str(widget.render()).strip())


def progress(app: StratuiApp) -> str:
    return str(app.screen.query_one(ProgressStrip).render())


async def save(pilot: Pilot) -> Discussion:
    await save_now(pilot)
    app = pilot.app
    assert app.editor is not None
    return app.context.store.get(app.editor.discussion.id)


async def decide(pilot: Pilot, field: str, key: str, rationale: str) -> None:
    await tab_to(pilot, f"#field-decisions-{field}-made")
    await pilot.press(key)  # the focus moves on to the rationale
    await type_text(pilot, rationale)


# -- Decisions ----------------------------------------------------------------------------


async def test_decisions_typed_by_keys_are_saved_and_complete_the_phase(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        assert "4[ ]Decisions" in progress(app)
        # The s47 choice has the focus when the screen opens; a pick moves on to its rationale.
        await pilot.press("y")
        await type_text(pilot, "Injury")
        await decide(pilot, "immediate-protection", "y", "Safety")
        await pilot.press("tab")
        await type_text(pilot, "Away")
        await decide(pilot, "joint-investigation", "y", "Crime")
        await decide(pilot, "legal-advice", "n", "No need")
        await decide(pilot, "medical-examination", "y", "Bruise")
        await tab_to(pilot, "#field-decisions-medical-examination-conducted-by")
        await type_text(pilot, "Dr Shah")
        await decide(pilot, "inform-parents", "y", "Safe")
        await pilot.press("tab")
        await type_text(pilot, "Sam Patel")
        await tab_to(pilot, "#field-decisions-threshold-disagreement")
        # "Yes" shows the boxes it calls for, and the focus moves into the first of them.
        await pilot.press("y")
        await type_text(pilot, "Police")
        await tab_to(pilot, "#field-decisions-threshold-escalated")
        await pilot.press("y")
        await type_text(pilot, "Head")
        await pilot.pause()
        assert "4[x]Decisions" in progress(app)

        stored = (await save(pilot)).decisions
        assert stored.s47_enquiry.made is True
        assert stored.s47_enquiry.rationale == "Injury"
        assert stored.immediate_protection.made is True
        assert stored.immediate_protection.details == "Away"
        assert stored.joint_investigation.made is True
        assert (stored.legal_advice.made, stored.legal_advice.rationale) == (False, "No need")
        assert stored.medical_examination.made is True
        assert stored.medical_examination.conducted_by == "Dr Shah"
        assert stored.inform_parents.made is True
        assert stored.inform_parents.who_informs == "Sam Patel"
        assert stored.threshold.disagreement is True
        assert stored.threshold.details == "Police"
        assert stored.threshold.escalated is True
        assert stored.threshold.escalated_to == "Head"
        # The index summary the dashboard reads has the s47 decision too.
        summary = next(s for s in app.context.store.summaries() if s.id == app.editor.discussion.id)
        assert summary.s47_started is True


async def test_not_informing_parents_is_flagged_until_it_has_a_rationale_and_review_date(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        assert not shown(app, "#parents-warning")
        await tab_to(pilot, "#field-decisions-inform-parents-made")
        await pilot.press("n")
        await pilot.pause()
        assert shown(app, "#parents-warning")
        assert PARENTS_WARNING in text_of(app, "#parents-warning")
        assert "rationale, review date" in text_of(app, "#parents-warning")

        await type_text(pilot, "May flee")
        await pilot.pause()
        assert shown(app, "#parents-warning")
        assert "missing: review date" in text_of(app, "#parents-warning")

        # A review date before the discussion is kept in the draft (as typed) and flagged to be
        # fixed before sign-off.
        await tab_to(pilot, "#field-decisions-inform-parents-review-date")
        await type_text(pilot, "1/11/2026")
        await pilot.pause()
        assert app.editor is not None
        assert app.editor.discussion.decisions.inform_parents.review_date == date(2026, 11, 1)
        note = text_of(app, "#field-decisions-inform-parents-review-date .note")
        assert "Sun 1 Nov 2026" in note
        assert "The review date is before the discussion on 25 Nov 2026: fix before sign-off" in note

        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "+5wd")
        await pilot.pause()
        assert not shown(app, "#parents-warning")

        # Back to "yes" and to "no" again: the rationale and date are kept, so no warning.
        await tab_to(pilot, "#field-decisions-inform-parents-made")
        await pilot.press("y")
        await pilot.pause()
        assert not shown(app, "#parents-warning")
        await pilot.press("shift+tab", "n")  # back from the rationale the pick moved on to
        await pilot.pause()
        assert not shown(app, "#parents-warning")

        stored = (await save(pilot)).decisions.inform_parents
        assert stored.made is False
        assert stored.rationale == "May flee"
        # +5 working days from Wed 25 Nov 2026: Thu 26, Fri 27, Mon 30 Nov, Tue 1, Wed 2 Dec.
        assert stored.review_date == date(2026, 12, 2)


async def test_fields_a_yes_or_a_no_calls_for_show_only_then(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")

        def visible(field: str) -> bool:
            return app.screen.query_one(f"#field-decisions-{field}").display

        assert not visible("no-s47-next-steps") and not visible("medical-examination-conducted-by")
        await pilot.press("n")
        await pilot.pause()
        assert visible("no-s47-next-steps")
        await pilot.press("shift+tab", "y")
        await type_text(pilot, "Injury")
        await pilot.press("tab")  # straight on to the next decision: nothing hidden is in the way
        assert app.focused is app.screen.query_one("#field-decisions-immediate-protection-made ChoiceBox")
        await tab_to(pilot, "#field-decisions-medical-examination-made")
        await pilot.press("y")
        await pilot.pause()
        assert visible("medical-examination-conducted-by")
        await pilot.press("shift+tab", "n")
        await pilot.pause()
        assert not visible("medical-examination-conducted-by")


async def test_text_typed_on_a_choice_by_mistake_picks_nothing(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        # Tab forgotten: "Family ..." must not pick Yes with its "y", nor No with an "n".
        await type_text(pilot, "Family cooperating")
        await pilot.pause()
        assert app.editor is not None and app.editor.discussion.decisions.s47_enquiry.made is None
        assert "This is a choice" in text_of(app, "#field-decisions-s47-enquiry-made .note")
        await pilot.pause(1.1)  # once the typing stops, the keys choose again
        await pilot.press("y")
        await pilot.pause()
        assert app.editor.discussion.decisions.s47_enquiry.made is True
        assert text_of(app, "#field-decisions-s47-enquiry-made .note").strip() == ""


async def test_the_deadline_a_decision_sets_shows_live(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        assert not shown(app, "#s47-deadline")
        await pilot.press("y")
        await pilot.pause()
        # 15 working days (England) from Wed 25 Nov 2026: Thu 26, Fri 27 (2); Mon 30 Nov-Fri 4 Dec (7);
        # Mon 7-Fri 11 Dec (12); Mon 14, Tue 15, Wed 16 Dec (15).
        assert "ICPC due by Wed 16 Dec 2026 (15 working days from the s47 strategy discussion; statutory guidance): counted from this strategy discussion" in text_of(app, "#s47-deadline")

        await pilot.press("shift+tab", "n")  # back from the rationale the pick moved on to
        await pilot.pause()
        # 45 working days from the concern (Wed 25 Nov 2026; no referral date): 26-27 Nov (2),
        # 30 Nov-4 Dec (7), 7-11 (12), 14-18 (17), 21-24 Dec (21; Fri 25 Christmas), Mon 28 Boxing Day
        # (observed), 29-31 Dec (24; Fri 1 Jan New Year), 4-8 Jan (29), 11-15 (34), 18-22 (39),
        # 25-29 (44), Mon 1 Feb 2027 (45).
        line = text_of(app, "#s47-deadline")
        assert "Child and family assessment due by Mon 1 Feb 2027 (45 working days from referral; statutory guidance): counted from the concern on 25 Nov 2026 (no referral date)" in line

        await pilot.press("shift+tab", "u")
        await pilot.pause()
        assert not shown(app, "#s47-deadline")
        await pilot.press("shift+tab", "y")

        # Hold the discussion on Mon 7 Dec instead (Details, the "Held on" box) and come back.
        await pilot.press("ctrl+g", "1")
        await pilot.pause()
        await tab_to(pilot, "#field-held-on")
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "7/12/2026")
        await pilot.press("ctrl+g", "4")
        await pilot.pause()
        # 15 working days from Mon 7 Dec 2026: Tue 8-Fri 11 (4), Mon 14-Fri 18 (9), Mon 21-Thu 24 (13);
        # Fri 25 Dec Christmas, Mon 28 Dec Boxing Day (observed, 26th is a Saturday); Tue 29 (14), Wed 30 (15).
        assert "ICPC due by Wed 30 Dec 2026 (15 working days from the s47 strategy discussion; statutory guidance): counted from this strategy discussion" in text_of(app, "#s47-deadline")


async def test_scotland_counts_the_planning_meeting_in_calendar_days(tmp_path: Path) -> None:
    settings = tmp_path / "scotland.toml"
    settings.write_text('nation = "scotland"\n', encoding="utf-8")
    context = open_context(db=tmp_path / "db", config=settings, today="2026-11-25")
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        await pilot.press("y")
        await pilot.pause()
        # 28 calendar days from Wed 25 Nov 2026: Wed 23 Dec 2026.
        assert "CPPM due by Wed 23 Dec 2026 (28 calendar days from the IRD that started the investigation; statutory guidance): counted from this IRD" in text_of(app, "#s47-deadline")


# -- Planning -----------------------------------------------------------------------------


async def add_action(pilot: Pilot, text: str, owner: str, agency: str, due: str, contingency: str = "") -> None:
    await tab_to(pilot, "#a-text")
    # The boxes in Tab order: what, who, when, then the agency and a contingency.
    for number, value in enumerate((text, owner, due, agency, contingency)):
        if number:
            await pilot.press("tab")
        await pilot.press("home", "ctrl+k")  # a refused row stays in its boxes
        await type_text(pilot, value)
    await pilot.press("enter")  # in any box of the row
    await pilot.pause()


def table_rows(app: StratuiApp) -> list[list[str]]:
    table = app.screen.query_one("#actions", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def status(app: StratuiApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


def row_note(app: StratuiApp) -> str:
    """What the action row says of itself: the status line beneath is overwritten by autosave."""
    return text_of(app, "#action-form .row-note")


async def test_plan_and_actions_typed_by_keys_are_saved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "5")
        assert "5[ ]Plan" in progress(app)
        # The action row comes first and has the focus; the enquiry's plan follows it.
        assert app.focused is app.screen.query_one("#a-text")
        await tab_to(pilot, "#field-plan-lead")
        await fill_boxes(pilot, "Sam Patel", "Police")
        await tab_to(pilot, "#information-needed-form")
        await fill_boxes(pilot, "Register", "School")
        await pilot.press("enter")
        await type_text(pilot, "GP records")
        await pilot.press("enter")
        await tab_to(pilot, "#field-plan-reconvene-on")
        await type_text(pilot, "+10wd")

        await add_action(pilot, "Visit Maya at school", "Sam Patel", "Children's social care", "+3wd", "Visit home")
        await add_action(pilot, "Check police records", "DC Lee Grant", "Police", "4/12/2026")
        assert [row[0] for row in table_rows(app)] == ["Visit Maya at school", "Check police records"]
        assert "5[x]Plan" in progress(app)

        record = await save(pilot)
        assert record.plan.lead == "Sam Patel"
        assert record.plan.lead_agency == "Police"
        assert [(r.what, r.from_whom) for r in record.plan.information_needed] == [
            ("Register", "School"),
            ("GP records", ""),
        ]
        # +10 working days from Wed 25 Nov 2026: 26, 27 Nov, 30 Nov-4 Dec, 7, 8, 9 Dec.
        assert record.plan.reconvene_on == date(2026, 12, 9)
        visit, check = record.actions
        assert (visit.owner, visit.agency, visit.contingency) == ("Sam Patel", "Children's social care", "Visit home")
        # +3 working days from Wed 25 Nov 2026: Thu 26, Fri 27, Mon 30 Nov.
        assert visit.due == date(2026, 11, 30)
        assert (check.owner, check.agency, check.due) == ("DC Lee Grant", "Police", date(2026, 12, 4))
        assert all(a.status is ActionStatus.OPEN for a in record.actions)


async def refused_visit(pilot: Pilot, due: str) -> str:
    """A new discussion's planning: an action for Sam Patel to visit Maya, due `due`, is refused
    (no row is added); what the row's note says."""
    await start_discussion(pilot, "5")
    await add_action(pilot, "Visit Maya", "Sam Patel", "Children's social care", due)
    assert table_rows(pilot.app) == []
    return row_note(pilot.app)  # type: ignore[arg-type]


@pytest.mark.usefixtures("autosave_timers_off")
async def test_an_unreadable_due_date_adds_nothing_and_says_why(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        note = await refused_visit(pilot, due="31/2/2026")
        assert "Due date" in note and "not added" in note
        assert app.screen.query_one("#a-text").value == "Visit Maya"  # type: ignore[attr-defined]

        await add_action(pilot, "Visit Maya", "", "Children's social care", "+1wd")
        assert table_rows(app) == []
        assert "Name the person" in row_note(app)
        assert app.editor is not None and app.editor.discussion.actions == []


@pytest.mark.usefixtures("autosave_timers_off")
async def test_a_due_date_before_the_discussion_is_refused(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        message = await refused_visit(pilot, due="20/11/2026")
        assert "20 Nov 2026, before the discussion on 25 Nov 2026" in message
        assert "a due date cannot be earlier than the discussion" in message
        assert "before the discussion" in text_of(app, "#a-note")
        # The row is still there to correct: only the date is retyped.
        await tab_to(pilot, "#a-due")
        await retype(pilot, "today")
        await pilot.press("enter")
        await pilot.pause()
        assert len(table_rows(app)) == 1
        assert [a.due for a in (await save(pilot)).actions] == [date(2026, 11, 25)]


async def test_delete_removes_an_action_made_in_this_discussion(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "5")
        await add_action(pilot, "Visit Maya", "Sam Patel", "Children's social care", "+1wd")
        await add_action(pilot, "Police check", "DC Lee Grant", "Police", "+2wd")
        assert len((await save(pilot)).actions) == 2
        await tab_to(pilot, "#actions")
        await pilot.press("delete")
        await pilot.pause()
        assert [row[0] for row in table_rows(app)] == ["Police check"]
        assert [a.text for a in (await save(pilot)).actions] == ["Police check"]


async def test_carried_actions_are_marked_and_not_deleted(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    previous = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        # Set-up through the app (the key path to a follow-up is tested with the case view).
        app.start_follow_up(previous.id)
        await writes_landed(pilot)
        if type(app.screen).__name__ == "CarryOverScreen":
            await pilot.press("escape")  # actions not reviewed are carried over
            await writes_landed(pilot)
        await pilot.press("ctrl+g", "5")
        await writes_landed(pilot)
        rows = table_rows(app)
        assert len(rows) == 2 and all(row[4] == "open (carried)" for row in rows)
        await tab_to(pilot, "#actions")
        await pilot.press("delete")
        await pilot.pause()
        assert len(table_rows(app)) == 2
        assert "carried action is settled" in status(app)
        assert app.editor is not None and len(app.editor.discussion.actions) == 2

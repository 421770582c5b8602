"""Starting a discussion and recording its details, participants, information and risk, by keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.models import Attendance, DiscussionKind, MeetingFormat
from stratui.screens.details import DetailsScreen
from stratui.screens.information import InformationScreen
from stratui.screens.risk import RiskScreen
from stratui.settings import os_user
from stratui.store import NotFoundError

from pilot import (
    fill_boxes,
    press_to,
    save_now,
    saved_discussion,
    start_new,
    stratui_at_80x24,
    tab_to,
    type_text,
    wait_until,
)


@pytest.fixture(autouse=True)
def me_in_the_team(tmp_path: Path) -> None:
    """The running login is a team member: new records name them (before `context` reads the file)."""
    (tmp_path / "settings.toml").write_text(
        f'[[team.members]]\nname = "Sam Patel"\nusername = "{os_user()}"\n', "utf-8"
    )


async def test_new_discussion_has_the_defaults_of_a_duty_call(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert isinstance(app.screen, DetailsScreen)
        record = app.editor.discussion
        assert record.kind is DiscussionKind.STRATEGY_DISCUSSION
        assert (record.held_on, record.concern_date, record.format) == (date(2026, 11, 25), date(2026, 11, 25), MeetingFormat.PHONE)
        # The team member whose login runs stratui, by name (never the login itself).
        assert context.name == "Sam Patel"
        assert record.social_worker == "Sam Patel"
        assert [p.name for p in record.participants] == ["Sam Patel"]
        # The cursor starts in the case reference.
        assert app.focused is app.screen.query_one("#field-case-ref Input")


async def test_kind_picker_starts_a_strategy_meeting_with_2(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot, "2")
        assert app.editor.discussion.kind is DiscussionKind.STRATEGY_MEETING


async def test_details_typed_by_keys_are_autosaved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await fill_boxes(pilot, "CS-2026-00042", "Amy Stone")
        await pilot.press("enter")
        await type_text(pilot, "Ben Stone")
        await pilot.press("enter")
        # The participants come next (Enter on the blank child row moves on); the concern date
        # (today already) further down.
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#p-name")
        await tab_to(pilot, "#field-concern-date")
        await pilot.press("ctrl+u")
        await type_text(pilot, "mon")  # the concern date: last Monday would be "last mon"
        await pilot.press("ctrl+u")
        await fill_boxes(pilot, "23/11/2026", "School DSL by phone")
        await save_now(pilot)
        record = await saved_discussion(pilot)
        assert record.case_ref == "CS-2026-00042"
        assert [c.name for c in record.children] == ["Amy Stone", "Ben Stone"]
        assert record.concern_date == date(2026, 11, 23)
        assert record.concern_source == "School DSL by phone"
        note = app.screen.query_one("#field-concern-date .note", Static)
        assert "Mon 23 Nov 2026" in str(note.render())


def saved_case_ref(app: StratuiApp) -> str | None:
    try:
        assert app.editor is not None
        return app.context.store.get(app.editor.discussion.id).case_ref
    except NotFoundError:  # not saved yet
        return None


async def test_autosave_happens_without_asking(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await type_text(pilot, "CS-1")
        # No key after the typing: the autosave timer saves it (a second later, normally).
        assert await wait_until(pilot, lambda: saved_case_ref(app) == "CS-1")
        # The save is written in the saver's thread; the status says so when its news is back.
        assert await wait_until(pilot, lambda: "Saved" in str(app.screen.query_one("#status", Static).render()))


async def test_a_bad_date_gets_an_inline_message_and_keeps_the_last_good_one(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        app.screen.query_one("#field-held-on Input").focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "31/02/2026")
        await pilot.pause()
        note = str(app.screen.query_one("#field-held-on .note", Static).render())
        assert "February 2026 has 28 days" in note
        assert app.editor.discussion.held_on == date(2026, 11, 25)


async def test_participants_added_in_a_few_keys_and_the_attendance_check(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        check = app.screen.query_one("#attendance-check", Static)
        assert "NOT complete" in str(check.render())
        app.screen.query_one("#p-name").focus()
        for name, role, agency in [
            ("Jo Reid", "Team manager", "Children's social care"),
            ("DC Lee", "Detective constable", "Police"),
        ]:
            await fill_boxes(pilot, name, role, agency)
            await pilot.press("enter")
        # Health sent written information: w picks it, the reason goes beside it.
        await fill_boxes(pilot, "Ann Hughes", "Health visitor", "Health")
        await pilot.press("tab", "w")  # the pick moves on to the reason box
        await type_text(pilot, "Sent chronology by email")
        await pilot.press("enter")
        await pilot.pause()
        people = app.editor.discussion.participants
        assert [(p.name, p.agency, p.attendance) for p in people[1:]] == [
            ("Jo Reid", "Children's social care", Attendance.PRESENT),
            ("DC Lee", "Police", Attendance.PRESENT),
            ("Ann Hughes", "Health", Attendance.WRITTEN),
        ]
        assert people[3].absence_reason == "Sent chronology by email"
        assert app.screen.query_one("#participants", DataTable).row_count == 4
        assert "complete" in str(check.render()) and "NOT" not in str(check.render())
        # Delete on the table removes the highlighted participant.
        table = app.screen.query_one("#participants", DataTable)
        table.focus()
        await pilot.press("down", "down", "down", "delete")
        await pilot.pause()
        assert [p.name for p in app.editor.discussion.participants][-1] == "DC Lee"
        assert "NOT complete" in str(check.render())


async def test_a_blank_agency_takes_the_role_s_and_enter_moves_on_from_a_box(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await type_text(pilot, "CS-7")
        await pilot.press("enter")  # Enter in a one-line box goes to the next field, as Tab does
        assert app.focused is app.screen.query_one("#c-name")
        app.screen.query_one("#p-name").focus()
        await fill_boxes(pilot, "Dr Shah", "Paediatrician")
        assert "Agency if left blank: Paediatrics" in str(app.screen.query_one("#participant-form .row-note", Static).render())
        await pilot.press("enter")
        await type_text(pilot, "Kim Lo")
        await pilot.press("tab")
        await type_text(pilot, "Youth worker")  # more than one agency has them: not guessed
        await pilot.press("enter")
        await pilot.pause()
        people = app.editor.discussion.participants
        assert [(p.name, p.agency) for p in people[1:]] == [("Dr Shah", "Paediatrics"), ("Kim Lo", "")]


async def test_adding_a_participant_without_a_name_says_so(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        app.screen.query_one("#p-role").focus()
        await type_text(pilot, "Police officer")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.editor.discussion.participants) == 1
        assert "name" in str(app.screen.query_one("#participant-form .row-note", Static).render())


async def test_information_and_risk_phases_by_keys(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await pilot.press("pagedown")
        assert isinstance(app.screen, InformationScreen)
        await fill_boxes(pilot, "Bruise on cheek seen at nursery", "Nursery key worker today", "Police", "Two call-outs in 2025")
        await pilot.press("enter")
        await pilot.press("pagedown")
        assert isinstance(app.screen, RiskScreen)
        await pilot.press("y")
        await fill_boxes(pilot, "Unexplained injury to a non-mobile child", "Injury unexplained")
        await pilot.press("enter")
        await fill_boxes(pilot, "Parental drug use", "Grandmother nearby")
        await pilot.press("tab", "n", "ctrl+s")
        await pilot.pause()
        record = await saved_discussion(pilot)
        assert record.information.concerns == "Bruise on cheek seen at nursery"
        assert record.information.how_concerns_came_to_light == "Nursery key worker today"
        assert [(a.agency, a.summary) for a in record.information.agency_information] == [
            ("Police", "Two call-outs in 2025")
        ]
        assert record.risk.significant_harm_suspected is True
        assert record.risk.risk_factors == ["Injury unexplained", "Parental drug use"]
        assert record.risk.protective_factors == ["Grandmother nearby"]
        assert record.risk.safe_at_home is False
        strip = str(app.screen.query_one("ProgressStrip", Static).render())
        assert "2[x]Info" in strip and "3[x]Risk" in strip and "1[ ]Details" in strip


async def test_phase_keys_move_in_agenda_order_and_escape_returns_to_the_dashboard(context: Context) -> None:
    from stratui.screens.dashboard import DashboardScreen

    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await pilot.press("pagedown", "pagedown", "pageup")
        assert isinstance(app.screen, InformationScreen)
        await press_to(pilot, "ctrl+g", "3", screen=RiskScreen)
        await pilot.press("ctrl+n")
        assert app.screen.PHASE.key == "decisions"  # type: ignore[attr-defined]
        await press_to(pilot, "escape", screen=DashboardScreen)
        assert app.editor is None


async def test_text_typed_straight_after_tab_lands_in_the_next_field(context: Context) -> None:
    """Over a slow SSH link keys arrive in bursts: Tab must move focus before the next key."""
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await pilot.press(*"CS9", "tab", *"Amy", "enter", "enter", *"DC Lee", "tab", *"Police officer", "enter")
        await pilot.press("ctrl+s")
        record = app.editor.discussion
        assert (record.case_ref, [c.name for c in record.children]) == ("CS9", ["Amy"])
        assert [(p.name, p.role, p.agency) for p in record.participants[1:]] == [("DC Lee", "Police officer", "Police")]

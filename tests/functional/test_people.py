"""Issue 10 by keys: names not logins, follow-ups that confirm attendance, a place for every
sign-off requirement, and the team's managers edited as rows (also from a refused sign-off)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import DataTable, Input

from stratui.context import Context, open_context
from stratui.models import Attendance, DiscussionStatus, MedicalExamination
from stratui.phases import DETAILS, phase_problems
from stratui.screens.decisions import DecisionsScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.settings import SettingsScreen
from stratui.screens.sign_off import SignOffScreen
from stratui.settings import os_user

from pilot import (
    fill_boxes,
    open_first_discussion,
    open_review,
    open_sign_off,
    press_to,
    refused_sign_off,
    save_now,
    start_new,
    stratui_at_80x24,
    text_of,
    type_text,
)

TODAY = "2026-11-25"


def context_with(tmp_path: Path, settings: str) -> Context:
    (tmp_path / "settings.toml").write_text(settings, "utf-8")
    return open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)


# --- names, not logins ---


async def test_an_unmapped_login_leaves_the_name_blank_and_says_once_how_to_fix_it(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert isinstance(app.screen, DetailsScreen)
        record = app.editor.discussion  # type: ignore[union-attr]
        assert record.social_worker == "" and record.participants == []
        status = text_of(app, "#status")
        assert f"Your login '{context.os_login}' is not a team member" in status and "ctrl+o" in status
        await type_text(pilot, "CS-8")
        await save_now(pilot)
        stored = context.store.get(record.id)
        await pilot.press("escape")
        await pilot.pause()
        await start_new(pilot)
        assert "is not a team member" not in text_of(app, "#status")  # once a session
    assert (stored.social_worker, stored.created_by, stored.updated_by) == ("", "", "")


async def test_a_mapped_login_is_named_in_the_record_and_the_audit_keeps_the_login(tmp_path: Path) -> None:
    context = context_with(tmp_path, f'[[team.members]]\nname = "Sam Patel"\nusername = "{os_user()}"\n')
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        record = app.editor.discussion  # type: ignore[union-attr]
        assert record.social_worker == "Sam Patel"
        assert [(p.name, p.role, p.attendance) for p in record.participants] == [
            ("Sam Patel", "Social worker", Attendance.PRESENT)
        ]
        assert "not a team member" not in text_of(app, "#status")
        await type_text(pilot, "CS-9")
        await save_now(pilot)
        stored = context.store.get(record.id)
    assert (stored.created_by, stored.updated_by) == ("Sam Patel", "Sam Patel")
    [entry] = context.store.audit.history(stored.id)
    assert entry["user"] == os_user() and entry["name"] == "Sam Patel"


# --- follow-ups ---


async def test_a_follow_up_asks_who_attended_this_time(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    earlier = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        app.start_follow_up(earlier.id)
        await pilot.pause()
        while not isinstance(app.screen, DetailsScreen):  # the carried actions are reviewed first
            await pilot.press("escape")
            await pilot.pause()
        people = app.editor.discussion.participants  # type: ignore[union-attr]
        assert {p.attendance for p in people} == {Attendance.TO_CONFIRM}
        assert all(p.absence_reason == "" for p in people)
        check = text_of(app, "#attendance-check")
        assert "NOT complete" in check
        problems = phase_problems(app.editor.discussion, DETAILS, "england")  # type: ignore[union-attr]
        assert "Details > Participants: confirm whether Ann Hughes attended (present, absent or written information)." in problems
        table = app.screen.query_one("#participants", DataTable)
        assert "to confirm" in str(table.get_row_at(0)[-1])


# --- a place for why no medical professional ---


async def test_why_no_medical_professional_is_asked_beside_the_medical_decision(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    record = make_discussion()
    record.decisions.medical_examination = MedicalExamination()
    context.store.create(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_first_discussion(pilot, "4")
        assert isinstance(app.screen, DecisionsScreen)
        reason = app.screen.query_one("#field-decisions-medical-examination-no-medical-professional-reason")
        assert not reason.display  # not relevant until an examination is considered
        app.screen.query_one("#field-decisions-medical-examination-made ChoiceBox").focus()
        await pilot.press("y")
        await pilot.pause()
        assert reason.display
        problems = phase_problems(app.editor.discussion, DETAILS, "england")  # type: ignore[union-attr]
        assert any("Decisions > Medical examination > Why no medical professional" in p for p in problems)
        reason.query_one("TextArea").focus()
        await type_text(pilot, "Bruise seen by the GP this morning")
        await pilot.pause()
        discussion = app.editor.discussion  # type: ignore[union-attr]
        assert discussion.decisions.medical_examination.no_medical_professional_reason == "Bruise seen by the GP this morning"
        assert not any("medical" in p for p in phase_problems(discussion, DETAILS, "england"))


# --- the team as rows ---


async def test_team_members_are_added_changed_and_removed_as_rows(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await pilot.press("ctrl+t")  # straight to the team's rows, at the end of the form
        await pilot.pause()
        assert app.focused is app.screen.query_one("#member-name", Input)
        for name, login, manager in (("Jo Reid", "jreid", "y"), ("Sam Patel", "spatel", "n")):
            await fill_boxes(pilot, name, login)
            await pilot.press("tab", manager, "enter")
            await pilot.pause()
        table = app.screen.query_one("#team-members", DataTable)
        assert table.row_count == 2
        assert "Added Sam Patel (spatel, not a manager)" in text_of(app, "#settings-status")
        # Enter on a row changes it in place: Sam becomes a manager.
        table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#member-name", Input).value == "Sam Patel"
        await pilot.press("tab", "tab", "y", "enter")
        await pilot.pause()
        assert [(m.name, m.manager) for m in app.screen.draft.team.members] == [("Jo Reid", True), ("Sam Patel", True)]
        # A login given twice is refused: it must name one person.
        app.screen.query_one("#member-name", Input).focus()
        await fill_boxes(pilot, "Kim Lo", "jreid")
        await pilot.press("enter")
        await pilot.pause()
        assert "given for more than one member" in text_of(app, "#settings-status")
        table.focus()
        await pilot.press("up", "delete")
        await pilot.pause()
        assert table.row_count == 1
        await save_now(pilot)
    saved = tomllib.loads(context.config_path.read_text())  # type: ignore[union-attr]
    assert saved["team"]["members"] == [{"name": "Sam Patel", "username": "spatel", "manager": True}]
    assert context.settings.managers() == ["Sam Patel"]


async def test_a_refused_sign_off_opens_the_team_settings_and_comes_back(tmp_path: Path, make_discussion) -> None:  # type: ignore[no-untyped-def]
    context = context_with(tmp_path, '[[team.members]]\nname = "Jo Reid"\nusername = "jreid"\nmanager = true\n')
    record = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        problems = await refused_sign_off(pilot, "Pat Kerr")
        assert "Pat Kerr is not a configured manager (Settings > Team" in problems and "ctrl+o" in problems
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        assert app.focused is app.screen.query_one("#member-name", Input)
        await type_text(pilot, "Pat Kerr")
        await pilot.press("tab", "tab", "y", "enter", "ctrl+s")
        await pilot.pause()
        await press_to(pilot, "escape", screen=SignOffScreen)
        assert app.screen.query_one("#manager", Input).value == "Pat Kerr"
        assert "Pat Kerr can sign off" in text_of(app, "#sign-off-problem-list")
        await press_to(pilot, "enter", screen=ReviewScreen)
    stored = context.store.get(record.id)
    assert stored.status is DiscussionStatus.SIGNED_OFF and stored.sign_off.manager == "Pat Kerr"  # type: ignore[union-attr]


async def test_a_manager_running_stratui_is_offered_as_the_signing_manager(tmp_path: Path, make_discussion) -> None:  # type: ignore[no-untyped-def]
    context = context_with(tmp_path, f'[[team.members]]\nname = "Jo Reid"\nusername = "{os_user()}"\nmanager = true\n')
    record = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await open_sign_off(pilot)
        assert app.screen.query_one("#manager", Input).value == "Jo Reid"
        await press_to(pilot, "enter", screen=ReviewScreen)
    assert context.store.get(record.id).sign_off.manager == "Jo Reid"  # type: ignore[union-attr]


async def test_without_managers_the_sign_off_offers_the_team_settings(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        await open_sign_off(pilot)
        assert "ctrl+o adds the team's managers" in text_of(app, "#sign-off-managers")
        await press_to(pilot, "ctrl+o", screen=SettingsScreen)
        await press_to(pilot, "escape", screen=SignOffScreen)

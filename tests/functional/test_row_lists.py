"""The lists of rows on the capture screens (participants, children, agency information, actions).

One mechanism (screens/rows.py): Enter adds a row, Enter or e on the table edits it in place,
Delete removes it and says so, ctrl+z puts it back, a suggestion is taken with Enter, and a row
typed but not added is kept in the record however the worker leaves the screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.phases import completeness
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.information import InformationScreen
from stratui.screens.planning import PlanningScreen
from stratui.screens.risk import RiskScreen
from stratui.store import Store

import pytest

from pilot import fill_boxes, press_to, save_now, start_new, stratui_at_80x24, type_text
from pilot import wait_until


@pytest.fixture
def context(tmp_path: Path) -> Context:
    """A worker whose name is set, so a new discussion starts with them as its first participant."""
    from stratui.context import open_context

    config = tmp_path / "settings.toml"
    config.write_text('user = "Sam Patel"\n', "utf-8")
    return open_context(db=tmp_path / "db", config=config, today="2026-11-25")


def note(app: StratuiApp, form: str) -> str:
    return str(app.screen.query_one(f"#{form} .row-note", Static).render())


def status(app: StratuiApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


def value(app: StratuiApp, box: str) -> str:
    return app.screen.query_one(f"#{box}", Input).value


async def enter_instead(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Clear the focused box (ctrl+u), type `text` in its place and press Enter."""
    await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def add_participant(pilot, name: str, role: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one("#p-name").focus()
    await fill_boxes(pilot, name, role)
    await pilot.press("enter")
    await pilot.pause()


async def focus_participants_after_adding_two(pilot) -> None:  # type: ignore[no-untyped-def]
    """A new discussion: DC Lee Grant and Ann Hughes added after the worker, then the focus on
    the table of participants (its first row, the worker)."""
    await start_new(pilot)
    await add_participant(pilot, "DC Lee Grant", "Detective constable")
    await add_participant(pilot, "Ann Hughes", "Health visitor")
    pilot.app.screen.query_one("#participants", DataTable).focus()


async def test_a_participant_is_edited_in_place_keeping_its_id_and_position(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await focus_participants_after_adding_two(pilot)
        before = [p.id for p in app.editor.discussion.participants]
        await pilot.press("down", "enter")  # the second row: DC Lee Grant
        await pilot.pause()
        assert (value(app, "p-name"), value(app, "p-role"), value(app, "p-agency")) == (
            "DC Lee Grant", "Detective constable", "Police",
        )  # fmt: skip
        assert "Editing DC Lee Grant" in note(app, "participant-form")
        assert app.focused is app.screen.query_one("#p-name")
        await pilot.press("end", "backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "Grey")
        await pilot.press("enter")
        await pilot.pause()
        people = app.editor.discussion.participants
        assert [p.id for p in people] == before
        assert (people[1].name, people[1].role, people[1].agency) == ("DC Lee Grey", "Detective constable", "Police")
        assert "Saved the changes to DC Lee Grey" in note(app, "participant-form")
        assert value(app, "p-name") == ""
        assert "participant-form" not in app.editor.discussion.pending_rows


async def test_escape_or_moving_away_cancels_an_edit_and_says_so(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await add_participant(pilot, "DC Lee Grant", "Detective constable")
        table = app.screen.query_one("#participants", DataTable)
        table.focus()
        await pilot.press("down", "e")
        await type_text(pilot, "xx")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)  # Esc ended the edit, not the discussion
        assert "Edit cancelled: DC Lee Grant is as it was" in note(app, "participant-form")
        assert app.editor.discussion.participants[1].name == "DC Lee Grant"
        assert value(app, "p-name") == ""
        # Moving away (another field) cancels too.
        table.focus()
        await pilot.press("enter")
        await type_text(pilot, "yy")
        app.screen.query_one("#field-case-ref Input").focus()
        await pilot.pause()
        assert "Edit cancelled" in note(app, "participant-form")
        assert app.editor.discussion.participants[1].name == "DC Lee Grant"
        assert app.editor.discussion.pending_rows == {}



async def test_a_close_key_moved_by_the_keymap_closes_even_while_a_row_is_edited(tmp_path: Path) -> None:
    """Only Esc is a row's own key (cancel the edit): the discussion's close key, moved to
    F9, closes the discussion as before, the row's edit cancelled on the way."""
    from stratui.context import open_context

    config = tmp_path / "settings.toml"
    config.write_text('user = "Sam Patel"\n[keymap]\nclose-discussion = "f9"\n', encoding="utf-8")
    context = open_context(db=tmp_path / "db", config=config, today="2026-11-25")
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await add_participant(pilot, "DC Lee Grant", "Detective constable")
        app.screen.query_one("#participants", DataTable).focus()
        await pilot.press("down", "e")
        await type_text(pilot, "xx")
        await press_to(pilot, "f9", screen=DashboardScreen)
    names = [p.name for p in Store.open(tmp_path / "db").get(context.store.summaries()[0].id).participants]
    assert "DC Lee Grant" in names

async def test_delete_says_what_it_removed_and_ctrl_z_or_u_puts_it_back_in_place(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await focus_participants_after_adding_two(pilot)
        names = [p.name for p in app.editor.discussion.participants]
        await pilot.press("down", "delete")
        await pilot.pause()
        # The note beside the list keeps it (the status line soon says "Saved" instead).
        assert "Removed DC Lee Grant. ctrl+z puts it back." in note(app, "participant-form")
        assert [p.name for p in app.editor.discussion.participants] == [names[0], names[2]]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [p.name for p in app.editor.discussion.participants] == names
        assert "Put back DC Lee Grant" in note(app, "participant-form")
        await pilot.press("delete", "u")
        await pilot.pause()
        assert [p.name for p in app.editor.discussion.participants] == names
        await pilot.press("ctrl+s", "ctrl+z")  # saved first: no autosave is left to overwrite the status
        await pilot.pause()
        assert "No row removed" in status(app)
        await save_now(pilot)
        assert [p.name for p in context.store.get(app.editor.discussion.id).participants] == names


async def test_a_suggestion_shown_is_taken_by_enter(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        app.screen.query_one("#p-name").focus()
        await fill_boxes(pilot, "PC Jones", "Pol")
        role = app.screen.query_one("#p-role", Input)
        await wait_until(pilot, lambda: bool(role._suggestion))  # it comes from a worker
        assert role._suggestion == "Police officer"
        await pilot.press("enter")
        await pilot.pause()
        added = app.editor.discussion.participants[-1]
        assert (added.name, added.role, added.agency) == ("PC Jones", "Police officer", "Police")


async def test_a_half_typed_row_survives_phase_keys_the_dashboard_and_a_reopen(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await press_to(pilot, "ctrl+n", screen=InformationScreen)
        app.screen.query_one("#ai-agency").focus()
        await fill_boxes(pilot, "Police", "Two call-outs in 2025")
        for keys, screen in ((["ctrl+n"], RiskScreen), (["pageup"], InformationScreen), (["pageup"], DetailsScreen),
                             (["pagedown"], InformationScreen)):  # fmt: skip
            await press_to(pilot, *keys, screen=screen)
        assert (value(app, "ai-agency"), value(app, "ai-summary")) == ("Police", "Two call-outs in 2025")
        assert "Typed before but not added" in note(app, "agency-form")
        discussion_id = app.editor.discussion.id
        await press_to(pilot, "escape", screen=DashboardScreen)
        stored = context.store.get(discussion_id)
        assert stored.pending_rows == {"agency-form": {"agency": "Police", "summary": "Two call-outs in 2025"}}
        assert stored.information.agency_information == []
        assert "Info: an agency's information row is typed but not added: Enter adds it, or clear it." in completeness(stored, "england")
        app.open_discussion(discussion_id)
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert value(app, "ai-summary") == "Two call-outs in 2025"

    # A new run of the app (after a restart): still there; Enter adds it and clears the pending row.
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        app.open_discussion(discussion_id)
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert (value(app, "ai-agency"), value(app, "ai-summary")) == ("Police", "Two call-outs in 2025")
        app.screen.query_one("#ai-summary").focus()
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
    stored = context.store.get(discussion_id)
    assert [(a.agency, a.summary) for a in stored.information.agency_information] == [("Police", "Two call-outs in 2025")]
    assert stored.pending_rows == {}


async def test_an_edited_action_keeps_its_id_and_the_due_date_rule(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert app.editor is not None
        app.show_phase(app.editor, PlanningScreen.PHASE)
        await pilot.pause()
        await fill_boxes(pilot, "Visit Maya", "Sam Patel", "+2wd")
        await pilot.press("enter")
        await pilot.pause()
        [action] = app.editor.discussion.actions
        app.screen.query_one("#actions", DataTable).focus()
        await pilot.press("enter")
        app.screen.query_one("#a-due").focus()
        await enter_instead(pilot, "1/1/2020")
        assert "before the discussion" in note(app, "action-form")
        assert app.editor.discussion.actions[0].due == action.due
        await enter_instead(pilot, "+5wd")
        [edited] = app.editor.discussion.actions
        assert (edited.id, edited.text, edited.due) == (action.id, "Visit Maya", date(2026, 12, 2))


async def test_children_and_other_children_with_a_date_of_birth_or_an_age(context: Context, tmp_path: Path) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await fill_boxes(pilot, "CS-10", "Amy Stone", "3/3/2019")
        await pilot.pause()
        assert "Date of birth: Sun 3 Mar 2019" in note(app, "child-form")
        await pilot.press("enter")
        await type_text(pilot, "Ben Stone")
        await pilot.press("tab")  # one box for the date of birth or the age
        await fill_boxes(pilot, "about 7", "At his father's on weekdays")
        await pilot.press("enter")
        # A date of birth after today is refused with the way out.
        await fill_boxes(pilot, "Baby Stone", "1/3/2027")
        await pilot.press("enter")
        await pilot.pause()
        assert "cannot be after today" in note(app, "child-form")
        await enter_instead(pilot, "unborn, due Mar 2027")
        app.screen.query_one("#oc-name").focus()
        await fill_boxes(pilot, "Kai Brown", "14")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        table = app.screen.query_one("#children", DataTable)
        assert table.row_count == 3
        discussion_id = app.editor.discussion.id
        assert app.editor.discussion.title == "CS-10: Amy Stone, Ben Stone, Baby Stone"

    record = Store.open(context.store.root).get(discussion_id)
    assert [(c.name, c.date_of_birth, c.age, c.notes) for c in record.children] == [
        ("Amy Stone", date(2019, 3, 3), "", ""),
        ("Ben Stone", None, "about 7", "At his father's on weekdays"),
        ("Baby Stone", None, "unborn, due Mar 2027", ""),
    ]
    assert [(c.name, c.age) for c in record.other_children] == [("Kai Brown", "14")]
    assert record.pending_rows == {}
    exported = subprocess.run(
        [sys.executable, "-m", "stratui", "export", discussion_id, "--format", "json"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "STRATUI_DB": str(context.store.root), "STRATUI_CONFIG": str(context.config_path),
             "STRATUI_TODAY": context.today.isoformat()},
    )  # fmt: skip
    data = json.loads(exported.stdout)
    record_json = data if "children" in data else data["discussions"][0]
    assert [c["age"] for c in record_json["children"]] == ["", "about 7", "unborn, due Mar 2027"]
    assert record_json["children"][0]["date_of_birth"] == "2019-03-03"
    other = record_json["other_children"][0]
    assert {key: other[key] for key in ("name", "date_of_birth", "age", "notes")} == {
        "name": "Kai Brown", "date_of_birth": None, "age": "14", "notes": "",
    }
    # The child's details (d on the row) are blank until typed.
    assert other["profile"]["due_date"] is None and other["profile"]["wishes_and_feelings"] == ""


async def test_one_box_takes_a_date_of_birth_or_an_age_and_refuses_a_mistyped_date(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await pilot.press("tab")
        await fill_boxes(pilot, "Leah Morgan", "14/03/2019")
        await pilot.pause()
        # What is stored, described as an age, not as a date so many working days ago.
        assert "Date of birth: Thu 14 Mar 2019 (aged 7)" in note(app, "child-form")
        await enter_instead(pilot, "14/13/2019")
        assert 'Born or age: "14/13/2019" is neither a date of birth' in note(app, "child-form")
        assert app.editor is not None and app.editor.discussion.children == []
        await pilot.press("ctrl+u")
        await type_text(pilot, "18 months")
        await pilot.pause()
        assert "Age: 18 months" in note(app, "child-form")
        await pilot.press("enter")
        await pilot.pause()
        assert [(c.name, c.date_of_birth, c.age) for c in app.editor.discussion.children] == [("Leah Morgan", None, "18 months")]


async def test_a_child_row_half_typed_in_the_older_two_boxes_comes_back_in_the_one(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await type_text(pilot, "CS-11")
        assert app.editor is not None
        discussion_id = app.editor.discussion.id
        await pilot.press("escape")
        await pilot.pause()
    record = context.store.get(discussion_id)
    record.pending_rows = {
        "child-form": {"name": "Amy Stone", "dob": "", "age": "about 7", "notes": ""},
        "other-child-form": {"name": "Kai Brown", "dob": "3/3/2012", "age": "", "notes": ""},
    }
    context.store.save(record)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        app.open_discussion(discussion_id)
        await pilot.pause()
        assert (value(app, "c-name"), value(app, "c-born")) == ("Amy Stone", "about 7")
        assert (value(app, "oc-name"), value(app, "oc-born")) == ("Kai Brown", "3/3/2012")


async def test_a_demo_record_with_others_in_the_household_opens_and_saves(context: Context) -> None:
    """Issue 10: the details of such a record crashed, and typing there stopped every save."""
    from stratui.demo import generate_demo

    record = next(d for d in generate_demo(40, 1, context.today) if d.other_children and not d.is_signed_off)
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        app.open_discussion(record.id)
        await pilot.pause()
        assert app.screen.query_one("#other-children", DataTable).row_count == len(record.other_children)
        app.screen.query_one("#oc-name").focus()
        await type_text(pilot, "Zara Lee")
        await pilot.press("enter")
        await save_now(pilot)
        assert "Saved" in status(app)
    saved = context.store.get(record.id)
    assert [c.name for c in saved.other_children] == [c.name for c in record.other_children] + ["Zara Lee"]
    assert saved.children == record.children


async def test_a_field_s_suggestion_is_taken_by_enter_too(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await add_participant(pilot, "DC Lee Grant", "Detective constable")
        assert app.editor is not None
        app.show_phase(app.editor, PlanningScreen.PHASE)
        await pilot.pause()
        lead = app.screen.query_one("#field-plan-lead Input", Input)
        lead.focus()
        await type_text(pilot, "dc l")
        await wait_until(pilot, lambda: bool(lead._suggestion))  # it comes from a worker
        await pilot.press("enter")
        await pilot.pause()
        assert app.editor.discussion.plan.lead == "DC Lee Grant"
        assert app.focused is app.screen.query_one("#field-plan-lead-agency Input")


async def test_an_edit_left_by_a_phase_key_is_kept_and_carried_on(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await add_participant(pilot, "DC Lee Grant", "Detective constable")
        app.screen.query_one("#participants", DataTable).focus()
        await pilot.press("down", "enter", "end")
        await type_text(pilot, " Jr")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.editor.discussion.pending_rows["participant-form"]["editing"] == "1"
        await pilot.press("pageup")
        await pilot.pause()
        assert value(app, "p-name") == "DC Lee Grant Jr"
        assert "Still editing DC Lee Grant" in note(app, "participant-form")
        app.screen.query_one("#p-name").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in app.editor.discussion.participants][1:] == ["DC Lee Grant Jr"]
        assert app.editor.discussion.pending_rows == {}


async def test_row_text_that_looks_like_markup_is_shown_as_typed(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await add_participant(pilot, "[b]Dr[/b] Shah [red", "Paediatrician")
        assert "Added [b]Dr[/b] Shah [red." in note(app, "participant-form")
        app.screen.query_one("#participants", DataTable).focus()
        await pilot.press("down", "delete")
        await pilot.pause()
        assert "Removed [b]Dr[/b] Shah [red. ctrl+z puts it back." in note(app, "participant-form")

"""The friction the realistic discussion over tmux met (test_realistic_discussion.py), one test each.

A burst is posted to the app in one go (Pilot's press waits for the app after every key, a
terminal over SSH does not): the keys queue behind each other as they do from a real terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual import events
from textual.widgets import Input

from stratui.app import StratuiApp
from stratui.calendar import WorkingCalendar
from stratui.context import Context, open_context
from stratui.dates import parse_date
from stratui.models import Attendance, Discussion
from stratui.nations import record_attendance_gaps
from stratui.phases import DECISIONS
from stratui.screens.decisions import DecisionsScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.rows import RowTable

from pilot import stratui_at_80x24
from pilot import wait_until

TODAY = "2026-11-25"


def burst(app: StratuiApp, *items: str) -> None:
    """Keys in one write: a name of more than one character is a key (tab, enter), else text."""
    for item in items:
        keys = [item] if item in ("tab", "enter", "ctrl+n") else list(item)
        for key in keys:
            character = None if len(key) > 1 else key
            app.post_message(events.Key({" ": "space"}.get(key, key), character))


async def settle(pilot, until: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert await wait_until(pilot, until), "the app never got there"


def named_context(tmp_path: Path) -> Context:
    config = tmp_path / "settings.toml"
    config.write_text('user = "Sam Patel"\n', "utf-8")
    return open_context(db=tmp_path / "db", config=config, today=TODAY)


async def test_a_burst_after_yes_reaches_the_details_box_the_yes_shows(tmp_path: Path) -> None:
    async with stratui_at_80x24(named_context(tmp_path)) as (app, pilot):
        app.start_discussion()
        await pilot.pause()
        app.show_phase(app.editor, DECISIONS)
        await settle(pilot, lambda: isinstance(app.screen, DecisionsScreen))
        # A pick moves on to the rationale, and "What action" is shown only once "y" is read:
        # neither the text after a pick nor the Tab after the rationale may go past its box.
        burst(app, "y", "Disclosure", "tab", "y", "Lives in the home", "tab", "Stays with gran", "tab", "n")
        decisions = app.editor.discussion.decisions
        await settle(pilot, lambda: decisions.joint_investigation.made is False)
        assert (decisions.s47_enquiry.made, decisions.s47_enquiry.rationale) == (True, "Disclosure")
        assert decisions.immediate_protection.rationale == "Lives in the home"
        assert decisions.immediate_protection.details == "Stays with gran"


async def test_details_keeps_the_cursor_where_keys_typed_ahead_put_it(tmp_path: Path) -> None:
    async with stratui_at_80x24(named_context(tmp_path)) as (app, pilot):
        app.start_discussion()
        burst(app, "CS-1", "tab", "Amy Stone", "enter")
        await settle(pilot, lambda: app.editor is not None and len(app.editor.discussion.children) == 1)
        await pilot.pause(0.2)
        assert isinstance(app.screen, DetailsScreen)
        # (A key that comes before the screen is mounted is still lost: type-ahead across a
        # screen being pushed is other work; the tmux scenario waits for the screen there.)
        assert app.editor.discussion.case_ref.endswith("S-1")
        # Still in the child row after the one added, not pulled back to the case reference.
        assert app.screen.focused is app.screen.query_one("#c-name", Input)


async def test_enter_on_the_blank_participant_row_goes_to_the_households_other_children(tmp_path: Path) -> None:
    async with stratui_at_80x24(named_context(tmp_path)) as (app, pilot):
        app.start_discussion()
        await pilot.pause()
        app.screen.set_focus(app.screen.query_one("#p-name", Input))
        await pilot.press("enter")
        assert app.screen.focused is app.screen.query_one("#oc-name", Input)
        await pilot.press(*"Kayden", "tab", *"about", "space", "1", "2", "enter")
        [other] = app.editor.discussion.other_children
        assert (other.name, other.age) == ("Kayden", "about 12")


def test_next_week_is_a_week_from_today() -> None:
    calendar = WorkingCalendar("england")
    monday = date(2026, 11, 30)
    assert parse_date("next week", monday, calendar) == date(2026, 12, 7)
    assert parse_date("next month", monday, calendar) == date(2026, 12, 30)


async def test_a_follow_up_confirms_who_took_part_with_one_key_a_row(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    context = named_context(tmp_path)
    earlier = context.store.create(make_discussion(actions=[]))
    async with stratui_at_80x24(context) as (app, pilot):
        app.start_follow_up(earlier.id)
        await settle(pilot, lambda: isinstance(app.screen, DetailsScreen) and app.screen.is_mounted)
        await pilot.pause()
        participants = app.editor.discussion.participants
        assert [p.attendance for p in participants][1:] == [Attendance.TO_CONFIRM] * 3
        # The attendance check says what is missing, not that they "did not attend".
        gaps = record_attendance_gaps(app.editor.discussion, "england", context.settings)
        assert any("DC Lee Grant): attendance not confirmed yet" in gap for gap in gaps), gaps
        # The cursor is on the first one to confirm: p, then a with why, then w with what was sent.
        assert isinstance(app.screen.focused, RowTable)
        # In one burst: the reason typed straight after "a" reaches the reason box.
        burst(app, "p", "a", "On leave", "enter", "w", "Chronology", "enter")
        await settle(pilot, lambda: app.editor.discussion.participants[3].absence_reason == "Chronology")
        assert [(p.name, p.attendance, p.absence_reason) for p in app.editor.discussion.participants] == [
            ("Sam Patel", Attendance.PRESENT, ""),
            ("Jo Reid", Attendance.PRESENT, ""),
            ("DC Lee Grant", Attendance.ABSENT, "On leave"),
            ("Ann Hughes", Attendance.WRITTEN, "Chronology"),
        ]
        assert record_attendance_gaps(app.editor.discussion, "england", context.settings) == []


async def test_an_autosave_while_the_next_phase_is_being_shown_does_not_crash(tmp_path: Path) -> None:
    """The autosave timer can fire between a phase key and the next screen's compose (tmux)."""
    async with stratui_at_80x24(named_context(tmp_path)) as (app, pilot):
        app.start_discussion()
        await pilot.pause()
        app.editor.discussion.case_ref = "CS-9"
        app.editor.changed()
        coming = DecisionsScreen(app.editor)  # not composed yet, as while switch_screen mounts it
        coming.show_status("Saved 10:00:00")
        assert app.save_editor()
        assert app.context.store.get(app.editor.discussion.id).case_ref == "CS-9"

"""Follow-ups review the earlier actions; unsaved work is offered back at start; a hang-up keeps it."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Static, TextArea

from stratui.capture import DiscussionEditor
from stratui.drafts import recovered_drafts, recovery_path
from stratui.context import Context, open_context
from stratui.deadlines import DeadlineKind, dashboard_items
from stratui.models import Action, ActionStatus, Discussion, DiscussionKind
from stratui.screens.carry_over import CarryOverScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.recovery import ConfirmDiscardScreen, RecoveryScreen
from stratui.starting import new_discussion
from stratui.store import StoreError

from pilot import press_to, save_now, start_new, stratui_at_80x24, type_text, wait_until, writes_landed

TODAY = "2026-11-25"


def action_deadlines(context: Context) -> list[str]:
    items = dashboard_items(context.store.summaries(), context.today, context.settings)
    return sorted(item.title for item in items if item.kind is DeadlineKind.ACTION)


def follow_ups(context: Context, earlier_id: str) -> list[Discussion]:
    return [
        context.store.get(s.id) for s in context.store.summaries() if earlier_id in s.previous_discussion_ids
    ]


@pytest.fixture
def earlier(context: Context, make_discussion: Callable[..., Discussion]) -> Discussion:
    actions = [
        Action(text="Joint visit to see Maya", owner="Sam Patel", due=date(2026, 11, 23)),
        Action(text="Check police records", owner="DC Lee Grant", due=date(2026, 11, 26)),
        Action(text="Ask the GP for records", owner="Ann Hughes", due=date(2026, 11, 27)),
    ]
    return context.store.create(make_discussion(actions=actions))


# -- follow-up carry-over ----------------------------------------------------------------------


async def test_follow_up_reviews_each_earlier_action_and_the_dashboard_counts_it_once(
    context: Context, earlier: Discussion
) -> None:
    assert action_deadlines(context) == ["Ask the GP for records", "Check police records", "Joint visit to see Maya"]
    async with stratui_at_80x24(context) as (app, pilot):
        app.start_follow_up(earlier.id)
        await pilot.pause()
        assert isinstance(app.screen, CarryOverScreen)
        await pilot.press("c")  # joint visit: carried over
        await pilot.pause()
        await pilot.press("d")  # police records: done, with a note
        await type_text(pilot, "No trace")
        await pilot.press("enter")
        await writes_landed(pilot)
        await pilot.press("x")  # GP records: dropped, a reason is required
        await pilot.press("enter")
        await pilot.pause()
        assert "Say why the action is dropped" in str(app.screen.query_one("#status", Static).render())
        await type_text(pilot, "GP has no records")
        await press_to(pilot, "enter", screen=CarryOverScreen)
        await pilot.press("enter")  # continue to the details
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        follow_up_id = app.editor.discussion.id

    stored_earlier = context.store.get(earlier.id)
    statuses = {a.text: (a.status, a.closing_note) for a in stored_earlier.actions}
    assert statuses["Joint visit to see Maya"][0] is ActionStatus.CARRIED_OVER
    assert statuses["Check police records"] == (ActionStatus.DONE, "No trace")
    assert statuses["Ask the GP for records"] == (ActionStatus.DROPPED, "GP has no records")
    [stored_follow_up] = follow_ups(context, earlier.id)
    assert stored_follow_up.id == follow_up_id
    [carried] = stored_follow_up.actions
    assert carried.text == "Joint visit to see Maya" and carried.is_open
    assert carried.carried_from == earlier.actions[0].id
    # Once: the follow-up's live copy; the done and dropped ones nowhere.
    assert action_deadlines(context) == ["Joint visit to see Maya"]


async def test_continuing_carries_over_what_was_not_reviewed(context: Context, earlier: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        app.start_follow_up(earlier.id)
        await pilot.pause()
        await pilot.press("down", "d")
        await pilot.press("escape")  # Esc in the note cancels the note, not the review
        await pilot.pause()
        assert isinstance(app.screen, CarryOverScreen)
        await pilot.press("escape")  # continue: all three are carried over
        # The carry-over is written off the UI thread; the details follow once it has landed.
        assert await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen))
    assert all(a.status is ActionStatus.CARRIED_OVER for a in context.store.get(earlier.id).actions)
    [stored_follow_up] = follow_ups(context, earlier.id)
    assert len(stored_follow_up.actions) == 3
    assert action_deadlines(context) == ["Ask the GP for records", "Check police records", "Joint visit to see Maya"]


async def test_a_carried_action_can_still_be_closed_but_a_closed_one_stays_closed(
    context: Context, earlier: Discussion
) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        app.start_follow_up(earlier.id)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("up", "d", "enter")  # changed its mind: done after all
        await writes_landed(pilot)
        await pilot.press("up", "c")  # cannot be carried again once closed
        await pilot.pause()
        assert "Already done" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("escape")
        await pilot.pause()
    first = context.store.get(earlier.id).actions[0]
    assert first.status is ActionStatus.DONE
    assert first.closing_note == "Done: confirmed at the follow-up discussion of 25 Nov 2026"
    [stored_follow_up] = follow_ups(context, earlier.id)
    assert [a.text for a in stored_follow_up.actions] == ["Check police records", "Ask the GP for records"]
    assert "Joint visit to see Maya" not in action_deadlines(context)


# -- recovered drafts ----------------------------------------------------------------------------


def draft_left_by_a_failed_save(context: Context, monkeypatch: pytest.MonkeyPatch) -> Discussion:
    """A new record whose first save failed (a full disk, say): only its recovery draft exists."""
    record = new_discussion(context, DiscussionKind.STRATEGY_DISCUSSION, datetime(2026, 11, 25, 10, 30))
    record.case_ref = "CS-777"
    record.information.concerns = "Neighbour heard screaming at night."
    editor = DiscussionEditor.start(context, record)
    editor.changed()

    def full_disk(discussion: Discussion) -> Discussion:
        raise StoreError("could not save (No space left on device)")

    with monkeypatch.context() as patch:
        patch.setattr(context.store, "create", full_disk)
        assert not editor.save().saved
    assert recovery_path(context, record.id).exists()
    return record


async def test_unsaved_work_is_offered_at_start_and_continued(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = draft_left_by_a_failed_save(context, monkeypatch)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert "CS-777" in str(app.screen.query_one("#drafts").render_line(0))
        await press_to(pilot, "enter", screen=DetailsScreen)
        assert app.screen.query_one("#field-case-ref Input", Input).value == "CS-777"
        await pilot.press("pagedown")
        await pilot.pause()
        assert "Neighbour heard screaming" in app.screen.query_one("#field-information-concerns TextArea", TextArea).text
        await save_now(pilot)
    stored = context.store.get(draft.id)
    assert stored.case_ref == "CS-777"
    assert stored.information.concerns == "Neighbour heard screaming at night."
    assert recovered_drafts(context) == []


async def test_a_draft_of_a_record_saved_since_is_kept_on_conflict(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    stored = context.store.create(make_discussion())
    mine = DiscussionEditor.open(context, stored.id)
    context.store.update(stored.id, lambda d: setattr(d, "concern_source", "someone else's change"))
    mine.discussion.information.concerns = "My notes from the call"
    mine.changed()
    assert not mine.save().saved  # a conflict: the draft is kept
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await press_to(pilot, "enter", screen=DetailsScreen)
        await save_now(pilot)
        assert "Your changes were not saved over theirs" in str(app.screen.query_one("#status", Static).render())
    assert context.store.get(stored.id).concern_source == "someone else's change"
    [draft] = recovered_drafts(context)
    assert draft.information.concerns == "My notes from the call"


async def test_discarding_unsaved_work_asks_first(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = draft_left_by_a_failed_save(context, monkeypatch)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await press_to(pilot, "d", screen=ConfirmDiscardScreen)
        await pilot.press("n")  # anything but y keeps it
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert recovery_path(context, draft.id).exists()
        await pilot.press("d", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (RecoveryScreen, ConfirmDiscardScreen))
    assert not recovery_path(context, draft.id).exists()
    assert not context.store.exists(draft.id)


async def test_escape_leaves_unsaved_work_for_later(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = draft_left_by_a_failed_save(context, monkeypatch)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RecoveryScreen)
        await pilot.press("q")
    assert [d.id for d in recovered_drafts(context)] == [draft.id]


# -- a dropped connection ------------------------------------------------------------------------


async def test_hangup_saves_what_was_typed(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await type_text(pilot, "CS-HUP-1")
        await pilot.press("pagedown")
        await pilot.pause()
        await type_text(pilot, "Typed just before the line dropped")
        record_id = app.editor.discussion.id
        app._save_and_exit(signal.SIGHUP)  # what the SIGHUP handler runs
        await pilot.pause()
    assert not app.is_running
    stored = context.store.get(record_id)
    assert stored.case_ref == "CS-HUP-1"
    assert stored.information.concerns == "Typed just before the line dropped"


async def test_hangup_keeps_keys_still_on_their_way_to_the_record(context: Context) -> None:
    """The line drops while the last keys are still queued (read from the terminal, not yet in
    the box, or in the box but not yet in the record): they are saved too."""
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        await type_text(pilot, "CS-HUP-3")
        await pilot.press("pagedown")
        await pilot.pause()
        record_id = app.editor.discussion.id
        for key in "Still arriving":
            app.post_message(events.Key(key, key))  # as the driver does, all at once
        app._save_and_exit(signal.SIGHUP)  # what the SIGHUP handler runs, before they are handled
        await pilot.pause(0.5)
    assert not app.is_running
    assert context.store.get(record_id).information.concerns == "Still arriving"


def test_a_real_sighup_under_tmux_keeps_what_was_typed(tmp_path: Path, stratui_in_tmux) -> None:  # type: ignore[no-untyped-def]
    terminal = stratui_in_tmux(
        {
            "STRATUI_DB": str(tmp_path / "db"),
            "STRATUI_CONFIG": str(tmp_path / "settings.toml"),
            "STRATUI_EXPORTS": str(tmp_path / "exports"),
            "STRATUI_TODAY": TODAY,
        }
    )
    terminal.wait_for("No discussions yet")
    terminal.keys("n")
    terminal.wait_for("which kind")
    terminal.keys("Enter")
    terminal.wait_for("Case reference")
    terminal.keys("-l", "CS-HUP-2")
    terminal.keys("PageDown")
    terminal.wait_for("Information sharing")
    pid = terminal.app_pid()
    typed = time.monotonic()
    terminal.keys("-l", "Dad shouted at the window")
    terminal.wait_for("Dad shouted at the window")
    # Sent before the 1 s autosave could run (on any but a very slow machine): the save is the hang-up's.
    os.kill(pid, signal.SIGHUP)
    print(f"SIGHUP sent {time.monotonic() - typed:.2f} s after typing")
    assert terminal.wait_until(lambda: not Path(f"/proc/{pid}").exists() or _is_zombie(pid)), "stratui did not exit"
    context = open_context(db=tmp_path / "db", config=tmp_path / "settings.toml", today=TODAY)
    [summary] = context.store.summaries()
    stored = context.store.get(summary.id)
    assert stored.case_ref == "CS-HUP-2"
    assert stored.information.concerns == "Dad shouted at the window"
    assert recovered_drafts(context) == []


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True

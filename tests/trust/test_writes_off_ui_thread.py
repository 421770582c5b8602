"""Mark done, sign-off and an addendum wait for a held lock in a worker thread, never on the UI's.

Found on a shared host: a colleague holding the database lock froze the dashboard for 15 s at
each mark done (the write waited for the lock on the UI thread). Here a real process holds the
lock: the keys still move the cursor, the screen names who holds it and since when, and the
change lands once the lock is free; refused, it says so in one line and can be done again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from holding import LockHolder
from stratui.app import StratuiApp, make_app
from stratui.context import Context
from stratui.models import Action, ActionStatus, Discussion, DiscussionStatus, Milestone
from stratui.screens.addendum import AddendumScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.sign_off import SignOffScreen
from waiting import wait_until


@pytest.fixture
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes wait as long as the test needs: the test lets go of the lock, never a clock."""
    monkeypatch.setenv("STRATUI_LOCK_WAIT", "3600")


def with_actions(make_discussion: Callable[..., Discussion], *texts: str) -> Discussion:
    held_on = date(2026, 11, 20)
    milestones = [Milestone(key="minutes", on=held_on), Milestone(key="conference", on=held_on)]
    actions = [Action(text=t, due=date(2026, 11, 24 + i), owner="Sam Patel", agency="Children's social care") for i, t in enumerate(texts)]
    return make_discussion(actions=actions, held_on=held_on, concern_date=held_on, milestones=milestones)


@asynccontextmanager
async def dashboard_under_a_held_lock(context: Context) -> AsyncIterator[tuple[StratuiApp, Pilot, LockHolder]]:
    """The app at 80x24 on its dashboard, with Alex Jones's process holding the lock."""
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        with LockHolder(context.store.root, "Alex Jones") as holder:
            yield app, pilot, holder


def notices(app: StratuiApp) -> str:
    return "\n".join(n.message for n in app._notifications)


def cursor(app: StratuiApp) -> int:
    return app.screen.query_one("#deadlines").cursor_row  # type: ignore[attr-defined]


def text_of(app: StratuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_mark_done_waits_for_the_lock_off_the_ui_thread_then_lands(
    context: Context, make_discussion: Callable[..., Any], patient: None
) -> None:
    record = context.store.create(with_actions(make_discussion, "Visit the school", "Call the GP", "See Maya"))
    first = record.actions[0].id
    async with dashboard_under_a_held_lock(context) as (app, pilot, holder):
        await pilot.press("d", *"seen alone", "enter")
        assert await wait_until(pilot, lambda: f"waiting for the lock held by Alex Jones (pid {holder.pid}) since" in notices(app)), notices(app)
        # The dashboard answers while the write waits: the cursor moves.
        await pilot.press("j")
        assert await wait_until(pilot, lambda: cursor(app) == 1)
        await pilot.press("k")
        assert await wait_until(pilot, lambda: cursor(app) == 0)
        # The same action again while the first waits: done once, never twice.
        await pilot.press("d", *"again", "enter")
        assert await wait_until(pilot, lambda: "Still saving mark done" in notices(app)), notices(app)
        assert context.store.get(record.id).action(first).is_open  # nothing written meanwhile
        holder.release()
        assert await wait_until(pilot, lambda: context.store.get(record.id).action(first).status is ActionStatus.DONE)
        assert context.store.get(record.id).action(first).closing_note == "seen alone"
        assert context.store.get(record.id).revision == record.revision + 1
        assert await wait_until(pilot, lambda: "Visit the school" not in [r.title for r in app.screen.rows])  # type: ignore[attr-defined]
        assert "Done: Visit the school" in notices(app)


async def test_mark_done_refused_by_a_lock_never_freed_says_so_and_can_be_done_again(
    context: Context, make_discussion: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRATUI_LOCK_WAIT", "0.3")
    record = context.store.create(with_actions(make_discussion, "Visit the school"))
    action_id = record.actions[0].id
    async with dashboard_under_a_held_lock(context) as (app, pilot, holder):
        await pilot.press("d", *"seen", "enter")
        assert await wait_until(pilot, lambda: "Not saved (mark done: Visit the school)" in notices(app)), notices(app)
        assert f"Alex Jones (pid {holder.pid}) has held the database lock" in notices(app)
        assert "try again" in notices(app)
        assert context.store.get(record.id).action(action_id).is_open
        holder.release()
        await pilot.press("d", *"seen", "enter")
        assert await wait_until(pilot, lambda: context.store.get(record.id).action(action_id).status is ActionStatus.DONE)


async def test_quitting_while_a_mark_done_waits_exits_at_once_and_says_it_was_not_saved(
    context: Context, make_discussion: Callable[..., Any], patient: None, capsys: pytest.CaptureFixture[str]
) -> None:
    record = context.store.create(with_actions(make_discussion, "Visit the school"))
    async with dashboard_under_a_held_lock(context) as (app, pilot, holder):
        await pilot.press("d", *"seen", "enter")
        assert await wait_until(pilot, lambda: "Alex Jones" in notices(app))
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: app.return_code is not None)
        assert holder.process.poll() is None  # still holding it: nobody waited for it
        # Said not saved, it is never written after all: not when the colleague lets go while
        # the app is still closing (it was, once, beside another run of the suite).
        holder.release()
        assert await wait_until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "locked-writes"))
        assert context.store.get(record.id).actions[0].is_open
    assert app.return_code == 1
    told = " ".join(capsys.readouterr().err.split())  # the words on leaving, as the terminal wrapped them
    assert "Not saved: mark done: Visit the school. It is not kept: do it again when the lock is free." in told
    assert context.store.get(record.id).actions[0].is_open


async def open_review(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+g", "6")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)


async def test_sign_off_and_an_addendum_wait_for_the_lock_with_the_screen_live(
    context: Context, make_discussion: Callable[..., Any], patient: None
) -> None:
    record = context.store.create(make_discussion())
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        with LockHolder(context.store.root, "Alex Jones") as holder:
            await pilot.press("s", *"Pat Kerr", "enter")
            waiting = f"waiting for the lock held by Alex Jones (pid {holder.pid}) since"
            assert await wait_until(pilot, lambda: waiting in text_of(app, "#sign-off-problem-list")), text_of(app, "#sign-off-problem-list")
            assert isinstance(app.screen, SignOffScreen)
            await pilot.press("enter")  # again while it waits: said, not signed twice
            assert "being saved" in text_of(app, "#sign-off-problem-list")
            assert context.store.get(record.id).status is DiscussionStatus.DRAFT
            holder.release()
        assert await wait_until(pilot, lambda: context.store.get(record.id).status is DiscussionStatus.SIGNED_OFF)
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and "SIGNED OFF by Pat Kerr" in text_of(app, "#review-status"))
        assert context.store.get(record.id).revision == record.revision + 1

        with LockHolder(context.store.root, "Alex Jones") as holder:
            await pilot.press("a", *"School called", "enter", *"Seen by the nurse", "ctrl+s")
            waiting = f"waiting for the lock held by Alex Jones (pid {holder.pid}) since"
            assert await wait_until(pilot, lambda: waiting in text_of(app, "#addendum-error")), text_of(app, "#addendum-error")
            await pilot.press(*" today")  # keys still echo in the box
            assert await wait_until(pilot, lambda: app.screen.query_one("#addendum-text").text.endswith(" today"))  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")  # again while it waits: one addendum, not two
            assert isinstance(app.screen, AddendumScreen)
            assert not context.store.get(record.id).addenda
            holder.release()
        assert await wait_until(pilot, lambda: len(context.store.get(record.id).addenda) == 1)
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and "School called" in text_of(app, "#addenda"))
        assert context.store.get(record.id).addenda[0].text == "Seen by the nurse"


async def test_the_follow_ups_review_of_earlier_actions_waits_for_the_lock_and_keeps_the_keys(
    context: Context, make_discussion: Callable[..., Any], patient: None
) -> None:
    from stratui.screens.carry_over import CarryOverScreen

    earlier = context.store.create(with_actions(make_discussion, "Joint visit", "Police records"))
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_follow_up(earlier.id)
        assert await wait_until(pilot, lambda: isinstance(app.screen, CarryOverScreen))
        with LockHolder(context.store.root, "Alex Jones") as holder:
            await pilot.press("c")  # the first carried over: waits for the lock
            assert await wait_until(pilot, lambda: f"Alex Jones (pid {holder.pid})" in text_of(app, "#status")), text_of(app, "#status")
            await pilot.press("d", *"No trace", "enter")  # typed while it waits: held, in order
            assert context.store.get(earlier.id).action(earlier.actions[1].id).is_open
            holder.release()
        second = earlier.actions[1].id
        assert await wait_until(pilot, lambda: context.store.get(earlier.id).action(second).status is ActionStatus.DONE)
        assert context.store.get(earlier.id).action(second).closing_note == "No trace"
        assert context.store.get(earlier.id).action(earlier.actions[0].id).status is ActionStatus.CARRIED_OVER


async def test_a_save_landing_on_a_discussion_screen_without_its_status_line_is_let_go(
    context: Context, make_discussion: Callable[..., Any]
) -> None:
    """A save's outcome can reach a screen still being composed, or already being replaced (beside
    another copy of the suite, the follow-up's review of actions crashed the app with NoMatches):
    every discussion screen lets it go, and shows the editor's last message once composed."""
    from stratui.capture import DiscussionEditor
    from stratui.phases import PHASES
    from stratui.app import phase_screen
    from stratui.screens.carry_over import CarryOverScreen

    earlier = context.store.create(with_actions(make_discussion, "Joint visit"))
    editor = DiscussionEditor.open(context, earlier.id)
    for screen in [CarryOverScreen(editor), *(phase_screen(editor, phase) for phase in PHASES)]:
        screen.show_status("Saved 10:00:00")  # no status line yet: nothing to show it in
        screen.show_status("Not saved", error=True)

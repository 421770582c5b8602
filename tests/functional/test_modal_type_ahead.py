"""Keys typed straight after the key that opens a modal reach the modal, in order.

Over a slow SSH link the opening key and the text after it arrive in one burst. `burst` hands
them to the app all at once, as the terminal driver does (Pilot's press waits after each key,
which hides the problem). Before the fix the text went to the screen underneath, to a modal
with nothing focused yet, or was dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.models import Action, ActionStatus, Child, Discussion, DiscussionKind, DiscussionStatus, Milestone
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.close_action import MilestoneScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.handover import HandoverScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.risk import RiskScreen
from stratui.screens.search import SearchScreen
from pilot import open_review, start_new, stratui_at_80x24
from pilot import wait_until as settle
from test_type_ahead import burst, record  # the shared burst helper, beside this file


def open_actions(make_discussion: Callable[..., Discussion], **overrides: Any) -> Discussion:
    """A discussion whose statutory steps are met: only its one action is on the dashboard."""
    held_on = date(2026, 11, 20)
    return make_discussion(
        held_on=held_on,
        concern_date=held_on,
        milestones=[Milestone(key="minutes", on=held_on), Milestone(key="conference", on=held_on)],
        actions=[Action(text="Visit the child", due=date(2026, 11, 27), owner="Sam Patel", agency="Children's social care")],
        **overrides,
    )


def minutes_due(make_discussion: Callable[..., Discussion]) -> Discussion:
    """The conference held and the next meeting set: the dashboard's first row is the minutes,
    which m records."""
    return make_discussion(
        actions=[], milestones=[Milestone(key="conference", on=date(2026, 11, 24))], plan={"reconvene_on": date(2026, 12, 18)}
    )


@pytest.mark.parametrize(
    ("kind_key", "kind"),
    [("enter", DiscussionKind.STRATEGY_DISCUSSION), ("2", DiscussionKind.STRATEGY_MEETING)],
    ids=["enter-takes-the-usual-kind", "a-digit-picks-the-kind"],
)
async def test_new_discussion_then_its_kind_then_the_case_reference(
    context: Context, kind_key: str, kind: DiscussionKind
) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, "n", kind_key, *"CS-1234")
        assert await settle(pilot, lambda: app.editor is not None and record(app).case_ref == "CS-1234")
        assert isinstance(app.screen, DetailsScreen)
        assert record(app).kind is kind


async def test_go_to_phase_then_digit_chooses_the_phase_and_types_nothing(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        before = record(app).model_dump(mode="json")
        burst(app, "ctrl+g", "3", "tab", *"Bruise")
        assert await settle(pilot, lambda: isinstance(app.screen, RiskScreen) and app.screen.focused is not None)
        assert await settle(pilot, lambda: "Bruise" in str(record(app).model_dump(mode="json")))
        after = record(app).model_dump(mode="json")
        changed = {key for key in after if after[key] != before[key]}
        assert changed == {"risk"}, changed  # the text in the first box of phase 3, no stray "3"


async def test_sign_off_with_the_managers_name_in_one_burst(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    done = context.store.create(make_discussion())
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        burst(app, "s", *"Pat Kerr", "enter")
        assert await settle(pilot, lambda: context.store.get(done.id).status is DiscussionStatus.SIGNED_OFF)
        assert context.store.get(done.id).sign_off.manager == "Pat Kerr"  # type: ignore[union-attr]
        assert await settle(pilot, lambda: signed_off_review_shown(app))


async def test_addendum_reason_and_text_in_one_burst(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    signed = make_discussion()
    context.store.create(signed)
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        burst(app, "s", *"Pat Kerr", "enter")
        assert await settle(pilot, lambda: signed_off_review_shown(app))
        burst(app, "a", *"School called", "enter", *"Seen today", "ctrl+s")
        assert await settle(pilot, lambda: bool(context.store.get(signed.id).addenda))
        addendum = context.store.get(signed.id).addenda[0]
        assert (addendum.reason, addendum.text) == ("School called", "Seen today")


async def test_search_then_a_childs_name(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    leo = open_actions(make_discussion, case_ref="CS-200001", children=[Child(name="Leo Brown")])
    other = open_actions(make_discussion, case_ref="CS-104233")
    context.store.save_all_new([leo, other])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, "slash", *"Leo")
        assert await settle(pilot, lambda: isinstance(app.screen, SearchScreen) and bool(app.screen.results))
        assert app.screen.query_one("#query", Input).value == "Leo"
        assert [r.discussion_id for r in app.screen.results] == [leo.id]  # type: ignore[attr-defined]


async def test_done_then_the_note_then_enter(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    discussion = open_actions(make_discussion)
    context.store.save_all_new([discussion])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert app.screen.query_one("#deadlines", DataTable).row_count == 1
        burst(app, "d", *"seen alone", "enter")
        stored = lambda: context.store.get(discussion.id).actions[0]  # noqa: E731
        assert await settle(pilot, lambda: stored().status is ActionStatus.DONE)
        assert stored().closing_note == "seen alone"
        assert await settle(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_milestone_date_and_note_in_one_burst(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    discussion = minutes_due(make_discussion)
    context.store.save_all_new([discussion])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, "m", *"yesterday", "tab", *"sent by email", "enter")
        assert await settle(pilot, lambda: context.store.get(discussion.id).milestone("minutes") is not None)
        milestone = context.store.get(discussion.id).milestone("minutes")
        assert (milestone.on, milestone.note) == (date(2026, 11, 24), "sent by email")  # type: ignore[union-attr]


async def test_agency_filter_typed_in_one_burst(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    context.store.save_all_new([open_actions(make_discussion)])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, "a", *"Police", "enter")
        screen = app.screen
        assert await settle(pilot, lambda: isinstance(app.screen, DashboardScreen) and screen.filters.agency == "Police")  # type: ignore[attr-defined]


def signed_off_review_shown(app: StratuiApp) -> bool:
    """The review drawn afresh as read only (the test must not end the app half way through)."""
    screen = app.screen
    return isinstance(screen, ReviewScreen) and screen.is_mounted and bool(screen.query("#locked-banner"))


async def test_reopen_and_its_confirmation_in_one_burst(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    discussion = open_actions(make_discussion)
    context.store.save_all_new([discussion])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, "d", *"seen", "enter")
        stored = lambda: context.store.get(discussion.id).actions[0]  # noqa: E731
        assert await settle(pilot, lambda: stored().status is ActionStatus.DONE)
        await pilot.press("x")  # the actions closed this week, to reopen
        burst(app, "o", "y")
        assert await settle(pilot, lambda: stored().status is ActionStatus.OPEN)
        assert stored().closing_note == ""


# -- the keys after the key that closes a modal ---------------------------------------------------


def dashboard_under(app: StratuiApp) -> DashboardScreen:
    screen = app.screen_stack[-2]
    assert isinstance(screen, DashboardScreen)
    return screen


@pytest.mark.parametrize(
    ("keys", "closed"),
    [
        (("a", *"Police", "enter"), lambda app, stored: dashboard_under(app).filters.agency == "Police"),
        (("a", *"Pol", "escape"), lambda app, stored: not dashboard_under(app).filters.agency),
        (("d", *"seen alone", "enter"), lambda app, stored: stored().closing_note == "seen alone"),
        (("d", *"seen", "escape"), lambda app, stored: stored().status is ActionStatus.OPEN),
    ],
    ids=["prompt-enter", "prompt-escape", "done-enter", "done-escape"],
)
async def test_a_key_typed_after_the_key_that_closes_a_modal_reaches_the_screen_below(
    context: Context, make_discussion, keys: tuple[str, ...], closed: Callable[..., bool]  # type: ignore[no-untyped-def]
) -> None:
    """"Police", Enter, h in one burst filtered the dashboard and lost the h in the closing
    prompt (Esc too): the modal's box took it. Now h opens the handover over the dashboard."""
    discussion = open_actions(make_discussion)
    context.store.save_all_new([discussion])
    stored = lambda: context.store.get(discussion.id).actions[0]  # noqa: E731
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, *keys, "h")
        assert await settle(pilot, lambda: isinstance(app.screen, HandoverScreen) and app.screen.is_mounted), app.screen
        # Marking done saves off the UI thread (the dashboard's writes): the handover may be up
        # before the write lands, on a loaded machine.
        assert await settle(pilot, lambda: closed(app, stored))
        await pilot.pause()


async def test_keys_after_an_enter_the_modal_refuses_stay_in_its_box(context: Context, make_discussion) -> None:  # type: ignore[no-untyped-def]
    discussion = minutes_due(make_discussion)
    context.store.save_all_new([discussion])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        burst(app, "m", *"tomorrow", "enter", "h")
        box = lambda: app.screen.query_one("#on", Input).value  # noqa: E731
        assert await settle(pilot, lambda: isinstance(app.screen, MilestoneScreen) and box().endswith("h"))
        modal = app.screen
        assert box() == "tomorrowh"  # h was typed into the box, not taken as the handover
        assert "in the future" in str(modal.query_one("#milestone-error").render())
        await pilot.pause()
        assert app.screen is modal
        assert context.store.get(discussion.id).milestone("minutes") is None

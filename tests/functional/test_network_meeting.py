"""A network meeting recorded by keys at 80x24: its own fields, the family, no s47 questions,
the previous meeting's actions listed first, sign-off without police or health."""

from __future__ import annotations

from datetime import date

import pytest

from stratui.context import Context
from stratui.models import FAMILY, Action, ActionCategory, ActionStatus, Child, Discussion, DiscussionKind, Participant
from stratui.screens.carry_over import CarryOverScreen
from stratui.screens.decisions import DecisionsScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.information import InformationScreen
from stratui.screens.review import ReviewScreen
from stratui.screens.risk import RiskScreen
from stratui.screens.sign_off import SignOffScreen

from pilot import fill_boxes, press_to, start_new, stratui_at_80x24, tab_to, text_of, type_text, wait_until

TODAY = date(2026, 11, 25)


async def go_to(pilot, digit: str, screen: type) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+g", digit)
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen))


async def sign_off(pilot, manager: str) -> None:  # type: ignore[no-untyped-def]
    await go_to(pilot, "6", ReviewScreen)
    await pilot.press("s")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignOffScreen))
    await type_text(pilot, manager)
    await pilot.press("enter")
    # Signed off, the review is shown again, read only.
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.editor.locked)


async def test_a_network_meeting_from_the_picker_has_its_own_shape_and_signs_off_without_police_or_health(
    context: Context,
) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot, "3")
        assert isinstance(app.screen, DetailsScreen)
        assert app.editor.discussion.kind is DiscussionKind.NETWORK_MEETING
        await type_text(pilot, "CS-2026-00777")
        await tab_to(pilot, "#field-network-purpose")
        await type_text(pilot, "Review the support plan for Ava")
        await tab_to(pilot, "#c-name")
        await type_text(pilot, "Ava Brown")
        await pilot.press("enter")
        await tab_to(pilot, "#p-name")
        for name, role, agency in (("Sam Patel", "Social worker", ""), ("Laura Brown", "Mother", FAMILY)):
            await fill_boxes(pilot, name, role)
            await pilot.press("tab")
            if agency:
                await type_text(pilot, agency)
            await pilot.press("enter")
        check = text_of(app, "#attendance-check")
        assert "no minimum agencies" in check and "Police" not in check

        await go_to(pilot, "2", InformationScreen)
        await type_text(pilot, "Ava misses school when her mother is unwell.")
        # No significant-harm question, no decision about enquiries.
        await go_to(pilot, "3", RiskScreen)
        assert not app.screen.query("#field-risk-significant-harm-suspected")
        assert "3 Risk and protective factors" in app.screen.sub_title
        await go_to(pilot, "4", DecisionsScreen)
        assert not app.screen.query("#field-decisions-s47-enquiry-made")
        assert app.focused is app.screen.query_one("#co-text")
        await fill_boxes(pilot, "Share weekly attendance with the social worker", "Laura Brown", "fri")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: len(app.editor.discussion.actions) == 1)

        await sign_off(pilot, "Jo Reid")
        record_id = app.editor.discussion.id

    stored = context.store.get(record_id)
    assert stored.is_signed_off and stored.kind is DiscussionKind.NETWORK_MEETING
    assert stored.network.purpose == "Review the support plan for Ava"
    assert [(p.name, p.role, p.agency) for p in stored.participants][-1] == ("Laura Brown", "Mother", FAMILY)
    [item] = stored.actions
    assert (item.text, item.category, item.owner, item.due) == (
        "Share weekly attendance with the social worker", ActionCategory.COORDINATION, "Laura Brown", date(2026, 11, 27)
    )
    assert not {p.agency for p in stored.participants} & {"Police", "Health"}


@pytest.fixture
def previous(context: Context) -> Discussion:
    """The previous network meeting: one action done and one dropped since, two still open."""
    closed = dict(closed_on=date(2026, 11, 20), closed_by="Sam Patel")
    return context.store.create(
        Discussion(
            kind=DiscussionKind.NETWORK_MEETING,
            case_ref="CS-2026-00421",
            children=[Child(name="Ava Brown")],
            concern_date=date(2026, 11, 2),
            held_on=date(2026, 11, 16),
            social_worker="Sam Patel",
            participants=[
                Participant(name="Sam Patel", role="Social worker", agency="Children's social care"),
                Participant(name="Laura Brown", role="Mother", agency=FAMILY),
            ],
            actions=[
                Action(text="Apply for nursery", owner="Sam Patel", due=date(2026, 11, 20), status=ActionStatus.DONE,
                       closing_note="Place from January", **closed),
                Action(text="Book a GP review", owner="Sam Patel", due=date(2026, 11, 20), status=ActionStatus.DROPPED,
                       closing_note="Seen at the walk-in centre", **closed),
                Action(text="Refer to parenting course", owner="Sam Patel", due=date(2026, 11, 23)),
                Action(text="Share weekly attendance", owner="Sam Patel", due=date(2026, 11, 24),
                       category=ActionCategory.COORDINATION),
            ],
        )
    )


async def test_a_network_follow_up_lists_every_previous_action_first_and_signs_off(
    context: Context, previous: Discussion
) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        # From the dashboard: the case of an overdue action, a follow-up, a network meeting.
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("f", "3")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CarryOverScreen))
        await pilot.press("d")  # the parenting course: done at the meeting
        await type_text(pilot, "Started Monday")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")  # the attendance: carried into this meeting
        await pilot.pause()
        await press_to(pilot, "enter", screen=DetailsScreen)
        # Saved as reviewed, the carried one too, before anything else is typed.
        reviewed = context.store.get(app.editor.discussion.id).network.previous_actions
        assert [a.status for a in reviewed] == [
            ActionStatus.DONE, ActionStatus.DROPPED, ActionStatus.DONE, ActionStatus.CARRIED_OVER,
        ]
        # Who took part this time: both present.
        await pilot.press("p", "p")
        await tab_to(pilot, "#field-network-purpose")
        await type_text(pilot, "Review of the plan")

        await go_to(pilot, "2", InformationScreen)
        form = app.screen.query_one("#form")
        assert form.children[0] is app.screen.query_one("#previous-actions")
        review = text_of(app, "#previous-actions")
        assert "reviewed first (4)" in review
        lines = [line.split() for line in review.splitlines()[1:]]
        assert [(line[0], line[1]) for line in lines] == [
            ("done", "Apply"), ("dropped", "Book"), ("done", "Refer"), ("carried", "Share"),
        ]
        await type_text(pilot, "Attendance is better since the last meeting.")
        await sign_off(pilot, "Jo Reid")
        record_id = app.editor.discussion.id

    stored = context.store.get(record_id)
    assert stored.is_signed_off
    assert [(a.text, a.status) for a in stored.network.previous_actions] == [
        ("Apply for nursery", ActionStatus.DONE),
        ("Book a GP review", ActionStatus.DROPPED),
        ("Refer to parenting course", ActionStatus.DONE),
        ("Share weekly attendance", ActionStatus.CARRIED_OVER),
    ]
    assert [(a.text, a.category) for a in stored.actions] == [("Share weekly attendance", ActionCategory.COORDINATION)]

"""The demo's network meetings are in their own shape, in every nation: no s47 question."""

from __future__ import annotations

import functools
import re
from datetime import date

import pytest

from stratui.demo import generate_demo
from stratui.minutes import render_markdown
from stratui.models import ActionCategory, ActionStatus, Discussion, DiscussionKind, is_family
from stratui.settings import Settings

TODAY = date(2026, 11, 25)
S47_QUESTION = re.compile(r"section 47|\bs47\b|significant harm|not decided", re.IGNORECASE)


NATIONS = ("england", "wales", "scotland", "northern-ireland")


@functools.cache
def demo_of(nation: str) -> list[Discussion]:
    # Seed 2 holds follow-up network meetings in three of the four nations.
    return generate_demo(400, 2, TODAY, nation)


@pytest.fixture(params=NATIONS)
def meetings(request: pytest.FixtureRequest) -> tuple[str, list[Discussion], list[Discussion]]:
    demo = demo_of(request.param)
    return request.param, demo, [d for d in demo if d.kind is DiscussionKind.NETWORK_MEETING]


def test_no_demo_network_meeting_asks_an_s47_question(meetings) -> None:  # type: ignore[no-untyped-def]
    nation, demo, network = meetings
    assert len(network) >= 5
    earlier = [d.summary() for d in demo]
    for d in network:
        minutes = render_markdown(d, Settings(nation=nation), earlier)
        found = S47_QUESTION.search(minutes)
        assert found is None, (nation, d.case_ref, minutes[max(0, found.start() - 200) : found.end() + 100])
        assert d.risk.significant_harm_suspected is None and d.decisions.s47_enquiry.made is None


def test_demo_network_meetings_have_a_purpose_the_family_and_their_items(meetings) -> None:  # type: ignore[no-untyped-def]
    nation, _demo, network = meetings
    for d in network:
        assert d.network.purpose.strip(), d.case_ref
        family = [p for p in d.participants if is_family(p)]
        assert family and all(p.role for p in family), d.case_ref
        categories = {a.category for a in d.actions if a.carried_from is None}
        assert {ActionCategory.COORDINATION, ActionCategory.CARE_PLAN} <= categories, d.case_ref


def test_demo_network_follow_ups_review_every_previous_action() -> None:
    states: list[ActionStatus] = []
    follow_ups = 0
    for nation in NATIONS:
        demo = demo_of(nation)
        by_id = {d.id: d for d in demo}
        for d in demo:
            if d.kind is not DiscussionKind.NETWORK_MEETING or not d.previous_discussion_ids:
                continue
            follow_ups += 1
            previous = by_id[d.previous_discussion_ids[0]]
            # Every one of the previous meeting's actions, in the state the earlier record holds.
            assert [(a.id, a.status) for a in d.network.previous_actions] == [(a.id, a.status) for a in previous.actions]
            states += [a.status for a in d.network.previous_actions]
    assert follow_ups >= 5
    assert ActionStatus.OPEN not in states
    assert {ActionStatus.DONE, ActionStatus.CARRIED_OVER, ActionStatus.DROPPED} <= set(states)

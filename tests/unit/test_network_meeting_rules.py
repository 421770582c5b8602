"""Network meetings in their own shape: what sign-off asks of one, and its minutes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import pytest

from stratui.capture import DiscussionEditor, SignOffError
from stratui.context import Context
from stratui.minutes import render_markdown
from stratui.models import (
    FAMILY,
    Action,
    ActionCategory,
    ActionStatus,
    Child,
    Discussion,
    DiscussionKind,
    InformationSharing,
    Participant,
    RiskAnalysis,
)
from stratui.phases import DECISIONS, RISK, asks, completeness, phase_name
from stratui.settings import Settings
from stratui.starting import follow_up, settle_carried_action

NETWORK = DiscussionKind.NETWORK_MEETING
S47_WORDING = re.compile(r"section 47|\bs47\b|significant harm|not decided|enquiry plan|enquir", re.IGNORECASE)
NATIONS = ("england", "wales", "scotland", "northern-ireland")


def network_meeting(**overrides: object) -> Discussion:
    """A complete network meeting: social worker, a school, the mother; no police, no health."""
    fields: dict[str, object] = dict(
        kind=NETWORK,
        case_ref="CS-2026-00420",
        children=[Child(name="Ava Brown", date_of_birth=date(2018, 5, 2))],
        concern_date=date(2026, 11, 2),
        held_on=date(2026, 11, 20),
        social_worker="Sam Patel",
        participants=[
            Participant(name="Sam Patel", role="Social worker", agency="Children's social care"),
            Participant(name="Kim Ellis", role="Designated safeguarding lead", agency="School"),
            Participant(name="Laura Brown", role="Mother", agency=FAMILY),
        ],
        information=InformationSharing(concerns="Ava misses school when mother's depression is bad."),
        risk=RiskAnalysis(risk_factors=["Mother's low mood"], protective_factors=["Grandmother nearby"]),
        actions=[
            Action(text="Share weekly attendance", owner="Kim Ellis", agency="School", due=date(2026, 11, 27),
                   category=ActionCategory.COORDINATION),
            Action(text="Family support twice a week", owner="Sam Patel", due=date(2026, 12, 4),
                   category=ActionCategory.CARE_PLAN),
            Action(text="Book the next meeting room", owner="Sam Patel", due=date(2026, 12, 1)),
        ],
    )
    fields.update(overrides)
    discussion = Discussion(**fields)
    discussion.network.purpose = "Review the support plan for Ava and agree who does what."
    return discussion


@pytest.mark.parametrize("nation", NATIONS)
def test_a_network_meeting_signs_off_without_police_or_health(nation: str) -> None:
    """The nation's minimum agencies are a strategy discussion's rule, not a network meeting's."""
    meeting = network_meeting()
    assert completeness(meeting, nation) == []
    as_a_strategy_discussion = meeting.model_copy(update={"kind": DiscussionKind.STRATEGY_DISCUSSION})
    problems = " ".join(completeness(as_a_strategy_discussion, nation))
    assert "Police" in problems
    assert "significant harm" in problems


def test_a_network_meeting_needs_its_purpose_and_no_s47_answer() -> None:
    meeting = network_meeting()
    meeting.network.purpose = "  "
    problems = completeness(meeting, "england")
    assert problems == ["Details > Purpose of the meeting: not recorded."]
    assert not any(S47_WORDING.search(p) for p in problems)


def test_a_network_meeting_without_a_next_meeting_or_open_action_says_so_in_its_words() -> None:
    meeting = network_meeting(actions=[])
    assert completeness(meeting, "england") == [
        "Actions > Next meeting on: no date for the next meeting (or an open action)."
    ]


def test_the_kind_decides_what_is_asked_in_one_place() -> None:
    assert not asks(NETWORK, "risk.significant_harm_suspected")
    assert not asks(NETWORK, "decisions.s47_enquiry.made")
    assert not asks(NETWORK, "plan.child_seen")
    assert asks(NETWORK, "network.purpose") and asks(NETWORK, "coordination-form")
    assert asks(NETWORK, "risk.risk_factors") and asks(NETWORK, "plan.reconvene_on")
    strategy = DiscussionKind.STRATEGY_DISCUSSION
    assert asks(strategy, "risk.significant_harm_suspected") and asks(strategy, "decisions.s47_enquiry.made")
    assert not asks(strategy, "network.purpose") and not asks(strategy, "care-plan-form")
    assert phase_name(DECISIONS, NETWORK) == "Coordination and care plan"
    assert phase_name(RISK, strategy) == "Analysis of risk"


@pytest.fixture
def reviewed(context: Context) -> tuple[Discussion, Discussion]:
    """A previous meeting with one action done before, and three reviewed: carried, done, dropped."""
    previous = network_meeting(
        actions=[
            Action(text="Apply for a nursery place", owner="Sam Patel", due=date(2026, 11, 23),
                   status=ActionStatus.DONE, closed_on=date(2026, 11, 23), closed_by="Sam Patel",
                   closing_note="Place starts in January", category=ActionCategory.CARE_PLAN),
            Action(text="Share weekly attendance", owner="Kim Ellis", agency="School", due=date(2026, 11, 27),
                   category=ActionCategory.COORDINATION),
            Action(text="Refer to the parenting course", owner="Sam Patel", due=date(2026, 11, 24)),
            Action(text="Ask housing about the damp", owner="Sam Patel", due=date(2026, 11, 24)),
        ]
    )
    previous = context.store.create(previous)
    meeting = follow_up(context, previous, NETWORK, datetime(2026, 11, 25, 10, 0))
    meeting.network.purpose = "Review of the plan agreed on 20 Nov."
    meeting = context.store.create(meeting)
    by_text = {a.text: a.id for a in meeting.actions}
    settle_carried_action(context, meeting, by_text["Share weekly attendance"], ActionStatus.OPEN)
    settle_carried_action(context, meeting, by_text["Refer to the parenting course"], ActionStatus.DONE, "Mother started on Monday")
    settle_carried_action(context, meeting, by_text["Ask housing about the damp"], ActionStatus.DROPPED, "The family moved")
    return context.store.get(previous.id), meeting


def test_settling_says_when_the_follow_up_changed(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    """A network meeting's review notes a carried action too (so it is saved); a strategy
    discussion's carried action leaves the follow-up as it was."""
    for kind, carried_changes_it in ((NETWORK, True), (DiscussionKind.STRATEGY_DISCUSSION, False)):
        previous = context.store.create(make_discussion())
        record = context.store.create(follow_up(context, previous, kind, datetime(2026, 11, 25, 10, 0)))
        first, second = record.actions
        assert settle_carried_action(context, record, first.id, ActionStatus.OPEN) is carried_changes_it
        assert settle_carried_action(context, record, second.id, ActionStatus.DONE, "Checked") is True


def test_the_review_keeps_every_previous_action_with_its_state(reviewed: tuple[Discussion, Discussion]) -> None:
    previous, meeting = reviewed
    states = {a.text: a.status for a in meeting.network.previous_actions}
    assert states == {
        "Apply for a nursery place": ActionStatus.DONE,
        "Share weekly attendance": ActionStatus.CARRIED_OVER,
        "Refer to the parenting course": ActionStatus.DONE,
        "Ask housing about the damp": ActionStatus.DROPPED,
    }
    # Only the carried one is live here (and keeps its category); the earlier copies are closed.
    assert [(a.text, a.category) for a in meeting.actions] == [("Share weekly attendance", ActionCategory.COORDINATION)]
    assert previous.open_actions() == []


@pytest.mark.parametrize("nation", NATIONS)
def test_minutes_have_no_s47_wording_and_review_previous_actions_first(
    reviewed: tuple[Discussion, Discussion], nation: str
) -> None:
    previous, meeting = reviewed
    text = render_markdown(meeting, Settings(nation=nation), [previous.summary(), meeting.summary()])
    assert not S47_WORDING.search(text), S47_WORDING.search(text)
    review = text.index("## 1. Review of the previous meeting's actions")
    assert review < text.index("## 2. Information sharing") < text.index("## 4. Coordination and care plan")
    section = text[review : text.index("## 2. Information sharing")]
    assert "Apply for a nursery place | Sam Patel" in section and "| Done 23 Nov 2026: Place starts in January |" in section
    assert "Refer to the parenting course" in section and "Done 25 Nov 2026: Mother started on Monday" in section
    assert "Ask housing about the damp" in section and "Dropped 25 Nov 2026: The family moved" in section
    assert "Share weekly attendance" in section and "| Carried 25 Nov 2026 |" in section


def test_minutes_show_the_purpose_the_family_and_the_items(make_discussion: Callable[..., Discussion]) -> None:
    text = render_markdown(network_meeting(), Settings(nation="england"))
    assert "# DRAFT - Network meeting: CS-2026-00420, 20 Nov 2026" in text
    assert "## Purpose of the meeting\n\nReview the support plan for Ava and agree who does what." in text
    assert "- **Laura Brown** (Mother): present" in text
    coordination = text[text.index("### Coordination items") : text.index("### Care-plan items")]
    assert "Share weekly attendance" in coordination and "Family support" not in coordination
    assert "Family support twice a week" in text[text.index("### Care-plan items") : text.index("## 5.")]
    assert "Book the next meeting room" in text[text.index("## 5. Actions and next meeting") :]
    assert "The first meeting of the network: no earlier actions to review." in text
    assert not S47_WORDING.search(text)
    # A strategy discussion's minutes are as they were.
    assert "## 3. Decisions" in render_markdown(make_discussion())


def test_a_network_meeting_is_signed_off_by_the_editor_without_police_or_health(context: Context) -> None:
    editor = DiscussionEditor.start(context, network_meeting())
    editor.sign_off("Jo Reid", datetime(2026, 11, 25, 12, 0))
    assert editor.save().saved
    assert context.store.get(editor.discussion.id).is_signed_off
    unfinished = DiscussionEditor.start(context, network_meeting(actions=[]))
    with pytest.raises(SignOffError) as refused:
        unfinished.sign_off("Jo Reid", datetime(2026, 11, 25, 12, 0))
    assert not any("Police" in p or "Health" in p for p in refused.value.problems)


def test_older_records_load_with_the_new_parts_blank(make_discussion: Callable[..., Discussion]) -> None:
    stored = make_discussion(kind=NETWORK).model_dump(mode="json")
    del stored["network"]
    for action in stored["actions"]:
        del action["category"]
    loaded = Discussion.model_validate(stored)
    assert loaded.network.purpose == "" and loaded.network.previous_actions == []
    assert {a.category for a in loaded.actions} == {ActionCategory.ACTION}

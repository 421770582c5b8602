"""The deadline engine, on England's Christmas 2026 unless a test says otherwise.

Today is Tuesday 22 December 2026. England's bank holidays around it: Friday 25 December
(Christmas Day), Monday 28 December (Boxing Day falls on a Saturday: substitute day) and
Friday 1 January 2027. So the working days after today are Wed 23, Thu 24, Tue 29, Wed 30,
Thu 31 December, Mon 4 January... With the default warning window of 3 working days,
"due soon" runs up to Tuesday 29 December.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from stratui.deadlines import Deadline, DeadlineKind, DeadlineState, compute_deadlines, dashboard_items
from stratui.models import (
    Action,
    ActionStatus,
    Child,
    Decision,
    Decisions,
    Discussion,
    DiscussionKind,
    DiscussionStatus,
    DiscussionSummary,
    EnquiryPlan,
    MeetingFormat,
    Milestone,
    ParentsInformed,
    SignOff,
)
from stratui.settings import Settings, Timescales

TODAY = date(2026, 12, 22)  # a Tuesday
ENGLAND = Settings()

K = DeadlineKind
S = DeadlineState


def make(
    *,
    case_ref: str = "C-100",
    kind: DiscussionKind = DiscussionKind.STRATEGY_DISCUSSION,
    concern_date: date = date(2026, 12, 11),
    held_on: date = date(2026, 12, 14),
    s47: bool | None = None,
    decisions: Decisions | None = None,
    milestones: dict[str, date] | None = None,
    **fields,
) -> Discussion:
    """A discussion whose only open deadlines are the ones a test asks for."""
    milestones = {"minutes": held_on} if milestones is None else milestones
    if decisions is None:
        decisions = Decisions(s47_enquiry=Decision(made=s47))
    return Discussion(
        case_ref=case_ref,
        kind=kind,
        children=[Child(name="Amy Smith"), Child(name="Ben Smith")],
        concern_date=concern_date,
        held_on=held_on,
        social_worker="Sam Worker",
        decisions=decisions,
        milestones=[Milestone(key=key, on=on) for key, on in milestones.items()],
        **fields,
    )


def deadlines(*discussions: Discussion, settings: Settings = ENGLAND, today: date = TODAY) -> list[Deadline]:
    return compute_deadlines([d.summary() for d in discussions], today, settings)


def only(found: list[Deadline], kind: DeadlineKind) -> list[Deadline]:
    return [d for d in found if d.kind is kind]


def settings_with(nation: str = "england", **timescales) -> Settings:
    return Settings(nation=nation, timescales=Timescales(**timescales))


def signed_off() -> dict:
    return {
        "status": DiscussionStatus.SIGNED_OFF,
        "sign_off": SignOff(manager="Mo Manager", signed_at=datetime(2026, 12, 15, 9, 0)),
    }


# --- actions and the states of a deadline ---


def test_an_open_action_with_a_due_date_is_a_deadline_of_its_owner() -> None:
    action = Action(text="Visit the children at school", owner="DC Pat Lee", agency="Police", due=date(2026, 12, 23))
    d = make(actions=[action])
    [found] = deadlines(d)
    assert found == Deadline(
        key=f"{d.id}:action:{action.id}",
        kind=K.ACTION,
        title="Visit the children at school",
        discussion_id=d.id,
        case_ref="C-100",
        children=("Amy Smith", "Ben Smith"),
        owner="DC Pat Lee",
        agency="Police",
        due=date(2026, 12, 23),
        working_days=1,
        state=S.DUE_SOON,
        action_id=action.id,
    )


def test_closed_actions_and_actions_without_a_due_date_are_not_deadlines() -> None:
    d = make(
        actions=[
            Action(text="No date yet", owner="Sam Worker"),
            Action(text="Done", due=date(2026, 12, 15), status=ActionStatus.DONE, closed_on=date(2026, 12, 15)),
            Action(
                text="Dropped",
                due=date(2026, 12, 15),
                status=ActionStatus.DROPPED,
                closed_on=date(2026, 12, 16),
                closing_note="Family moved away",
            ),
        ]
    )
    assert deadlines(d) == []


@pytest.mark.parametrize(
    ("due", "working_days", "state"),
    [
        # Friday: Monday 21 and today are the working days since.
        (date(2026, 12, 18), -2, S.OVERDUE),
        (date(2026, 12, 21), -1, S.OVERDUE),
        (date(2026, 12, 22), 0, S.DUE_TODAY),
        (date(2026, 12, 23), 1, S.DUE_SOON),
        (date(2026, 12, 24), 2, S.DUE_SOON),
        # Christmas Day, Boxing Day and its substitute are not working days: still 2.
        (date(2026, 12, 25), 2, S.DUE_SOON),
        (date(2026, 12, 28), 2, S.DUE_SOON),
        # Tuesday 29 is only the 3rd working day: the edge of the warning window.
        (date(2026, 12, 29), 3, S.DUE_SOON),
        (date(2026, 12, 30), 4, S.LATER),
        # Over New Year's Day (Friday 1 January 2027) to Monday 4 January.
        (date(2027, 1, 4), 6, S.LATER),
    ],
)
def test_state_and_working_days_across_christmas(due: date, working_days: int, state: DeadlineState) -> None:
    [found] = deadlines(make(actions=[Action(text="Check in", owner="Sam Worker", due=due)]))
    assert (found.working_days, found.state) == (working_days, state)


def test_a_wider_warning_window_brings_deadlines_forward() -> None:
    d = make(actions=[Action(text="Check in", owner="Sam Worker", due=date(2026, 12, 30))])
    [found] = deadlines(d, settings=settings_with(warning_window_working_days=4))
    assert (found.working_days, found.state) == (4, S.DUE_SOON)


def test_overdue_at_the_weekend_is_still_overdue_by_a_working_day() -> None:
    d = make(actions=[Action(text="Check in", owner="Sam Worker", due=date(2026, 12, 18))])
    [found] = deadlines(d, today=date(2026, 12, 19))  # Saturday after a Friday deadline
    assert (found.working_days, found.state) == (-1, S.OVERDUE)


# --- the strategy discussion itself ---


def test_a_discussion_held_late_asks_for_the_reason() -> None:
    # Concern on Thursday 10 December: due within 1 working day, Friday 11; held Monday 14.
    d = make(concern_date=date(2026, 12, 10), held_on=date(2026, 12, 14))
    [found] = deadlines(d)
    assert found.kind is K.DISCUSSION
    assert found.title == "Strategy discussion held late: record the reason (1 working day from the concern; local practice)"
    assert found.due == date(2026, 12, 11)
    # 14, 15, 16, 17, 18, 21, 22 December.
    assert (found.working_days, found.state) == (-7, S.OVERDUE)
    assert found.owner == "Sam Worker"
    assert found.agency == "Children's social care"
    assert found.key == f"{d.id}:discussion"


def test_a_late_discussion_is_closed_once_the_reason_is_recorded() -> None:
    d = make(
        concern_date=date(2026, 12, 10),
        held_on=date(2026, 12, 14),
        milestones={"minutes": date(2026, 12, 14), "discussion": date(2026, 12, 15)},
    )
    assert deadlines(d) == []


def test_the_local_setting_for_the_discussion_timescale() -> None:
    # Within 3 working days of Thursday 10 December is Tuesday 15: Monday 14 was on time.
    d = make(concern_date=date(2026, 12, 10), held_on=date(2026, 12, 14))
    assert deadlines(d, settings=settings_with(strategy_discussion_working_days=3)) == []


def test_a_discussion_held_within_the_timescale_has_no_deadline() -> None:
    # Concern on Friday 11: the next working day is Monday 14.
    assert deadlines(make(concern_date=date(2026, 12, 11), held_on=date(2026, 12, 14))) == []


def test_a_scheduled_discussion_is_a_deadline_until_it_is_held() -> None:
    d = make(concern_date=date(2026, 12, 21), held_on=date(2026, 12, 23))
    [found] = deadlines(d)
    assert found.kind is K.DISCUSSION
    assert found.title == "Strategy discussion to be held (1 working day from the concern; local practice)"
    assert (found.due, found.state, found.working_days) == (date(2026, 12, 22), S.DUE_TODAY, 0)


def test_only_a_first_draft_strategy_discussion_is_checked_for_timeliness() -> None:
    late = {"concern_date": date(2026, 12, 10), "held_on": date(2026, 12, 14)}
    first = make(**late)
    follow_up = make(**late, previous_discussion_ids=[first.id], milestones={"minutes": date(2026, 12, 14)})
    network = make(**late, kind=DiscussionKind.NETWORK_MEETING)
    done = make(**late, **signed_off())
    found = deadlines(first, follow_up, network, done)
    assert [(d.kind, d.discussion_id) for d in found] == [(K.DISCUSSION, first.id)]


# --- the conference ---


def test_icpc_is_due_15_working_days_after_the_s47_discussion() -> None:
    # Held Monday 14 December 2026, counted by hand: 15-18 Dec (1-4), 21-24 (5-8), [25 and 28
    # bank holidays], 29-31 (9-11), [1 Jan bank holiday], 4-7 Jan (12-15): Thursday 7 January 2027.
    d = make(s47=True)
    [found] = deadlines(d)
    assert found.kind is K.CONFERENCE
    assert found.title == "ICPC due (15 working days from the s47 strategy discussion; statutory guidance)"
    assert found.due == date(2027, 1, 7)
    # 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7 Jan.
    assert (found.working_days, found.state) == (9, S.LATER)
    assert (found.key, found.discussion_id, found.owner) == (f"{d.id}:conference", d.id, "Sam Worker")


def test_icpc_counts_from_the_first_discussion_that_started_s47() -> None:
    first = make(s47=True, held_on=date(2026, 12, 14))
    second = make(s47=True, held_on=date(2026, 12, 18), previous_discussion_ids=[first.id])
    [found] = deadlines(second, first)
    assert (found.discussion_id, found.due) == (first.id, date(2027, 1, 7))


def test_icpc_counts_from_the_latest_discussion_when_set() -> None:
    first = make(s47=True, held_on=date(2026, 12, 14))
    meeting = make(kind=DiscussionKind.STRATEGY_MEETING, held_on=date(2026, 12, 18), previous_discussion_ids=[first.id])
    # From Friday 18 December: 21-24 (1-4), 29-31 (5-7), 4-8 Jan (8-12), 11-13 Jan (13-15).
    found = deadlines(first, meeting, settings=settings_with(conference_counts_from="latest-discussion"))
    [conference] = only(found, K.CONFERENCE)
    assert conference.title == "ICPC due (15 working days from the latest strategy discussion; statutory guidance)"
    assert (conference.discussion_id, conference.due) == (meeting.id, date(2027, 1, 13))


def test_the_conference_is_closed_by_a_milestone_anywhere_in_the_case() -> None:
    s47 = make(s47=True)
    network = make(
        kind=DiscussionKind.NETWORK_MEETING,
        held_on=date(2026, 12, 21),
        milestones={"minutes": date(2026, 12, 21), "conference": date(2026, 12, 21)},
    )
    assert deadlines(s47, network) == []
    # A different case's conference closes nothing here.
    network_elsewhere = make(
        case_ref="C-999",
        kind=DiscussionKind.NETWORK_MEETING,
        held_on=date(2026, 12, 21),
        milestones={"minutes": date(2026, 12, 21), "conference": date(2026, 12, 21)},
    )
    assert [d.kind for d in deadlines(s47, network_elsewhere)] == [K.CONFERENCE]


def test_discussions_without_a_case_ref_are_cases_of_their_own() -> None:
    started = make(case_ref="", s47=True)
    held = make(case_ref="", s47=False, milestones={"minutes": date(2026, 12, 14), "conference": date(2026, 12, 20)})
    found = deadlines(started, held)
    assert [(d.kind, d.discussion_id) for d in found] == [(K.CONFERENCE, started.id), (K.ASSESSMENT, held.id)]


def test_scotland_plans_a_cppm_within_28_calendar_days() -> None:
    # 14 December + 28 days = Monday 11 January 2027 (bank holidays do not matter).
    [found] = deadlines(make(s47=True), settings=settings_with("scotland"))
    assert found.title == "CPPM due (28 calendar days from the IRD that started the investigation; statutory guidance)"
    assert found.due == date(2027, 1, 11)


def test_wales_and_northern_ireland_count_the_conference_in_their_own_working_days() -> None:
    # Northern Ireland's 15 days are England's, not verified against the SBNI procedures: local.
    for nation, title in (
        ("wales", "ICPC due (15 working days from the s47 strategy discussion; statutory guidance)"),
        (
            "northern-ireland",
            "Case conference due (15 working days from the strategy discussion that started the "
            "investigation; local practice)",
        ),
    ):
        [found] = [d for d in deadlines(make(s47=True), settings=settings_with(nation)) if d.kind is K.CONFERENCE]
        assert (found.title, found.due) == (title, date(2027, 1, 7))


# --- minutes ---


def test_minutes_are_due_the_next_working_day_across_christmas() -> None:
    # Held on Christmas Eve: 25 and 28 December are bank holidays, 26-27 the weekend.
    christmas_eve = date(2026, 12, 24)
    d = make(concern_date=date(2026, 12, 23), held_on=christmas_eve, milestones={})
    [found] = deadlines(d, today=christmas_eve)
    assert found.kind is K.MINUTES
    assert found.title == "Circulate minutes to attendees (1 working day; local practice)"
    assert (found.due, found.working_days, found.state) == (date(2026, 12, 29), 1, S.DUE_SOON)


def test_a_teams_extra_non_working_day_moves_the_minutes() -> None:
    christmas_eve = date(2026, 12, 24)
    d = make(concern_date=date(2026, 12, 23), held_on=christmas_eve, milestones={})
    closed_29th = settings_with(extra_non_working_days=[date(2026, 12, 29)])
    [found] = deadlines(d, settings=closed_29th, today=christmas_eve)
    assert (found.due, found.working_days, found.state) == (date(2026, 12, 30), 1, S.DUE_SOON)


def test_circulated_minutes_close_the_deadline_for_every_kind_of_meeting() -> None:
    for kind in DiscussionKind:
        on_time = {"concern_date": date(2026, 12, 21), "held_on": date(2026, 12, 21)}
        circulated = make(kind=kind, **on_time, milestones={"minutes": date(2026, 12, 21)})
        assert deadlines(circulated) == []
        pending = make(kind=kind, **on_time, milestones={})
        [found] = deadlines(pending)
        assert (found.kind, found.due, found.state) == (K.MINUTES, date(2026, 12, 22), S.DUE_TODAY)


def test_scotland_times_the_ird_record_by_the_local_minutes_setting() -> None:
    # The 10 working days belong to the CPPM's record: the IRD record's timing is local.
    ird = make(milestones={})
    network = make(kind=DiscussionKind.NETWORK_MEETING, case_ref="C-200", milestones={})
    found = deadlines(ird, network, settings=settings_with("scotland", minutes_working_days=2))
    assert [(d.discussion_id, d.title, d.due) for d in found] == [
        (ird.id, "Circulate the IRD record to attendees (2 working days; local practice)", date(2026, 12, 16)),
        (network.id, "Circulate minutes to attendees (2 working days; local practice)", date(2026, 12, 16)),
    ]


# --- reconvening and the review of not informing parents ---


def test_the_reconvene_date_is_a_deadline() -> None:
    d = make(plan=EnquiryPlan(reconvene_on=date(2026, 12, 21)))
    [found] = deadlines(d)
    assert (found.kind, found.title, found.due) == (
        K.RECONVENE,
        "Reconvene the strategy discussion",
        date(2026, 12, 21),
    )
    assert (found.working_days, found.state) == (-1, S.OVERDUE)


def test_a_follow_up_discussion_or_a_milestone_closes_the_reconvene_date() -> None:
    d = make(plan=EnquiryPlan(reconvene_on=date(2026, 12, 21)))
    follow_up = make(held_on=date(2026, 12, 21), previous_discussion_ids=[d.id])
    assert deadlines(d, follow_up) == []
    met = make(
        plan=EnquiryPlan(reconvene_on=date(2026, 12, 21)),
        milestones={"minutes": date(2026, 12, 14), "reconvene": date(2026, 12, 21)},
    )
    assert deadlines(met) == []


def test_not_informing_parents_is_kept_under_review() -> None:
    decisions = Decisions(
        inform_parents=ParentsInformed(made=False, rationale="Risk of coaching", review_date=date(2026, 12, 23))
    )
    d = make(decisions=decisions)
    [found] = deadlines(d)
    assert (found.kind, found.title) == (K.PARENTS_REVIEW, "Review decision not to inform parents")
    assert (found.due, found.working_days, found.state) == (date(2026, 12, 23), 1, S.DUE_SOON)
    assert found.key == f"{d.id}:parents-review"


def test_the_parents_review_is_closed_by_a_milestone_or_a_follow_up() -> None:
    decisions = Decisions(
        inform_parents=ParentsInformed(made=False, rationale="Risk of coaching", review_date=date(2026, 12, 23))
    )
    reviewed = make(
        decisions=decisions, milestones={"minutes": date(2026, 12, 14), "parents-review": date(2026, 12, 21)}
    )
    assert deadlines(reviewed) == []
    d = make(decisions=decisions)
    follow_up = make(held_on=date(2026, 12, 21), previous_discussion_ids=[d.id])
    assert deadlines(d, follow_up) == []
    told = make(decisions=Decisions(inform_parents=ParentsInformed(made=True, review_date=date(2026, 12, 23))))
    assert deadlines(told) == []


# --- the child and family assessment ---


def test_no_s47_means_a_child_and_family_assessment_from_the_referral() -> None:
    # From Tuesday 1 December: 2-4 (3), 7-11 (8), 14-18 (13), 21-24 (17), 29-31 (20),
    # 4-8 Jan (25), 11-15 (30), 18-22 (35), 25-29 (40), 1-5 Feb (45): Friday 5 February 2027.
    d = make(s47=False, referral_date=date(2026, 12, 1))
    [found] = deadlines(d)
    assert found.kind is K.ASSESSMENT
    assert found.title == "Child and family assessment (45 working days from referral; statutory guidance)"
    assert (found.due, found.state) == (date(2027, 2, 5), S.LATER)


def test_the_assessment_counts_from_the_concern_without_a_referral_date() -> None:
    # From Friday 11 December: 14-18 (5), 21-24 (9), 29-31 (12), 4-8 Jan (17), 11-15 (22),
    # 18-22 (27), 25-29 (32), 1-5 Feb (37), 8-12 (42), 15-17 (45): Wednesday 17 February 2027.
    [found] = deadlines(make(s47=False, concern_date=date(2026, 12, 11)))
    assert found.due == date(2027, 2, 17)


def test_no_assessment_deadline_once_s47_starts_or_the_assessment_is_done() -> None:
    no_s47 = make(s47=False, referral_date=date(2026, 12, 1))
    s47_later = make(s47=True, held_on=date(2026, 12, 18), previous_discussion_ids=[no_s47.id])
    assert [d.kind for d in deadlines(no_s47, s47_later)] == [K.CONFERENCE]
    done = make(s47=False, milestones={"minutes": date(2026, 12, 14), "assessment": date(2026, 12, 21)})
    assert deadlines(done) == []
    # Undecided: neither an assessment nor a conference yet.
    assert deadlines(make(s47=None)) == []


# --- a meeting to follow a phone discussion ---


def test_a_phone_discussion_needs_a_follow_up_meeting_when_set() -> None:
    d = make(held_on=date(2026, 12, 21), concern_date=date(2026, 12, 21), format=MeetingFormat.PHONE)
    assert deadlines(d) == []  # off by default
    [found] = deadlines(d, settings=settings_with(meeting_after_phone_working_days=5))
    assert found.kind is K.FOLLOW_UP_MEETING
    assert found.title == "Strategy meeting to follow the phone strategy discussion (5 working days; local practice)"
    # From Monday 21 December: 22, 23, 24, 29, 30.
    assert (found.due, found.working_days, found.state) == (date(2026, 12, 30), 4, S.LATER)


def test_the_follow_up_meeting_is_closed_by_a_strategy_meeting_or_a_milestone_only() -> None:
    five = settings_with(meeting_after_phone_working_days=5)
    common = {"held_on": date(2026, 12, 21), "concern_date": date(2026, 12, 21)}
    d = make(**common)
    meeting = make(**common, kind=DiscussionKind.STRATEGY_MEETING, previous_discussion_ids=[d.id])
    assert deadlines(d, meeting, settings=five) == []
    another_call = make(**common, previous_discussion_ids=[d.id])
    found = deadlines(d, another_call, settings=five)
    assert sorted((x.kind, x.discussion_id) for x in found) == sorted(
        [(K.FOLLOW_UP_MEETING, d.id), (K.FOLLOW_UP_MEETING, another_call.id)]
    )
    recorded = make(**common, milestones={"minutes": date(2026, 12, 21), "follow-up-meeting": date(2026, 12, 22)})
    assert deadlines(recorded, settings=five) == []
    video = make(**common, format=MeetingFormat.VIDEO)
    assert deadlines(video, settings=five) == []


# --- network meetings ---


def test_network_meetings_have_only_actions_minutes_and_reconvene_dates() -> None:
    d = make(
        kind=DiscussionKind.NETWORK_MEETING,
        concern_date=date(2026, 12, 10),  # would be "held late" for a strategy discussion
        s47=True,
        milestones={},
        decisions=Decisions(
            s47_enquiry=Decision(made=True),
            inform_parents=ParentsInformed(made=False, review_date=date(2026, 12, 23)),
        ),
        plan=EnquiryPlan(reconvene_on=date(2026, 12, 28)),
        actions=[Action(text="Housing to confirm the move", owner="Hal", agency="Housing", due=date(2026, 12, 24))],
    )
    found = deadlines(d, settings=settings_with(meeting_after_phone_working_days=5))
    assert [(x.kind, x.title, x.due) for x in found] == [
        (K.MINUTES, "Circulate minutes to attendees (1 working day; local practice)", date(2026, 12, 15)),
        (K.ACTION, "Housing to confirm the move", date(2026, 12, 24)),
        (K.RECONVENE, "Next network meeting", date(2026, 12, 28)),
    ]


# --- order, the dashboard and JSON ---


def _mixed_caseload() -> list[Discussion]:
    a = make(
        case_ref="C-200",
        s47=True,  # ICPC 7 January: later
        actions=[
            Action(text="Later action", owner="Sam Worker", due=date(2027, 1, 4)),
            Action(text="Due today B", owner="Sam Worker", due=TODAY),
            Action(text="Overdue action", owner="Sam Worker", due=date(2026, 12, 18)),
        ],
    )
    b = make(
        case_ref="C-100",
        concern_date=date(2026, 12, 10),  # held late: overdue from 11 December
        actions=[
            Action(text="Due today A", owner="Sam Worker", due=TODAY),
            Action(text="Soon action", owner="Sam Worker", due=date(2026, 12, 24)),
        ],
    )
    return [a, b]


def test_deadlines_are_sorted_by_state_then_due_date_then_case() -> None:
    caseload = _mixed_caseload()
    found = deadlines(*caseload)
    assert [(x.state, x.due, x.case_ref, x.title) for x in found] == [
        (S.OVERDUE, date(2026, 12, 11), "C-100", "Strategy discussion held late: record the reason (1 working day from the concern; local practice)"),
        (S.OVERDUE, date(2026, 12, 18), "C-200", "Overdue action"),
        (S.DUE_TODAY, TODAY, "C-100", "Due today A"),
        (S.DUE_TODAY, TODAY, "C-200", "Due today B"),
        (S.DUE_SOON, date(2026, 12, 24), "C-100", "Soon action"),
        (S.LATER, date(2027, 1, 4), "C-200", "Later action"),
        (S.LATER, date(2027, 1, 7), "C-200", "ICPC due (15 working days from the s47 strategy discussion; statutory guidance)"),
    ]
    # The input order does not change the answer.
    assert deadlines(*reversed(caseload)) == found
    assert len({x.key for x in found}) == len(found)


def test_the_dashboard_shows_only_overdue_due_today_and_due_soon() -> None:
    summaries = [d.summary() for d in _mixed_caseload()]
    everything = compute_deadlines(summaries, TODAY, ENGLAND)
    shown = dashboard_items(summaries, TODAY, ENGLAND)
    assert [x.title for x in shown] == [
        "Strategy discussion held late: record the reason (1 working day from the concern; local practice)",
        "Overdue action",
        "Due today A",
        "Due today B",
        "Soon action",
    ]
    assert shown == [x for x in everything if x.state is not S.LATER]


def test_dashboard_and_full_list_agree_at_the_edge_of_the_window() -> None:
    edge = make(
        actions=[
            Action(text="Edge", owner="Sam Worker", due=date(2026, 12, 29)),
            Action(text="Past the edge", owner="Sam Worker", due=date(2026, 12, 30)),
        ]
    )
    assert [x.title for x in dashboard_items([edge.summary()], TODAY, ENGLAND)] == ["Edge"]


def test_to_json() -> None:
    action = Action(text="Visit the children at school", owner="DC Pat Lee", agency="Police", due=date(2026, 12, 21))
    d = make(actions=[action])
    [found] = deadlines(d)
    assert found.to_json() == {
        "key": f"{d.id}:action:{action.id}",
        "kind": "action",
        "title": "Visit the children at school",
        "discussion_id": d.id,
        "case_ref": "C-100",
        "children": ["Amy Smith", "Ben Smith"],
        "owner": "DC Pat Lee",
        "agency": "Police",
        "due": "2026-12-21",
        "working_days": -1,
        "state": "overdue",
        "action_id": action.id,
    }
    [conference] = deadlines(make(s47=True))
    assert conference.to_json()["action_id"] is None
    assert conference.to_json()["kind"] == "conference"


def test_summaries_from_the_index_are_accepted_as_they_are() -> None:
    # The store hands over summaries it read back from JSON, not fresh models.
    d = make(s47=True)
    summary = DiscussionSummary.model_validate_json(d.summary().model_dump_json())
    assert compute_deadlines([summary], TODAY, ENGLAND) == deadlines(d)


def test_every_statutory_deadline_can_be_closed_by_a_milestone() -> None:
    from stratui.models import MILESTONE_KEYS

    assert {kind.value for kind in DeadlineKind} - {"action"} == MILESTONE_KEYS

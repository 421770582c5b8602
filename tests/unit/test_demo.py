"""Demo data: reproducible, valid, varied, and lively on a dashboard relative to `today`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stratui import agencies
from stratui.calendar import get_calendar
from stratui.demo import NATIONS, generate_demo
from stratui.models import ActionStatus, Discussion, DiscussionKind, DiscussionStatus, is_family

TODAY = date(2026, 6, 10)  # a Wednesday
ENGLAND = get_calendar("england")


@pytest.fixture(scope="module")
def demo() -> list[Discussion]:
    return generate_demo(400, 7, TODAY)


def test_same_arguments_give_identical_discussions():
    first = [d.model_dump() for d in generate_demo(150, 42, TODAY)]
    second = [d.model_dump() for d in generate_demo(150, 42, TODAY)]
    assert first == second


def test_other_seed_or_day_gives_other_discussions():
    base = [d.id for d in generate_demo(20, 1, TODAY)]
    assert [d.id for d in generate_demo(20, 2, TODAY)] != base
    later = generate_demo(20, 1, TODAY + timedelta(days=7))
    assert max(d.held_on for d in later) > TODAY


@pytest.mark.parametrize("count", [0, 1, 2, 3, 17, 400])
def test_count_is_respected(count):
    assert len(generate_demo(count, 3, TODAY)) == count


def test_every_discussion_validates(demo):
    for d in demo:
        again = Discussion.model_validate(d.model_dump(mode="json"))
        assert again == d


def test_ids_are_unique_and_shaped_like_uuids(demo):
    ids = [d.id for d in demo]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    action_ids = [a.id for d in demo for a in d.actions]
    assert len(set(action_ids)) == len(action_ids)


def test_nothing_is_in_the_future(demo):
    for d in demo:
        assert d.held_on <= TODAY
        assert d.concern_date <= d.held_on
        for a in d.actions:
            if a.closed_on:
                assert d.held_on <= a.closed_on <= TODAY
        for m in d.milestones:
            assert m.on <= TODAY
        if d.sign_off:
            assert d.sign_off.signed_at.date() <= TODAY
        for addendum in d.addenda:
            assert addendum.written_at.date() <= TODAY


def test_most_recent_discussions_are_within_the_last_few_weeks(demo):
    recent = sorted(demo, key=lambda d: d.held_on)[-40:]
    assert all(TODAY - d.held_on <= timedelta(days=28) for d in recent)
    assert min(d.held_on for d in demo) < TODAY - timedelta(days=365)


def open_actions(discussions):
    return [a for d in discussions for a in d.actions if a.is_open]


@pytest.mark.parametrize(
    "count, seed, today", [(400, 7, TODAY), (1, 1, TODAY), (3, 9, date(2026, 6, 13)), (60, 5, date(2026, 12, 25))]
)
def test_there_are_overdue_due_today_and_due_soon_actions(count, seed, today):
    actions = open_actions(generate_demo(count, seed, today))
    soon = ENGLAND.add_working_days(today, 3)
    assert any(a.due < today for a in actions), "overdue"
    assert any(a.due == today for a in actions), "due today"
    assert any(today < a.due <= soon for a in actions), "due within 3 working days"


def test_many_actions_are_closed_with_notes(demo):
    actions = [a for d in demo for a in d.actions]
    done = [a for a in actions if a.status is ActionStatus.DONE]
    assert len(done) > len(actions) / 3
    assert all(a.closing_note and a.closed_by for a in done)
    assert any(a.status is ActionStatus.DROPPED for a in actions)
    assert any(a.due > ENGLAND.add_working_days(TODAY, 3) for a in open_actions(demo))


def test_follow_ups_link_to_an_earlier_discussion_of_the_same_case(demo):
    by_id = {d.id: d for d in demo}
    follow_ups = [d for d in demo if d.previous_discussion_ids]
    assert 0.08 * len(demo) <= len(follow_ups) <= 0.25 * len(demo)
    for d in follow_ups:
        for earlier_id in d.previous_discussion_ids:
            earlier = by_id[earlier_id]
            assert earlier.case_ref == d.case_ref
            assert earlier.held_on < d.held_on
            assert [c.name for c in earlier.children] == [c.name for c in d.children]
            assert [p.id for p in earlier.participants] == [p.id for p in d.participants]


def test_carried_actions_point_at_the_earlier_copy(demo):
    by_id = {d.id: d for d in demo}
    carried = [(d, a) for d in demo for a in d.actions if a.carried_from]
    assert carried
    for d, action in carried:
        earlier = by_id[d.previous_discussion_ids[0]]
        original = earlier.action(action.carried_from)
        assert original.text == action.text
        assert original.due == action.due
        assert original.status is ActionStatus.CARRIED_OVER
        assert original.closed_on == d.held_on


def test_variety(demo):
    named = {p.agency for d in demo for p in d.participants}
    assert len(named) >= 10
    # The family at a network meeting is no agency's seat (stratui.models.is_family).
    assert all(agencies.seat_of(p.agency, p.role) for d in demo for p in d.participants if not is_family(p))
    s47 = {d.decisions.s47_enquiry.made for d in demo if d.kind is not DiscussionKind.NETWORK_MEETING}
    assert s47 == {True, False}
    statuses = [d.status for d in demo]
    signed_share = statuses.count(DiscussionStatus.SIGNED_OFF) / len(statuses)
    assert 0.55 <= signed_share <= 0.85
    assert all(d.sign_off for d in demo if d.is_signed_off)
    assert {d.kind for d in demo} == set(DiscussionKind)
    assert len({d.case_ref for d in demo}) > len(demo) * 0.7
    assert len({d.information.concerns for d in demo}) >= 15
    assert any(d.decisions.inform_parents.made is False and d.decisions.inform_parents.review_date for d in demo)
    assert any(d.decisions.threshold.disagreement for d in demo)
    assert any(d.addenda for d in demo)
    assert any(m.key == "minutes" for d in demo for m in d.milestones)
    assert any(p.absence_reason for d in demo for p in d.absentees())


def test_case_refs_look_like_case_refs(demo):
    for d in demo:
        prefix, year, number = d.case_ref.split("-")
        assert prefix == "CS" and len(year) == 4 and len(number) == 5


def test_each_discussion_is_validated_once(monkeypatch):
    """What keeps a large demo quick, counted rather than timed: one pydantic pass per discussion
    (the parts are plain dicts), however many parts, follow-ups and carried actions it has."""
    validations = []
    real = Discussion.model_validate.__func__  # type: ignore[attr-defined]

    def counting(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        validations.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(Discussion, "model_validate", classmethod(counting))
    discussions = generate_demo(300, 1, TODAY)
    assert len(validations) == len(discussions) == 300


@pytest.mark.parametrize("nation", NATIONS)
def test_each_nation_is_reproducible_and_its_own(nation):
    first = [d.model_dump() for d in generate_demo(60, 4, TODAY, nation)]
    assert first == [d.model_dump() for d in generate_demo(60, 4, TODAY, nation)]
    if nation != "england":
        assert first != [d.model_dump() for d in generate_demo(60, 4, TODAY, "england")]


def test_an_unknown_nation_is_refused_clearly():
    with pytest.raises(ValueError, match="unknown nation 'france'"):
        generate_demo(5, 1, TODAY, "france")


def test_the_same_seed_gives_the_same_data_in_another_process():
    """Re-running `stratui demo` adds nothing only if nothing depends on the process's hash seed."""
    import subprocess
    import sys

    script = (
        "import hashlib, json; from datetime import date; from stratui.demo import generate_demo; "
        "ds = generate_demo(80, 3, date(2026, 6, 10), 'scotland'); "
        "print(hashlib.sha256(json.dumps([d.model_dump(mode='json') for d in ds]).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script], env={"PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1

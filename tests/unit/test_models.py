"""Rules of the record, with messages a social worker can act on.

Types and structure are enforced by the model; the rules between fields are problems a draft
reports (it is saved anyway) and a signed-off record must meet.
"""

from datetime import date

import pytest
from pydantic import ValidationError

from stratui.models import (
    Action,
    ActionStatus,
    Discussion,
    Milestone,
    SignOff,
    explain_validation_error,
    load_draft,
)
from stratui.phases import completeness


def base(**changes: object) -> Discussion:
    return Discussion(concern_date=date(2026, 11, 20), held_on=date(2026, 11, 23), **changes)


def messages(**changes: object) -> list[str]:
    with pytest.raises(ValidationError) as error:
        base(**changes)
    return explain_validation_error(error.value)


def test_due_date_before_the_discussion_is_explained() -> None:
    record = base(actions=[Action(text="Visit the child", due=date(2026, 11, 1))])
    assert record.rule_problems() == [
        "Action 'Visit the child' is due on 1 Nov 2026, before the discussion on 23 Nov 2026: "
        "a due date cannot be earlier than the discussion."
    ]
    # Reported by the planning phase, so it gates sign-off there.
    assert record.rule_problems()[0] in record.plan_problems()
    assert record.rule_problems()[0] in completeness(record, "england")


def test_a_carried_over_action_keeps_its_earlier_due_date() -> None:
    record = base(actions=[Action(text="Old", due=date(2026, 11, 1), carried_from="abc")])
    assert record.actions[0].due == date(2026, 11, 1)
    assert record.rule_problems() == []


def test_discussion_before_the_concern_is_a_problem_of_the_details() -> None:
    record = Discussion(concern_date=date(2026, 11, 24), held_on=date(2026, 11, 23))
    [problem] = record.rule_problems()
    assert "before the concern was raised (24 Nov 2026)" in problem
    assert problem in record.details_problems()


def test_reconvene_and_parents_review_dates_before_the_discussion_are_problems() -> None:
    record = base()
    record.plan.reconvene_on = date(2026, 11, 22)
    record.decisions.inform_parents.review_date = date(2026, 11, 21)
    assert "The reconvene date (22 Nov 2026) is before the discussion on 23 Nov 2026." in record.plan_problems()
    assert (
        "The review of not informing parents (21 Nov 2026) is before the discussion on 23 Nov 2026."
        in record.decision_problems()
    )


def test_dropped_action_needs_a_reason_and_done_needs_a_date() -> None:
    dropped = Action(text="x", status=ActionStatus.DROPPED, closed_on=date(2026, 11, 24))
    assert dropped.closing_problems() == ["Action 'x' was dropped without a reason."]
    done = Action(text="y", status=ActionStatus.DONE)
    assert done.closing_problems() == ["Action 'y' is done but has no date it was closed."]
    assert base(actions=[dropped, done]).rule_problems() == dropped.closing_problems() + done.closing_problems()


def test_a_one_line_value_too_long_is_a_problem_not_a_refusal() -> None:
    record = base(case_ref="x" * 250)
    record.plan.lead = "L" * 201
    assert "Case ref is 250 characters long: a one-line box holds at most 200." in record.details_problems()[0]
    assert any(p.startswith("Plan lead is 201 characters long") for p in record.plan_problems())
    assert Discussion.model_validate(record.model_dump()).case_ref == "x" * 250


def test_a_signed_off_record_must_meet_every_rule() -> None:
    signed = {"status": "signed-off", "sign_off": SignOff(manager="Jo Reid", signed_at="2026-11-24T10:00:00")}
    with pytest.raises(ValidationError) as error:
        base(actions=[Action(text="Visit the child", due=date(2026, 11, 1))], **signed)
    [message] = explain_validation_error(error.value)
    assert message.startswith("a signed-off record must meet every rule: Action 'Visit the child' is due on 1 Nov 2026")
    assert base(**signed).is_signed_off


def test_structural_rules_hold_even_in_a_draft() -> None:
    [message] = messages(status="signed-off")
    assert "must name the manager who signed it off" in message
    twice = Action(text="Visit")
    assert messages(actions=[twice, twice.model_copy()]) == ["two actions share the same id"]


def test_parents_not_informed_needs_rationale_and_review_for_sign_off() -> None:
    record = base()
    record.decisions.inform_parents.made = False
    problems = completeness(record, "england")
    assert "Decisions > Inform parents/carers > Rationale: not recorded." in problems
    assert (
        "Decisions > Inform parents/carers > Review date (if no): parents are not to be informed: "
        "set a date to review that decision."
    ) in problems
    record.decisions.inform_parents.rationale = "Informing would alert the alleged abuser"
    record.decisions.inform_parents.review_date = date(2026, 11, 30)
    problems = completeness(record, "england")
    assert not any("parents" in p.lower() for p in problems)


def test_unknown_fields_and_misspelt_milestones_are_refused() -> None:
    assert messages(colour="red") == ["colour: not a field of the record"]
    with pytest.raises(ValidationError, match="not a deadline a milestone can close"):
        Milestone(key="minute", on=date(2026, 11, 24))


def test_close_and_reopen_an_action() -> None:
    record = base(actions=[Action(text="Visit", owner="Jo", due=date(2026, 11, 25))])
    action_id = record.actions[0].id
    record.close_action(action_id, ActionStatus.DONE, date(2026, 11, 24), "Jo", "Seen at home")
    assert Discussion.model_validate(record.model_dump()).actions[0].status is ActionStatus.DONE
    record.reopen_action(action_id)
    reopened = Discussion.model_validate(record.model_dump()).actions[0]
    assert (reopened.status, reopened.closed_on, reopened.closing_note) == (ActionStatus.OPEN, None, "")


def test_a_draft_may_break_cross_field_rules_but_not_types() -> None:
    data = base().model_dump(mode="json") | {"held_on": "2026-11-01"}
    assert load_draft(data).held_on == date(2026, 11, 1)
    assert Discussion.model_validate(data).rule_problems() == load_draft(data).rule_problems() != []
    with pytest.raises(ValidationError):
        load_draft(data | {"held_on": "not a date"})

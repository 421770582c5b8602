"""Rules of the record that the model itself enforces, with messages a social worker can act on."""

from datetime import date

import pytest
from pydantic import ValidationError

from stratui.models import (
    Action,
    ActionStatus,
    Discussion,
    Milestone,
    explain_validation_error,
    load_draft,
)


def base(**changes: object) -> Discussion:
    return Discussion(concern_date=date(2026, 11, 20), held_on=date(2026, 11, 23), **changes)


def messages(**changes: object) -> list[str]:
    with pytest.raises(ValidationError) as error:
        base(**changes)
    return explain_validation_error(error.value)


def test_due_date_before_the_discussion_is_explained() -> None:
    [message] = messages(actions=[Action(text="Visit the child", due=date(2026, 11, 1))])
    assert message == (
        "action 'Visit the child' is due on 1 Nov 2026, before the discussion on 23 Nov 2026: "
        "a due date cannot be earlier than the discussion"
    )


def test_a_carried_over_action_keeps_its_earlier_due_date() -> None:
    record = base(actions=[Action(text="Old", due=date(2026, 11, 1), carried_from="abc")])
    assert record.actions[0].due == date(2026, 11, 1)


def test_discussion_before_the_concern_is_refused() -> None:
    with pytest.raises(ValidationError, match="before the concern was raised"):
        Discussion(concern_date=date(2026, 11, 24), held_on=date(2026, 11, 23))


def test_dropped_action_needs_a_reason_and_done_needs_a_date() -> None:
    with pytest.raises(ValidationError, match="dropped without a reason"):
        Action(text="x", status=ActionStatus.DROPPED, closed_on=date(2026, 11, 24))
    with pytest.raises(ValidationError, match="no date it was closed"):
        Action(text="x", status=ActionStatus.DONE)


def test_parents_not_informed_needs_rationale_and_review_for_sign_off() -> None:
    record = base()
    record.decisions.inform_parents.made = False
    problems = record.sign_off_problems()
    assert "Decisions > Inform parents/carers > Rationale: not recorded." in problems
    assert (
        "Decisions > Inform parents/carers > Review date (if no): parents are not to be informed: "
        "set a date to review that decision."
    ) in problems
    record.decisions.inform_parents.rationale = "Informing would alert the alleged abuser"
    record.decisions.inform_parents.review_date = date(2026, 11, 30)
    problems = record.sign_off_problems()
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
    with pytest.raises(ValidationError):
        load_draft(data | {"held_on": "not a date"})

"""Marking actions done, reopening them and recording statutory steps met (stratui.tracking)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from stratui import tracking
from stratui.context import Context
from stratui.deadlines import DeadlineKind
from stratui.models import ActionStatus, Discussion

TODAY = date(2026, 11, 25)


def test_done_is_saved_at_once_with_who_and_when_and_a_second_done_is_refused(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    record = context.store.create(make_discussion(social_worker="Sam Patel"))
    context.settings.user = "Sam Patel"
    action = record.actions[0]
    tracking.mark_done(context, record.id, action.id, "Seen at home")
    stored = context.store.get(record.id).action(action.id)
    assert (stored.status, stored.closed_on, stored.closing_note) == (ActionStatus.DONE, TODAY, "Seen at home")
    assert stored.closed_by == context.name
    with pytest.raises(tracking.Refused, match="already closed it"):
        tracking.mark_done(context, record.id, action.id, "again")
    assert context.store.get(record.id).action(action.id).closing_note == "Seen at home"


def test_reopen_clears_the_closing_and_only_a_closed_action_reopens(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    record = context.store.create(make_discussion())
    action = record.actions[0]
    with pytest.raises(tracking.Refused, match="it is open now"):
        tracking.reopen(context, record.id, action.id)
    tracking.mark_done(context, record.id, action.id, "note")
    tracking.reopen(context, record.id, action.id)
    stored = context.store.get(record.id).action(action.id)
    assert (stored.status, stored.closed_on, stored.closing_note) == (ActionStatus.OPEN, None, "")


def test_an_action_no_longer_in_the_record_is_refused_with_that_reason(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    record = context.store.create(make_discussion())
    with pytest.raises(tracking.Refused, match="no longer in the record"):
        tracking.mark_done(context, record.id, "gone", "")
    assert context.store.get(record.id).revision == record.revision


def test_a_milestone_is_recorded_once(context: Context, make_discussion: Callable[..., Discussion]) -> None:
    record = context.store.create(make_discussion(milestones=[]))
    tracking.record_milestone(context, record.id, DeadlineKind.MINUTES, date(2026, 11, 24), "")
    stored = context.store.get(record.id).milestone("minutes")
    assert stored is not None and stored.on == date(2026, 11, 24)
    with pytest.raises(tracking.Refused, match="'Minutes circulated to attendees' is already recorded"):
        tracking.record_milestone(context, record.id, DeadlineKind.MINUTES, TODAY, "")


def test_milestone_labels_use_the_nations_words() -> None:
    assert tracking.milestone_label(DeadlineKind.CONFERENCE, "england") != tracking.milestone_label(
        DeadlineKind.CONFERENCE, "scotland"
    )
    assert tracking.milestone_label(DeadlineKind.MINUTES, "scotland") == "Minutes circulated to attendees"
    assert DeadlineKind.DISCUSSION in tracking.NOTE_REQUIRED and DeadlineKind.MINUTES not in tracking.NOTE_REQUIRED

"""Tracking what was agreed: an action marked done or reopened, a statutory step recorded as met.

Each change is saved at once through the store, on the record as it is stored now; a change
the stored record no longer allows (a colleague got there first) is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from stratui.context import Context
from stratui.deadlines import DeadlineKind
from stratui.models import Action, ActionStatus, Discussion, Milestone
from stratui.nations import rules_for

# A reason is part of the record for these: why it was late; what the review decided.
NOTE_REQUIRED = frozenset({DeadlineKind.DISCUSSION, DeadlineKind.PARENTS_REVIEW})


class Refused(Exception):
    """The stored record no longer allows the change (someone else got there first)."""


def milestone_label(kind: DeadlineKind, nation: str) -> str:
    """What recording the deadline `kind` as met says, in the nation's words."""
    rules = rules_for(nation)
    name = rules.discussion_short_name
    return {
        DeadlineKind.MINUTES: "Minutes circulated to attendees",
        DeadlineKind.DISCUSSION: f"{name[:1].upper()}{name[1:]}: held, or its timing accounted for",
        DeadlineKind.CONFERENCE: f"{rules.conference_short_name} held",
        DeadlineKind.RECONVENE: "Reconvened / reviewed",
        DeadlineKind.PARENTS_REVIEW: "Decision not to inform parents reviewed",
        DeadlineKind.ASSESSMENT: f"{(rules.assessment_name or 'assessment').capitalize()} completed",
        DeadlineKind.FOLLOW_UP_MEETING: f"Follow-up {rules.meeting_name} held",
        DeadlineKind.CONFERENCE_RECORD: f"{_sentence(rules.conference_record or 'conference record')} circulated",
    }.get(kind, kind.value)


def _sentence(text: str) -> str:
    # Not str.capitalize: it would write "CPPM" as "cppm".
    return text[:1].upper() + text[1:]


def mark_done(context: Context, discussion_id: str, action_id: str, note: str) -> None:
    """The action done today by the user, with their note; refused if it is closed already."""

    def change(d: Discussion) -> None:
        action = _action(d, action_id)
        if not action.is_open:
            raise Refused(f"{action.closed_by or 'someone'} already closed it ({action.status.value})")
        d.close_action(action.id, ActionStatus.DONE, context.today, context.name, note)

    context.store.update(discussion_id, change)


def reopen(context: Context, discussion_id: str, action_id: str) -> None:
    """A done or dropped action open again (its closing note is cleared)."""

    def change(d: Discussion) -> None:
        action = _action(d, action_id)
        if action.status not in (ActionStatus.DONE, ActionStatus.DROPPED):
            raise Refused(f"it is {action.status.value} now")
        d.reopen_action(action.id)

    context.store.update(discussion_id, change)


def record_milestone(context: Context, discussion_id: str, kind: DeadlineKind, on: date, note: str) -> None:
    """The statutory step `kind` met on `on` by the user; refused if it is recorded already."""

    def change(d: Discussion) -> None:
        if d.milestone(kind.value) is not None:
            raise Refused(f"'{milestone_label(kind, context.settings.nation)}' is already recorded")
        d.milestones.append(Milestone(key=kind.value, on=on, by=context.name, note=note))

    context.store.update(discussion_id, change)


def record_conference_outcome(context: Context, discussion_id: str, apply: Callable[[Discussion, str], None]) -> None:
    """The conference held, or the enquiry's outcome (no conference needed closes the deadline).

    `apply(discussion, by)` writes the answer (Discussion.record_conference or
    record_enquiry_outcome) and raises ValueError when the record holds one already.
    """

    def change(d: Discussion) -> None:
        try:
            apply(d, context.name)
        except ValueError as exc:
            raise Refused(str(exc)) from None

    context.store.update(discussion_id, change)


def _action(discussion: Discussion, action_id: str) -> Action:
    try:
        return discussion.action(action_id)
    except KeyError:
        raise Refused("that action is no longer in the record") from None

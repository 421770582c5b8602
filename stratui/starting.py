"""Starting a record: a duty call's blank record, or a follow-up of an earlier discussion with
its open actions carried to review, and the review that settles each carried action."""

from __future__ import annotations

from datetime import datetime, time

from stratui.context import Context
from stratui.models import (
    Action,
    ActionStatus,
    Attendance,
    Discussion,
    DiscussionKind,
    MeetingFormat,
    Participant,
    format_date,
)
from stratui.nations import CHILDRENS_SOCIAL_CARE
from stratui.store import NotFoundError


def new_discussion(context: Context, kind: DiscussionKind, now: datetime) -> Discussion:
    """A blank record with the defaults of a duty call: today, now, by phone, me as social worker.

    "Me" is the team member running stratui (Context.name); an unknown login leaves it blank.
    """
    user = context.name
    return Discussion(
        kind=kind,
        concern_date=context.today,
        held_on=context.today,
        held_at=time(now.hour, now.minute),
        format=MeetingFormat.PHONE,
        social_worker=user,
        participants=[Participant(name=user, role="Social worker", agency=CHILDRENS_SOCIAL_CARE)] if user else [],
    )


def follow_up(context: Context, previous: Discussion, kind: DiscussionKind, now: datetime) -> Discussion:
    """A follow-up of `previous`: same case, children and people; its open actions come to review.

    The carried actions keep their ids' link (`carried_from`) and original due dates; the review
    (carry, complete or drop) is settled with `settle_carried_action` before or while recording.
    """
    fresh = new_discussion(context, kind, now)
    # The same people are likely, but who takes part this time is confirmed for each of them;
    # the one recording it takes part (and joins the list if they were not at the earlier one).
    me = context.name.casefold()
    participants = [
        p.model_copy(
            update={
                "attendance": Attendance.PRESENT if me and p.name.casefold() == me else Attendance.TO_CONFIRM,
                "absence_reason": "",
            }
        )
        for p in previous.participants
    ]
    if not any(me and p.name.casefold() == me for p in participants):
        participants = fresh.participants + participants
    carried = [
        Action(
            text=a.text,
            owner=a.owner,
            agency=a.agency,
            due=a.due,
            contingency=a.contingency,
            carried_from=a.id,
            category=a.category,
        )
        for a in previous.open_actions()
    ]
    if kind is DiscussionKind.NETWORK_MEETING:
        # A network meeting reviews every one of the previous meeting's actions first.
        fresh.network.start_review(previous)
    return fresh.model_copy(
        update={
            "case_ref": previous.case_ref,
            "children": [c.model_copy(deep=True) for c in previous.children],
            "other_children": [c.model_copy(deep=True) for c in previous.other_children],
            # The same family: its adults, referrer, consent and parents told are not typed again.
            "family": previous.family.model_copy(deep=True),
            "concern_date": min(previous.concern_date, context.today),
            "referral_date": previous.referral_date,
            "participants": participants,
            "actions": carried,
            "previous_discussion_ids": [previous.id],
        }
    )

def settle_carried_action(
    context: Context, follow_up_record: Discussion, action_id: str, decision: ActionStatus, note: str = ""
) -> bool:
    """Review of a carried action at a follow-up: keep it (carry), or complete/drop it.

    The earlier discussion's copy is closed either way, so the dashboard never counts it twice.
    True when `follow_up_record` changed too (to be saved): a closed action leaves it, and a
    network meeting's review of the previous actions notes every state.
    """
    action = follow_up_record.action(action_id)
    if action.carried_from is None:
        raise ValueError("only actions carried from an earlier discussion are reviewed")
    if decision is ActionStatus.DROPPED and not note.strip():
        raise ValueError("say why the action is dropped")
    earlier_status = {
        ActionStatus.OPEN: ActionStatus.CARRIED_OVER,
        ActionStatus.DONE: ActionStatus.DONE,
        ActionStatus.DROPPED: ActionStatus.DROPPED,
    }[decision]
    earlier_note = note or f"Carried over to the discussion of {format_date(follow_up_record.held_on)}"
    earlier = _discussion_holding(context, follow_up_record.previous_discussion_ids, action.carried_from)
    if earlier is not None:
        context.store.update(
            earlier,
            lambda d: d.close_action(action.carried_from, earlier_status, context.today, context.name, earlier_note),
        )
    noted = follow_up_record.network.reviewed(action.carried_from, decision, context.today, context.name, note)
    if decision is ActionStatus.OPEN:
        return noted
    follow_up_record.actions = [a for a in follow_up_record.actions if a.id != action_id]
    return True


def _discussion_holding(context: Context, discussion_ids: list[str], action_id: str | None) -> str | None:
    for discussion_id in discussion_ids:
        try:
            earlier = context.store.get(discussion_id)
        except NotFoundError:
            continue
        if any(a.id == action_id for a in earlier.actions):
            return discussion_id
    return None

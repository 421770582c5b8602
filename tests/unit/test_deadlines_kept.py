"""The dashboard's items kept between refreshes (stratui.deadlines.kept) are always those worked
out from scratch over every summary, in the same order, whatever the saves in between.

Random saves over demo discussions: actions opened, closed and moved, dates moved, discussions
moved into another case or out of any, follow-ups linked and unlinked, milestones and outcomes
recorded, signed off, discussions added and removed; several shards at once, and a shard read
again with the same summaries. After each, the kept items are compared with the engine's
`dashboard_items` over fresh copies of every summary (so nothing the engine remembers is used),
and, through the store, the dashboard's rows with `open_rows` over a store opened afresh.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from stratui.context import Context
from stratui.dashboard_read import kept_open_rows, open_rows, read_rows
from stratui.deadlines import Deadline, KeptItems, dashboard_items
from stratui.demo import generate_demo
from stratui.models import (
    MILESTONE_KEYS,
    ActionStatus,
    DiscussionKind,
    DiscussionStatus,
    DiscussionSummary,
    EnquiryOutcomeKind,
    MeetingFormat,
    Milestone,
    SignOff,
)
from stratui.settings import Settings
from stratui.store import IndexedAction, IndexedSummary, Store, StoreError

TODAY = date(2026, 11, 25)
NATIONS = ("england", "wales", "scotland", "northern-ireland")


def _item(deadline: Deadline, summary: DiscussionSummary) -> tuple[Deadline, str]:
    return deadline, summary.id


def _from_scratch(summaries: list[IndexedSummary], settings: Settings) -> list[Deadline]:
    # New objects with the same fields: the engine remembers parts by the summary object.
    return dashboard_items([IndexedSummary._make(s) for s in summaries], TODAY, settings)


def _day(rng: random.Random) -> date:
    return TODAY + timedelta(days=rng.randint(-25, 20))


def _changed(rng: random.Random, s: IndexedSummary, everyone: list[IndexedSummary]) -> IndexedSummary:
    """`s` as one save might leave it."""
    change = rng.randrange(13)
    if change == 0 and s.actions:  # an action closed, reopened or moved
        actions = list(s.actions)
        at = rng.randrange(len(actions))
        status = rng.choice([ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED])
        actions[at] = actions[at]._replace(status=status, due=rng.choice([None, _day(rng)]))
        return s._replace(actions=actions)
    if change == 1:  # an action added
        action = IndexedAction(uuid.UUID(int=rng.getrandbits(128)).hex, "Visit", "Sam Patel", "Police", _day(rng), ActionStatus.OPEN)
        return s._replace(actions=[*s.actions, action])
    if change == 2:  # into another case, a new one, or none
        refs = sorted({o.case_ref for o in everyone})
        return s._replace(case_ref=rng.choice([*refs, "", f"CS-NEW-{rng.randrange(5)}"]))
    if change == 3:  # a follow-up of another discussion (any shard), or no longer one
        previous = [] if rng.random() < 0.3 else [rng.choice(everyone).id]
        return s._replace(previous_discussion_ids=previous)
    if change == 4:
        return s._replace(held_on=_day(rng), concern_date=_day(rng) - timedelta(days=rng.randint(0, 5)))
    if change == 5:
        return s._replace(kind=rng.choice(list(DiscussionKind)), format=rng.choice(list(MeetingFormat)))
    if change == 6:  # signed off, or back to a draft
        return s._replace(status=rng.choice(list(DiscussionStatus)))
    if change == 7:  # a statutory step met, or its record gone
        milestones = dict(s.milestones)
        key = rng.choice(sorted(MILESTONE_KEYS))
        if key in milestones:
            del milestones[key]
        else:
            milestones[key] = _day(rng)
        return s._replace(milestones=milestones)
    if change == 8:
        return s._replace(enquiry_outcome=rng.choice([None, *EnquiryOutcomeKind]), s47_started=rng.choice([True, False, None]))
    if change == 9:
        return s._replace(parents_informed=rng.choice([True, False, None]), parents_review_date=rng.choice([None, _day(rng)]))
    if change == 10:
        return s._replace(reconvene_on=rng.choice([None, _day(rng)]), unborn_due=rng.choice([None, _day(rng) + timedelta(days=150)]))
    if change == 11:
        return s._replace(referral_date=rng.choice([None, _day(rng)]), social_worker=rng.choice(["Sam Patel", "Jo Reid"]))
    return s._replace(revision=s.revision + 1)  # an edit of text only: the same deadlines


class _Shards:
    """Summaries in shards by the first character of their id (16 shards: several discussions
    each), as Store.summaries_by_shard gives them: a changed shard is a new tuple."""

    def __init__(self, summaries: list[IndexedSummary]) -> None:
        self.by_name: dict[str, tuple[IndexedSummary, ...]] = {}
        for s in summaries:
            self.by_name[s.id[0]] = (*self.by_name.get(s.id[0], ()), s)

    def shards(self) -> list[tuple[IndexedSummary, ...]]:
        return [self.by_name[name] for name in sorted(self.by_name)]

    def everyone(self) -> list[IndexedSummary]:
        return [s for shard in self.shards() for s in shard]

    def replace(self, old: IndexedSummary, new: IndexedSummary | None) -> None:
        name = old.id[0]
        shard = tuple(s for s in (new if s is old else s for s in self.by_name[name]) if s is not None)
        if shard:
            self.by_name[name] = shard
        else:
            del self.by_name[name]

    def add(self, new: IndexedSummary) -> None:
        self.by_name[new.id[0]] = (*self.by_name.get(new.id[0], ()), new)

    def read_again(self, name: str) -> None:
        """The same summaries in a new tuple (a shard read again while a save of it is settled)."""
        self.by_name[name] = tuple(self.by_name[name])


def _save_at_random(rng: random.Random, shards: _Shards) -> None:
    everyone = shards.everyone()
    what = rng.random()
    if what < 0.08 and len(everyone) > 20:
        shards.replace(rng.choice(everyone), None)  # a discussion removed
    elif what < 0.16:  # a discussion added: a follow-up of one, or another of its case
        like = rng.choice(everyone)
        new_id = uuid.UUID(int=rng.getrandbits(128)).hex
        follows = [like.id] if rng.random() < 0.5 else []
        shards.add(like._replace(id=new_id, previous_discussion_ids=follows, held_on=_day(rng)))
    elif what < 0.22:
        shards.read_again(rng.choice(sorted(shards.by_name)))
    else:  # one to three discussions saved, in one shard or several
        for s in rng.sample(everyone, rng.randint(1, 3)):
            shards.replace(s, _changed(rng, s, everyone))


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("seed", [1, 2])
def test_kept_items_are_those_worked_out_from_scratch_after_every_save(nation: str, seed: int) -> None:
    settings = Settings(nation=nation)
    summaries = [IndexedSummary.of(d.summary()) for d in generate_demo(300, seed, TODAY, nation)]
    shards = _Shards(summaries)
    kept: KeptItems[tuple[Deadline, str]] = KeptItems(TODAY, settings, _item)
    rng = random.Random(f"{nation}-{seed}")
    compared = 0
    for step in range(120):
        everyone = shards.everyone()
        rows = kept.update(shards.shards())
        expected = _from_scratch(everyone, settings)
        assert [item for item, _ in rows] == expected, f"step {step}"
        # Each row was made with its own discussion's summary.
        assert all(discussion_id == item.discussion_id for item, discussion_id in rows), f"step {step}"
        compared += len(expected)
        _save_at_random(rng, shards)
    assert compared > 120 * 20  # the demo has open items throughout: the comparison is not empty


def test_cases_and_follow_ups_across_shards_are_settled_again() -> None:
    """A follow-up saved in one shard closes the reconvene date of a discussion in another, and
    a discussion moved into a case of another shard is counted with it."""
    settings = Settings()
    summaries = [IndexedSummary.of(d.summary()) for d in generate_demo(200, 3, TODAY)]
    shards = _Shards(summaries)
    kept: KeptItems[tuple[Deadline, str]] = KeptItems(TODAY, settings, _item)
    kept.update(shards.shards())
    followed = {i for s in summaries for i in s.previous_discussion_ids}
    first = next(
        s for s in summaries
        if s.kind is DiscussionKind.STRATEGY_DISCUSSION and s.status is DiscussionStatus.DRAFT and s.id not in followed
    )  # fmt: skip
    shards.replace(first, first._replace(reconvene_on=TODAY + timedelta(days=1), milestones={}))
    before = [item for item, _ in kept.update(shards.shards())]
    assert f"{first.id}:reconvene" in {item.key for item in before}
    other = next(s for s in summaries if s.id[0] != first.id[0])
    shards.replace(other, other._replace(previous_discussion_ids=[first.id], case_ref=first.case_ref))
    after = [item for item, _ in kept.update(shards.shards())]
    assert f"{first.id}:reconvene" not in {item.key for item in after}
    assert after == _from_scratch(shards.everyone(), settings)
    # No longer a follow-up: the reconvene date is open again.
    following = next(o for o in shards.everyone() if o.id == other.id)
    shards.replace(following, following._replace(previous_discussion_ids=[]))
    again = [item for item, _ in kept.update(shards.shards())]
    assert f"{first.id}:reconvene" in {item.key for item in again}
    assert again == _from_scratch(shards.everyone(), settings)
    # Every discussion moved into the first one's case, shard by shard.
    for s in summaries[::7]:
        now = next(o for o in shards.everyone() if o.id == s.id)
        shards.replace(now, now._replace(case_ref=first.case_ref))
        assert [item for item, _ in kept.update(shards.shards())] == _from_scratch(shards.everyone(), settings)


def test_a_new_day_or_settings_start_afresh(demo_context: Callable[..., Context]) -> None:
    context = demo_context(60)
    rows, _ = kept_open_rows(context.store, TODAY, context.settings)
    by_id = {s.id: s for s in context.store.summaries()}
    tomorrow = TODAY + timedelta(days=1)
    assert kept_open_rows(context.store, tomorrow, context.settings)[0] == open_rows(by_id, tomorrow, context.settings)
    wider = Settings.model_validate({"timescales": {"warning_window_working_days": 6}})
    assert kept_open_rows(context.store, TODAY, wider)[0] == open_rows(by_id, TODAY, wider)
    assert kept_open_rows(context.store, TODAY, context.settings)[0] == rows


# -- through the store: real saves, shards read again ------------------------------------------


def _save_a_change(rng: random.Random, store: Store, everyone: list[IndexedSummary]) -> None:
    s = rng.choice(everyone)
    change = rng.randrange(8)

    def edit(d):  # noqa: ANN001, ANN202
        if change == 0 and d.actions:
            action = rng.choice(d.actions)
            if action.status is ActionStatus.OPEN:
                d.close_action(action.id, ActionStatus.DONE, TODAY, "Sam Patel")
            else:
                d.reopen_action(action.id)
        elif change == 1 and d.actions:
            rng.choice(d.actions).due = _day(rng)
        elif change == 2:  # into another case, or a new one
            d.case_ref = rng.choice([o.case_ref for o in everyone] + [f"CS-2026-9{rng.randrange(1000):03d}"])
        elif change == 3:  # a follow-up of another discussion, or no longer one
            others = [o.id for o in everyone if o.id != d.id]
            d.previous_discussion_ids = [] if d.previous_discussion_ids else [rng.choice(others)]
        elif change == 4:
            d.milestones = [*d.milestones, Milestone(key=rng.choice(sorted(MILESTONE_KEYS - {m.key for m in d.milestones})), on=TODAY)]
        elif change == 5:
            d.status = DiscussionStatus.SIGNED_OFF
            d.sign_off = SignOff(manager="Jo Reid", signed_at=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
        elif change == 6:
            d.plan.reconvene_on = _day(rng)
        else:
            d.information.concerns += " More from the school."

    try:
        store.update(s.id, edit)
    except (StoreError, ValueError):
        pass  # refused (a signed-off record, a rule of the record): nothing saved


def test_the_dashboards_rows_after_saves_are_those_of_a_fresh_read(demo_context: Callable[..., Context]) -> None:
    context = demo_context(200)
    store = context.store
    rng = random.Random(14)
    for step in range(30):
        read = read_rows(context, with_closed=False)
        fresh = Store.open(store.root, read_only=True)
        summaries = fresh.summaries()
        by_id = {s.id: s for s in summaries}
        assert read.rows == open_rows(by_id, context.today, context.settings), f"step {step}"
        assert read.summaries == by_id and read.count == len(by_id)
        if step == 25:
            # A discussion's file removed by hand: the index no longer lists its folder's files.
            gone = rng.choice(summaries)
            os.remove(store.records.folder / gone.id[:2] / f"{gone.id}.json")
        else:
            _save_a_change(rng, store, summaries)

"""The dashboard's items kept between refreshes: after a save, only the changed index shard's
discussions are worked out again, plus the follow-ups and cases they touch.

`dashboard_items` (stratui.deadlines.engine) goes over every summary at each call: ~0.4 s at
100,000 discussions, though a save changes one shard of 256. `KeptItems.update` takes the
summaries shard by shard (`Store.summaries_by_shard`: a shard's tuple is the same object until
it is read again) and keeps, per shard, what its discussions contribute on their own, and,
across shards, what the rules that span discussions need: who follows up whom, and each case's
discussions. A changed shard's contributions are taken out and its new ones put in; only the
discussions whose followers changed and the cases whose discussions changed are settled again.
The items are kept in the engine's order (due date, then case reference, then key) as they come
and go. The result is the same items in the same order as `dashboard_items` over every summary
(tests/unit/test_deadlines_kept.py compares them after random saves). The rules themselves are
stratui.deadlines.rules, shared with the engine.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date
from typing import Generic, TypeVar

from stratui.deadlines.kinds import Deadline
from stratui.deadlines.rules import DeadlineRules, Part, Pending
from stratui.models import DiscussionKind, DiscussionSummary
from stratui.settings import Settings

T = TypeVar("T")
Shard = tuple[DiscussionSummary, ...]
# What a discussion's item becomes (a dashboard row): made once, when the item is worked out,
# from the item and the summary of its discussion (by id, as the caller would look it up).
MakeRow = Callable[[Deadline, "DiscussionSummary | None"], T]


class _ShardPart:
    """What one shard's discussions contribute, worked out once for that tuple of summaries."""

    __slots__ = ("cases", "follows", "own", "parts", "pending", "shard")

    def __init__(self, shard: Shard, parts: list[Part]) -> None:
        self.shard = shard  # held: while kept, its id() is not reused
        self.parts = parts
        self.own: list[Deadline] = []
        self.pending: list[Pending] = []
        # (the discussion it follows up, the follower's kind), for each previous discussion named.
        self.follows: list[tuple[str, DiscussionKind]] = []
        # The parts of the discussions the case-wide rules look at (their case key is not None).
        self.cases: list[Part] = []
        for part in parts:
            s = part[0]
            if part[1]:
                self.own.extend(part[1])
            if part[2]:
                self.pending.extend(part[2])
            for previous in s.previous_discussion_ids:
                self.follows.append((previous, s.kind))
            if part[3] is not None:
                self.cases.append(part)


class _Ordered(Generic[T]):
    """Items in the engine's order (stratui.deadlines.engine._by_due: due date, then case
    reference, then key), each with its row, kept in order as items come and go: one list per
    due date (a few hundred dates), sorted by (case reference, key)."""

    def __init__(self) -> None:
        self._keys: dict[date, list[tuple[str, str]]] = {}
        self._items: dict[date, list[Deadline]] = {}
        self._rows: dict[date, list[T]] = {}
        self._dates: list[date] | None = []

    def add(self, item: Deadline, row: T) -> None:
        due = item.due
        keys = self._keys.get(due)
        if keys is None:
            keys = self._keys[due] = []
            self._items[due], self._rows[due] = [], []
            self._dates = None
        order = (item.case_ref, item.key)
        # After any equal ones, as a stable sort would leave an item that came later.
        at = bisect_right(keys, order)
        keys.insert(at, order)
        self._items[due].insert(at, item)
        self._rows[due].insert(at, row)

    def remove(self, item: Deadline) -> None:
        due = item.due
        keys, items = self._keys[due], self._items[due]
        at = bisect_left(keys, (item.case_ref, item.key))
        while items[at] is not item:
            at += 1
        del keys[at], items[at], self._rows[due][at]
        if not keys:
            del self._keys[due], self._items[due], self._rows[due]
            self._dates = None

    def rows(self) -> list[T]:
        if self._dates is None:
            self._dates = sorted(self._keys)
        rows: list[T] = []
        for due in self._dates:
            rows += self._rows[due]
        return rows


class KeptItems(Generic[T]):
    """The dashboard's items for one day and one set of settings, kept between calls to `update`
    (one at a time: calls from several threads wait for each other)."""

    def __init__(self, today: date, settings: Settings, make_row: MakeRow[T]) -> None:
        self.rules = DeadlineRules(today, settings, dashboard_only=True)
        self._make_row = make_row
        self._lock = threading.Lock()
        self._shards: dict[int, _ShardPart] = {}
        # Every discussion by id (the last of a shard with that id, as a dict built from them).
        self._by_id: dict[str, DiscussionSummary] = {}
        # Discussion id -> the kinds of the discussions that follow it up (settle_follow_ups).
        self._followed_by: dict[str, list[DiscussionKind]] = {}
        # Discussion id -> its deadlines that a follow-up closes, and those of them still open.
        self._pending: dict[str, list[Pending]] = {}
        self._settled: dict[str, list[Deadline]] = {}
        # Case key -> the parts of its discussions, and the case's deadlines.
        self._cases: dict[str, list[Part]] = {}
        self._case_items: dict[str, list[Deadline]] = {}
        self._ordered: _Ordered[T] = _Ordered()

    def update(self, shards: Sequence[Shard]) -> tuple[list[T], dict[str, DiscussionSummary]]:
        """The rows of the items over these shards' summaries, in the engine's order, and every
        discussion by id (a copy: the caller may keep both)."""
        with self._lock:
            current = {id(shard) for shard in shards}
            gone = [part for key, part in self._shards.items() if key not in current]
            new = [shard for shard in shards if id(shard) not in self._shards]
            if gone or new:
                self._replace(gone, new)
            return self._ordered.rows(), dict(self._by_id)

    def _replace(self, gone: list[_ShardPart], new: list[Shard]) -> None:
        # A shard read again (a save in it) holds new summaries, but one being saved keeps most
        # of its old ones: their parts are kept.
        before = {id(part[0]): part for shard in gone for part in shard.parts}
        part_of = self.rules._part
        followers: set[str] = set()
        cases: set[str] = set()
        for shard in gone:
            self._take_out(shard, followers, cases)
        added = []
        for summaries in new:
            parts = []
            for s in summaries:
                part = before.get(id(s))
                parts.append(part if part is not None and part[0] is s else part_of(s))
            shard = _ShardPart(summaries, parts)
            self._shards[id(summaries)] = shard
            for s in summaries:
                self._by_id[s.id] = s
            added.append(shard)
        for shard in added:
            self._put_in(shard, followers, cases)
        for discussion_id in followers:
            self._settle_follow_ups(discussion_id)
        for key in cases:
            self._settle_case(key)

    def _take_out(self, shard: _ShardPart, followers: set[str], cases: set[str]) -> None:
        del self._shards[id(shard.shard)]
        for s in shard.shard:
            if self._by_id.get(s.id) is s:
                del self._by_id[s.id]
        for item in shard.own:
            self._ordered.remove(item)
        for pending in shard.pending:
            discussion_id = pending[0].id
            _remove(self._pending, discussion_id, pending)
            followers.add(discussion_id)
        for previous, kind in shard.follows:
            _remove(self._followed_by, previous, kind)
            followers.add(previous)
        for part in shard.cases:
            key = part[3]
            _remove(self._cases, key, part)  # type: ignore[arg-type]
            cases.add(key)  # type: ignore[arg-type]

    def _put_in(self, shard: _ShardPart, followers: set[str], cases: set[str]) -> None:
        for item in shard.own:
            self._add(item)
        for pending in shard.pending:
            discussion_id = pending[0].id
            self._pending.setdefault(discussion_id, []).append(pending)
            followers.add(discussion_id)
        for previous, kind in shard.follows:
            self._followed_by.setdefault(previous, []).append(kind)
            followers.add(previous)
        for part in shard.cases:
            key: str = part[3]  # type: ignore[assignment]
            self._cases.setdefault(key, []).append(part)
            cases.add(key)

    def _settle_follow_ups(self, discussion_id: str) -> None:
        """A discussion's deadlines that a follow-up would close, worked out again."""
        for item in self._settled.pop(discussion_id, ()):
            self._ordered.remove(item)
        pending = self._pending.get(discussion_id)
        if pending:
            found: list[Deadline] = []
            self.rules.settle_follow_ups(pending, self._followed_by, found)
            for item in found:
                self._add(item)
            if found:
                self._settled[discussion_id] = found

    def _settle_case(self, key: str) -> None:
        """A case's conference and assessment, worked out again from its discussions."""
        for item in self._case_items.pop(key, ()):
            self._ordered.remove(item)
        members = self._cases.get(key)
        if members:
            found: list[Deadline] = []
            self.rules.settle_case(members[0] if len(members) == 1 else members, found)
            for item in found:
                self._add(item)
            if found:
                self._case_items[key] = found

    def _add(self, item: Deadline) -> None:
        self._ordered.add(item, self._make_row(item, self._by_id.get(item.discussion_id)))


def _remove(lists: dict[str, list[T]], key: str, value: T) -> None:
    """Take `value` itself (not an equal one) out of the list at `key`; no list is left empty."""
    values = lists[key]
    for at, there in enumerate(values):
        if there is value:
            del values[at]
            break
    if not values:
        del lists[key]

"""The dashboard's items kept between refreshes: after a save, only the discussions that changed
are worked out again, plus the follow-ups and cases they touch.

`dashboard_items` (stratui.deadlines.engine) goes over every summary at each call: ~0.5 s at
100,000 discussions, though a save changes one discussion. `KeptItems.update` takes the
summaries shard by shard (`Store.summaries_by_shard`: a shard's tuple is the same object until
it is read again, and a shard read again keeps the summary objects of its unchanged lines) and
keeps what each discussion contributes on its own (its part), and, across shards, what the
rules that span discussions need: who follows up whom, and each case's discussions. A changed
discussion's part is taken out and its new one put in; only the discussions whose followers
changed and the cases whose discussions changed are settled again.
The items are kept in the engine's order (due date, then case reference, then key) as they come
and go. The result is the same items in the same order as `dashboard_items` over every summary
(tests/unit/test_deadlines_kept.py compares them after random saves). The rules themselves are
stratui.deadlines.rules, shared with the engine.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from typing import Generic, TypeVar

from stratui.deadlines.kinds import Deadline
from stratui.deadlines.rules import DeadlineRules, Part, Pending
from stratui.models import DiscussionKind, DiscussionSummary
from stratui.settings import Settings

T = TypeVar("T")
Shard = tuple[DiscussionSummary, ...]
# What a discussion's item becomes (a dashboard row): made once, when the item is worked out,
# from the item and the summary of its discussion (the one with the item's discussion_id).
MakeRow = Callable[[Deadline, DiscussionSummary], T]


class _ShardPart:
    """One shard's summaries and the part (rules.Part) of each, worked out once per summary."""

    __slots__ = ("parts", "shard")

    def __init__(self, shard: Shard, parts: list[Part]) -> None:
        self.shard = shard  # held: while kept, its id() is not reused
        self.parts = parts


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
        # Discussion id -> the kinds of the discussions that follow it up (settle_follow_ups).
        self._followed_by: dict[str, list[DiscussionKind]] = {}
        # Discussion id -> its deadlines that a follow-up closes, and those of them still open.
        self._pending: dict[str, list[Pending]] = {}
        self._settled: dict[str, list[Deadline]] = {}
        # Case key -> the parts of its discussions, and the case's deadlines.
        self._cases: dict[str, list[Part]] = {}
        self._case_items: dict[str, list[Deadline]] = {}
        self._ordered: _Ordered[T] = _Ordered()

    def update(self, shards: Iterable[Shard]) -> list[T]:
        """The rows of the items over these shards' summaries, in the engine's order (a new list)."""
        with self._lock:
            shards = list(shards)
            current = {id(shard) for shard in shards}
            gone = [part for key, part in self._shards.items() if key not in current]
            new = [shard for shard in shards if id(shard) not in self._shards]
            if gone or new:
                self._replace(gone, new)
            return self._ordered.rows()

    def _replace(self, gone: list[_ShardPart], new: list[Shard]) -> None:
        # A shard read again after a save holds the same summary objects for the discussions
        # that did not change (the index reads only the lines that changed): their parts stay
        # in, and only the changed discussions' parts are taken out and put in.
        before: dict[int, list[Part]] = {}
        for shard in gone:
            del self._shards[id(shard.shard)]
            for part in shard.parts:
                before.setdefault(id(part[0]), []).append(part)
        part_of = self.rules._part
        added: list[Part] = []
        for summaries in new:
            parts = []
            for s in summaries:
                # Both alive, so the same id is the same summary.
                same = before.get(id(s))
                if same:
                    parts.append(same.pop())
                else:
                    part = part_of(s)
                    parts.append(part)
                    added.append(part)
            self._shards[id(summaries)] = _ShardPart(summaries, parts)
        followers: set[str] = set()
        cases: set[str] = set()
        for left in before.values():
            for part in left:
                self._take_out(part, followers, cases)
        for part in added:
            self._put_in(part, followers, cases)
        for discussion_id in followers:
            self._settle_follow_ups(discussion_id)
        for key in cases:
            self._settle_case(key)

    def _take_out(self, part: Part, followers: set[str], cases: set[str]) -> None:
        s = part[0]
        for item in part[1]:
            self._ordered.remove(item)
        for pending in part[2]:
            _remove(self._pending, s.id, pending)
            followers.add(s.id)
        for previous in s.previous_discussion_ids:
            _remove(self._followed_by, previous, s.kind)
            followers.add(previous)
        key = part[3]
        if key is not None:
            _remove(self._cases, key, part)
            cases.add(key)

    def _put_in(self, part: Part, followers: set[str], cases: set[str]) -> None:
        s = part[0]
        for item in part[1]:
            self._ordered.add(item, self._make_row(item, s))
        for pending in part[2]:
            self._pending.setdefault(s.id, []).append(pending)
            followers.add(s.id)
        for previous in s.previous_discussion_ids:
            self._followed_by.setdefault(previous, []).append(s.kind)
            followers.add(previous)
        key = part[3]
        if key is not None:
            self._cases.setdefault(key, []).append(part)
            cases.add(key)

    def _settle_follow_ups(self, discussion_id: str) -> None:
        """A discussion's deadlines that a follow-up would close, worked out again."""
        found: list[Deadline] = []
        pending = self._pending.get(discussion_id)
        if pending:
            self.rules.settle_follow_ups(pending, self._followed_by, found)
        self._settled_again(self._settled, discussion_id, found, [p[0] for p in pending or ()])

    def _settle_case(self, key: str) -> None:
        """A case's conference and assessment, worked out again from its discussions."""
        found: list[Deadline] = []
        members = self._cases.get(key)
        if members:
            self.rules.settle_case(members[0] if len(members) == 1 else members, found)
        self._settled_again(self._case_items, key, found, [part[0] for part in members or ()])

    def _settled_again(
        self, kept: dict[str, list[Deadline]], key: str, found: list[Deadline], summaries: list[DiscussionSummary]
    ) -> None:
        """The items kept under `key` replaced by `found`, each made a row with its discussion's summary."""
        for item in kept.pop(key, ()):
            self._ordered.remove(item)
        if found:
            by_id = {s.id: s for s in summaries}
            for item in found:
                self._ordered.add(item, self._make_row(item, by_id[item.discussion_id]))
            kept[key] = found


def _remove(lists: dict[str, list[T]], key: str, value: T) -> None:
    """Take `value` itself (not an equal one) out of the list at `key`; no list is left empty."""
    values = lists[key]
    for at, there in enumerate(values):
        if there is value:
            del values[at]
            break
    if not values:
        del lists[key]

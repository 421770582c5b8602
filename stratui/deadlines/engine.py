"""The deadline engine: every open deadline that follows from the recorded discussions, in one
pass over the index summaries (the rules per kind: stratui.deadlines.rules).

Works on index summaries only (no full records, no Textual) so the dashboard stays fast over
tens of thousands of discussions.

What each discussion contributes on its own (its actions, minutes, reconvene date...) is
remembered between calls for the summaries the store hands out (`IndexedSummary`: immutable, and
the same object until its index shard changes), per today and settings. A dashboard refresh
after a save then works out only the discussions of the changed shard, plus the rules that
span discussions (follow-ups, cases). Summaries built elsewhere (`Discussion.summary()`, which
may be changed in place) are always worked out afresh.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from operator import attrgetter

from stratui.deadlines.kinds import Deadline, DeadlineKind
from stratui.deadlines.rules import DeadlineRules, Part, Pending
from stratui.models import DiscussionKind, DiscussionSummary
from stratui.settings import Settings
from stratui.store import IndexedSummary

_CASE_ORDER = attrgetter("case_ref", "key")

# (today, dashboard only, settings as JSON) -> {id(summary): its part}, from the latest call.
_remembered: dict[tuple[date, bool, str], dict[int, Part]] = {}
_remembered_lock = threading.Lock()
_REMEMBERED_CONFIGS = 4


class _Engine(DeadlineRules):
    """One computation over every summary: the rules' calendar, clock and output list, and the
    parts remembered from the latest call."""

    def __init__(self, today: date, settings: Settings, dashboard_only: bool, remember: bool = True) -> None:
        super().__init__(today, settings, dashboard_only)
        # One case's deadlines (case_deadlines) must not replace the whole database's remembered parts.
        self.remember = remember
        # Everything a discussion's deadlines depend on besides the discussion itself.
        self.config = (today, dashboard_only, settings.model_dump_json())

    # One pass over the summaries (touching 20,000 scattered records twice costs more than
    # the rules themselves). Rules that depend on other discussions (follow-ups, the case)
    # collect what they need on the way and are settled after the pass.

    def run(self, discussions: Iterable[DiscussionSummary]) -> list[Deadline]:
        # Case key -> the part of its only discussion, or the parts of its discussions.
        cases: dict[str, Part | list[Part]] = {}
        # Discussion id -> the kinds of the discussions that follow it up.
        followed_by: dict[str, list[DiscussionKind]] = defaultdict(list)
        # Deadlines that a follow-up discussion closes: (discussion, kind, title, due).
        unless_followed: list[Pending] = []
        with _remembered_lock:
            before = _remembered.get(self.config, {}) if self.remember else {}
        now: dict[int, Part] = {}
        # Bound once: this loop body runs per summary.
        extend, part_of, remembered = self.out.extend, self._part, before.get
        for s in discussions:
            if type(s) is IndexedSummary:
                part = remembered(id(s))
                # The part holds the summary, so while it is remembered its id is not reused.
                if part is None or part[0] is not s:
                    part = part_of(s)
                now[id(s)] = part
            else:
                part = part_of(s)
            own, pending, case_key = part[1], part[2], part[3]
            if own:
                extend(own)
            if pending:
                unless_followed.extend(pending)
            for previous in s.previous_discussion_ids:
                followed_by[previous].append(s.kind)
            if case_key is not None:
                others = cases.get(case_key)
                if others is None:
                    cases[case_key] = part
                elif type(others) is list:
                    others.append(part)
                else:
                    cases[case_key] = [others, part]  # type: ignore[list-item]
        if self.remember:
            with _remembered_lock:
                # Only the latest call's summaries: parts of replaced summaries are let go.
                _remembered.pop(self.config, None)
                _remembered[self.config] = now
                while len(_remembered) > _REMEMBERED_CONFIGS:
                    del _remembered[next(iter(_remembered))]

        self.settle_follow_ups(unless_followed, followed_by)
        settle_case = self.settle_case
        for members in cases.values():
            settle_case(members, self.out)
        return self.out


def _by_due(deadlines: list[Deadline]) -> list[Deadline]:
    """Sorted by due date, then case, then key; states are monotonic in the due date.

    Thousands of deadlines share a few hundred dates: bucketing beats comparing dates.
    """
    buckets: dict[date, list[Deadline]] = {}
    for deadline in deadlines:
        bucket = buckets.get(deadline.due)
        if bucket is None:
            buckets[deadline.due] = [deadline]
        else:
            bucket.append(deadline)
    ordered: list[Deadline] = []
    for due in sorted(buckets):
        bucket = buckets[due]
        if len(bucket) > 1:
            bucket.sort(key=_CASE_ORDER)
        ordered.extend(bucket)
    return ordered



def case_deadlines(
    discussion: DiscussionSummary, case: Iterable[DiscussionSummary], today: date, settings: Settings
) -> list[Deadline]:
    """The conference and assessment deadlines of `discussion`'s case, counted as the dashboard
    counts them, with `discussion` as it is now (a draft being typed) in place of its stored copy."""
    ref = discussion.case_ref
    members = [discussion] + [
        s for s in case if s.id != discussion.id and ref and s.case_ref == ref
    ]
    found = _Engine(today, settings, dashboard_only=False, remember=False).run(members)
    return [d for d in found if d.kind in (DeadlineKind.CONFERENCE, DeadlineKind.ASSESSMENT)]


def compute_deadlines(discussions: Iterable[DiscussionSummary], today: date, settings: Settings) -> list[Deadline]:
    """Every open deadline: overdue first, then due today, due soon, later; by due date, then case."""
    return _by_due(_Engine(today, settings, dashboard_only=False).run(discussions))


def dashboard_items(discussions: Iterable[DiscussionSummary], today: date, settings: Settings) -> list[Deadline]:
    """Only what needs attention now: overdue, due today and due within the warning window."""
    return _by_due(_Engine(today, settings, dashboard_only=True).run(discussions))

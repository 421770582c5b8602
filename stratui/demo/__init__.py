"""Fictional but realistic demo discussions, the same every time for the same seed, day and nation.

Used to try the app, to fill screenshots and for benchmarks: every name, case and event is
invented. Each record follows from one scenario (scenarios.py): the concern fixes the child's
age, who attends, the decisions and the actions. The nation (words.py) gives the text its words
and the agencies their names. Nothing reads the clock or uuid4, so tests and snapshots are stable.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from datetime import date, timedelta

from stratui.demo.generator import FOLLOW_UP_WINDOW_DAYS, Generator, is_demo_id
from stratui.demo.words import NATIONS
from stratui.models import Discussion

__all__ = ["NATIONS", "generate_demo", "is_demo_id"]


def generate_demo(count: int, seed: int, today: date, nation: str = "england") -> list[Discussion]:
    """`count` discussions, oldest first; the same arguments always give the same discussions.

    About 15% are follow-ups of an earlier discussion of the same case. The most recent few dozen
    fall in the last four weeks, with actions overdue, due today and due soon relative to `today`
    (in `nation`'s working days).
    """
    if count <= 0:
        return []
    # Every object built here lives on in the result, so the cycle collector's passes over the
    # growing heap find nothing and would double the run time at 20,000 discussions.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(count, seed, today, nation)
    finally:
        if collecting:
            gc.enable()


def _generate(count: int, seed: int, today: date, nation: str) -> list[Discussion]:
    gen = Generator(seed, today, nation)
    held = gen.held_dates(count)
    pins = _pin_dashboard_actions(gen, held)
    discussions: list[Discussion] = []
    for index, held_on in enumerate(held):
        earlier = None
        if index not in pins and gen.chance(0.15):
            earlier = _follow_up_candidate(gen, discussions, held_on)
        if earlier is not None:
            discussions.append(gen.follow_up(earlier, held_on))
        else:
            discussions.append(gen.discussion(held_on, pins.get(index, ())))
    return discussions


def _pin_dashboard_actions(gen: Generator, held: list[date]) -> dict[int, tuple[int, ...]]:
    """Which discussions (by index into the sorted `held`) carry the guaranteed dashboard actions.

    0 = an open overdue action, 1 = one due today, 2 = one due within three working days.
    """
    last = len(held) - 1
    # An overdue action needs a discussion held before today: the latest such, or the oldest moved back.
    before_today = [i for i, day in enumerate(held) if day < gen.today]
    overdue = before_today[-1] if before_today else 0
    if not before_today:
        held[0] = gen.add_working_days(gen.today, -3)
    pins: dict[int, list[int]] = {overdue: [0]}
    others = [i for i in (last, last - 1) if i >= 0 and i != overdue]
    for pin, index in zip((1, 2), others + [overdue, overdue]):
        pins.setdefault(index, []).append(pin)
    return {index: tuple(values) for index, values in pins.items()}


def _follow_up_candidate(gen: Generator, discussions: list[Discussion], held_on: date) -> Discussion | None:
    """The latest discussion of a case discussed in the previous few weeks, held before `held_on`."""
    # `discussions` is oldest first, so the window is a slice found by bisection.
    start = bisect_left(discussions, held_on - timedelta(days=FOLLOW_UP_WINDOW_DAYS), key=_held_on)
    stop = bisect_left(discussions, held_on, key=_held_on)
    if start >= stop:
        return None
    earlier = gen.latest_by_case[discussions[gen.rng.randrange(start, stop)].case_ref]
    if earlier.held_on >= held_on or earlier.id in gen.pinned_ids:
        return None
    return earlier


def _held_on(discussion: Discussion) -> date:
    return discussion.held_on

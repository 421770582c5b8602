"""Fictional but realistic demo discussions, the same every time for the same seed, day and nation.

Used to try the app, to fill screenshots and for benchmarks: every name, case and event is
invented. Each record follows from one scenario (scenarios.py): the concern fixes the child's
age, who attends, the decisions and the actions. The nation (words.py) gives the text its words
and the agencies their names. Nothing reads the clock or uuid4, so tests and snapshots are stable.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, timedelta

from stratui.demo.generator import FOLLOW_UP_WINDOW_DAYS, Generator, is_demo_id
from stratui.demo.window import Window
from stratui.demo.words import NATIONS
from stratui.models import Discussion

__all__ = ["NATIONS", "generate_demo", "is_demo_id", "stream_demo", "stream_demo_json"]

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
    return list(stream_demo(count, seed, today, nation))


def stream_demo(count: int, seed: int, today: date, nation: str = "england") -> Iterator[Discussion]:
    """The discussions of `generate_demo`, the same ones, one at a time: only the cases a later
    follow-up can still reach are held, as JSON (window.py), so the memory stays bounded."""
    for held in stream_demo_json(count, seed, today, nation):
        yield Discussion.model_validate_json(held)


def stream_demo_json(count: int, seed: int, today: date, nation: str = "england") -> Iterator[bytes]:
    """The JSON text of each discussion of `stream_demo`, as the window holds it: what a bulk
    write takes and validates (in its workers: the text is what is cheapest to send them), so
    each is validated there only."""
    if count <= 0:
        return
    gen = Generator(seed, today, nation)
    held = gen.held_dates(count)
    pins = _pin_dashboard_actions(gen, held)
    case_refs: list[str] = []
    # A follow-up closes the earlier discussion's open actions ("carried over"): a discussion is
    # handed out only once no later follow-up can reach back to it.
    window = Window()
    for index, held_on in enumerate(held):
        yield from window.release(before=held_on - timedelta(days=FOLLOW_UP_WINDOW_DAYS))
        earlier = None
        if index not in pins and gen.chance(0.15):
            earlier = _follow_up_candidate(gen, window, held, case_refs, index)
        if earlier is not None:
            discussion = gen.follow_up(earlier, held_on)
            window.put_back(earlier)  # its open actions are now carried over
        else:
            discussion = gen.discussion(held_on, pins.get(index, ()))
        case_refs.append(discussion.case_ref)
        window.add(discussion)
    yield from window.release()


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


def _follow_up_candidate(
    gen: Generator, window: Window, held: list[date], case_refs: list[str], index: int
) -> Discussion | None:
    """The latest discussion of a case discussed in the previous few weeks, held before `held[index]`."""
    # The discussions so far are held[:index], oldest first, so the window is found by bisection.
    held_on = held[index]
    start = bisect_left(held, held_on - timedelta(days=FOLLOW_UP_WINDOW_DAYS), 0, index)
    stop = bisect_left(held, held_on, 0, index)
    if start >= stop:
        return None
    earlier_on, earlier_id = window.latest(case_refs[gen.rng.randrange(start, stop)])
    if earlier_on >= held_on or earlier_id in gen.pinned_ids:
        return None
    return window.take_up(earlier_id)

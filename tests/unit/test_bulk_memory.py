"""A bulk write (demo, import) holds one batch of discussions at a time, whatever its size.

Bounded by counting, never by timing: the discussion models alive at once are counted (the
collector lists every one) as the demo is generated and as each batch is written.
"""

from __future__ import annotations

import gc
from datetime import date

import pytest

from stratui.demo import stream_demo
from stratui.models import Discussion
from stratui.store import Store, writes

TODAY = date(2026, 11, 25)
# Dense enough that six weeks of the two years hold far more than a batch: ~150 discussions a
# follow-up can still reach at any time, held by the generator until no follow-up can.
COUNT = 2500
BATCH = 40


def alive() -> int:
    return sum(1 for thing in gc.get_objects() if type(thing) is Discussion)


def test_the_demo_holds_no_discussions_while_it_waits_for_their_follow_ups(only_new_objects: None) -> None:
    held = []
    before = alive()
    for number, discussion in enumerate(stream_demo(COUNT, 1, TODAY), start=1):
        del discussion
        if number % 100 == 0:
            held.append(alive() - before)
    assert number == COUNT
    # What the generator keeps for follow-ups is JSON, not models: alive are only the one it
    # made last and the earlier one that one followed up (and the next being made).
    assert max(held) <= 3, held


def test_a_bulk_write_holds_one_batch_of_discussions_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch, only_new_objects: None
) -> None:
    monkeypatch.setattr(writes, "BULK_BATCH", BATCH)
    written = writes._write_batch
    held = []

    def counted(store: Store, fresh: list[Discussion], *args: object) -> None:
        held.append(alive())
        written(store, fresh, *args)

    monkeypatch.setattr(writes, "_write_batch", counted)
    before = alive()
    assert store.save_all_new(stream_demo(COUNT // 4, 1, TODAY)) == COUNT // 4
    assert len(held) == -(-COUNT // 4 // BATCH)
    # The batch, each as given and as validated again to be written, and the one being made.
    assert max(held) - before <= 2 * BATCH + 2, held

"""A duty team on one database: four processes writing at once lose nothing; two users editing one
discussion never overwrite each other, and the refused user's text is kept as a recovery draft."""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from stratui.capture import DiscussionEditor
from stratui.context import Context
from stratui.drafts import discard_recovery, recovered_drafts, recovery_path
from stratui.models import Action, ActionStatus, Child, Discussion
from stratui.settings import Settings
from stratui.store import ConflictError, LockedError, Store

pytestmark = pytest.mark.process

WORKERS = 4
WRITES_PER_WORKER = 250
SHARED = 4  # discussions every worker edits and closes actions in, to make them contend
TODAY = date(2026, 11, 25)


# -- the plan every worker follows (computed the same way here and in the checks) -------


def plan(worker: int) -> list[tuple[str, int]]:
    """(kind, k): the k-th create, edit or action-done of this worker, in the order it writes them."""
    counts: Counter[str] = Counter()
    steps = []
    for n in range(WRITES_PER_WORKER):
        kind = ("create", "edit", "done")[n % 3]
        steps.append((kind, counts[kind]))
        counts[kind] += 1
    return steps


def case_ref(worker: int, k: int) -> str:
    return f"CC-{worker}-{k}"


def edit_marker(worker: int, k: int) -> str:
    return f"edit w{worker} #{k}"


def action_text(worker: int, k: int) -> str:
    return f"action for w{worker} #{k}"


def done_note(worker: int, k: int) -> str:
    return f"done by w{worker} #{k}"


def new_record(case: str) -> Discussion:
    return Discussion(
        case_ref=case,
        children=[Child(name="Amy Stone")],
        concern_date=date(2026, 11, 23),
        held_on=date(2026, 11, 24),
    )


# A write that found the lock held for the store's whole wait (15 s) wrote nothing and is tried
# again: on a loaded machine four busy writers can queue that long. The bound only stops a hang.
LOCK_RETRIES = 40


def _patiently(write: Callable[[], object]) -> object:
    for _attempt in range(LOCK_RETRIES - 1):
        try:
            return write()
        except LockedError:
            continue
    return write()


def _worker(root: str, worker: int, shared_ids: list[str], start: object, result_file: str) -> None:
    """One team member's process: 250 writes as fast as the lock allows."""
    store = Store.open(Path(root), user=f"worker{worker}")
    own: list[str] = []
    acknowledged: Counter[str] = Counter()
    start.wait(600)  # type: ignore[attr-defined]
    for kind, k in plan(worker):
        if kind == "create":
            own.append(_patiently(lambda k=k: store.create(new_record(case_ref(worker, k)))).id)  # type: ignore[attr-defined]
        elif kind == "edit":
            # Alternate between a discussion everyone edits and one of this worker's own.
            target = shared_ids[k % SHARED] if k % 2 == 0 or not own else own[(k // 2) % len(own)]
            marker = edit_marker(worker, k)
            _patiently(lambda: store.update(target, lambda d, marker=marker: d.risk.risk_factors.append(marker)))
        else:
            target = shared_ids[k % SHARED]
            text, note = action_text(worker, k), done_note(worker, k)

            def mark_done(d: Discussion, text: str = text, note: str = note) -> None:
                [action] = [a for a in d.actions if a.text == text]  # found in the fresh copy
                d.close_action(action.id, ActionStatus.DONE, TODAY, f"worker{worker}", note)

            _patiently(lambda: store.update(target, mark_done))
        acknowledged[kind] += 1
    Path(result_file).write_text(json.dumps(acknowledged))


def seed_shared(store: Store) -> list[str]:
    """The shared discussions hold one open action for every action-done any worker will do."""
    ids = []
    for index in range(SHARED):
        actions = [
            Action(text=action_text(w, k), owner="Jo Bell", due=date(2026, 12, 1))
            for w in range(WORKERS)
            for kind, k in plan(w)
            if kind == "done" and k % SHARED == index
        ]
        ids.append(store.create(new_record(f"SHARED-{index}").model_copy(update={"actions": actions})).id)
    return ids


def test_four_processes_writing_at_once_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    root = tmp_path / "team-db"
    shared_ids = seed_shared(Store.open(root, user="seeder"))
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Event()
    results = [tmp_path / f"worker{w}.json" for w in range(WORKERS)]
    processes = [
        spawn.Process(target=_worker, args=(str(root), w, shared_ids, start, str(results[w]))) for w in range(WORKERS)
    ]
    began = time.monotonic()
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(1800)  # a hang guard: the writes are counted, never timed
    elapsed = time.monotonic() - began
    for process in processes:
        if process.is_alive():
            process.kill()
    assert [p.exitcode for p in processes] == [0] * WORKERS

    acknowledged = Counter[str]()
    for result in results:
        acknowledged.update(json.loads(result.read_text()))
    attempted = Counter(kind for w in range(WORKERS) for kind, _ in plan(w))
    assert acknowledged == attempted

    store = Store.open(root)
    discussions = list(store.discussions())
    by_case = Counter(d.case_ref for d in discussions)
    indexed = Counter(s.case_ref for s in store.summaries())

    # Creates: each present once, in the files and in the index.
    expected_cases = {case_ref(w, k) for w in range(WORKERS) for kind, k in plan(w) if kind == "create"}
    created = {case for case in by_case if case.startswith("CC-")}
    assert created == expected_cases
    assert all(by_case[case] == 1 and indexed[case] == 1 for case in expected_cases)

    # Edits: each marker once, nowhere twice.
    markers = Counter(m for d in discussions for m in d.risk.risk_factors)
    expected_markers = {edit_marker(w, k) for w in range(WORKERS) for kind, k in plan(w) if kind == "edit"}
    assert set(markers) == expected_markers
    duplicated = sum(count - 1 for count in markers.values())
    assert duplicated == 0

    # Actions done: every one closed by the worker that did it, with its note.
    closed = {a.closing_note: a for d in discussions for a in d.actions if a.status is ActionStatus.DONE}
    expected_notes = {done_note(w, k) for w in range(WORKERS) for kind, k in plan(w) if kind == "done"}
    assert set(closed) == expected_notes
    assert all(closed[done_note(w, k)].closed_by == f"worker{w}" for w in range(WORKERS) for kind, k in plan(w) if kind == "done")
    still_open = [a for d in discussions for a in d.actions if a.is_open]
    assert still_open == []

    # No update was lost between two others: every write bumped its discussion's revision once.
    writes_to = Counter({d.id: 1 for d in discussions})  # the create
    for d in discussions:
        writes_to[d.id] += len(d.risk.risk_factors) + sum(1 for a in d.actions if a.status is ActionStatus.DONE)
    assert {d.id: d.revision for d in discussions} == dict(writes_to)

    assert store.check() == []
    assert not any((root / "journal").iterdir())
    assert not [p for p in root.rglob("*.tmp")]

    present = len(created) + len(set(markers)) + len(closed)
    total = WORKERS * WRITES_PER_WORKER
    print(
        f"\n[trust] concurrent writes: {WORKERS} processes x {WRITES_PER_WORKER} = {total} attempted, "
        f"{present} present (creates {len(created)}/{attempted['create']}, edits {len(set(markers))}/{attempted['edit']}, "
        f"actions done {len(closed)}/{attempted['done']}), {duplicated} duplicated, check clean, {elapsed:.1f} s"
    )
    assert present == total


# -- two users, one discussion -------------------------------------------------------------


def user_context(root: Path, name: str) -> Context:
    return Context(store=Store.open(root, user=name), settings=Settings(user=name), today=TODAY, user=name)


@pytest.fixture
def two_users(tmp_path: Path, make_discussion: Callable[..., Discussion]) -> tuple[Context, Context, Discussion]:
    root = tmp_path / "team-db"
    alice, bob = user_context(root, "Alice Ward"), user_context(root, "Bob Innes")
    saved = alice.store.create(make_discussion())
    return alice, bob, saved


def test_a_stale_save_is_refused_naming_who_saved_first(two_users: tuple[Context, Context, Discussion]) -> None:
    alice, bob, saved = two_users
    alices_copy, bobs_copy = alice.store.get(saved.id), bob.store.get(saved.id)
    alices_copy.information.concerns = "Alice's version"
    alice.store.save(alices_copy)
    bobs_copy.information.concerns = "Bob's version"
    with pytest.raises(ConflictError) as refused:
        bob.store.save(bobs_copy)
    message = str(refused.value)
    assert "Alice Ward saved this discussion" in message
    assert "after you opened it" in message and "revision 2, yours was 1" in message
    assert "Your changes were not saved over theirs" in message
    assert refused.value.stored.information.concerns == "Alice's version"
    assert bob.store.get(saved.id).information.concerns == "Alice's version"


def test_the_refused_users_text_is_kept_as_a_recovery_draft(two_users: tuple[Context, Context, Discussion]) -> None:
    alice, bob, saved = two_users
    alices_editor = DiscussionEditor.open(alice, saved.id)
    bobs_editor = DiscussionEditor.open(bob, saved.id)

    alices_editor.discussion.information.concerns = "Alice: the school rang again at 11:05."
    alices_editor.changed()
    assert alices_editor.save().saved

    bobs_text = "Bob, typed during the call: Maya said it happened on Sunday night \u202eRTL\u202c too."
    bobs_editor.discussion.information.concerns = bobs_text
    bobs_editor.discussion.risk.risk_factors.append("Step-father has returned home")
    bobs_editor.changed()
    result = bobs_editor.save()

    assert not result.saved
    assert "Alice Ward saved this discussion" in result.message
    assert "Your changes were not saved over theirs" in result.message
    draft_file = recovery_path(bob, saved.id)
    assert f"Your version is kept in {draft_file}" in result.message
    # Bob's work is still on his screen, still unsaved, and the conflict says what is stored.
    assert bobs_editor.dirty and bobs_editor.discussion.information.concerns == bobs_text
    assert bobs_editor.conflict is not None
    assert bobs_editor.conflict.stored.information.concerns == "Alice: the school rang again at 11:05."
    # The store holds Alice's save, untouched by Bob's attempt.
    stored = bob.store.get(saved.id)
    assert stored.information.concerns == "Alice: the school rang again at 11:05." and stored.revision == 2

    # Bob's version survives on disk as his own recovery draft (not Alice's), to compare and re-apply.
    [draft] = recovered_drafts(bob)
    assert draft.id == saved.id and draft.revision == 1
    # Read back like any record: the bidi controls as visible stand-ins (stratui.text).
    bobs_text = bobs_text.replace("\u202e", "‹U+202E›").replace("\u202c", "‹U+202C›")
    assert draft.information.concerns == bobs_text
    assert draft.risk.risk_factors == ["Step-father has returned home"]
    assert recovered_drafts(alice) == []

    # Re-applying his text onto the fresh copy saves, and the draft can then go.
    fresh = DiscussionEditor.open(bob, saved.id)
    fresh.discussion.information.concerns += "\n" + draft.information.concerns
    fresh.discussion.risk.risk_factors = draft.risk.risk_factors
    fresh.changed()
    assert fresh.save().saved
    discard_recovery(bob, saved.id)
    assert recovered_drafts(bob) == []
    final = alice.store.get(saved.id)
    assert final.revision == 3 and bobs_text in final.information.concerns and "Alice:" in final.information.concerns
    assert alice.store.check() == []

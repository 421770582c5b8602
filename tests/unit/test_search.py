"""Search by child name, case reference or text; the discussions that make up a case."""

from __future__ import annotations

from datetime import date

import pytest

from stratui.models import Child, Discussion
from stratui.search import case_discussions, search, search_summaries
from stratui.store import Store


@pytest.fixture
def records(make_discussion) -> dict[str, Discussion]:
    return {
        "maya": make_discussion(case_ref="CS-104233", held_on=date(2026, 11, 20)),
        "maya_earlier": make_discussion(
            case_ref="CS-104233",
            held_on=date(2026, 11, 2),
            concern_date=date(2026, 11, 1),
            actions=[],
            information={"concerns": "Her cousin Leo was at the house."},
        ),
        "leo": make_discussion(
            case_ref="CS-200001",
            children=[Child(name="Leo Brown"), Child(name="Ava Brown")],
            held_on=date(2026, 11, 10),
            concern_date=date(2026, 11, 9),
            actions=[],
            information={"concerns": "Neighbour heard shouting; a DOG bite on Leo's arm."},
        ),
    }


def test_by_child_name_any_case_and_part_of_a_name(records) -> None:
    summaries = [r.summary() for r in records.values()]
    found = search_summaries(summaries, "maya")
    assert [r.discussion_id for r in found] == [records["maya"].id, records["maya_earlier"].id]  # newest first
    assert all(r.matched == "child" for r in found)
    assert [r.discussion_id for r in search_summaries(summaries, "AVA bro")] == [records["leo"].id]


def test_by_case_reference_and_by_both(records) -> None:
    summaries = [r.summary() for r in records.values()]
    found = search_summaries(summaries, "cs-2000")
    assert [(r.discussion_id, r.matched) for r in found] == [(records["leo"].id, "case ref")]
    both = search_summaries(summaries, "leo 200001")
    assert [(r.discussion_id, r.matched) for r in both] == [(records["leo"].id, "case ref and child")]
    assert search_summaries(summaries, "   ") == []


def test_full_text_only_when_names_and_refs_find_nothing(store: Store, records) -> None:
    store.save_all_new(list(records.values()))
    outcome = search(store, "dog bite")
    assert outcome.full_text
    assert [(r.discussion_id, r.matched) for r in outcome.results] == [(records["leo"].id, "text")]
    assert "DOG bite" in outcome.results[0].snippet
    # Found by name: the files are not read.
    by_name = search(store, "leo")
    assert not by_name.full_text
    assert [r.discussion_id for r in by_name.results] == [records["leo"].id]


def test_full_text_on_request_adds_text_matches_to_name_matches(store: Store, records) -> None:
    store.save_all_new(list(records.values()))
    # "Leo" is a child's name in one discussion and appears in the text of another.
    assert [r.discussion_id for r in search(store, "leo").results] == [records["leo"].id]
    outcome = search(store, "leo", full_text=True)
    assert outcome.full_text
    assert [(r.discussion_id, r.matched) for r in outcome.results] == [
        (records["leo"].id, "child"),  # held 10 Nov
        (records["maya_earlier"].id, "text"),  # held 2 Nov
    ]
    assert "cousin Leo" in outcome.results[1].snippet


def test_every_word_must_match_somewhere_in_the_text(store: Store, records) -> None:
    store.save_all_new(list(records.values()))
    assert [r.discussion_id for r in search(store, "neighbour arm").results] == [records["leo"].id]
    assert search(store, "neighbour zebra").results == []


def test_ids_are_not_text(store: Store, records) -> None:
    store.save_all_new(list(records.values()))
    assert search(store, records["leo"].id[:12], full_text=True).results == []


def test_a_damaged_file_is_counted_not_fatal(store: Store, records) -> None:
    store.save_all_new(list(records.values()))
    path = next((store.root / "discussions").glob(f"*/{records['maya'].id}.json"))
    path.write_text("{ damaged", encoding="utf-8")
    outcome = search(store, "dog bite")
    assert outcome.unreadable == 1 and "damaged" in outcome.problems[0]
    assert [r.discussion_id for r in outcome.results] == [records["leo"].id]


def test_a_case_is_its_reference_and_its_linked_follow_ups_in_the_order_held(make_discussion) -> None:
    first = make_discussion(case_ref="CS-7", held_on=date(2026, 11, 2), concern_date=date(2026, 11, 1), actions=[])
    # Recorded with a typo in the reference, but linked as a follow-up of the first.
    typo = make_discussion(case_ref="CS-77", held_on=date(2026, 11, 9), concern_date=date(2026, 11, 1), actions=[], previous_discussion_ids=[first.id])
    # Same day as the typo one, following it up: it comes after.
    same_day = make_discussion(case_ref=" cs-7", held_on=date(2026, 11, 9), concern_date=date(2026, 11, 1), actions=[], previous_discussion_ids=[typo.id])
    other = make_discussion(case_ref="CS-8", actions=[])
    summaries = [s.summary() for s in (same_day, other, typo, first)]
    case = case_discussions(summaries, same_day.id)
    assert [s.id for s in case] == [first.id, typo.id, same_day.id]
    assert [s.id for s in case_discussions(summaries, other.id)] == [other.id]
    assert case_discussions(summaries, "0" * 32) == []

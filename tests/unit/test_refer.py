"""stratui.refer: one rule for naming a discussion, on summaries alone (no store needed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from stratui.models import Child, Discussion, DiscussionSummary
from stratui.refer import AmbiguousReference, Candidate, UnknownReference, candidate_lines, resolve

MakeDiscussion = Callable[..., Discussion]


def summary(make_discussion: MakeDiscussion, **fields: object) -> DiscussionSummary:
    return DiscussionSummary.of(make_discussion(**fields))


def test_a_reference_is_every_kind_at_once_never_guessed(make_discussion: MakeDiscussion) -> None:
    # "beef1234" is one discussion's case reference and the start of another's id: both are listed.
    by_ref = summary(make_discussion, case_ref="beef1234")
    by_id = summary(make_discussion, id="beef1234" + "0" * 24, case_ref="CS-1")
    with pytest.raises(AmbiguousReference) as raised:
        resolve([by_ref, by_id], "beef1234")
    assert {c.discussion_id for c in raised.value.candidates} == {by_ref.id, by_id.id}


def test_latest_chooses_the_last_held_and_a_tie_is_listed(make_discussion: MakeDiscussion) -> None:
    early = summary(make_discussion, held_on=date(2026, 11, 2))
    late = summary(make_discussion, held_on=date(2026, 11, 20))
    assert resolve([early, late], "CS-104233@latest") == late.id
    same_day = summary(make_discussion, held_on=date(2026, 11, 20))
    with pytest.raises(AmbiguousReference) as raised:
        resolve([early, late, same_day], "cs-104233@latest")
    assert str(raised.value).splitlines()[0] == "'cs-104233@latest' matches 2 discussions: give the id:"


def test_an_id_known_only_to_the_audit_trail_is_found_by_prefix(make_discussion: MakeDiscussion) -> None:
    gone = "cafe" + "1" * 28
    assert resolve([summary(make_discussion)], "cafe11", also=[gone]) == gone
    with pytest.raises(UnknownReference):
        resolve([summary(make_discussion)], "Cafe Child", also=[gone])


def test_the_day_is_read_by_the_reader_given(make_discussion: MakeDiscussion) -> None:
    held = summary(make_discussion, held_on=date(2026, 11, 20))
    other = summary(make_discussion, held_on=date(2026, 11, 21))
    assert resolve([held, other], "Maya Okafor@the twentieth", read_day=lambda text: date(2026, 11, 20)) == held.id


def test_the_list_shows_record_text_as_visible_stand_ins(make_discussion: MakeDiscussion) -> None:
    # Built around validation, as a damaged or old index could hold it: the list still escapes it.
    hostile = summary(make_discussion).model_copy(update={"children": ["Maya\x1b]0;owned\x07 Okafor"], "case_ref": "CS\u202e1"})
    [line] = candidate_lines([Candidate(hostile.id, hostile)])
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert line.endswith(f"id {hostile.id[:8]}")


def test_listed_ids_are_long_enough_to_tell_apart(make_discussion: MakeDiscussion) -> None:
    one = summary(make_discussion, id="abcdef01" + "1" * 24)
    two = summary(make_discussion, id="abcdef01" + "2" * 24)
    lines = candidate_lines([Candidate(one.id, one), Candidate(two.id, two)])
    assert [line.split()[-1] for line in lines] == [one.id[:12], two.id[:12]]


def test_a_child_with_no_name_matches_no_empty_reference(make_discussion: MakeDiscussion) -> None:
    unnamed = summary(make_discussion, case_ref="", children=[Child(name="")])
    with pytest.raises(UnknownReference) as raised:
        resolve([unnamed], "  ")
    assert "name a discussion" in str(raised.value)

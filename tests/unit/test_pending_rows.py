"""A row typed in a form but not added is kept in the record, and blocks sign-off by name."""

from __future__ import annotations

from stratui.models import Child, Discussion
from stratui.phases import DETAILS, PLANNING, completeness, phase_complete, pending_row_problems


def test_a_pending_row_is_a_problem_of_its_own_phase(make_discussion) -> None:  # type: ignore[no-untyped-def]
    record: Discussion = make_discussion()
    before = completeness(record, "england")
    record.pending_rows = {"participant-form": {"name": "DC Lee Grant", "role": "", "agency": ""}}
    assert pending_row_problems(record, DETAILS) == [
        "Details: a participant row is typed but not added: Enter adds it, or clear it."
    ]
    assert pending_row_problems(record, PLANNING) == []
    assert completeness(record, "england") == before + pending_row_problems(record, DETAILS)
    assert not phase_complete(record, DETAILS, "england")


def test_a_row_being_edited_says_so(make_discussion) -> None:  # type: ignore[no-untyped-def]
    record: Discussion = make_discussion()
    record.pending_rows = {"action-form": {"text": "Visit", "editing": "0"}}
    assert pending_row_problems(record, PLANNING) == [
        "Plan: an action row is being edited but not saved: Enter saves it, Esc cancels."
    ]


def test_pending_rows_and_ages_survive_the_store_round_trip(make_discussion) -> None:  # type: ignore[no-untyped-def]
    record: Discussion = make_discussion(other_children=[Child(name="Kai", age="about 7")])
    record.pending_rows = {"child-form": {"name": "Amy", "dob": "3/3/2019", "age": "", "notes": ""}}
    again = Discussion.model_validate(record.model_dump(mode="json"))
    assert again.pending_rows == record.pending_rows
    assert again.other_children[0].born == "age about 7"

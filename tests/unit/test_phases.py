"""The phases' numbers: one source for the strip, the titles and the ctrl+g menu (issue 10)."""

from __future__ import annotations

from stratui.phases import DETAILS, INFORMATION, PHASES, PLANNING, REVIEW


def test_every_phase_is_numbered_by_its_place_and_its_title_says_so() -> None:
    assert [phase.number for phase in PHASES] == list(range(1, len(PHASES) + 1))
    assert [phase.title for phase in PHASES] == [
        "1 Details and participants",
        "2 Information sharing",
        "3 Analysis of risk",
        "4 Decisions",
        "5 Planning the enquiry",
        "6 Review and sign-off",
    ]


def test_a_title_starts_with_its_number_and_nothing_else_numbers_it() -> None:
    for phase in (DETAILS, INFORMATION, PLANNING, REVIEW):
        number, _, name = phase.title.partition(" ")
        assert number == str(phase.number)
        assert not name[0].isdigit()

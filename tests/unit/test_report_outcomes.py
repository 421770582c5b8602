"""The report counts an enquiry that needs no conference as such, never as a conference missed.

An enquiry's outcome of "not substantiated", "no continuing risk" or "continue the assessment"
(Scotland: CPPM not required) closes the conference's deadline (issue 13 item 1). On a fixed set
of cases, each nation's figures are recounted by hand: a calendar read straight from the
`holidays` package, the settings' numbers, and nothing of stratui.report or the deadline engine.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from test_report import Calendar

from stratui.models import ConferenceOutcome, Decision, Decisions, Discussion, EnquiryOutcome, EnquiryOutcomeKind
from stratui.report import build_report, records_of, report_csv, report_json, report_markdown
from stratui.settings import Settings

TODAY = date(2026, 11, 25)
START, END = date(2026, 9, 1), TODAY
NO_CONFERENCE = (
    EnquiryOutcomeKind.NOT_SUBSTANTIATED,
    EnquiryOutcomeKind.NO_CONTINUING_RISK,
    EnquiryOutcomeKind.CONTINUE_ASSESSMENT,
)


def outcome(kind: EnquiryOutcomeKind, on: date) -> EnquiryOutcome:
    reason = "" if kind.needs_conference else "No continuing risk once the uncle moved out"
    return EnquiryOutcome(outcome=kind, on=on, by="Jo Reid", reason=reason)


def fixed_cases(make: Callable[..., Discussion]) -> list[Discussion]:
    """Nine cases: enquiries with every outcome, conferences held within and late, none recorded."""

    def enquiry(case: str, held: date, started: bool = True, **more: object) -> Discussion:
        return make(
            case_ref=case,
            held_on=held,
            concern_date=held,
            actions=[],
            decisions=Decisions(s47_enquiry=Decision(made=started, rationale="As discussed.")),
            **more,
        )

    first_h = enquiry("CS-H", date(2026, 10, 1))
    return [
        enquiry("CS-A", date(2026, 10, 1), enquiry_outcome=outcome(EnquiryOutcomeKind.NOT_SUBSTANTIATED, date(2026, 10, 20))),
        enquiry("CS-B", date(2026, 10, 2), enquiry_outcome=outcome(EnquiryOutcomeKind.CONTINUE_ASSESSMENT, date(2026, 11, 10))),
        # The outcome said a conference is needed, and none is recorded: missed.
        enquiry("CS-C", date(2026, 10, 5), enquiry_outcome=outcome(EnquiryOutcomeKind.CONFERENCE, date(2026, 10, 15))),
        enquiry("CS-D", date(2026, 10, 5)),
        enquiry("CS-E", date(2026, 10, 1), conference_outcome=ConferenceOutcome(held_on=date(2026, 10, 15), child_protection_plan=True)),
        enquiry("CS-F", date(2026, 9, 1), conference_outcome=ConferenceOutcome(held_on=date(2026, 10, 20), child_protection_plan=False)),
        # Outcome recorded after the conference's timescale had passed: still no conference needed.
        enquiry("CS-G", date(2026, 9, 10), enquiry_outcome=outcome(EnquiryOutcomeKind.NO_CONTINUING_RISK, date(2026, 11, 24))),
        # A follow-up records the outcome for the case the first discussion opened.
        first_h,
        enquiry(
            "CS-H",
            date(2026, 10, 9),
            previous_discussion_ids=[first_h.id],
            enquiry_outcome=outcome(EnquiryOutcomeKind.NOT_SUBSTANTIATED, date(2026, 10, 12)),
        ),
        enquiry("CS-I", date(2026, 10, 1), started=False),
    ]


def recount(discussions: list[Discussion], nation: str) -> dict[str, object]:
    """The conference figures as a manager with a calendar would count them."""
    t = Settings().timescales
    calendar = Calendar(nation)
    scotland = nation == "scotland"
    cases: dict[str, list[Discussion]] = {}
    for d in discussions:
        cases.setdefault(d.case_ref, []).append(d)
    counts = {"within": 0, "late": 0, "past_due": 0, "not_needed": 0}
    not_needed_by_month: Counter[str] = Counter()
    for case in cases.values():
        started = sorted((d for d in case if d.decisions.s47_enquiry.made), key=lambda d: d.held_on)
        if not started:
            continue
        base = started[0].held_on
        due = base + timedelta(days=t.scotland_planning_meeting_calendar_days) if scotland else calendar.after(base, t.conference_working_days)
        held = [d.conference_outcome.held_on for d in case if d.conference_outcome]
        no_conference = [d.enquiry_outcome.on for d in case if d.enquiry_outcome and d.enquiry_outcome.outcome in NO_CONFERENCE]
        if held:
            counts["late" if min(held) > due else "within"] += 1
        elif no_conference:
            counts["not_needed"] += 1
            not_needed_by_month[f"{min(no_conference):%Y-%m}"] += 1
        elif due < TODAY:
            counts["past_due"] += 1
    return {**counts, "months": not_needed_by_month}


@pytest.mark.parametrize("nation", ["england", "wales", "scotland", "northern-ireland"])
def test_no_conference_needed_is_counted_as_such_never_as_missed(make_discussion, nation: str) -> None:
    discussions = fixed_cases(make_discussion)
    expected = recount(discussions, nation)
    # The set is the one the test means, in every nation: four cases need none, two are missed.
    assert (expected["not_needed"], expected["past_due"]) == (4, 2)
    figures = build_report(records_of(discussions), START, END, TODAY, Settings(nation=nation))
    c = figures.period.conferences
    assert (c.within, c.late, len(figures.period.conference_overdue_days), figures.period.conference_not_needed) == (
        expected["within"], expected["late"], expected["past_due"], expected["not_needed"],
    )
    by_month = {f"{m:%Y-%m}": f.conference_not_needed for m, f in figures.months if f.conference_not_needed}
    assert by_month == dict(expected["months"])

    document = json.loads(report_json(figures))
    assert document["period"]["conferences"]["not_needed"] == expected["not_needed"]
    assert document["period"]["conferences"]["not_held_past_due"] == expected["past_due"]
    rows = [line.split(",") for line in report_csv(figures).splitlines()]
    header, period = rows[0], next(row for row in rows if row[0] == "period")
    assert len(period) == len(header)
    assert int(period[header.index("conferences_not_needed")]) == expected["not_needed"]
    name = figures.conference_name  # ICPC, CPPM, case conference
    assert f"| No {name} needed (enquiry outcome) | {expected['not_needed']} |" in report_markdown(figures)


def test_without_the_outcomes_the_same_cases_are_missed(make_discussion) -> None:
    """The recount's control: the outcomes are what keeps those cases out of 'not held, past due'."""
    discussions = [d.model_copy(update={"enquiry_outcome": None}) for d in fixed_cases(make_discussion)]
    figures = build_report(records_of(discussions), START, END, TODAY, Settings())
    assert figures.period.conference_not_needed == 0
    assert len(figures.period.conference_overdue_days) == recount(discussions, "england")["past_due"] == 6

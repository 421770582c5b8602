"""Each nation's deadlines in its own words and rules: the enquiry's and the conference's
outcomes, the assessment, follow-ups, the basis of every timescale, and the minutes' words.

The discussion is held on Monday 14 December 2026 (concern Friday 11 December); today is
Tuesday 22 December. Christmas Day (Fri 25) and the substitute Boxing Day (Mon 28) are bank
holidays in all four nations, and New Year's Day (Fri 1 Jan); Scotland also has 2 January
(a Saturday in 2027, so Monday 4 January is its substitute day).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from stratui.deadlines import Deadline, DeadlineKind, case_deadlines, compute_deadlines, timescale_rules
from stratui.demo import generate_demo
from stratui.migrations import migrate
from stratui.minutes import render_html, render_markdown
from stratui.models import (
    SCHEMA_VERSION,
    Child,
    ConferenceOutcome,
    Decision,
    Decisions,
    Discussion,
    DiscussionKind,
    EnquiryOutcome,
    EnquiryOutcomeKind,
    FollowUpReason,
    MeetingFormat,
    Milestone,
)
from stratui.nations import LOCAL, RULES, STATUTORY, rules_for
from stratui.settings import Settings, Timescales

TODAY = date(2026, 12, 22)
HELD = date(2026, 12, 14)
NATIONS = tuple(RULES)
K = DeadlineKind
O = EnquiryOutcomeKind
NO_CONFERENCE = (O.NOT_SUBSTANTIATED, O.NO_CONTINUING_RISK, O.CONTINUE_ASSESSMENT)


def settings_for(nation: str, **timescales: object) -> Settings:
    return Settings(nation=nation, timescales=Timescales(**timescales))


def make(
    s47: bool | None = True,
    case_ref: str = "C-100",
    held_on: date = HELD,
    concern_date: date = date(2026, 12, 11),
    **fields: object,
) -> Discussion:
    fields.setdefault("milestones", [Milestone(key="minutes", on=held_on)])
    fields.setdefault("format", MeetingFormat.VIDEO)
    return Discussion(
        case_ref=case_ref,
        children=[Child(name="Amy Smith")],
        concern_date=concern_date,
        held_on=held_on,
        social_worker="Sam Worker",
        decisions=Decisions(s47_enquiry=Decision(made=s47)),
        **fields,
    )


def deadlines(*discussions: Discussion, nation: str, **timescales: object) -> list[Deadline]:
    return compute_deadlines([d.summary() for d in discussions], TODAY, settings_for(nation, **timescales))


def kinds(found: list[Deadline]) -> list[DeadlineKind]:
    return [d.kind for d in found]


def outcome(kind: EnquiryOutcomeKind, reason: str = "Explained by a fall at nursery, seen by the GP.") -> EnquiryOutcome:
    return EnquiryOutcome(outcome=kind, on=date(2026, 12, 21), by="Sam Worker", reason=reason)


# --- the conference, counted per nation -------------------------------------------------

CONFERENCE = {
    # 15 working days from Mon 14 Dec: 15-18 (4), 21-24 (8), 29-31 (11), 4-7 Jan (15).
    "england": ("ICPC due (15 working days from the s47 strategy discussion; statutory guidance)", date(2027, 1, 7)),
    "wales": ("ICPC due (15 working days from the s47 strategy discussion; statutory guidance)", date(2027, 1, 7)),
    # 28 calendar days from Mon 14 Dec.
    "scotland": (
        "CPPM due (28 calendar days from the IRD that started the investigation; statutory guidance)",
        date(2027, 1, 11),
    ),
    # England's figure, not verified against the SBNI procedures: a local setting.
    "northern-ireland": (
        "Case conference due (15 working days from the strategy discussion that started the investigation; "
        "local practice)",
        date(2027, 1, 7),
    ),
}


@pytest.mark.parametrize("nation", NATIONS)
def test_an_enquiry_started_sets_the_nations_conference(nation: str) -> None:
    [conference] = [d for d in deadlines(make(), nation=nation) if d.kind is K.CONFERENCE]
    assert (conference.title, conference.due) == CONFERENCE[nation]
    assert conference.title.endswith(f"({conference.rule})")


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("no_conference", NO_CONFERENCE)
def test_an_outcome_needing_no_conference_closes_the_conference_deadline(
    nation: str, no_conference: EnquiryOutcomeKind
) -> None:
    found = deadlines(make(enquiry_outcome=outcome(no_conference)), nation=nation)
    assert K.CONFERENCE not in kinds(found)


@pytest.mark.parametrize("nation", NATIONS)
def test_an_outcome_needing_a_conference_keeps_the_deadline(nation: str) -> None:
    decided = make(enquiry_outcome=outcome(O.CONFERENCE, reason=""))
    [conference] = [d for d in deadlines(decided, nation=nation) if d.kind is K.CONFERENCE]
    assert (conference.title, conference.due) == CONFERENCE[nation]


@pytest.mark.parametrize("nation", NATIONS)
def test_the_conference_held_closes_its_deadline_with_its_outcome(nation: str) -> None:
    held = ConferenceOutcome(held_on=date(2026, 12, 21), child_protection_plan=True, category="neglect")
    d = make(conference_outcome=held)
    assert K.CONFERENCE not in kinds(deadlines(d, nation=nation))
    assert d.summary().milestones["conference"] == date(2026, 12, 21)


@pytest.mark.parametrize("nation", NATIONS)
def test_an_outcome_on_a_follow_up_closes_the_cases_conference(nation: str) -> None:
    first = make()
    follow_up = make(
        held_on=date(2026, 12, 18),
        previous_discussion_ids=[first.id],
        follow_up_reason=FollowUpReason.PROGRESS_REVIEW,
        enquiry_outcome=outcome(O.NOT_SUBSTANTIATED),
    )
    assert K.CONFERENCE in kinds(deadlines(first, nation=nation))
    assert K.CONFERENCE not in kinds(deadlines(first, follow_up, nation=nation))


def test_an_enquiry_outcome_other_than_a_conference_needs_its_reason() -> None:
    for kind in NO_CONFERENCE:
        with pytest.raises(ValidationError, match="needs the reason no conference is needed"):
            outcome(kind, reason="  ")
    assert outcome(O.CONFERENCE, reason="").reason == ""


def test_an_outcome_is_recorded_once_and_a_conference_not_after_none_was_needed() -> None:
    d = make()
    d.record_enquiry_outcome(O.NO_CONTINUING_RISK, date(2026, 12, 21), "Sam Worker", "Safety plan holds.")
    with pytest.raises(ValueError, match="already recorded"):
        d.record_enquiry_outcome(O.CONFERENCE, date(2026, 12, 21), "Sam Worker")
    with pytest.raises(ValueError, match="needs no conference"):
        d.record_conference(date(2026, 12, 21), "Sam Worker", True, "neglect")
    other = make()
    other.record_conference(date(2026, 12, 21), "Sam Worker", False)
    with pytest.raises(ValueError, match="already recorded as held on 21 Dec 2026"):
        other.record_conference(date(2026, 12, 22), "Sam Worker", True)


# --- the assessment: each nation's own ---------------------------------------------------


def test_england_assesses_within_45_working_days_of_the_referral_when_no_enquiry_starts() -> None:
    [assessment] = [d for d in deadlines(make(s47=False), nation="england") if d.kind is K.ASSESSMENT]
    assert assessment.title == "Child and family assessment (45 working days from referral; statutory guidance)"
    assert assessment.due == Settings().calendar().add_working_days(date(2026, 12, 11), 45)
    # An enquiry started: the conference, not a separate assessment deadline...
    assert K.ASSESSMENT not in kinds(deadlines(make(), nation="england"))
    # ...until its outcome is to continue assessing.
    continuing = make(enquiry_outcome=outcome(O.CONTINUE_ASSESSMENT))
    assert kinds(deadlines(continuing, nation="england")) == [K.ASSESSMENT]


def test_wales_assesses_under_part_3_within_42_working_days_of_the_start_of_s47() -> None:
    found = deadlines(make(), nation="wales")
    [assessment] = [d for d in found if d.kind is K.ASSESSMENT]
    assert assessment.title == (
        "Assessment under Part 3 of the 2014 Act (42 working days from the start of the section 47 enquiries; "
        "statutory guidance)"
    )
    wales = settings_for("wales")
    assert assessment.due == wales.calendar().add_working_days(HELD, 42)
    # A local setting moves it; England's 45 is not Wales's.
    [moved] = [d for d in deadlines(make(), nation="wales", wales_assessment_working_days=40) if d.kind is K.ASSESSMENT]
    assert moved.due == wales.calendar().add_working_days(HELD, 40)
    # No enquiry started: no Part 3 assessment deadline; the outcome does not close it either.
    assert K.ASSESSMENT not in kinds(deadlines(make(s47=False), nation="wales"))
    closed = make(enquiry_outcome=outcome(O.NOT_SUBSTANTIATED))
    assert kinds(deadlines(closed, nation="wales")) == [K.ASSESSMENT]
    done = make(milestones=[Milestone(key="minutes", on=HELD), Milestone(key="assessment", on=TODAY)])
    assert K.ASSESSMENT not in kinds(deadlines(done, nation="wales"))


@pytest.mark.parametrize("nation", ["scotland", "northern-ireland"])
def test_scotland_and_northern_ireland_time_no_assessment(nation: str) -> None:
    for d in (make(s47=False), make(enquiry_outcome=outcome(O.CONTINUE_ASSESSMENT))):
        assert K.ASSESSMENT not in kinds(deadlines(d, nation=nation))


# --- the discussion's own deadlines, labelled per nation ---------------------------------

OWN_TITLES = {
    "england": [
        "Strategy discussion held late: record the reason (1 working day from the concern; local practice)",
        "Circulate minutes to attendees (1 working day; local practice)",
        "Strategy meeting to follow the phone strategy discussion (5 working days; local practice)",
    ],
    "scotland": [
        "Inter-agency referral discussion (IRD) held late: record the reason (1 working day from the concern; "
        "local practice)",
        "Circulate the IRD record to attendees (1 working day; local practice)",
        "IRD meeting to follow the phone IRD (5 working days; local practice)",
    ],
}
OWN_TITLES["wales"] = OWN_TITLES["england"]
OWN_TITLES["northern-ireland"] = OWN_TITLES["england"]


@pytest.mark.parametrize("nation", NATIONS)
def test_the_discussions_own_deadlines_say_they_are_local_practice(nation: str) -> None:
    # Concern Thu 10 Dec (so due Fri 11), held Mon 14 Dec by phone, minutes not sent, a draft.
    d = make(s47=None, concern_date=date(2026, 12, 10), format=MeetingFormat.PHONE, milestones=[])
    found = deadlines(d, nation=nation, meeting_after_phone_working_days=5)
    titles = {x.kind: x.title for x in found}
    assert [titles[K.DISCUSSION], titles[K.MINUTES], titles[K.FOLLOW_UP_MEETING]] == OWN_TITLES[nation]


BASIS = {
    "england": {"discussion": LOCAL, "minutes": LOCAL, "follow-up-meeting": LOCAL, "conference": STATUTORY, "assessment": STATUTORY},
    "wales": {"discussion": LOCAL, "minutes": LOCAL, "follow-up-meeting": LOCAL, "conference": STATUTORY, "assessment": STATUTORY},
    "scotland": {
        "discussion": LOCAL, "minutes": LOCAL, "follow-up-meeting": LOCAL, "conference": STATUTORY, "assessment": LOCAL,
        # The CPPM's own record and the pre-birth CPPM's limit: national guidance.
        "conference-record": STATUTORY, "pre-birth": STATUTORY,
    },
    "northern-ireland": {"discussion": LOCAL, "minutes": LOCAL, "follow-up-meeting": LOCAL, "conference": LOCAL, "assessment": LOCAL},
}


@pytest.mark.parametrize("nation", NATIONS)
def test_every_timescale_says_whether_it_is_statutory_or_local(nation: str) -> None:
    said = timescale_rules(rules_for(nation), settings_for(nation))
    assert {kind: text.rsplit("; ", 1)[1] for kind, text in said.items()} == BASIS[nation]


# --- follow-ups: one rule, one answer -------------------------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
def test_a_follow_ups_conference_counts_from_the_discussion_that_started_the_enquiry(nation: str) -> None:
    first = make(held_on=date(2026, 12, 1))
    follow_up = make(held_on=HELD, previous_discussion_ids=[first.id], follow_up_reason=FollowUpReason.NEW_INFORMATION)
    settings = settings_for(nation)
    [conference] = [d for d in case_deadlines(follow_up.summary(), [first.summary()], TODAY, settings) if d.kind is K.CONFERENCE]
    # The same answer as the dashboard's, for the whole case.
    [dashboard] = [d for d in deadlines(first, follow_up, nation=nation) if d.kind is K.CONFERENCE]
    assert (conference.discussion_id, conference.due) == (first.id, dashboard.due)
    if rules_for(nation).conference_in_calendar_days:
        assert conference.due == date(2026, 12, 29)
    else:
        # 15 working days from Tue 1 Dec: 2-4 (3), 7-11 (8), 14-18 (13), 21-22 (15).
        assert conference.due == date(2026, 12, 22)
    # Counted from the latest discussion when the team's procedures say so.
    latest = settings_for(nation, conference_counts_from="latest-discussion")
    [counted] = [d for d in case_deadlines(follow_up.summary(), [first.summary()], TODAY, latest) if d.kind is K.CONFERENCE]
    assert counted.discussion_id == follow_up.id
    assert "from the latest" in counted.rule


def test_a_follow_up_of_another_case_does_not_count() -> None:
    other = make(case_ref="C-999", held_on=date(2026, 12, 1))
    d = make()
    [conference] = [x for x in case_deadlines(d.summary(), [other.summary()], TODAY, Settings()) if x.kind is K.CONFERENCE]
    assert conference.discussion_id == d.id


# --- the record's version ---------------------------------------------------------------------


def test_a_version_2_record_gains_nothing_it_did_not_hold() -> None:
    old = make().model_dump(mode="json")
    for key in ("enquiry_outcome", "conference_outcome", "follow_up_reason"):
        del old[key]
    old["schema_version"] = 2
    old["milestones"].append({"key": "conference", "on": "2026-12-21", "by": "Sam Worker", "note": ""})
    upgraded = Discussion.model_validate(migrate(old))
    assert upgraded.schema_version == SCHEMA_VERSION == 5
    assert (upgraded.enquiry_outcome, upgraded.conference_outcome, upgraded.follow_up_reason) == (None, None, None)
    # A conference recorded as a milestone still closes the deadline.
    assert upgraded.conference_held_on() == date(2026, 12, 21)
    assert K.CONFERENCE not in kinds(deadlines(upgraded, nation="england"))


# --- the minutes: each nation in its own words --------------------------------------------

# Words that belong to other nations' procedures (case-insensitive, whole words).
FOREIGN = {
    "england": ["IRD", "CPPM", "Article 66", "UNOCINI", "Part 3", "case conference", "child protection investigation"],
    "wales": ["IRD", "CPPM", "Article 66", "UNOCINI", "child and family assessment", "child protection investigation"],
    "scotland": [
        "section 47", "s47", "ICPC", "strategy discussion", "strategy meeting", "Article 66", "UNOCINI",
        "child and family assessment", "Part 3", "Enquiry plan",
    ],
    "northern-ireland": ["section 47", "s47", "ICPC", "IRD", "CPPM", "child and family assessment", "Part 3"],
}


def _foreign_terms(text: str, nation: str) -> list[str]:
    return [term for term in FOREIGN[nation] if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE)]


@pytest.mark.parametrize("nation", NATIONS)
def test_a_demo_per_nation_exports_minutes_in_only_its_own_words(nation: str) -> None:
    settings = settings_for(nation)
    demo = generate_demo(30, 7, TODAY, nation)
    summaries = [d.summary() for d in demo]
    follow_ups = [d for d in demo if d.previous_discussion_ids]
    assert follow_ups, "the demo has follow-ups to name their earlier discussion"
    for d in demo:
        for page in (render_markdown(d, settings, summaries), render_html(d, settings, summaries)):
            assert _foreign_terms(page, nation) == [], (nation, d.id)
            for earlier in d.previous_discussion_ids:
                assert earlier not in page
    rules = rules_for(nation)
    started = next(d for d in demo if d.decisions.s47_enquiry.made and d.kind is not DiscussionKind.NETWORK_MEETING)
    page = render_markdown(started, settings, summaries)
    assert f"### Start {rules.enquiries_name}" in page
    assert f"## 4. {rules.plan_heading}" in page
    assert f"{rules.conference_name[:1].upper()}{rules.conference_name[1:]} within:" in page


def test_a_follow_ups_minutes_name_the_earlier_discussion_and_the_reason() -> None:
    first = make(held_on=date(2026, 12, 1))
    follow_up = make(previous_discussion_ids=[first.id], follow_up_reason=FollowUpReason.ENQUIRY_STALLED)
    for nation, name in (("england", "Strategy discussion"), ("scotland", "Inter-agency referral discussion (IRD)")):
        page = render_markdown(follow_up, settings_for(nation), [first.summary()])
        assert f"- **Follows:** {name} of 1 Dec 2026, case C-100" in page
        assert "- **Reason for this follow-up:** the enquiry is not progressing" in page
        assert first.id not in page


def test_the_minutes_show_the_outcomes_in_the_nations_words() -> None:
    d = make(
        enquiry_outcome=outcome(O.CONFERENCE, reason=""),
        conference_outcome=ConferenceOutcome(held_on=date(2026, 12, 21), by="Sam Worker", child_protection_plan=True, category="neglect"),
    )
    england = render_markdown(d, settings_for("england"))
    assert "**Outcome of the section 47 enquiry:** Concerns substantiated, child at continuing risk: conference needed" in england
    assert "**Initial child protection conference (ICPC):** held 21 Dec 2026, recorded by Sam Worker" in england
    assert "**Child protection plan:** Yes" in england
    assert "**Category:** neglect" in england
    scotland = render_markdown(d, settings_for("scotland"))
    assert "**Outcome of the child protection investigation:**" in scotland
    assert "**Child protection planning meeting (CPPM):** held 21 Dec 2026" in scotland
    closed = render_markdown(make(enquiry_outcome=outcome(O.NOT_SUBSTANTIATED)), settings_for("northern-ireland"))
    assert "**Outcome of the Article 66 investigation:** Concerns not substantiated: no conference" in closed
    assert "**Why no conference is needed:** Explained by a fall at nursery, seen by the GP." in closed

"""The demo does not contradict itself: 500 records of each nation read as that nation's, and
the child's age, the concern, the decisions and the people fit one another (issue 13 item 6).

The rules are read from the records as a reader would, not from the generator's scenarios.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from stratui import agencies, nations
from stratui.demo import generate_demo
from stratui.models import Child, Discussion, DiscussionKind, is_family
from stratui.text import strings_in

TODAY = date(2026, 11, 25)
COUNT = 500
NATIONS = ("england", "wales", "scotland", "northern-ireland")

# Each nation's terms that no other nation's text may use (whole words; case as written).
OWN_TERMS = {
    "england": [r"section 47", r"\bs47\b", r"\bICPC\b", r"children's social care", r"child and family assessment"],
    "wales": [r"Part 3 assessment", r"social services"],
    "scotland": [
        r"\bIRD\b", r"\bCPPM\b", r"Police Scotland", r"health board", r"\bthe Reporter\b", r"Children's Reporter",
        r"joint investigative interview", r"Named Person", r"social work\b",
    ],
    "northern-ireland": [r"\bPSNI\b", r"HSC Trust", r"Article 66", r"\bUNOCINI\b", r"case conference", r"Gateway"],
}
# Terms a nation shares with others (Wales keeps s47 and the ICPC; Northern Ireland says "social services").
SHARED = {
    "wales": {r"section 47", r"\bs47\b", r"\bICPC\b", r"health board"},
    "northern-ireland": {r"social services"},
    "england": set(),
    "scotland": set(),
}


# What each nation's demo must say in its own words (issue 13 item 6).
SIGNATURE = {
    "england": ["section 47", "ICPC", "children's social care", "child and family assessment", "ABE"],
    "wales": ["section 47", "ICPC", "social services", "Part 3 assessment", "Health Board"],
    "scotland": ["IRD", "CPPM", "Police Scotland", "the Reporter", "joint investigative interview", "Social work", "NHS"],
    "northern-ireland": ["PSNI", "HSC Trust", "Article 66", "UNOCINI", "case conference", "ABE"],
}


def forbidden(nation: str) -> list[str]:
    own = set(OWN_TERMS[nation]) | SHARED[nation]
    return [term for other, terms in OWN_TERMS.items() if other != nation for term in terms if term not in own]


@pytest.fixture(scope="module", params=NATIONS)
def demo(request: pytest.FixtureRequest) -> tuple[str, list[Discussion]]:
    return request.param, generate_demo(COUNT, 11, TODAY, request.param)


# Fields that hold codes rather than text.
_CODES = {"id", "kind", "format", "status", "attendance", "key", "carried_from", "previous_discussion_ids", "schema_version"}


def text_of(d: Discussion) -> str:
    return "\n".join(strings_in(d.model_dump(mode="json"), _CODES))


def months(child: Child, on: date) -> float | None:
    """Age in months at `on`; None for an unborn baby; whole years for an age without a date."""
    if child.date_of_birth is not None:
        return (on - child.date_of_birth).days / 30.44
    if child.age.startswith("unborn"):
        return None
    return int(re.search(r"\d+", child.age).group()) * 12  # type: ignore[union-attr]


def subject_months(d: Discussion) -> float | None:
    return months(d.children[0], d.held_on)


def has(text: str, *patterns: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def test_every_nation_makes_records(demo):
    nation, discussions = demo
    assert len(discussions) == COUNT
    assert {d.kind for d in discussions} == set(DiscussionKind)


def test_no_other_nation_s_words(demo):
    nation, discussions = demo
    terms = forbidden(nation)
    for d in discussions:
        text = text_of(d)
        found = [term for term in terms if re.search(term, text)]
        assert not found, (nation, d.case_ref, found)


def test_each_nation_s_own_words_appear(demo):
    nation, discussions = demo
    text = "\n".join(text_of(d) for d in discussions)
    for term in SIGNATURE[nation]:
        assert re.search(term, text), (nation, term)


def test_baby_texts_only_for_young_children(demo):
    nation, discussions = demo
    for d in discussions:
        age = subject_months(d)
        lived = d.information.lived_experience
        if has(lived, r"\bbab(y|ies)\b", r"nappy", r"nursery", r"\bpram\b", r"\bcot\b", r"toddler"):
            assert age is None or age < 60, (d.case_ref, age, lived)


def test_non_mobile_babies_are_young(demo):
    nation, discussions = demo
    for d in discussions:
        if has(text_of(d), r"non-mobile", r"not yet (rolling|mobile)"):
            age = subject_months(d)
            assert age is not None and age <= 18, (d.case_ref, age)


def test_self_harm_only_for_older_children(demo):
    nation, discussions = demo
    for d in discussions:
        if has(text_of(d), r"self-harm"):
            age = subject_months(d)
            assert age is not None and age >= 10 * 12, (d.case_ref, age)


def test_unborn_only_for_pre_birth_concerns(demo):
    nation, discussions = demo
    unborn = [d for d in discussions if any(c.age.startswith("unborn") for c in d.children + d.other_children)]
    assert unborn
    pre_birth = {d.case_ref for d in discussions if has(d.information.concerns, r"pre-birth")}
    for d in unborn:
        child = d.children[0]
        assert child.date_of_birth is None and child.age.startswith("unborn, due")
        assert d.case_ref in pre_birth
        assert not any(c.age.startswith("unborn") for c in d.other_children)
        assert not d.decisions.immediate_protection.made and not d.plan.child_seen_on
    for d in discussions:
        if has(d.information.concerns, r"pre-birth"):
            assert d.children[0].age.startswith("unborn"), d.case_ref


INJURY_OR_DISCLOSURE = (r"bruis", r"fractur", r"\bburns?\b", r"disclos", r"injur")


def test_injury_or_disclosure_means_a_joint_investigation(demo):
    nation, discussions = demo
    checked = 0
    for d in discussions:
        if d.kind is DiscussionKind.NETWORK_MEETING or not has(d.information.concerns, *INJURY_OR_DISCLOSURE):
            continue
        checked += 1
        assert d.decisions.s47_enquiry.made is True, d.case_ref
        assert d.decisions.joint_investigation.made is True, d.case_ref
        assert any(agencies.seat_of(p.agency, p.role) == "Police" for p in d.participants)
    assert checked > 50


def test_not_safe_at_home_means_immediate_protection(demo):
    nation, discussions = demo
    unsafe = [d for d in discussions if d.risk.safe_at_home is False]
    assert unsafe
    for d in discussions:
        if d.kind is DiscussionKind.NETWORK_MEETING:
            continue
        assert (d.risk.safe_at_home is False) == (d.decisions.immediate_protection.made is True), d.case_ref


def test_police_checks_are_intelligence_checks_never_dbs(demo):
    nation, discussions = demo
    text = "\n".join(text_of(d) for d in discussions)
    assert not re.search(r"\bDBS\b|disclosure and barring", text, re.IGNORECASE)
    assert re.search(r"intelligence checks", text)


def test_siblings_are_born_apart_with_their_own_names(demo):
    nation, discussions = demo
    for d in discussions:
        household = d.children + d.other_children
        firsts = [c.name.split()[0] for c in household]
        assert len(firsts) == len(set(firsts)), (d.case_ref, firsts)
        born = [c for c in household if c.date_of_birth is not None]
        for i, a in enumerate(born):
            for b in born[i + 1 :]:
                assert abs((a.date_of_birth - b.date_of_birth).days) >= 270, (d.case_ref, a, b)  # type: ignore[operator]
        by_age = [c for c in household if c.date_of_birth is None and not c.age.startswith("unborn")]
        for child in by_age:
            years = months(child, d.held_on) // 12  # type: ignore[operator]
            others = [months(c, d.held_on) for c in household if c is not child]
            assert all(m is None or m // 12 != years for m in others), (d.case_ref, household)
        for child in household:
            assert child.date_of_birth is not None or child.age, (d.case_ref, child)
    assert any(c.age and not c.age.startswith("unborn") for d in discussions for c in d.other_children)


def test_interviews_only_for_children_old_enough(demo):
    nation, discussions = demo
    interviewed = 0
    for d in discussions:
        if has(text_of(d), r"\bABE\b", r"achieving best evidence", r"joint investigative interview", r"video interview"):
            interviewed += 1
            age = subject_months(d)
            assert age is not None and age >= 36, (d.case_ref, age)
    assert interviewed


def test_every_participant_and_action_has_a_recognised_agency(demo):
    nation, discussions = demo
    for d in discussions:
        # The family at a network meeting is no agency's seat (stratui.models.is_family).
        for p in (p for p in d.participants if not is_family(p)):
            assert agencies.seat_of(p.agency, p.role), (nation, p.agency, p.role)
            assert len(p.name.split()) == 2 and p.name[0].isupper(), p.name
        for a in d.actions:
            assert agencies.canonical_agency(a.agency), (nation, a.agency)


def test_the_nation_s_attendees_are_accounted_for(demo):
    """Police, social care and health (and the manager where required) are there or say why."""
    nation, discussions = demo
    for d in discussions:
        assert nations.record_attendance_gaps(d, nation) == [], (nation, d.case_ref)


def test_a_medical_examination_has_a_medic_at_the_table(demo):
    nation, discussions = demo
    medicals = [d for d in discussions if d.decisions.medical_examination.made]
    assert medicals
    for d in medicals:
        assert any(nations.is_medical(p) for p in d.participants), d.case_ref


def test_the_age_fits_who_attends(demo):
    nation, discussions = demo
    for d in discussions:
        age = subject_months(d)
        seats = {p.agency for p in d.participants}
        roles = {p.role for p in d.participants}
        if age is None or age < 48:
            assert "School" not in seats, (d.case_ref, age)
        if age is None or age >= 60:
            assert not any("Health visitor" in r for r in roles), (d.case_ref, age)
            assert "Nursery / early years" not in seats, (d.case_ref, age)


def test_there_is_something_for_the_dashboard(demo):
    nation, discussions = demo
    assert any(d.is_signed_off for d in discussions) and any(not d.is_signed_off for d in discussions)
    assert any(a.is_open and a.due < TODAY for d in discussions for a in d.actions)  # type: ignore[operator]
    assert any(d.previous_discussion_ids for d in discussions)
    assert any(d.decisions.inform_parents.made is False for d in discussions)

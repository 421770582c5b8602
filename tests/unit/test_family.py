"""The child and the family: the optional parts of the record, their minutes, and older records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from stratui.cli import main
from stratui.demo import generate_demo
from stratui.family import Adult, ChildProfile, ConsentToShare, Family, ParentsTold, Referrer
from stratui.minutes import render_html, render_markdown
from stratui.models import Child, Discussion, DiscussionStatus
from stratui.store import Store

MakeDiscussion = Callable[..., Discussion]
# Written by stratui before these fields existed (`stratui demo --count 3 --seed 7`, schema 2).
BEFORE = Path(__file__).parent.parent / "fixtures" / "v2_database"
HEADING = "## The child and the family"


def rich_family() -> Family:
    return Family(
        adults=[
            Adult(
                name="Grace Okafor",
                relationship="mother of Maya",
                parental_responsibility=True,
                address="14 Elm Road, Leeds LS6 2AB",
                alleged_source_of_harm=False,
            ),
            Adult(name="Dean Cole", relationship="mother's partner", parental_responsibility=False, alleged_source_of_harm=True),
        ],
        referrer=Referrer(
            name="Ms Hart", agency_role="DSL, Oakfield Primary", relationship="class teacher",
            feedback_given=True, feedback_on=date(2026, 11, 21),
        ),
        consent=ConsentToShare(sought=False, not_sought_reason="Seeking it would alert the alleged perpetrator",
                               legal_basis="UK GDPR Art 6(1)(e), Art 9(2)(g); DPA 2018 Sch 1 para 18"),
        parents_told=ParentsTold(on=date(2026, 11, 22), by="Sam Patel"),
    )


def rich_profile() -> ChildProfile:
    return ChildProfile(
        gender="Female",
        ethnicity="Black or Black British: African",
        religion="Christian",
        first_language="Yoruba",
        interpreter_needed=True,
        disability="None known",
        communication_needs="Speaks little English at school",
        wishes_and_feelings="Maya said she wants to stay with her mum.\n\nShe is scared of Dean.",
        seen=True,
        seen_alone=False,
        not_seen_alone_reason="Too distressed to be apart from her mother",
    )


# -- older records ---------------------------------------------------------------------------


@pytest.fixture
def old_db(older_database: Callable[[str], Path]) -> Path:
    return older_database(BEFORE.name)


def test_the_fixture_was_written_without_the_new_fields() -> None:
    files = list((BEFORE / "discussions").glob("*/*.json"))
    assert len(files) == 3
    for path in files:
        text = path.read_text("utf-8")
        assert '"profile"' not in text and '"family"' not in text


def test_a_record_written_before_these_fields_loads_with_them_blank(old_db: Path) -> None:
    store = Store.open(old_db, user="tester")
    summaries = store.summaries()
    assert len(summaries) == 3
    for summary in summaries:
        record = store.get(summary.id)
        assert record.children and all(c.profile == ChildProfile() for c in record.children + record.other_children)
        assert record.family == Family()
        # Nothing recorded: the minutes are as they were.
        assert HEADING not in render_markdown(record)


def test_an_older_record_takes_the_new_fields_and_keeps_them(old_db: Path) -> None:
    store = Store.open(old_db, user="tester")
    record = store.get(next(s.id for s in store.summaries() if s.status is DiscussionStatus.DRAFT))
    record.children[0].profile = rich_profile()
    record.family = rich_family()
    store.save(record)
    again = Store.open(old_db, user="tester").get(record.id)
    assert again.children[0].profile == rich_profile()
    assert again.family == rich_family()


# -- the models ------------------------------------------------------------------------------


def test_a_blank_part_is_blank_and_a_filled_one_is_not() -> None:
    assert ChildProfile().is_blank and Family().is_blank and Referrer().is_blank
    assert not ChildProfile(seen=False).is_blank
    assert not Family(adults=[Adult(name="Grace")]).is_blank


def test_hostile_text_in_the_family_is_neutralised() -> None:
    adult = Adult(name="Grace\x1b]0;owned\x07 Okafor", address="1 Road\u202eevil")
    assert "\x1b" not in adult.name and "\u241b" in adult.name
    assert "\u202e" not in adult.address
    profile = ChildProfile(wishes_and_feelings="line one\r\nline two")
    assert profile.wishes_and_feelings == "line one\nline two"


def test_an_unknown_key_in_the_family_is_an_error_not_dropped() -> None:
    with pytest.raises(ValidationError):
        Family.model_validate({"adults": [{"name": "Grace", "pr": True}]})
    with pytest.raises(ValidationError):
        Child.model_validate({"name": "Maya", "profile": {"eye_colour": "brown"}})


def test_an_unborn_child_is_shown_by_the_due_date() -> None:
    child = Child(name="Baby Okafor", profile=ChildProfile(due_date=date(2027, 3, 3)))
    assert child.born == "unborn, due 3 Mar 2027"
    # A date of birth, once there is one, is what the record shows.
    born = child.model_copy(update={"date_of_birth": date(2027, 3, 1)})
    assert born.born == "date of birth 1 Mar 2027"


def test_a_too_long_address_is_a_problem_before_sign_off_not_a_lost_draft(make_discussion: MakeDiscussion) -> None:
    record = make_discussion(family=Family(adults=[Adult(name="Grace", address="x" * 300)]))
    problems = record.rule_problems()
    assert any("Family adults 1 address" in p and "300" in p for p in problems), problems


def test_the_json_schema_holds_the_child_and_the_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "family" in schema["properties"]
    defs = schema["$defs"]
    assert {"wishes_and_feelings", "seen_alone", "due_date", "interpreter_needed", "ethnicity"} <= set(
        defs["ChildProfile"]["properties"]
    )
    assert {"parental_responsibility", "alleged_source_of_harm", "address"} <= set(defs["Adult"]["properties"])
    assert {"sought", "given", "not_sought_reason", "legal_basis"} <= set(defs["ConsentToShare"]["properties"])
    assert {"feedback_given", "feedback_on", "agency_role"} <= set(defs["Referrer"]["properties"])
    assert {"on", "by"} <= set(defs["ParentsTold"]["properties"])


# -- the minutes -----------------------------------------------------------------------------


def test_the_minutes_show_every_field_of_the_child_and_the_family(make_discussion: MakeDiscussion) -> None:
    child = Child(name="Maya Okafor", date_of_birth=date(2019, 3, 14), profile=rich_profile())
    minutes = render_markdown(make_discussion(children=[child], family=rich_family()))
    section = minutes[minutes.index(HEADING):minutes.index("## Participants")]
    for expected in (
        "### Maya Okafor",
        "**Gender:** Female",
        "**Ethnicity:** Black or Black British: African",
        "**Religion:** Christian",
        "**First language:** Yoruba; interpreter needed",
        "**Disability:** None known",
        "**Communication needs:** Speaks little English at school",
        "**Seen:** Yes; seen alone: No (Too distressed to be apart from her mother)",
        "**The child's wishes and feelings:** Maya said she wants to stay with her mum.\n\nShe is scared of Dean.",
        "### Parents and carers",
        "| Name | Relationship | Parental responsibility | Address | Alleged source of harm |",
        "| Grace Okafor | mother of Maya | Yes | 14 Elm Road, Leeds LS6 2AB | No |",
        "| Dean Cole | mother's partner | No | Not recorded | Yes |",
        "**Name:** Ms Hart",
        "**Agency / role:** DSL, Oakfield Primary",
        "**Relationship to the child:** class teacher",
        "**Feedback to the referrer:** Given, on 21 Nov 2026",
        "**Consent sought:** No: Seeking it would alert the alleged perpetrator",
        "**Legal basis for sharing:** UK GDPR Art 6(1)(e), Art 9(2)(g); DPA 2018 Sch 1 para 18",
        "### Parents/carers told",
        "Told on 22 Nov 2026 by Sam Patel.",
    ):
        assert expected in section, expected


def test_only_the_parts_filled_in_are_shown(make_discussion: MakeDiscussion) -> None:
    child = Child(name="Maya Okafor", profile=ChildProfile(first_language="Polish", seen=True))
    minutes = render_markdown(make_discussion(children=[child], family=Family(consent=ConsentToShare(sought=True, given=False))))
    section = minutes[minutes.index(HEADING):minutes.index("## Participants")]
    assert "**First language:** Polish" in section
    assert "**Seen:** Yes; seen alone: Not recorded" in section
    assert "**Consent sought:** Yes: refused" in section
    assert "**Legal basis for sharing:** Not recorded" in section
    for absent in ("Gender", "Ethnicity", "wishes and feelings", "Parents and carers", "The referrer", "Parents/carers told"):
        assert absent not in section, absent


def test_an_unborn_childs_due_date_is_in_the_minutes(make_discussion: MakeDiscussion) -> None:
    baby = Child(name="Unborn baby Okafor", profile=ChildProfile(due_date=date(2027, 3, 3)))
    minutes = render_markdown(make_discussion(children=[baby]))
    assert "**Unborn baby Okafor** (unborn, due 3 Mar 2027)" in minutes
    assert "**Expected due date:** 3 Mar 2027" in minutes


def test_text_typed_in_the_family_cannot_change_the_minutes_structure(make_discussion: MakeDiscussion) -> None:
    family = Family(adults=[Adult(name="# Grace | <script>x</script>", relationship="mother\n## not a heading")])
    markdown = render_markdown(make_discussion(family=family))
    assert "\n# Grace" not in markdown and "\n## not a heading" not in markdown
    assert "\\# Grace \\| \\<script\\>x\\</script\\>" in markdown
    html = render_html(make_discussion(family=family))
    assert "<script>" not in html


# -- the demo --------------------------------------------------------------------------------

DEMO_TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo() -> list[Discussion]:
    return generate_demo(300, 5, DEMO_TODAY)


def test_the_demo_fills_the_family_in_some_records_not_all(demo: list[Discussion]) -> None:
    filled = [d for d in demo if not d.family.is_blank]
    assert 0.3 * len(demo) < len(filled) < 0.9 * len(demo)
    assert any(any(not c.profile.is_blank and c.date_of_birth for c in d.children) for d in demo)
    assert any(a.alleged_source_of_harm for d in demo for a in d.family.adults)


def test_the_demo_s_child_details_fit_the_child(demo: list[Discussion]) -> None:
    for d in demo:
        for child in d.children:
            p = child.profile
            if child.date_of_birth is None:
                # Unborn: a due date after the discussion, nothing a born child would have.
                assert p.due_date is not None and p.due_date > d.held_on, d.case_ref
                assert p.seen is None and not p.wishes_and_feelings and not p.gender, d.case_ref
                continue
            assert p.due_date is None
            years = (d.held_on - child.date_of_birth).days / 365.25
            if p.wishes_and_feelings or p.seen_alone:
                assert p.seen and years >= 4, (d.case_ref, years)
            if p.seen is False:
                assert p.seen_alone is None and not p.not_seen_alone_reason


def test_the_demo_s_family_fits_the_decisions_and_the_dates(demo: list[Discussion]) -> None:
    by_id = {d.id: d for d in demo}
    for d in demo:
        family = d.family
        earlier = by_id[d.previous_discussion_ids[0]].family if d.previous_discussion_ids else None
        if earlier is not None:
            # A follow-up is about the same family; what was done before stays done.
            assert (family.adults, family.referrer) == (earlier.adults, earlier.referrer), d.case_ref
            if earlier.parents_told.on is not None:
                assert family.parents_told == earlier.parents_told
                continue
        if family.parents_told.on is not None:
            assert d.decisions.inform_parents.made is True
            assert d.held_on <= family.parents_told.on < DEMO_TODAY, d.case_ref
        if family.consent.sought is False:
            assert family.consent.not_sought_reason
        if family.referrer.feedback_on is not None and earlier is None:
            assert family.referrer.feedback_given and d.held_on <= family.referrer.feedback_on <= DEMO_TODAY
        if family.adults and d.children[0].date_of_birth is not None:
            assert any(a.parental_responsibility for a in family.adults), d.case_ref
        if d.previous_discussion_ids:
            assert [c.profile for c in d.children] == [c.profile for c in by_id[d.previous_discussion_ids[0]].children]


def test_a_follow_up_keeps_the_family_and_the_children_s_details(context, make_discussion: MakeDiscussion) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from stratui.models import DiscussionKind
    from stratui.starting import follow_up

    child = Child(name="Maya Okafor", date_of_birth=date(2019, 3, 14), profile=rich_profile())
    earlier = make_discussion(children=[child], family=rich_family())
    later = follow_up(context, earlier, DiscussionKind.STRATEGY_DISCUSSION, datetime(2026, 11, 25, 10, 0))
    assert later.family == rich_family() and later.children[0].profile == rich_profile()
    # Copies, not the same objects: changing the follow-up leaves the earlier record as it was.
    later.family.adults[0].address = "a new address"
    later.children[0].profile.religion = "changed"
    assert earlier.family.adults[0].address == "14 Elm Road, Leeds LS6 2AB"
    assert earlier.children[0].profile.religion == "Christian"

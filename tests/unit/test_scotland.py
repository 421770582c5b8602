"""Scotland's IRD in its own words and rules (National Guidance for Child Protection in Scotland
2021, updated 2023): the CPPM record, the pre-birth CPPM, "CPPM not required", the lead
professional, and the IRD's decisions (Named Person, interim safety plan, JII, the Reporter)."""

from __future__ import annotations

from datetime import date

import pytest

from stratui.deadlines import DeadlineKind as K
from stratui.deadlines import compute_deadlines, pre_birth_limit, timescale_rules
from stratui.demo import generate_demo
from stratui.family import ChildProfile
from stratui.minutes import render_markdown
from stratui.models import (
    Child,
    Decision,
    Decisions,
    Discussion,
    DiscussionKind,
    EnquiryOutcomeKind,
    IRDDecisions,
    Milestone,
    ReporterReferral,
)
from stratui.nations import LOCAL, STATUTORY, ird_problems, lead_problems, rules_for
from stratui.phases import completeness
from stratui.settings import Settings, Timescales

# Mon 2 Nov 2026, Scotland: the CPPM is due 28 calendar days later, Mon 30 Nov.
HELD = date(2026, 11, 2)
TODAY = date(2026, 11, 3)


def scottish(**timescales: int) -> Settings:
    return Settings(nation="scotland", timescales=Timescales(**timescales))


def ird(**overrides: object) -> Discussion:
    fields: dict[str, object] = dict(
        case_ref="SC-1", concern_date=HELD, held_on=HELD, children=[Child(name="Ava", age="6")],
        decisions=Decisions(s47_enquiry=Decision(made=True, rationale="Disclosure of harm.")),
        milestones=[Milestone(key="minutes", on=HELD)],
    )
    fields.update(overrides)
    return Discussion(**fields)  # type: ignore[arg-type]


def by_kind(d: Discussion, today: date = TODAY, settings: Settings | None = None) -> dict[K, list]:
    found: dict[K, list] = {}
    for deadline in compute_deadlines([d.summary()], today, settings or scottish()):
        found.setdefault(deadline.kind, []).append(deadline)
    return found


# --- the record of the CPPM ------------------------------------------------------------------


def test_the_cppm_record_is_due_ten_working_days_from_the_cppm_held_not_from_the_ird() -> None:
    d = ird(milestones=[Milestone(key="minutes", on=HELD), Milestone(key="conference", on=date(2026, 11, 27))])
    [record] = by_kind(d, date(2026, 11, 27))[K.CONFERENCE_RECORD]
    # Fri 27 Nov + 10 working days (Scotland's St Andrew's Day, Mon 30 Nov, is not one).
    assert record.due == date(2026, 12, 14)
    assert record.title == "Circulate the record of the CPPM (10 working days from the CPPM; statutory guidance)"
    assert record.rule == "10 working days from the CPPM; statutory guidance"


def test_the_cppm_record_deadline_comes_from_the_setting_and_closes_with_its_milestone() -> None:
    held = Milestone(key="conference", on=date(2026, 11, 27))
    d = ird(milestones=[Milestone(key="minutes", on=HELD), held])
    [record] = by_kind(d, date(2026, 11, 27), scottish(scotland_cppm_record_working_days=5))[K.CONFERENCE_RECORD]
    assert record.due == date(2026, 12, 7)
    assert "5 working days from the CPPM" in record.title
    d.milestones.append(Milestone(key="conference-record", on=date(2026, 12, 1)))
    assert K.CONFERENCE_RECORD not in by_kind(d, date(2026, 12, 1))


def test_no_cppm_record_deadline_before_a_cppm_is_held_nor_in_england() -> None:
    assert K.CONFERENCE_RECORD not in by_kind(ird())
    held = ird(milestones=[Milestone(key="minutes", on=HELD), Milestone(key="conference", on=date(2026, 11, 20))])
    assert K.CONFERENCE_RECORD not in by_kind(held, date(2026, 11, 20), Settings(nation="england"))


def test_the_ird_record_stays_local_practice_and_the_cppm_record_statutory() -> None:
    said = timescale_rules(rules_for("scotland"), scottish())
    assert said["minutes"] == "1 working day; local practice"
    assert said["conference-record"].endswith(STATUTORY)
    assert rules_for("scotland").basis_of("minutes") == LOCAL
    assert "conference-record" not in timescale_rules(rules_for("england"), Settings())


# --- the pre-birth CPPM ----------------------------------------------------------------------


def unborn(due: date) -> Child:
    return Child(name="Unborn baby Reid", age="unborn", profile=ChildProfile(due_date=due))


def test_a_pre_birth_cppm_is_due_by_28_weeks_of_pregnancy_when_that_comes_before_the_28_days() -> None:
    # Due 15 Feb 2027: 28 weeks of pregnancy is 12 weeks earlier, Mon 23 Nov 2026 (before 30 Nov).
    assert pre_birth_limit(date(2027, 2, 15), 28) == date(2026, 11, 23)
    [conference] = by_kind(ird(children=[unborn(date(2027, 2, 15))]))[K.CONFERENCE]
    assert conference.due == date(2026, 11, 23)
    assert conference.title.startswith("Pre-birth CPPM due (28 calendar days from the IRD")
    assert "and by week 28 of pregnancy; statutory guidance" in conference.rule


def test_a_pre_birth_cppm_keeps_the_28_days_when_28_weeks_is_later_or_already_past() -> None:
    [later] = by_kind(ird(children=[unborn(date(2027, 5, 1))]))[K.CONFERENCE]
    assert later.due == date(2026, 11, 30)
    # 28 weeks already passed at the IRD: the 28 days stand (never a deadline before the IRD).
    [past] = by_kind(ird(children=[unborn(date(2026, 12, 20))]))[K.CONFERENCE]
    assert past.due == date(2026, 11, 30)


def test_the_week_of_pregnancy_is_a_setting_and_zero_turns_it_off() -> None:
    d = ird(children=[unborn(date(2027, 2, 15))])
    # Week 26: 14 weeks before the due date, Mon 9 Nov 2026.
    [by_26] = by_kind(d, settings=scottish(scotland_pre_birth_cppm_by_week=26))[K.CONFERENCE]
    assert by_26.due == date(2026, 11, 9) and "by week 26 of pregnancy" in by_26.title
    [off] = by_kind(d, settings=scottish(scotland_pre_birth_cppm_by_week=0))[K.CONFERENCE]
    assert off.due == date(2026, 11, 30) and "pregnancy" not in off.title


def test_england_has_no_pre_birth_limit() -> None:
    [icpc] = by_kind(ird(children=[unborn(date(2027, 2, 15))]), settings=Settings(nation="england"))[K.CONFERENCE]
    assert "pregnancy" not in icpc.title


# --- CPPM not required -----------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [o for o in EnquiryOutcomeKind if not o.needs_conference])
def test_cppm_not_required_closes_the_cppm_deadline_in_scotlands_words(outcome: EnquiryOutcomeKind) -> None:
    d = ird()
    assert K.CONFERENCE in by_kind(d)
    d.record_enquiry_outcome(outcome, date(2026, 11, 20), "Jo Reid", "Explained by an accident; no harm.")
    assert K.CONFERENCE not in by_kind(d, date(2026, 11, 20))
    label = rules_for("scotland").outcome_label(outcome)
    assert label.startswith("CPPM not required")
    page = render_markdown(d, scottish())
    assert f"**Outcome of the child protection investigation:** {label}" in page
    assert "**Why a CPPM is not required:** Explained by an accident; no harm." in page
    # The other nations keep the shared words.
    assert rules_for("england").outcome_label(outcome) == outcome.label


# --- the lead professional and the IRD's decisions ---------------------------------------------


def test_sign_off_waits_for_the_lead_professional_in_scotland_only() -> None:
    d = ird()
    [problem] = lead_problems(d, "scotland")
    assert problem.startswith("Planning > Lead professional: in Scotland a lead professional is named before the IRD closes")
    assert problem in completeness(d, "scotland")
    assert lead_problems(d, "england") == []
    d.plan.lead = "Sam Patel"
    assert lead_problems(d, "scotland") == []
    assert lead_problems(ird(kind=DiscussionKind.NETWORK_MEETING), "scotland") == []


def test_an_ird_decision_answered_needs_its_reason_and_a_referral_its_date() -> None:
    d = ird()
    assert ird_problems(d, "scotland") == []  # optional: blank is fine
    d.decisions.ird = IRDDecisions(
        joint_investigative_interview=Decision(made=True),
        reporter_referral=ReporterReferral(made=True, rationale="Compulsory measures may be needed."),
    )
    assert ird_problems(d, "scotland") == [
        "Decisions > Joint investigative interview (Scottish Child Interview Model) > Reason: not recorded.",
        "Decisions > Date referred to the Reporter: the child is referred: say when (or when by).",
    ]
    assert ird_problems(d, "england") == []


def test_old_records_load_with_blank_ird_decisions() -> None:
    data = ird().model_dump(mode="json")
    del data["decisions"]["ird"]
    assert Discussion.model_validate(data).decisions.ird.is_blank


def test_the_minutes_show_the_ird_decisions_in_scotlands_words() -> None:
    d = ird(children=[unborn(date(2027, 2, 15))])
    d.plan.lead = "Sam Patel"
    d.decisions.ird = IRDDecisions(
        named_person="Community midwife",
        interim_safety_plan="Midwife visits weekly.",
        joint_investigative_interview=Decision(made=False, rationale="Unborn baby: no interview."),
        reporter_referral=ReporterReferral(made=None),
    )
    page = render_markdown(d, scottish())
    for line in (
        "### Joint investigative interview (Scottish Child Interview Model)",
        "**Reason:** Unborn baby: no interview.",
        "### Referral to the Children's Reporter",
        "### Interim safety plan\n\nMidwife visits weekly.",
        "**Named Person (where the local area has one):** Community midwife",
        "- **Lead professional:** Sam Patel",
        "- **Pre-birth child protection planning meeting (CPPM) within:** 28 calendar days",
        "- **Week 28 of pregnancy reached on:** 23 Nov 2026 (expected date of delivery 15 Feb 2027)",
        "- **Record of the CPPM circulated within:** 10 working days from the CPPM; statutory guidance",
    ):
        assert line in page
    english = render_markdown(d, Settings(nation="england"))
    assert "Reporter" not in english and "Named Person" not in english


def test_a_scottish_demo_records_the_ird_decisions_coherently() -> None:
    demo = [d for d in generate_demo(120, 5, date(2026, 11, 25), "scotland") if d.kind is not DiscussionKind.NETWORK_MEETING]
    for d in demo:
        jii, reporter = d.decisions.ird.joint_investigative_interview, d.decisions.ird.reporter_referral
        assert ird_problems(d, "scotland") == [] and lead_problems(d, "scotland") == [], d.id
        # An interview only where the police investigate jointly; the Reporter once the investigation starts.
        assert not jii.made or d.decisions.joint_investigation.made
        assert not reporter.made or (d.decisions.s47_enquiry.made and reporter.referred_on is not None)
    assert any(d.decisions.ird.reporter_referral.made for d in demo)
    assert any(d.decisions.ird.joint_investigative_interview.made for d in demo)
    assert all(d.decisions.ird.is_blank for d in generate_demo(30, 5, date(2026, 11, 25), "england"))


def test_the_decisions_screens_hint_names_a_pre_birth_cppm_as_the_engine_does() -> None:
    from stratui.screens.decisions import s47_deadline_lines

    d = ird(children=[unborn(date(2027, 2, 15))])
    [line] = s47_deadline_lines(d, [], TODAY, scottish())
    assert line.startswith("Pre-birth CPPM due by Mon 23 Nov 2026 (28 calendar days from the IRD")
    assert line.endswith("and by week 28 of pregnancy; statutory guidance): counted from this IRD")

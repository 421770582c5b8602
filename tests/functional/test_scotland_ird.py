"""A Scottish IRD recorded by keys at 80x24: the IRD's own decisions (interim safety plan, the
joint investigative interview, the referral to the Children's Reporter), the Named Person and
the lead professional, seen in the minutes preview; sign-off waits for the lead professional;
a Scottish demo's minutes never use England's words. Today is Wed 25 Nov 2026 (conftest)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from stratui.cli import main
from stratui.context import Context, open_context
from stratui.models import Discussion, DiscussionStatus
from stratui.screens.decisions import DecisionsScreen
from stratui.screens.review import ReviewScreen

from pilot import (
    open_minutes_preview,
    open_review,
    press_to,
    refused_sign_off,
    save_now,
    start_discussion,
    stratui_at_80x24,
    tab_to,
    text_of,
    type_text,
)


def scottish_context(tmp_path: Path) -> Context:
    config = tmp_path / "settings.toml"
    config.write_text('nation = "scotland"\n', encoding="utf-8")
    return open_context(db=tmp_path / "db", config=config, today="2026-11-25")


async def test_a_scottish_ird_records_its_own_decisions_and_the_minutes_show_them(tmp_path: Path) -> None:
    context = scottish_context(tmp_path)
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        assert isinstance(app.screen, DecisionsScreen)
        screen_text = "\n".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Joint investigative interview (Scottish Child Interview Model)" in screen_text
        assert "Referral to the Children's Reporter" in screen_text
        await tab_to(pilot, "#field-decisions-ird-interim-safety-plan")
        await type_text(pilot, "Ava stays with her aunt until the CPPM")
        await tab_to(pilot, "#field-decisions-ird-joint-investigative-interview-made")
        await pilot.press("y")  # the focus moves on to its reason
        await type_text(pilot, "Disclosure to her teacher: one interview")
        await tab_to(pilot, "#field-decisions-ird-reporter-referral-made")
        await pilot.press("y")
        await type_text(pilot, "Compulsory measures may be needed")
        await tab_to(pilot, "#field-decisions-ird-reporter-referral-referred-on")
        await type_text(pilot, "tomorrow")
        await pilot.press("ctrl+g", "5")
        await pilot.pause()
        await tab_to(pilot, "#field-plan-lead")
        await type_text(pilot, "Sam Patel")
        await tab_to(pilot, "#field-decisions-ird-named-person")
        await type_text(pilot, "Head teacher")
        await save_now(pilot)
        assert app.editor is not None
        stored = context.store.get(app.editor.discussion.id)
        ird = stored.decisions.ird
        assert ird.interim_safety_plan == "Ava stays with her aunt until the CPPM"
        assert (ird.joint_investigative_interview.made, ird.joint_investigative_interview.rationale) == (
            True, "Disclosure to her teacher: one interview",
        )
        assert (ird.reporter_referral.made, ird.reporter_referral.referred_on) == (True, date(2026, 11, 26))
        assert (ird.named_person, stored.plan.lead) == ("Head teacher", "Sam Patel")

        await press_to(pilot, "ctrl+g", "6", screen=ReviewScreen)
        await open_minutes_preview(pilot)
        source = app.screen.source
        for line in (
            "### Joint investigative interview (Scottish Child Interview Model)\n\n**Decision:** Yes",
            "**Reason:** Disclosure to her teacher: one interview",
            "### Referral to the Children's Reporter\n\n**Decision:** Yes",
            "**Date referred to the Reporter:** 26 Nov 2026",
            "### Interim safety plan\n\nAva stays with her aunt until the CPPM",
            "**Named Person (where the local area has one):** Head teacher",
            "- **Lead professional:** Sam Patel",
        ):
            assert line in source
        drawn = app.screen.rendered_text
        assert "Joint investigative interview (Scottish Child Interview Model)" in drawn
        assert "Named Person (where the local area has one): Head teacher" in drawn


async def test_an_english_discussion_shows_none_of_the_ird_fields(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_discussion(pilot, "4")
        assert not app.screen.query("#field-decisions-ird-joint-investigative-interview-made")
        await pilot.press("ctrl+g", "5")
        await pilot.pause()
        assert not app.screen.query("#field-decisions-ird-named-person")


async def test_sign_off_refuses_a_scottish_ird_without_a_lead_professional(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    context = scottish_context(tmp_path)
    saved = context.store.create(make_discussion())
    assert not saved.plan.lead
    async with stratui_at_80x24(context) as (app, pilot):
        await open_review(pilot)
        problems = await refused_sign_off(pilot, "Jo Reid")
        assert (
            "Planning > Lead professional: in Scotland a lead professional is named before the IRD closes: "
            "record who in Planning > Lead professional." in " ".join(problems.split())
        )
        assert not app.editor.locked
    stored = context.store.get(saved.id)
    assert stored.status is DiscussionStatus.DRAFT and stored.sign_off is None


# England's words a Scottish team must never read (whole words, any case).
ENGLAND = ("section 47", "s47", "ICPC", "strategy discussion", "child and family assessment")


def test_a_scottish_demo_exported_as_minutes_never_uses_englands_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text('nation = "scotland"\n', encoding="utf-8")
    db = tmp_path / "scot-db"
    assert main(["demo", "--db", str(db), "--config", str(config), "--nation", "scotland", "--count", "40", "--seed", "11"]) == 0
    ids = [s.id for s in open_context(db=db, config=config, today="2026-11-25").store.summaries()]
    assert len(ids) == 40
    out = tmp_path / "minutes"
    out.mkdir()
    for n, discussion_id in enumerate(ids):
        path = out / f"{n}.md"
        assert main(["export", discussion_id, "--db", str(db), "--config", str(config), "--format", "md", "-o", str(path)]) == 0
    capsys.readouterr()
    pages = [p.read_text("utf-8") for p in sorted(out.glob("*.md"))]
    assert len(pages) == 40
    for page in pages:
        found = [t for t in ENGLAND if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", page, re.IGNORECASE)]
        assert found == [], found
    # The minutes are Scotland's: the IRD and its decisions.
    assert all("Inter-agency referral discussion (IRD)" in page or "Network meeting" in page for page in pages)
    assert any("### Referral to the Children's Reporter" in page for page in pages)


async def test_cppm_not_required_on_the_dashboard_closes_the_cppm_deadline_in_scotlands_words(
    tmp_path: Path, make_discussion: Callable[..., Discussion]
) -> None:
    from stratui.models import EnquiryOutcomeKind, Milestone
    from stratui.screens.close_action import ConferenceOutcomeScreen
    from stratui.screens.dashboard import DashboardScreen

    context = scottish_context(tmp_path)
    # Held Mon 26 Oct 2026 with an investigation started: the CPPM was due Mon 23 Nov, overdue.
    held = date(2026, 10, 26)
    record = make_discussion(held_on=held, concern_date=held, actions=[], milestones=[Milestone(key="minutes", on=held)])
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        titles = [row.title for row in app.screen.rows]  # type: ignore[attr-defined]
        assert [t for t in titles if t.startswith("CPPM due")]
        await press_to(pilot, "m", screen=ConferenceOutcomeScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "2 CPPM not required: concerns not substantiated (say why)" in shown
        assert "5 concerns substantiated, child at continuing risk: CPPM needed (deadline stays)" in shown
        await pilot.press("2", "enter")
        await pilot.pause()
        assert "Say why no CPPM is needed" in text_of(app, "#outcome-error")
        await type_text(pilot, "Injury explained: fall in the playground, seen by the GP")
        await press_to(pilot, "enter", screen=DashboardScreen)  # and the outcome's write lands
        titles = [row.title for row in app.screen.rows]  # type: ignore[attr-defined]
        assert not [t for t in titles if "CPPM" in t]
    stored = context.store.get(record.id)
    assert stored.enquiry_outcome is not None and stored.enquiry_outcome.outcome is EnquiryOutcomeKind.NOT_SUBSTANTIATED

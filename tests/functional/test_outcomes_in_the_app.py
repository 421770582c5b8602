"""The enquiry's and the conference's outcomes, the follow-up's reason and each nation's words,
driven by keys at 80x24. Today is Wed 25 Nov 2026 (conftest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Label, Static

from stratui.app import StratuiApp
from stratui.context import Context, open_context
from stratui.models import Decision, Decisions, Discussion, EnquiryOutcomeKind, FollowUpReason, Milestone
from stratui.phases import DECISIONS
from stratui.screens.close_action import ConferenceOutcomeScreen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.widgets import ChoiceBox

from pilot import press_to, save_now, start_new, stratui_at_80x24, wait_until

# Held Mon 2 Nov 2026 with an s47: the ICPC was due Mon 23 Nov (15 working days), overdue today.
HELD = date(2026, 11, 2)


def context_in(tmp_path: Path, nation: str = "england") -> Context:
    config = tmp_path / "settings.toml"
    config.write_text(f'nation = "{nation}"\n', encoding="utf-8")
    return open_context(db=tmp_path / "db", config=config, today="2026-11-25")


def overdue_conference(make_discussion: Callable[..., Discussion], **overrides: object) -> Discussion:
    """A discussion whose only open deadline is its overdue conference."""
    overrides.setdefault("held_on", HELD)
    overrides.setdefault("concern_date", HELD)
    return make_discussion(actions=[], milestones=[Milestone(key="minutes", on=HELD)], **overrides)


@pytest.fixture
def overdue(context: Context, make_discussion: Callable[..., Discussion]) -> Discussion:
    """The one discussion in this test's store: its conference overdue, nothing else open."""
    record = overdue_conference(make_discussion)
    context.store.save_all_new([record])
    return record


def titles(app: StratuiApp) -> list[str]:
    return [row.title for row in app.screen.rows]  # type: ignore[attr-defined]


def text_on_screen(app: StratuiApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query("Label, Static"))


async def test_no_conference_needed_closes_the_icpc_deadline_with_its_reason(
    context: Context, overdue: Discussion
) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert [t for t in titles(app) if "ICPC" in t]
        await press_to(pilot, "m", screen=ConferenceOutcomeScreen)
        assert "2 concerns not substantiated: no ICPC (say why)" in text_on_screen(app)
        # No reason: refused, nothing saved, the modal stays open at the reason.
        await press_to(pilot, "2", "enter", screen=ConferenceOutcomeScreen)
        assert "Say why no ICPC is needed" in str(app.screen.query_one("#outcome-error", Static).render())
        assert app.focused is app.screen.query_one("#note")
        await press_to(pilot, *"Bruise explained: fall at nursery, seen by GP", "enter", screen=DashboardScreen)
        # Written in a worker thread (it may wait for the lock): the store is polled.
        assert await wait_until(pilot, lambda: context.store.get(overdue.id).enquiry_outcome is not None)
        assert await wait_until(pilot, lambda: not [t for t in titles(app) if "ICPC" in t])
        stored = context.store.get(overdue.id)
        assert stored.enquiry_outcome is not None
        assert stored.enquiry_outcome.outcome is EnquiryOutcomeKind.NOT_SUBSTANTIATED
        assert stored.enquiry_outcome.reason == "Bruise explained: fall at nursery, seen by GP"
        assert (stored.enquiry_outcome.on, stored.enquiry_outcome.by) == (date(2026, 11, 25), context.name)
        assert not [t for t in titles(app) if "ICPC" in t]


async def test_the_conference_held_with_a_plan_and_its_category(context: Context, overdue: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await press_to(
            pilot, "m", "1", "tab", "ctrl+u", *"yesterday", "tab", "y", "tab", *"neglect", "enter", screen=DashboardScreen
        )
        assert await wait_until(pilot, lambda: context.store.get(overdue.id).conference_outcome is not None)
        assert await wait_until(pilot, lambda: titles(app) == [])
        conference = context.store.get(overdue.id).conference_outcome
        assert conference is not None
        assert (conference.held_on, conference.child_protection_plan, conference.category) == (
            date(2026, 11, 24),
            True,
            "neglect",
        )
        assert titles(app) == []


async def test_a_conference_needed_keeps_the_deadline(context: Context, overdue: Discussion) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press("m", "5", "enter")
        assert await wait_until(pilot, lambda: context.store.get(overdue.id).enquiry_outcome is not None)
        assert await wait_until(pilot, lambda: bool([t for t in titles(app) if "ICPC" in t]))
        assert context.store.get(overdue.id).enquiry_outcome.outcome is EnquiryOutcomeKind.CONFERENCE
        assert [t for t in titles(app) if "ICPC" in t]
        # Then no outcome needing no conference can follow it: refused, said so.
        await pilot.press("m", "2", "tab", "tab", "tab", "tab", *"changed mind", "enter")
        assert await wait_until(pilot, lambda: any("Not changed" in n.message for n in app._notifications))
        assert context.store.get(overdue.id).enquiry_outcome.outcome is EnquiryOutcomeKind.CONFERENCE


async def test_a_follow_ups_decisions_hint_counts_from_the_first_s47_as_the_dashboard_does(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    first = overdue_conference(make_discussion)
    follow_up = make_discussion(
        held_on=date(2026, 11, 20),
        actions=[],
        previous_discussion_ids=[first.id],
        follow_up_reason=FollowUpReason.NEW_INFORMATION,
    )
    context.store.save_all_new([first, follow_up])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        app.open_discussion(follow_up.id, DECISIONS)
        await pilot.pause()
        hint = str(app.screen.query_one("#s47-deadline", Static).render())
        # 15 working days from Mon 2 Nov 2026, not from this discussion of 20 Nov.
        assert "ICPC due by Mon 23 Nov 2026 (15 working days from the s47 strategy discussion; statutory guidance)" in hint
        assert "counted from the strategy discussion of 2 Nov 2026" in hint


async def test_a_scottish_team_decides_on_an_investigation_and_a_cppm(tmp_path: Path) -> None:
    async with stratui_at_80x24(context_in(tmp_path, "scotland")) as (app, pilot):
        await start_new(pilot)
        await pilot.press("ctrl+g", "4")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        screen = text_on_screen(app)
        assert "Start CP investigation" in screen
        assert "CPPM due by Wed 23 Dec 2026 (28 calendar days" in screen
        for term in ("s47", "section 47", "ICPC", "strategy discussion"):
            assert term.casefold() not in screen.casefold(), term
        labels = [str(label.render()) for label in app.screen.query(Label)]
        assert "If no investigation: next steps" in " ".join(labels)


async def test_a_follow_ups_reason_is_chosen_on_its_first_screen(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    first = make_discussion(actions=[], plan={"reconvene_on": date(2026, 12, 1)})
    context.store.save_all_new([first])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        app.start_follow_up(first.id)
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        follows = str(app.screen.query_one("#follows", Static).render())
        assert follows == "Follows: Strategy discussion of 20 Nov 2026, case CS-104233"
        # Above the participants copied "to confirm", where the follow-up starts.
        reason = app.screen.query_one("#field-follow-up-reason")
        box = reason.query_one(ChoiceBox)
        assert "(k) Decision" in str(box.render())
        app.screen.set_focus(box)
        await pilot.press("k")
        await save_now(pilot)
        assert app.editor is not None
        stored = context.store.get(app.editor.discussion.id)
        assert stored.follow_up_reason is FollowUpReason.BEFORE_KEY_DECISION
        assert stored.previous_discussion_ids == [first.id]


async def test_a_new_discussion_asks_no_follow_up_reason(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert not app.screen.query("#field-follow-up-reason")


def test_decisions_of_an_s47_carry_no_other_nations_words() -> None:
    # The model's own message names the nation's decision (phases pass it in).
    d = Discussion(concern_date=HELD, held_on=HELD, decisions=Decisions(s47_enquiry=Decision(made=None)))
    assert "Decisions > Start CP investigation: not decided (y yes, n no)." in d.decision_problems("Start CP investigation")

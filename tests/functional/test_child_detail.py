"""The child and the family by keys at 80x24: a child's detail form, the adults, referrer, consent.

Optional, and off the path of a call: d on a child's row opens the form; the adults, the referrer
and consent come at the end of the Details screen, after everything a call needs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from stratui.context import Context
from stratui.demo import generate_demo
from stratui.family import ChildProfile
from stratui.minutes import render_markdown
from stratui.models import Discussion
from stratui.phases import PHASES
from stratui.screens.child_detail import ChildDetailScreen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.minutes_preview import MinutesPreviewScreen
from stratui.screens.phase import PhaseScreen
from stratui.settings import os_user

from pilot import fill_boxes, press_to, save_now, saved_discussion, start_new, stratui_at_80x24, type_text
from pilot import wait_until


@pytest.fixture(autouse=True)
def me_in_the_team(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        f'[[team.members]]\nname = "Sam Patel"\nusername = "{os_user()}"\n', "utf-8"
    )


async def wait_for(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Await a condition with a generous bound (it normally holds within a frame or two)."""
    assert await wait_until(pilot, condition), f"never happened: {what}"


async def fill(pilot, field_id: str, *texts: str) -> None:  # type: ignore[no-untyped-def]
    """Into the field's box, and the boxes after it (Enter moves on), one text each (a choice may
    or may not move on by itself: the next box is named)."""
    pilot.app.screen.set_focus(pilot.app.screen.query_one(f"#{field_id} Input"))
    await fill_boxes(pilot, *texts, move="enter")


async def choose(pilot, field_id: str, key: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.set_focus(pilot.app.screen.query_one(f"#{field_id} ChoiceBox"))
    await pilot.press(key)


async def on_screen(pilot, screen_type: type) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted, screen_type.__name__)
    await pilot.pause()


async def new_record_with_a_child(pilot, name: str = "Ava Stone") -> None:  # type: ignore[no-untyped-def]
    await start_new(pilot)
    await fill_boxes(pilot, "CS-7", name)
    await pilot.press("enter")


async def tab_to_the_children(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the child row's boxes, Tab on to the table of children (as a worker does)."""
    for _ in range(6):
        if isinstance(pilot.app.focused, DataTable):
            return
        await pilot.press("tab")
    raise AssertionError("Tab never reached the table of children")


async def test_d_on_a_child_row_opens_the_detail_form_and_what_is_typed_is_saved(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await new_record_with_a_child(pilot)
        await tab_to_the_children(pilot)
        assert app.focused is app.screen.query_one("#children")
        await pilot.press("d")
        await on_screen(pilot, ChildDetailScreen)
        heading = str(app.screen.query_one("#child-heading", Static).render())
        assert "Ava Stone" in heading
        # Typed straight on: the first box (the due date) has the focus; Enter moves on.
        await pilot.press("enter")
        for text in ("Female", "Mixed: White and Asian", "Muslim", "Arabic"):
            await type_text(pilot, text)
            await pilot.press("enter")
        assert app.focused is app.screen.query_one("#field-profile-interpreter-needed ChoiceBox")
        await pilot.press("y")
        await fill(pilot, "field-profile-disability", "Autism", "Uses Makaton", "Wants to live with her nan")
        await choose(pilot, "field-profile-seen", "y")
        await choose(pilot, "field-profile-seen-alone", "n")
        await fill(pilot, "field-profile-not-seen-alone-reason", "Would not leave her mother")
        await pilot.press("escape")
        await on_screen(pilot, DetailsScreen)
        profile = (await saved_discussion(pilot)).children[0].profile
        assert profile == ChildProfile(
            gender="Female",
            ethnicity="Mixed: White and Asian",
            religion="Muslim",
            first_language="Arabic",
            interpreter_needed=True,
            disability="Autism",
            communication_needs="Uses Makaton",
            wishes_and_feelings="Wants to live with her nan",
            seen=True,
            seen_alone=False,
            not_seen_alone_reason="Would not leave her mother",
        )
        minutes = render_markdown(await saved_discussion(pilot))
        assert "**First language:** Arabic; interpreter needed" in minutes
        assert "**Seen:** Yes; seen alone: No (Would not leave her mother)" in minutes
        assert "**The child's wishes and feelings:** Wants to live with her nan" in minutes


async def test_an_unborn_child_s_due_date_shows_in_the_row_and_a_row_edit_keeps_the_details(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await new_record_with_a_child(pilot, "Baby Stone")
        await tab_to_the_children(pilot)
        await pilot.press("d")
        await on_screen(pilot, ChildDetailScreen)
        await type_text(pilot, "3/3/2027")
        await pilot.press("enter")
        await type_text(pilot, "Not known")
        await pilot.press("escape")
        await on_screen(pilot, DetailsScreen)
        table = app.screen.query_one("#children", DataTable)
        assert "unborn, due 3 Mar 2027" in " ".join(str(c) for c in table.get_row_at(0))
        # The row edited in place (its notes): the details typed in the form stay with the child.
        app.screen.set_focus(table)
        await pilot.press("e")
        app.screen.set_focus(app.screen.query_one("#c-notes"))
        await type_text(pilot, "Mother 30 weeks pregnant")
        await pilot.press("enter")
        await save_now(pilot)
        child = (await saved_discussion(pilot)).children[0]
        assert child.notes == "Mother 30 weeks pregnant"
        assert child.profile.due_date == date(2027, 3, 3) and child.profile.gender == "Not known"


async def test_a_due_date_for_a_child_with_a_date_of_birth_is_questioned(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await new_record_with_a_child(pilot, "Ava Stone")
        # A date of birth given in the row, then a due date in the form.
        table = app.screen.query_one("#children", DataTable)
        app.screen.set_focus(table)
        await pilot.press("e", "tab")
        await type_text(pilot, "3/3/2019")
        await pilot.press("enter")
        await tab_to_the_children(pilot)
        await pilot.press("d")
        await on_screen(pilot, ChildDetailScreen)
        await type_text(pilot, "3/3/2027")
        note = str(app.screen.query_one("#field-profile-due-date .note", Static).render())
        assert "a due date is for an unborn child" in note


async def test_parents_and_carers_are_added_as_rows(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await new_record_with_a_child(pilot)
        for name, relationship, pr, address, harm in (
            ("Kim Stone", "mother of Ava", "y", "2 Mill Lane, Leeds", "n"),
            ("Rob Day", "mother's partner", "n", "", "y"),
        ):
            app.screen.set_focus(app.screen.query_one("#ad-name"))
            await fill_boxes(pilot, name, relationship)
            for box, key in (("#ad-pr", pr), ("#ad-harm", harm)):
                app.screen.set_focus(app.screen.query_one(box))
                await pilot.press(key)
            app.screen.set_focus(app.screen.query_one("#ad-address"))
            await type_text(pilot, address)
            await pilot.press("enter")
        await save_now(pilot)
        adults = (await saved_discussion(pilot)).family.adults
        assert [(a.name, a.relationship, a.parental_responsibility, a.address, a.alleged_source_of_harm) for a in adults] == [
            ("Kim Stone", "mother of Ava", True, "2 Mill Lane, Leeds", False),
            ("Rob Day", "mother's partner", False, "", True),
        ]
        table = app.screen.query_one("#adults", DataTable)
        assert [str(c) for c in table.get_row_at(1)] == ["Rob Day", "mother's partner", "No", "-", "Yes"]
        minutes = render_markdown(await saved_discussion(pilot))
        assert "| Kim Stone | mother of Ava | Yes | 2 Mill Lane, Leeds | No |" in minutes
        # The d key on an adult's row is not a detail form: nothing opens.
        app.screen.set_focus(table)
        await press_to(pilot, "d", screen=DetailsScreen)


async def test_referrer_consent_and_parents_told_on_the_details_screen(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await new_record_with_a_child(pilot)
        await fill(pilot, "field-family-referrer-name", "Ms Hart", "DSL, Oakfield Primary", "class teacher")
        await choose(pilot, "field-family-referrer-feedback-given", "y")
        await fill(pilot, "field-family-referrer-feedback-on", "today")
        await choose(pilot, "field-family-consent-sought", "n")
        await choose(pilot, "field-family-consent-given", "u")
        await fill(pilot, "field-family-consent-not-sought-reason", "Would alert the alleged perpetrator", "UK GDPR Art 6(1)(e)")
        await pilot.press("enter")  # takes the suggestion
        await type_text(pilot, "26/11")
        await pilot.press("enter")
        await type_text(pilot, "Sam")
        await pilot.press("enter")  # takes the suggestion: Sam Patel
        await save_now(pilot)
        family = (await saved_discussion(pilot)).family
        assert (family.referrer.name, family.referrer.agency_role, family.referrer.relationship) == (
            "Ms Hart", "DSL, Oakfield Primary", "class teacher",
        )
        assert family.referrer.feedback_given is True and family.referrer.feedback_on == date(2026, 11, 25)
        assert family.consent.sought is False and family.consent.given is None
        assert family.consent.not_sought_reason == "Would alert the alleged perpetrator"
        assert family.consent.legal_basis.startswith("UK GDPR Art 6(1)(e)")
        assert family.parents_told.on == date(2026, 11, 26) and family.parents_told.by == "Sam Patel"
        minutes = render_markdown(await saved_discussion(pilot))
        assert "**Consent sought:** No: Would alert the alleged perpetrator" in minutes
        assert "Told on 26 Nov 2026 by Sam Patel." in minutes


async def test_a_signed_off_record_shows_the_child_s_details_read_only(context: Context) -> None:
    record = next(d for d in generate_demo(60, 3, context.today) if d.is_signed_off and not d.children[0].profile.is_blank)
    context.store.save_all_new([record])
    before = context.store.get(record.id).revision
    async with stratui_at_80x24(context) as (app, pilot):
        await on_screen(pilot, DashboardScreen)
        app.open_discussion(record.id)
        await on_screen(pilot, DetailsScreen)
        app.screen.set_focus(app.screen.query_one("#children", DataTable))
        await pilot.press("d")
        await on_screen(pilot, ChildDetailScreen)
        assert "read only" in str(app.screen.query_one("#child-heading", Static).render())
        assert all(field.disabled for field in app.screen.query("Field"))
        await pilot.press("escape")
        await on_screen(pilot, DetailsScreen)
        # Showing is not changing: nothing saved over a signed-off record.
        assert not app.editor.dirty and (await saved_discussion(pilot)).revision == before


async def test_a_demo_record_with_every_family_field_opens_on_every_screen(context: Context) -> None:
    """The richest demo record: every screen shows it, the detail form too, and the minutes hold it all."""
    discussions = generate_demo(60, 3, context.today)

    def filled(d: Discussion) -> int:
        f = d.family
        return sum(
            (
                bool(f.adults),
                not f.referrer.is_blank,
                not f.consent.is_blank,
                not f.parents_told.is_blank,
                any(not c.profile.is_blank for c in d.children),
            )
        )

    record = max(discussions, key=filled)
    assert filled(record) == 5
    context.store.save_all_new([record])
    async with stratui_at_80x24(context) as (app, pilot):
        await on_screen(pilot, DashboardScreen)
        app.open_discussion(record.id)
        await on_screen(pilot, DetailsScreen)
        # The first child's detail form, and the adults on the Details screen.
        assert app.screen.query_one("#adults", DataTable).row_count == len(record.family.adults)
        app.screen.set_focus(app.screen.query_one("#children", DataTable))
        await pilot.press("d")
        await on_screen(pilot, ChildDetailScreen)
        profile = record.children[0].profile
        assert app.screen.query_one("#field-profile-ethnicity Input").value == profile.ethnicity
        await pilot.press("escape")
        await on_screen(pilot, DetailsScreen)
        for phase in PHASES[1:]:
            assert app.editor is not None
            app.show_phase(app.editor, phase)
            await wait_for(
                pilot, lambda: isinstance(app.screen, PhaseScreen) and app.screen.is_mounted and app.screen.PHASE is phase, phase.title
            )
            await pilot.pause()
            assert getattr(app, "_exception", None) is None
        minutes = render_markdown(context.store.get(record.id))
        for heading in ("## The child and the family", "### Parents and carers", "### The referrer",
                        "### Consent to share information", "### Parents/carers told"):
            assert heading in minutes, heading
        await app.push_screen(MinutesPreviewScreen(context.store.get(record.id)))
        await pilot.pause()
        assert getattr(app, "_exception", None) is None

"""Every discussion `stratui demo --count 200` writes opens on every screen without an error.

Issue 10: 85 of 200 demo discussions crashed the details screen (other children in the
household). One app run: each phase screen is composed and mounted for real, then shown with
every record in turn through the same path the app uses when a colleague's save arrives
(`reload`: the fields loaded, the lists drawn, the screen rendered); the minutes of every
record are rendered. A record of every shape (kind, signed off or draft, others in the
household) is also opened the way a worker does: open, every phase, the
minutes preview, the history and the case view, each a fresh screen.

The records (and the shapes) are shown in parametrized slices, so pytest-xdist spreads them
over the CPUs; every slice opens a copy of the same demo database, and together the slices
cover every record (and every shape).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from stratui.app import make_app, phase_screen
from stratui.capture import DiscussionEditor
from stratui.context import Context
from stratui.demo import generate_demo
from stratui.minutes import render_markdown
from stratui.models import Discussion
from stratui.phases import PHASES
from stratui.screens.case_view import CaseViewScreen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.history import HistoryScreen
from stratui.screens.minutes_preview import MinutesPreviewScreen
from stratui.screens.phase import PhaseScreen
from stratui.screens.review import ReviewScreen

COUNT = 200
SLICES = 5
# Slice `part` is every SLICES-th record (or shape) from the part-th: together they are all.
PART = pytest.mark.parametrize("part", range(SLICES), ids=lambda part: f"slice{part + 1}of{SLICES}")


def crashed(app: App) -> BaseException | None:
    return getattr(app, "_exception", None)


async def shown(pilot: Pilot, screen_type: type[Screen], record_id: str, step: str) -> None:
    await pilot.pause()
    error = crashed(pilot.app)
    assert error is None, f"{step} of discussion {record_id} raised {error!r}"
    assert isinstance(pilot.app.screen, screen_type), (step, record_id, pilot.app.screen)


def shape(d: Discussion) -> tuple[object, ...]:
    return (d.kind, d.status, bool(d.other_children))


def one_of_each_shape(discussions: list[Discussion]) -> list[Discussion]:
    return list({shape(d): d for d in discussions}.values())


@functools.cache
def generated(today: date) -> list[Discussion]:
    return generate_demo(COUNT, 1, today)


def demo(demo_context: Callable[..., Context]) -> tuple[Context, list[Discussion]]:
    """A copy of the demo database and the records `stratui demo --count 200` put in it."""
    context = demo_context(COUNT)
    discussions = generated(context.today)
    assert sorted(s.id for s in context.store.summaries()) == sorted(d.id for d in discussions)
    return context, discussions


@PART
async def test_every_demo_discussion_shows_on_every_screen(demo_context: Callable[..., Context], part: int) -> None:
    context, discussions = demo(demo_context)
    assert sum(1 for d in discussions if d.other_children) > 0  # the records that crashed
    discussions = discussions[part::SLICES]
    before = {s.id: s.revision for s in context.store.summaries()}
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, DashboardScreen, "-", "the dashboard")
        for phase in PHASES:
            app.editor = DiscussionEditor.open(context, discussions[0].id)
            await app.push_screen(phase_screen(app.editor, phase))
            await shown(pilot, PhaseScreen, discussions[0].id, phase.title)
            screen = app.screen
            for record in discussions:
                app.editor = DiscussionEditor.open(context, record.id)
                screen.reload(app.editor)  # type: ignore[attr-defined]
                await shown(pilot, PhaseScreen, record.id, phase.title)
                assert not app.editor.dirty, (phase.title, record.id)  # showing is not changing
            await app.pop_screen()
        app.editor = None
    for record in discussions:
        assert render_markdown(context.store.get(record.id))
    assert crashed(app) is None
    assert {s.id: s.revision for s in context.store.summaries()} == before


@PART
async def test_a_record_of_every_shape_opens_as_a_worker_opens_it(demo_context: Callable[..., Context], part: int) -> None:
    context, discussions = demo(demo_context)
    sample = one_of_each_shape(discussions)
    assert any(d.other_children for d in sample) and any(d.is_signed_off for d in sample)
    sample = sample[part::SLICES]
    before = {s.id: s.revision for s in context.store.summaries()}
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, DashboardScreen, "-", "the dashboard")
        for record in sample:
            app.open_discussion(record.id)
            await shown(pilot, PhaseScreen, record.id, "details")
            for phase in PHASES[1:]:
                assert app.editor is not None
                app.show_phase(app.editor, phase)
                await shown(pilot, PhaseScreen, record.id, phase.title)
                assert app.screen.PHASE is phase  # type: ignore[attr-defined]
            review = app.screen
            assert isinstance(review, ReviewScreen)
            review.action_minutes()
            await shown(pilot, MinutesPreviewScreen, record.id, "the minutes preview")
            app.pop_screen()
            review.action_history()
            await shown(pilot, HistoryScreen, record.id, "the history")
            app.pop_screen()
            app.push_screen(CaseViewScreen(context, record.id))
            await shown(pilot, CaseViewScreen, record.id, "the case view")
            app.pop_screen()
            app.close_discussion()
            await shown(pilot, DashboardScreen, record.id, "closing")
    assert crashed(app) is None
    assert {s.id: s.revision for s in context.store.summaries()} == before


@PART
async def test_every_demo_discussion_shows_in_the_minutes_preview_the_history_and_the_case_view(
    demo_context: Callable[..., Context], part: int
) -> None:
    """The three read-only screens, each a fresh screen for every record (cheap: nothing to edit)."""
    context, discussions = demo(demo_context)
    discussions = discussions[part::SLICES]
    app = make_app(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, DashboardScreen, "-", "the dashboard")
        for record in discussions:
            stored = context.store.get(record.id)
            for screen, step in (
                (MinutesPreviewScreen(stored), "the minutes preview"),
                (HistoryScreen(context, record.id), "the history"),
                (CaseViewScreen(context, record.id), "the case view"),
            ):
                await app.push_screen(screen)
                await shown(pilot, type(screen), record.id, step)
                await app.pop_screen()
    assert crashed(app) is None

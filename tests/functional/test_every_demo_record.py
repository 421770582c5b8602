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
cover every record (and every shape). The slices are small (a few seconds of CPU each) so that
no worker is left with one long slice at the end of the run while the others wait.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from stratui.app import phase_screen
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

from pilot import stratui_at_80x24, wait_until

COUNT = 200


def slices(count: int) -> pytest.MarkDecorator:
    """Slice `part` is every `count`-th record (or shape) from the part-th: together they are all."""
    return pytest.mark.parametrize("part", [(part, count) for part in range(count)], ids=lambda p: f"slice{p[0] + 1}of{count}")


def in_slice(records: list[Discussion], part: tuple[int, int]) -> list[Discussion]:
    start, step = part
    return records[start::step]


def crashed(app: App) -> BaseException | None:
    return getattr(app, "_exception", None)


async def shown(pilot: Pilot, screen_type: type[Screen], record_id: str, step: str) -> None:
    # Some screens open once a save has landed (the history reads what is stored).
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type) or crashed(pilot.app) is not None)
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


@slices(10)
async def test_every_demo_discussion_shows_on_every_screen(demo_context: Callable[..., Context], part: tuple[int, int]) -> None:
    context, discussions = demo(demo_context)
    assert sum(1 for d in discussions if d.other_children) > 0  # the records that crashed
    discussions = in_slice(discussions, part)
    before = {s.id: s.revision for s in context.store.summaries()}
    async with stratui_at_80x24(context) as (app, pilot):
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


@slices(5)
async def test_a_record_of_every_shape_opens_as_a_worker_opens_it(demo_context: Callable[..., Context], part: tuple[int, int]) -> None:
    context, discussions = demo(demo_context)
    sample = one_of_each_shape(discussions)
    assert any(d.other_children for d in sample) and any(d.is_signed_off for d in sample)
    sample = in_slice(sample, part)
    before = {s.id: s.revision for s in context.store.summaries()}
    async with stratui_at_80x24(context) as (app, pilot):
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


@slices(20)
async def test_every_demo_discussion_shows_in_the_minutes_preview_the_history_and_the_case_view(
    demo_context: Callable[..., Context], part: tuple[int, int]
) -> None:
    """The three read-only screens, each a fresh screen for every record (cheap: nothing to edit).

    Each replaces the one before it (`switch_screen`), then the last is closed: the dashboard
    under them is shown again once per record, not three times (its 200 rows restyled each time).
    """
    context, discussions = demo(demo_context)
    discussions = in_slice(discussions, part)
    async with stratui_at_80x24(context) as (app, pilot):
        await shown(pilot, DashboardScreen, "-", "the dashboard")
        for record in discussions:
            stored = context.store.get(record.id)
            await app.push_screen(MinutesPreviewScreen(stored))
            await shown(pilot, MinutesPreviewScreen, record.id, "the minutes preview")
            await app.switch_screen(HistoryScreen(context, record.id))
            await shown(pilot, HistoryScreen, record.id, "the history")
            await app.switch_screen(CaseViewScreen(context, record.id))
            await shown(pilot, CaseViewScreen, record.id, "the case view")
            await app.pop_screen()
            await shown(pilot, DashboardScreen, record.id, "closing the case view")
    assert crashed(app) is None

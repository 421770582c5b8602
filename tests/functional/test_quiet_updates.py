"""A key typed, or a colleague's version shown, redraws only what it changes.

Textual lays the whole screen out again after every `Static.update`, whatever it shows: the
phase screens refreshed their progress strip, their fields' notes, their choices and the
attendance check on every key, nearly always with what they already showed (two layouts of the
details screen's 140 widgets a key, 54 ms of CPU). They now go through `kit.show_content`,
which leaves a widget alone when it already shows the content. These tests count the updates
that change nothing, on every phase screen of a draft of the demo data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from stratui.app import StratuiApp, phase_screen
from stratui.capture import DiscussionEditor
from stratui.context import Context
from stratui.models import DiscussionStatus
from stratui.phases import PHASES, Phase
from stratui.screens.kit import show_content
from stratui.screens.phase import PhaseScreen

from pilot import stratui_at_80x24, type_text, wait_until


@contextmanager
def wasted_updates(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Every `Static.update` that gives a widget the content it already has, by widget class."""
    wasted: Counter[str] = Counter()
    update = Static.update

    def counted(self: Static, content: object = "", **options: object) -> None:
        if content == self.content:
            wasted[type(self).__name__] += 1
        update(self, content, **options)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(Static, "update", counted)
        yield wasted


async def show_phase(app: StratuiApp, pilot: Pilot, record_id: str, phase: Phase) -> PhaseScreen:
    """`phase` of the record, a fresh screen on top of the dashboard."""
    app.editor = DiscussionEditor.open(app.context, record_id)
    await app.push_screen(phase_screen(app.editor, phase))
    await wait_until(pilot, lambda: isinstance(app.screen, PhaseScreen) and app.screen.is_mounted)
    assert isinstance(app.screen, PhaseScreen)
    return app.screen


def a_draft(context: Context) -> str:
    return next(s.id for s in context.store.summaries() if s.status is DiscussionStatus.DRAFT)


async def test_show_content_updates_only_a_change() -> None:
    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("before")

    async with One().run_test() as pilot:
        static = pilot.app.query_one(Static)
        updates: list[object] = []
        real = static.update
        static.update = lambda content="", **options: (updates.append(content), real(content, **options))  # type: ignore[method-assign]
        show_content(static, "before")
        show_content(static, "after")
        show_content(static, "after")
        assert updates == ["after"]
        assert static.content == "after"


async def test_typing_on_every_phase_screen_updates_nothing_it_already_shows(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = demo_context(20)
    async with stratui_at_80x24(context) as (app, pilot):
        for phase in PHASES[:-1]:  # the review has no box to type in
            await show_phase(app, pilot, a_draft(context), phase)
            assert app.focused is not None, phase.title
            with wasted_updates(monkeypatch) as wasted:
                for _ in range(3):
                    await type_text(pilot, "typed ")
            assert not wasted, (phase.title, dict(wasted))
            await app.pop_screen()
        app.editor = None


async def test_showing_a_colleague_s_version_updates_nothing_it_already_shows(
    demo_context: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same version shown again (a save that changed nothing on this screen) redraws nothing."""
    context = demo_context(20)
    async with stratui_at_80x24(context) as (app, pilot):
        for phase in PHASES:
            screen = await show_phase(app, pilot, a_draft(context), phase)
            with wasted_updates(monkeypatch) as wasted:
                app.editor = DiscussionEditor.open(context, a_draft(context))
                screen.reload(app.editor)
                await pilot.pause()
            assert not wasted, (phase.title, dict(wasted))
            await app.pop_screen()
        app.editor = None

"""What the screens look like at 80x24, the size our users have, in both themes (SVG snapshots).

Each snapshot is reached with keys, as a user would. The data are fixed (demo data for a fixed
seed and "today", a fixed save clock), so the pictures only change when a screen does.
Update them with `pytest tests/snapshots --snapshot-update` and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from textual.pilot import Pilot

from stratui.app import StratuiApp, make_app
from stratui.context import Context
from stratui.demo import generate_demo
from stratui.models import Discussion
from waiting import wait_until

TODAY = date(2026, 11, 25)
SAVED_AT = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
SIZE = (80, 24)

THEMES = ["default", "monochrome"]

# A draft (not yet signed off, so its fields are editable), opened from the dashboard's first
# row with Enter, then the agenda's phases in order with PageDown.
PHASE_KEYS = {
    "details": ["enter"],
    "information": ["enter", "pagedown"],
    "risk": ["enter", "pagedown", "pagedown"],
    "decisions": ["enter", "pagedown", "pagedown", "pagedown"],
    "planning": ["enter", "pagedown", "pagedown", "pagedown", "pagedown"],
    "review": ["enter", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown"],
}


@pytest.fixture
def build_app(
    context: Context, make_discussion: Callable[..., Discussion], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., StratuiApp]:
    """The app on a small fixed database ("demo", "draft" or "empty"), in the theme asked for."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    context.store.clock = lambda: SAVED_AT  # "Saved 10:30:00", never the wall clock

    def build(theme: str, data: str = "demo") -> StratuiApp:
        if data == "demo":
            context.store.save_all_new(generate_demo(8, 3, TODAY))
        elif data == "draft":
            draft = make_discussion(id="5" * 32)
            for number, action in enumerate(draft.actions):
                action.id = f"action-{number}"  # no random ids, even hidden ones
            for number, participant in enumerate(draft.participants):
                participant.id = f"participant-{number}"
            context.store.save_all_new([draft])
        context.settings.theme = "monochrome" if theme == "monochrome" else "colour"
        app = make_app(context)
        assert (app.theme == "stratui-monochrome") is (theme == "monochrome")
        return app

    return build


def keys(*presses: str) -> Callable[[Pilot], object]:
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        for key in presses:
            await pilot.press(key)
            await pilot.pause()
        # The phase screens focus their first field: no blinking cursor in the picture. A field
        # made steady before it had the focus (a loaded machine) could take it blinking, and the
        # picture caught its cursor on or off: made steady again once the focus has settled.
        app = pilot.app
        await wait_until(pilot, lambda: app.focused is None or app.focused.screen is app.screen)
        for _ in range(2):
            for widget in app.screen.query("Input, TextArea"):
                widget.cursor_blink = False  # type: ignore[attr-defined]
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("theme", THEMES)
def test_dashboard(snap_compare, build_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(theme), terminal_size=SIZE, run_before=keys())


@pytest.mark.parametrize("theme", THEMES)
def test_empty_dashboard_with_the_welcome(snap_compare, build_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(theme, data="empty"), terminal_size=SIZE, run_before=keys())


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("phase", list(PHASE_KEYS))
def test_phase(snap_compare, build_app, phase: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(theme, data="draft"), terminal_size=SIZE, run_before=keys(*PHASE_KEYS[phase]))


@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, build_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(theme), terminal_size=SIZE, run_before=keys("question_mark"))

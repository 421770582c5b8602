"""Where you are shows without colour, and phases carry the same number everywhere (issue 10).

A vt100 (or NO_COLOR, or the monochrome theme) draws no background colour: the focused field is
marked with ">" beside its label and reverse video, the table's cursor row is reversed, and the
terminal cursor sits in the box being typed in.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.models import Discussion
from stratui.phases import PHASES
from stratui.screens.go_to_phase import GoToPhaseScreen
from stratui.screens.phase import PhaseScreen, ProgressStrip
from stratui.screens.theme import MONOCHROME, wants_monochrome
from stratui.store import Store

from pilot import press_to, screen_lines, start_new, stratui_at_80x24


def reversed_text(app: StratuiApp, y: int) -> str:
    """The characters of screen row `y` drawn in reverse video."""
    strip = app.screen._compositor.render_strips()[y]
    return "".join(segment.text for segment in strip if segment.style and segment.style.reverse)


@pytest.fixture
def monochrome(context: Context) -> Context:
    context.settings.theme = "monochrome"
    return context


async def test_the_focused_field_is_marked_beside_its_label_and_in_reverse_video(monochrome: Context) -> None:
    async with stratui_at_80x24(monochrome) as (app, pilot):
        await start_new(pilot)
        assert app.theme == MONOCHROME.name
        lines = screen_lines(app)
        assert "> Case reference" in lines[2]
        assert lines[3].startswith("  Children: name, date of birth or age")
        # The empty box's placeholder and padding are reversed: visible with no colour at all.
        assert "e.g. CS-2026-01234" in reversed_text(app, 2)

        await pilot.press("tab")
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[2].startswith("  Case reference")
        assert lines[3].startswith("> Children: name, date of birth or age")
        # The focused box (the child's name) is drawn reversed, placeholder and all.
        assert "Name" in reversed_text(app, 4)
        assert "e.g. CS-2026-01234" not in reversed_text(app, 2)


async def test_the_table_cursor_row_is_reversed_in_monochrome(
    monochrome: Context, make_discussion: Callable[..., Discussion]
) -> None:
    monochrome.store.save_all_new([make_discussion()])
    async with stratui_at_80x24(monochrome) as (app, pilot):
        await pilot.pause()
        table = app.screen.query_one("#deadlines", DataTable)
        assert table.row_count > 1
        y = table.region.y + 1 + table.cursor_row  # one header line
        # The whole cursor row, not just a reversed marker in it (OVERDUE is reversed too).
        assert len(reversed_text(app, y)) >= table.region.width - 2
        assert len(reversed_text(app, y + 1)) < table.region.width // 2


async def test_phase_numbers_are_the_same_in_strip_title_and_go_to_menu(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        for phase in PHASES:
            await press_to(pilot, "ctrl+g", screen=GoToPhaseScreen)
            menu = [str(line.render()) for line in app.screen.query(Static)]
            assert any(re.match(rf" {phase.number}  {re.escape(phase.name)} ", line) for line in menu), menu
            await pilot.press(str(phase.number))
            await pilot.pause()
            assert isinstance(app.screen, PhaseScreen) and app.screen.PHASE is phase
            assert app.screen.sub_title.startswith(f"{phase.number} {phase.name} - ")
            strip = str(app.screen.query_one(ProgressStrip).render())
            assert f"{phase.number}[ ]{phase.short}" in strip or f"{phase.number}[x]{phase.short}" in strip
        assert str(app.screen.query_one(ProgressStrip).render()).startswith("1[")


@pytest.mark.parametrize(
    ("term", "no_color", "setting", "expected"),
    [
        ("vt100", "", "auto", True),
        ("vt220", "", "auto", True),
        ("dumb", "", "auto", True),
        ("xterm-mono", "", "auto", True),
        ("xterm-256color", "", "auto", False),
        ("xterm", "", "auto", False),
        ("screen-256color", "1", "auto", True),
        ("vt100", "", "colour", False),
        ("xterm-256color", "", "monochrome", True),
    ],
)
def test_auto_theme_is_monochrome_on_terminals_without_colour(
    monkeypatch: pytest.MonkeyPatch, term: str, no_color: str, setting: str, expected: bool
) -> None:
    monkeypatch.setenv("TERM", term)
    monkeypatch.setenv("NO_COLOR", no_color)
    assert wants_monochrome(setting) is expected


# -- in a real terminal: tmux at TERM=vt100 -------------------------------------------------


def _cursor(terminal) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [*terminal.tmux, "display", "-p", "-t", "t", "#{cursor_x} #{cursor_y}"], capture_output=True, text=True
    ).stdout.split()
    return int(out[0]), int(out[1])


def _settle(terminal) -> None:  # type: ignore[no-untyped-def]
    """Wait until two captures a moment apart are the same."""
    last = [terminal.screen()]

    def unchanged() -> bool:
        previous, last[0] = last[0], terminal.screen()
        return previous == last[0]

    terminal.wait_until(unchanged, seconds=10)


def _marked(screen: str) -> list[str]:
    return re.findall(r"^> .*$", screen, re.M)


def _tab_to(terminal, marked_label: str) -> None:  # type: ignore[no-untyped-def]
    """Tab, a key at a time, until the ">" marker stands beside `marked_label`."""
    # A screen just shown marks its first field a frame or two later: a Tab must not be
    # counted as done by that marker appearing.
    terminal.wait_until(lambda: bool(_marked(terminal.screen())), seconds=30)
    _settle(terminal)
    for _ in range(40):
        if f"> {marked_label}" in terminal.screen():
            return
        before = _marked(terminal.screen())
        terminal.keys("Tab")
        # The old label loses its marker and the new one gains it in separate frames (and the
        # status line changes on its own, with an autosave): wait for another marked line.
        terminal.wait_until(lambda: _marked(terminal.screen()) not in ([], before), seconds=30)
        _settle(terminal)
    raise AssertionError(terminal.screen())


def test_at_vt100_the_marker_and_cursor_show_the_field_and_a_burst_date_is_described_as_stored(
    tmp_path: Path, new_discussion_at_vt100  # type: ignore[no-untyped-def]
) -> None:
    terminal = new_discussion_at_vt100
    screen = terminal.wait_for("> Case reference")
    row = screen.splitlines().index(next(line for line in screen.splitlines() if line.startswith("> Case reference")))
    assert terminal.wait_until(lambda: _cursor(terminal)[1] == row), (_cursor(terminal), screen)
    assert _cursor(terminal)[0] >= 24  # in the box, right of the label column

    terminal.keys("C-g")
    terminal.wait_for("Go to phase")
    terminal.keys("4")
    terminal.wait_for("4 Decisions")
    _tab_to(terminal, "Inform parents/carers")
    terminal.keys("n")
    terminal.wait_for("Review date (if no)")
    _tab_to(terminal, "Review date (if no)")
    # One write, as a slow link delivers it: "2026-11-2" (2 Nov, before the discussion) passes
    # on the way; its note must not outlive the "6".
    terminal.keys("2026-11-26")
    terminal.wait_for("Thu 26 Nov 2026 (in 1 working day)")
    terminal.keys("C-s")

    def stored() -> date | None:
        store = Store.open(tmp_path / "db")
        summaries = store.summaries()
        return store.get(summaries[0].id).decisions.inform_parents.review_date if summaries else None

    assert terminal.wait_until(lambda: stored() == date(2026, 11, 26)), stored()
    screen = terminal.screen()
    assert "Thu 26 Nov 2026 (in 1 working day)" in screen
    assert "before the discussion" not in screen

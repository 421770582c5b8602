"""The team timeliness report on screen: `r` on the dashboard, the period keys, Escape back (issue 15 item 3).

Driven with keys at 80x24; the figures on screen are those of stratui.report for the period shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from stratui.app import StratuiApp
from stratui.context import Context
from stratui.demo import generate_demo
from stratui.models import Action, ActionStatus, Discussion
from stratui.report import build_report, records_of
from stratui.screens import report as report_screen
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.report import ReportScreen

from pilot import ascii_terminal  # noqa: F401 (a fixture these tests use)
from pilot import press_to, screen_text, stratui_at_80x24, wait_until


async def scroll_text(app: StratuiApp, pilot) -> str:  # type: ignore[no-untyped-def]
    """Everything the report shows, paging down to its end."""
    seen = [screen_text(app)]
    for _ in range(10):
        await pilot.press("pagedown")
        await pilot.pause()
        seen.append(screen_text(app))
    return "\n".join(seen)


# The period keys pressed one after another from the current month, and the period each shows.
PERIOD_KEYS = [
    (["left_square_bracket"], "Oct 2026: 1 Oct 2026 to 31 Oct 2026"),
    (["left_square_bracket", "left_square_bracket"], "Aug 2026: 1 Aug 2026 to 31 Aug 2026"),
    (["right_square_bracket"], "Sep 2026:"),
    (["t"], "Nov 2026: 1 Nov 2026"),
    (["right_square_bracket"], "Nov 2026: 1 Nov 2026"),  # no month after this one: no looking ahead
    (["y"], "12 months to Nov 2026: 1 Dec 2025 to 25 Nov 2026"),
]


async def test_r_opens_the_report_and_the_period_keys_move_it(context: Context) -> None:
    context.store.save_all_new(generate_demo(60, 3, context.today))
    async with stratui_at_80x24(context) as (app, pilot):
        await press_to(pilot, "r", screen=ReportScreen)
        text = screen_text(app)
        assert "Nov 2026: 1 Nov 2026 to 25 Nov 2026, whole team (England)" in text
        expected = build_report(
            records_of(context.store.discussions()), date(2026, 11, 1), context.today, context.today, context.settings
        ).period
        d = expected.discussions
        assert f"{d.within} of {d.measured} (" in text
        assert "ICPCs within 15 working days of the strategy discussion starting enquiries" in text

        for keys, period in PERIOD_KEYS:
            await pilot.press(*keys)
            await pilot.pause()
            assert period in screen_text(app), keys

        await press_to(pilot, "escape", screen=DashboardScreen)


async def test_the_report_charts_agencies_and_owners_with_their_counts(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    done_late = Action(
        text="Visit", owner="[b]Sam[/b] Patel", agency="Police - CAIT", due=date(2026, 11, 16),
        status=ActionStatus.DONE, closed_on=date(2026, 11, 18),
    )
    overdue = Action(text="Ring the GP", owner="Jo Reid", agency="Health", due=date(2026, 11, 20))
    context.store.save_all_new([make_discussion(held_on=date(2026, 11, 13), concern_date=date(2026, 11, 12), actions=[done_late, overdue])])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        text = await scroll_text(app, pilot)
        assert "Actions completed by their due date" in text and "0 of 1 (0%), median 2 wd late" in text
        assert "Open and overdue actions: 1 (median 3 wd)" in text
        lines = text.splitlines()
        police = next(line for line in lines if line.strip().startswith("Police "))
        assert police.rstrip().endswith("1 late   0 overdue") and "\u2588" in police
        health = next(line for line in lines if line.strip().startswith("Health "))
        assert health.rstrip().endswith("0 late   1 overdue") and "\u2592" in health
        # A name is shown as typed, never read as markup.
        assert any("[b]Sam[/b] Patel" in line for line in lines)
        await pilot.press("q")
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.usefixtures("ascii_terminal")
async def test_an_ascii_terminal_gets_ascii_bars(context: Context) -> None:
    context.store.save_all_new(generate_demo(40, 3, context.today))
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        bars = [line for line in lines if "#" in line]
        assert bars, "\n".join(lines)
        # stratui's own glyphs are ASCII (the scrollbar's are turned into ASCII by the driver).
        assert not [c for line in lines for c in line if not c.isascii() and not 0x2500 <= ord(c) < 0x25A0]
        assert "# within timescale   - late" in "\n".join(lines)


async def test_a_large_database_loads_behind_an_indicator(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_screen, "LOAD_IN_BACKGROUND_BYTES", 0)
    context.store.save_all_new(generate_demo(30, 3, context.today))
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("r")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.report is not None)
        # The figures are drawn a frame or two after they are worked out (the body is laid out
        # again): wait for what is read, not for the state behind it.
        figures = "Strategy discussions held within 1 working day"
        assert await wait_until(pilot, lambda: figures in screen_text(app)), screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


def test_the_help_lists_the_report_and_its_keys() -> None:
    from stratui.screens.help import help_sections

    sections = dict(help_sections())
    assert any(keys == "r" and what.startswith("Report: Team timeliness") for keys, what in sections["Dashboard"])
    assert any(keys == "ctrl+r" and what == "Refresh" for keys, what in sections["Dashboard"])
    report_keys = sections["Team timeliness report (r on the dashboard)"]
    assert ("[ / left", "Prev month") in report_keys and ("] / right", "Next month") in report_keys
    assert ("escape / q", "Back") in report_keys


def test_bars_share_their_width_and_never_hide_a_count() -> None:
    from stratui.screens.report import segments

    assert segments([3, 1], 4, 40) == [30, 10]
    assert segments([999, 1], 1000, 20) == [19, 1]  # one late in a thousand still shows
    assert segments([5, 5], 10, 3) == [1, 2] or segments([5, 5], 10, 3) == [2, 1]
    assert sum(segments([1, 1, 1], 3, 2)) <= 2
    assert segments([0, 0], 0, 10) == [0, 0]


async def test_an_empty_database_reports_nothing_held(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert text.count("none in the period") == 3
        assert "No action completed late or open and overdue." in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)

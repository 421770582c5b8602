"""The screens of text to read (the handover, the report) scroll with the same keys (kit.reading_keys)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.containers import VerticalScroll

from stratui.context import Context
from stratui.screens.handover import HandoverScreen
from stratui.screens.kit import ReadingScreen
from stratui.screens.report import ReportScreen

from pilot import press_to, stratui_at_80x24, wait_until


@pytest.mark.parametrize(("key", "screen"), [("h", HandoverScreen), ("r", ReportScreen)])
async def test_j_k_end_and_home_move_the_text(
    demo_context: Callable[..., Context], key: str, screen: type[ReadingScreen]
) -> None:
    async with stratui_at_80x24(demo_context(200)) as (app, pilot):
        await pilot.pause()
        await press_to(pilot, key, screen=screen)
        scroller = app.screen.query_one(screen.SCROLLER, VerticalScroll)
        assert await wait_until(pilot, lambda: scroller.max_scroll_y > 1), "the text fits the screen: nothing to scroll"
        await pilot.press("j", "j")
        assert await wait_until(pilot, lambda: scroller.scroll_y == 2), scroller.scroll_y
        await pilot.press("k")
        assert await wait_until(pilot, lambda: scroller.scroll_y == 1), scroller.scroll_y
        await pilot.press("end")
        assert await wait_until(pilot, lambda: scroller.scroll_y == scroller.max_scroll_y), scroller.scroll_y
        await pilot.press("home")
        assert await wait_until(pilot, lambda: scroller.scroll_y == 0), scroller.scroll_y
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, screen))

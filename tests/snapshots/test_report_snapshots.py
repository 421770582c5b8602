"""The team timeliness report at 80x24 in colour and in monochrome (SVG snapshots, issue 15 item 3).

Reached as a user would: `r` on the dashboard. Fixed demo data, "today" and save clock, so the
pictures change only when the screen does. Update with
`pytest tests/snapshots/test_report_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stratui.app import StratuiApp, make_app
from stratui.context import Context
from stratui.demo import generate_demo

from test_snapshots import SAVED_AT, SIZE, THEMES, TODAY, keys  # the screens' snapshots, beside this file


@pytest.fixture
def build_app(context: Context, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], StratuiApp]:
    monkeypatch.delenv("NO_COLOR", raising=False)
    context.store.clock = lambda: SAVED_AT

    def build(theme: str) -> StratuiApp:
        context.store.save_all_new(generate_demo(60, 3, TODAY))
        context.settings.theme = "monochrome" if theme == "monochrome" else "colour"
        app = make_app(context)
        assert (app.theme == "stratui-monochrome") is (theme == "monochrome")
        return app

    return build


@pytest.mark.parametrize("theme", THEMES)
def test_report_this_month(snap_compare, build_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(theme), terminal_size=SIZE, run_before=keys("r"))


@pytest.mark.parametrize("theme", THEMES)
def test_report_twelve_months_scrolled_to_the_charts(snap_compare, build_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(theme), terminal_size=SIZE, run_before=keys("r", "y", "pagedown"))

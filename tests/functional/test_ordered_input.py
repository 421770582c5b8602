"""Backspace, arrows, Home and ctrl+k act where they were typed in a burst, in every kind of box.

A slow SSH link (or a fast typist) delivers a correction and the text after it at once. Textual
ran a box's editing keys only after the letters behind them: "CS-12345", two Backspaces and
"99" became "CS-1234599" less its last letter. screens/ordered_input.py.
"""

from __future__ import annotations

from textual.widgets import Input

from stratui.context import Context
from stratui.screens.details import DetailsScreen
from stratui.screens.ordered_input import OrderedInput

from pilot import burst, start_new, stratui_at_80x24, type_text, wait_until


async def test_a_correction_typed_in_a_burst_lands_where_it_was_typed(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen))
        case_ref = app.focused
        assert isinstance(case_ref, Input)
        await type_text(pilot, "CS-12345")
        await burst(pilot, "backspace", "backspace", "9", "9")
        assert case_ref.value == "CS-12399"
        await burst(pilot, "home", "right", "right", "right", "X", "end", "left", "Y")
        assert case_ref.value == "CS-X1239Y9"
        await burst(pilot, "home", "ctrl+k", "C", "S", "-", "7")
        assert case_ref.value == "CS-7"
        # The next box (a child's name, in the list's row) too.
        await pilot.press("tab")
        child = app.focused
        assert isinstance(child, Input) and child is not case_ref
        await type_text(pilot, "Maya Okafor")
        await burst(pilot, *["backspace"] * 6, "J", "o", "n", "e", "s")
        assert child.value == "Maya Jones"


def test_no_screen_makes_a_plain_textual_input() -> None:
    """Every box the screens make is an OrderedInput (or a subclass): none is Textual's own."""
    import re
    from pathlib import Path

    import stratui.screens as screens

    made = {
        path.name: len(re.findall(r"(?<![\w.])Input\(", path.read_text("utf-8")))
        for path in Path(screens.__file__).parent.glob("*.py")
    }
    assert {name: count for name, count in made.items() if count} == {}

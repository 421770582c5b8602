"""Every screen a key opens from the dashboard reaches an ASCII terminal (LANG=C, vt100) as
ASCII, each glyph as a stand-in that means something in its cell: stratui chooses its own as
ASCII there, and the driver turns Textual's (frames, Markdown bullets, the palette's ellipsis)
into ASCII (tests/functional/test_ascii_terminal.py). None is sent as a "?"."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stratui import terminal
from stratui.context import Context

from pilot import ascii_terminal  # noqa: F401 (a fixture these tests use)
from pilot import screen_lines, stratui_at_80x24, wait_until


# From the dashboard (in this demo its fourth row is an action, its sixth the minutes to
# circulate, a statutory step): the keys, and
# what shows the screen or dialog they open is up.
OPENED_BY = [
    ("n", "which kind?"),
    ("v", "stratui - Case CS-"),
    ("slash", "stratui - Search"),
    ("h", "stratui - Duty handover"),
    ("r", "stratui - Team timeliness"),
    ("ctrl+o", "stratui - Settings"),
    ("question_mark", "Everywhere"),
    ("j j j j j m", "Meets:"),
    ("j j j d", "Mark the action done"),
    ("ctrl+p", "Search for commands"),
    ("enter", "Case reference"),
]


@pytest.mark.parametrize(("key", "shown"), OPENED_BY, ids=[key.split()[-1] for key, _ in OPENED_BY])
@pytest.mark.usefixtures("ascii_terminal")
async def test_each_screen_a_key_opens_shows_only_ascii(
    demo_context: Callable[..., Context], key: str, shown: str
) -> None:
    context = demo_context(5)
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        await pilot.press(*key.split())
        await pilot.pause()
        # A screen that loads in a worker shows within a few frames.
        await wait_until(pilot, lambda: shown.lower() in "\n".join(screen_lines(app)).lower())
        lines = screen_lines(app)
        assert shown.lower() in "\n".join(lines).lower(), "\n".join(lines)
        for line in lines:
            sent = terminal.to_ascii(line)
            assert sent.isascii() and len(sent) == len(line), line  # the same cells: the layout holds
        glyphs = {char for line in lines for char in line if not char.isascii()}
        # The demo's text is ASCII: every glyph here is the program's, and each has a stand-in.
        assert [g for g in sorted(glyphs) if "?" in terminal.to_ascii(g)] == []

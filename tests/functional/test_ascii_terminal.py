"""A terminal that shows only ASCII (LANG=C, a vt100) is sent only ASCII.

stratui's own text (ellipses, key names, the header icon) is chosen as ASCII there; the frames
and scrollbars Textual draws with box and block glyphs are turned into ASCII, cell for cell, on
their way to the terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stratui import terminal
from stratui.context import Context
from stratui.models import Action, Discussion

from pilot import ascii_terminal  # noqa: F401 (a fixture these tests use)
from pilot import screen_lines, stratui_at_80x24

# Textual's frame glyphs, which the terminal driver writes as ASCII (see test_to_ascii_...).
FRAME = range(0x2500, 0x25A0)


def not_ascii(lines: list[str]) -> list[str]:
    """The characters stratui itself put on the screen that an ASCII terminal cannot show."""
    return [char for line in lines for char in line if not char.isascii() and ord(char) not in FRAME]


def assert_sent_as_ascii(lines: list[str]) -> None:
    assert not_ascii(lines) == [], "\n".join(lines)
    for line in lines:
        sent = terminal.to_ascii(line)
        assert sent.isascii() and len(sent) == len(line)  # the same cells: the layout holds


@pytest.mark.usefixtures("ascii_terminal")
async def test_dashboard_phase_and_help_show_only_ascii(
    context: Context, make_discussion: Callable[..., Discussion]
) -> None:
    long_title = "Ask the school nurse for the health records and the attendance pattern since September"
    discussion = make_discussion(
        actions=[Action(text=long_title, owner="Florence Roberts-Whitaker", agency="Health", due=context.today)]
    )
    context.store.save_all_new([discussion])
    async with stratui_at_80x24(context) as (app, pilot):
        await pilot.pause()
        dashboard = screen_lines(app)
        assert_sent_as_ascii(dashboard)
        assert any("..." in line for line in dashboard)  # the long action cut, with an ASCII mark

        app.open_discussion(discussion.id)
        await pilot.pause()
        phase = screen_lines(app)
        assert_sent_as_ascii(phase)
        assert "Case reference" in "\n".join(phase)

        app.action_help()  # (a key would be typed into the focused field)
        await pilot.pause()
        help_lines = screen_lines(app)
        assert_sent_as_ascii(help_lines)
        assert "Everywhere" in "\n".join(help_lines)


async def test_the_same_screens_keep_unicode_on_a_unicode_terminal(
    monkeypatch: pytest.MonkeyPatch, context: Context
) -> None:
    monkeypatch.setenv("STRATUI_ASCII", "0")
    terminal.shows_unicode.cache_clear()
    try:
        async with stratui_at_80x24(context) as (app, pilot):
            await pilot.pause()
            assert not app.ascii_only
            assert "\u2b58" in "\n".join(screen_lines(app))  # Textual's header icon, shown
    finally:
        monkeypatch.undo()
        terminal.shows_unicode.cache_clear()


@pytest.mark.parametrize(
    ("env", "unicode"),
    [
        ({"LANG": "C.UTF-8", "TERM": "xterm-256color"}, True),
        ({"LANG": "C", "TERM": "xterm"}, False),
        ({"LC_ALL": "POSIX", "TERM": "xterm"}, False),
        ({"LANG": "C.UTF-8", "TERM": "vt100"}, False),
        ({"LANG": "C.UTF-8", "TERM": "dumb"}, False),
        ({"LANG": "C", "TERM": "xterm", "STRATUI_ASCII": "0"}, True),
        ({"LANG": "C.UTF-8", "TERM": "xterm", "STRATUI_ASCII": "1"}, False),
    ],
)
def test_the_terminal_is_judged_by_the_locale_asked_for_and_term(env: dict[str, str], unicode: bool) -> None:
    # A real process: Python turns LANG=C into UTF-8 mode at start, which is what is detected.
    result = subprocess.run(
        [sys.executable, "-c", "from stratui.terminal import shows_unicode; print(shows_unicode())"],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == str(unicode)


def test_to_ascii_keeps_every_cell() -> None:
    assert terminal.to_ascii("\u256d\u2500 Zo\u00eb \u2500\u256e") == "+- Zoe -+"
    assert terminal.to_ascii("\u2502\u2587\u2502") == "| |"
    assert terminal.to_ascii("\U0001f50e find") == "?? find"  # a wide emoji: two cells, two marks
    assert terminal.to_ascii("e\u0301") == "e"  # a combining accent takes no cell of its own
    assert terminal.to_ascii("\x1b[1mplain\x1b[0m") == "\x1b[1mplain\x1b[0m"


@pytest.mark.usefixtures("ascii_terminal")
def test_shorten_fits_the_width_with_either_mark() -> None:
    assert terminal.shorten("Strategy discussion", 10) == "Strategy.."[:7] + "..."
    assert len(terminal.shorten("Strategy discussion", 10)) == 10
    assert terminal.shorten("short", 10) == "short"
    assert terminal.shorten("abcdef", 2) == ".."


@pytest.mark.process
def test_a_vt100_under_lang_c_is_sent_no_unicode(tmp_path: Path, stratui_in_tmux) -> None:  # type: ignore[no-untyped-def]
    settings = tmp_path / "settings.toml"
    settings.write_text('user = "Sam Patel"\n')
    app = stratui_in_tmux(
        {
            "LANG": "C",
            "LC_ALL": "C",
            "TERM": "vt100",
            "STRATUI_DB": str(tmp_path / "db"),
            "STRATUI_CONFIG": str(settings),
            "STRATUI_TODAY": "2026-11-25",
        }
    )
    screen = app.wait_for("No discussions yet")
    assert [char for char in screen if not char.isascii()] == [], screen
    app.keys("n")
    screen = app.wait_for("which kind")
    assert [char for char in screen if not char.isascii()] == [], screen

"""Esc and the keys after it in one burst: Esc acts, the keys go where the worker went.

Before: Textual's reader took "Esc a b" (one read over a slow link) for one unknown sequence and
typed "^ab" into the box, and "Esc 2" as "™" (screens/escape_key.py); Esc, a screen's key,
acted only after the keys behind it were typed into the box, so "Esc n" saved the case
reference with an "n" at its end; a TextArea took Backspace after the letters behind it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.message import Message
from textual.widgets import TextArea

from stratui.context import Context
from stratui.screens.dashboard import DashboardScreen
from stratui.screens.details import DetailsScreen
from stratui.screens.escape_key import EscapeFirstParser
from stratui.screens.new_discussion import NewDiscussionScreen
from stratui.store import Store
from stratui.text import neutralise

from pilot import burst, start_new, stratui_at_80x24, type_text, wait_until


def keys_read(parser: XTermParser, *reads: str) -> list[str]:
    """What the reader makes of the reads, each read as one chunk from the terminal."""
    made: list[Message] = []
    for data in reads:
        made += parser.feed(data)
    return [m.key if isinstance(m, events.Key) else type(m).__name__ for m in made]


@pytest.mark.parametrize(
    ("reads", "keys"),
    [
        (["CS\x1bab"], ["C", "S", "escape", "a", "b"]),
        (["\x1b2\x1b-"], ["escape", "2", "escape", "minus"]),
        (["x\x1b", "n"], ["x", "escape", "n"]),  # the Esc ends one read, the key starts the next
        (["\x1b n"], ["escape", "space", "n"]),
        (["\x1bOscar"], ["escape", "O", "s", "c", "a", "r"]),  # not the keypad's "3" (ESC O s)
    ],
)
def test_an_escape_followed_by_a_key_is_escape_then_the_key(reads: list[str], keys: list[str]) -> None:
    assert keys_read(EscapeFirstParser(), *reads) == keys


@pytest.mark.parametrize(
    "reads",
    [
        ["\x1b[A\x1b[B"],  # arrows
        ["\x1bOP\x1bOA"],  # F1 and up on a vt100
        ["\x1b", "[C"],  # an arrow split over two reads
        ["\x1b[", "C"],
        ["\x1b[<0;1", "0;5M"],  # a mouse click split over two reads
        ["\x1bb\x1bf\x1b\x7f"],  # Alt+Left, Alt+Right, Alt+Backspace (macOS terminals)
        ["\x1b[Z"],  # Shift+Tab
        ["\x1b\x1b"],
        ["\x1b[<0;10;5M"],  # a mouse click
        ["\x1b[200~plain paste\x1b[201~"],
        ["plain text, no escape"],
    ],
)
def test_the_terminal_s_own_sequences_read_as_textual_reads_them(reads: list[str]) -> None:
    assert keys_read(EscapeFirstParser(), *reads) == keys_read(XTermParser(), *reads)


HOSTILE = "Concern \x1b[2J\x1b]0;pwned\x07 from school \x1b[31mred\x1b[0m end\x1bx\x00"


@pytest.mark.parametrize(
    "reads",
    [
        [f"a\x1b[200~{HOSTILE}\x1b[201~b"],
        ["a\x1b[200~", HOSTILE[:9], HOSTILE[9:], "\x1b[20", "1~b"],  # over several reads
    ],
)
def test_a_paste_is_one_paste_whatever_it_holds(reads: list[str]) -> None:
    """Textual's reader took an ESC inside a paste for a sequence and gave the rest as keys: the
    BEL ran ctrl+g (go to a phase) and the text after it chose one (seen in tmux). The paste's
    text comes with stand-ins, as the record keeps it: a raw ESC in a box reached the terminal."""
    made: list[Message] = []
    parser = EscapeFirstParser()
    for data in reads:
        made += parser.feed(data)
    assert [m.key if isinstance(m, events.Key) else m.text for m in made] == ["a", neutralise(HOSTILE), "b"]  # type: ignore[attr-defined]
    assert "\x1b" not in neutralise(HOSTILE) and "\u241b[2J" in neutralise(HOSTILE)


def test_the_app_s_terminal_and_browser_read_keys_escape_first(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.drivers import web_driver

    from stratui.app import make_app
    from stratui.screens.escape_key import read_escape_first

    for module in (linux_driver, web_driver):
        monkeypatch.setattr(module, "XTermParser", XTermParser)  # as Textual has it
    driver = make_app(context).get_driver_class()
    assert issubclass(driver, linux_driver.LinuxDriver)
    assert linux_driver.XTermParser is EscapeFirstParser
    assert web_driver.XTermParser is XTermParser  # a driver not used is left alone
    read_escape_first(web_driver.WebDriver)  # `serve` runs stratui with this one
    assert web_driver.XTermParser is EscapeFirstParser


async def test_escape_then_n_leaves_the_record_as_typed_and_starts_a_new_one(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen))
        await type_text(pilot, "CS-ESC")
        await burst(pilot, "escape", "n")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NewDiscussionScreen)), app.screen
        assert isinstance(app.screen_stack[-2], DashboardScreen)
    assert [s.case_ref for s in context.store.summaries()] == ["CS-ESC"]


async def test_a_correction_in_a_long_text_box_lands_where_it_was_typed(context: Context) -> None:
    async with stratui_at_80x24(context) as (app, pilot):
        await start_new(pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen))
        await pilot.press("ctrl+n")  # information sharing: the concerns are a long text box
        assert await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        box = app.focused
        assert isinstance(box, TextArea)
        await burst(pilot, *"abcdef", "backspace", "backspace", "backspace", *"XYZ", "left", "left", "-")
        assert box.text == "abcX-YZ"


def test_escape_and_letters_in_one_write_leave_the_box_as_typed(tmp_path: Path, new_discussion_at_vt100) -> None:  # type: ignore[no-untyped-def]
    """In a real terminal (tmux, vt100): "CS-1", Esc and "2" in one write."""
    terminal = new_discussion_at_vt100
    terminal.keys("CS-1", "Escape", "2")
    terminal.wait_for("strategy discussions")  # the dashboard's title

    def case_refs() -> list[str]:
        return [s.case_ref for s in Store.open(tmp_path / "db").summaries()]

    assert terminal.wait_until(lambda: case_refs() == ["CS-1"]), case_refs()

"""Esc read as Esc when the keys typed after it arrive with it (a slow SSH link, a fast typist).

A terminal sends Esc as the byte ESC, and many other keys as ESC followed by more bytes, so
Textual's reader waits a moment after an ESC to learn which it was. When the keys after Esc come
in the same read, it takes them all for one sequence, and a sequence it does not know it turns
into other text: "Esc a b" typed into a box gave "^ab", "Esc 2" gave "™" (in tmux at vt100 and
xterm, and in a bare Textual app). The Esc was lost and the record's text was changed.

`EscapeFirstParser` reads an ESC followed by a key that starts no terminal sequence as Esc, then
that key. What still follows ESC as one sequence:
- the introducers of the terminal's own sequences (arrows, function keys, mouse, paste, replies):
  `[`, `O` (with a final Textual reads as a key: F1-F4 and the arrows of a vt100), `]`, `P`,
  `_`, `\\` and a second ESC;
- the few pairs Textual knows as keys: Option/Alt+Left and Right (ESC b, ESC f: a word left or
  right), Alt+Backspace (a word back) and ESC Tab (Shift+Tab), as macOS terminals send them.
A bracketed paste is read here whole, up to its end, as one paste: whatever it holds is text,
its unsafe characters given as stand-ins (stratui.text), as the record keeps them.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterable

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._parser import ParseTimeout, Read1
from textual._xterm_parser import XTermParser
from textual.message import Message

from stratui.text import neutralise

ESC = "\x1b"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
_INTRODUCERS = frozenset("[O]P_\\" + ESC)
SS3 = "O"


def _keys_after(start: str) -> frozenset[str]:
    """The characters that, after `start`, make a sequence Textual reads as a key (not as text)."""
    return frozenset(
        sequence[len(start)]
        for sequence, keys in ANSI_SEQUENCES_KEYS.items()
        if len(sequence) == len(start) + 1 and sequence.startswith(start) and isinstance(keys, tuple)
    )


_KEY_PAIRS = _keys_after(ESC)
# ESC O and a final: a vt100's F1-F4 and arrows. ESC O j..y, the keypad's digits in the
# application mode stratui never asks for, are text (Textual reads ESC O s as "3").
_SS3_KEYS = _keys_after(ESC + SS3)


def starts_a_sequence(after_escape: str) -> bool:
    """Whether ESC followed by `after_escape` (the next one or two characters read with it) may
    be one key or terminal sequence."""
    first = after_escape[:1]
    if first == SS3 and len(after_escape) > 1:
        return after_escape[1] in _SS3_KEYS
    return first in _INTRODUCERS or first in _KEY_PAIRS


class EscapeFirstParser(XTermParser):
    """Textual's terminal reader, with an ESC that starts no sequence read as the Esc key."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        # What a bracketed paste has brought so far, while one is under way.
        self._paste: str | None = None
        # The last read ended with an ESC (and nothing after it): the reader holds it.
        self._ended_with_escape = False

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            yield from super().feed(data)
            return
        while data:
            if self._paste is not None:
                data = yield from self._pasted(data)
                continue
            start = data.find(PASTE_START)
            if start == -1:
                yield from self._keys(data)
                return
            yield from self._keys(data[:start])
            if self._ended_with_escape:
                yield from self._escape_alone()  # an Esc just before the paste
                self._ended_with_escape = False
            self._paste, data = "", data[start + len(PASTE_START) :]

    def _pasted(self, data: str) -> Generator[Message, None, str]:
        """Everything up to the paste's end is its text, whatever it holds: an ESC, a BEL or a
        whole terminal command in pasted text is text, given with stand-ins (stratui.text).
        Textual's reader read an ESC inside a paste as the start of a sequence, and the rest of
        the paste as keys: a BEL ran ctrl+g (go to a phase) and the text after it chose one."""
        assert self._paste is not None
        seen = len(self._paste)
        self._paste += data
        end = self._paste.find(PASTE_END, max(0, seen - len(PASTE_END)))
        if end == -1:
            return ""  # the rest of the paste comes in a later read
        text, rest = self._paste[:end], self._paste[end + len(PASTE_END) :]
        self._paste = None
        # Neutralised as it comes in (stand-ins: ␛, ␇), so the box shows what the record keeps:
        # a raw ESC in a box's text would reach the terminal as it is drawn (seen: ESC [2J
        # cleared the screen).
        yield events.Paste(neutralise(text))
        return rest

    def _keys(self, data: str) -> Iterable[Message]:
        """Keys (no paste in `data`): through Textual's reader, an ESC that starts no sequence
        given as the Esc key."""
        if not data:
            return
        start = 0
        if self._ended_with_escape and not starts_a_sequence(data[:2]):
            yield from self._escape_alone()  # the ESC came at the end of the last read
        position = data.find(ESC)
        while position != -1:
            if position + 1 < len(data) and not starts_a_sequence(data[position + 1 : position + 3]):
                yield from super().feed(data[start : position + 1])
                yield from self._escape_alone()
                start = position + 1
            position = data.find(ESC, position + 1)
        self._ended_with_escape = data.endswith(ESC)
        yield from super().feed(data[start:])

    def _holding_an_escape(self) -> bool:
        """Whether the reader is waiting to learn what follows an ESC (its only timed read)."""
        return isinstance(self._awaiting, Read1) and self._awaiting.timeout is not None

    def _escape_alone(self) -> Iterable[Message]:
        """Tell the reader nothing more came after the ESC: it gives the Esc key (as its timer would)."""
        if not self._holding_an_escape():
            return
        self._timeout_time = None
        self._awaiting = self._gen.throw(ParseTimeout())
        while self._tokens:
            yield self._tokens.popleft()


def read_escape_first(driver: type) -> None:
    """Make the terminal driver (the terminal's, or the browser's for `serve`) read keys with
    EscapeFirstParser: each of Textual's drivers builds its reader from its module's name
    XTermParser."""
    for cls in driver.__mro__:
        module = sys.modules.get(cls.__module__)
        if module is not None and getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = EscapeFirstParser  # type: ignore[attr-defined]

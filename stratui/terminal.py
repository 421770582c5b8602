"""What the user's terminal can show: Unicode, or only ASCII (LANG=C, a vt100), decided once.

Under LANG=C Python switches itself to UTF-8 (PEP 538/540), so the encoding it reports says
nothing about the terminal: the locale the user asked for, and TERM, do.
"""

from __future__ import annotations

import functools
import locale
import os
import sys
import unicodedata

# Terminals that draw only ASCII (or their own line-drawing set, which Textual does not use).
ASCII_TERMS = ("dumb", "vt52", "vt100", "vt102", "vt220", "vt320", "ansi")


@functools.cache
def shows_unicode() -> bool:
    """True unless the locale is C/POSIX or not UTF-8, or TERM names an ASCII terminal.

    STRATUI_ASCII=1 forces ASCII (a terminal that mis-reports itself), STRATUI_ASCII=0 Unicode.
    Cached: one answer for the whole run (tests clear the cache after changing the environment).
    """
    forced = os.environ.get("STRATUI_ASCII", "").strip()
    if forced in ("0", "1"):
        return forced == "0"
    if os.environ.get("TERM", "").lower().split("-")[0] in ASCII_TERMS:
        return False
    # UTF-8 mode that nobody asked for (no PYTHONUTF8, no -X utf8) means the locale was C/POSIX.
    asked_for_utf8 = os.environ.get("PYTHONUTF8") == "1" or "utf8" in sys._xoptions
    if sys.flags.utf8_mode and not asked_for_utf8:
        return False
    return locale.getpreferredencoding(False).lower().replace("-", "") == "utf8"


def ellipsis() -> str:
    return "\u2026" if shows_unicode() else "..."


def shorten(text: str, width: int) -> str:
    """Text cut to `width` characters, ending in an ellipsis when cut."""
    if len(text) <= width:
        return text
    mark = ellipsis()
    return (text[: max(0, width - len(mark))] + mark)[: max(0, width)]


# The frame glyphs Textual draws (borders, scrollbars, the inputs' tall edges) and a few
# symbols, as the ASCII character that takes the same cell.
_BOX = {"\u2500": "-", "\u2501": "-", "\u2502": "|", "\u2503": "|", "\u2550": "=", "\u2551": "|"}
_SYMBOLS = {
    "\u2026": ".", "\u2190": "<", "\u2192": ">", "\u2191": "^", "\u2193": "v", "\u23ce": "~",
    "\u2713": "v", "\u2714": "v", "\u2717": "x", "\u00b7": ".", "\u2022": "*", "\u25cf": "*",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u00a0": " ", "\u2039": "<", "\u203a": ">",
}


@functools.lru_cache(4096)
def _ascii_char(char: str) -> str:
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char in _BOX:
        return _BOX[char]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # other box drawing: corners and joins
        return "+"
    if 0x2580 <= code <= 0x259F:  # block elements: scrollbar ends, tall borders (reverse video shows the thumb)
        return " "
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return ""  # an accent on the letter before (which keeps its cell), a zero-width joiner
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    if len(base) == 1:
        return base + " " * (width - 1)  # é as e
    return "?" * width


def to_ascii(output: str) -> str:
    """Terminal output with every non-ASCII character as ASCII taking the same cells.

    Only for showing: what is saved is never passed through this.
    """
    if output.isascii():
        return output
    return "".join(char if char.isascii() else _ascii_char(char) for char in output)

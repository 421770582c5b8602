"""Record text is data, never terminal commands: which characters are unsafe, in one place.

A shared database is written by many people and read in everyone's terminal. A character that a
terminal or a renderer obeys instead of showing (ESC starts a command that can set the window
title, write the clipboard or reset the terminal; CR jumps back over a line; a bidi override
re-orders what follows) is replaced by a visible stand-in: nothing is dropped, and the record
still shows where something odd was. `neutralise` is for text coming in (every text field of
the record passes it in model validation); `escape` is for text going out to a terminal,
Markdown or HTML, as defence in depth for text that did not come in through the record.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator


# The unsafe characters:
# - C0 controls (U+0000-U+001F, ESC and CR among them) except tab and newline, and DEL;
# - C1 controls U+0080-U+009F: a UTF-8 terminal may obey U+009B as CSI, U+009D as OSC;
# - Unicode's Bidi_Control characters: ALM U+061C, LRM/RLM U+200E/U+200F, the embeddings and
#   overrides U+202A-U+202E, the isolates U+2066-U+2069 ("Trojan Source", CVE-2021-42574):
#   invisible, yet they change the order in which the text around them is shown;
# - U+2028/U+2029 (line and paragraph separators): a line break to Unicode, not to a terminal;
# - U+FEFF (byte order mark / zero-width no-break space): invisible;
# - lone surrogates U+D800-U+DFFF (JSON's "\ud800"): not characters, cannot be written as UTF-8.
# Zero-width joiners and non-joiners stay: emoji and several scripts need them.
_UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
# How a line break arrives from Windows, old Macs and some word processors.
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")


def is_unsafe(char: str) -> bool:
    return _UNSAFE.fullmatch(char) is not None


def stand_in(char: str) -> str:
    """What is shown in place of an unsafe character: its Unicode control picture (␛ for ESC,
    ␍ for CR, ␀ for NUL, ␡ for DEL), or its code point (‹U+202E›).

    The stand-ins hold nothing that Markdown, HTML, JSON or Rich markup would read as syntax.
    """
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\u2039U+{code:04X}\u203a"


def neutralise(text: str) -> str:
    """Text coming in (typed, pasted, imported, read back from the store) made safe to keep.

    Line breaks of every kind become a newline and tabs stay; every other unsafe character
    becomes its stand-in. Safe text is returned unchanged, and neutralising twice changes
    nothing more.
    """
    # Nearly always true, and every field of every record read comes here. (CR, U+2028 and
    # U+2029 are in the unsafe set, so text with a line break to convert is never passed by.)
    if _UNSAFE.search(text) is None:
        return text
    return escape(_LINE_BREAK.sub("\n", text))


def escape(text: str) -> str:
    """Text going out (to a terminal, into Markdown or HTML): every unsafe character, CR included,
    as its stand-in, so a record that bypassed `neutralise` still cannot command the terminal.

    Newlines and tabs stay: a caller that needs one line joins the lines itself.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: stand_in(match.group()), text)


def escape_json(document: str) -> str:
    """A JSON document going out, with every unsafe character written as a \\u escape.

    json.dumps already escapes C0 controls, but not DEL, C1, bidi controls or (with
    ensure_ascii=False) anything else; unsafe characters can only occur inside its strings,
    so the escaped document reads back to exactly the same data.
    """
    if not _may_hold_unsafe(document):
        return document
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


# Every ASCII character but the unsafe ones. Deleted from a text's UTF-8, what is left is its
# unsafe ASCII characters and each of its other characters whole (their bytes are all >= 0x80).
_SAFE_ASCII = bytes(c for c in range(128) if _UNSAFE.match(chr(c)) is None)


def _may_hold_unsafe(text: str) -> bool:
    """Whether `text` holds an unsafe character (as `_UNSAFE.search`); a long one is checked as
    its UTF-8 (`_utf8_holds_unsafe`)."""
    if len(text) < 4096:
        return _UNSAFE.search(text) is not None
    return _utf8_holds_unsafe(text.encode("utf-8", "surrogatepass"))


def _utf8_holds_unsafe(document: bytes) -> bool:
    """The regular expression only over what is left once the safe ASCII is deleted, in C
    (bytes.translate): a document of 18 MB (`stratui dashboard --json` at 100,000 discussions)
    is checked in a tenth of the time the expression takes over all of it."""
    rest = document.translate(None, _SAFE_ASCII)
    return _UNSAFE.search(rest.decode("utf-8", "surrogatepass")) is not None


def escape_json_utf8(document: bytes) -> bytes:
    """`escape_json` of a document already written as UTF-8 (lone surrogates as "surrogatepass"
    writes them): the same bytes when nothing is unsafe, with no decoding and encoding again."""
    if not _utf8_holds_unsafe(document):
        return document
    return escape_json(document.decode("utf-8", "surrogatepass")).encode("utf-8")


def holds_unsafe(text: str) -> bool:
    """Whether `neutralise` would put a stand-in into this text (a line break alone does not)."""
    return _UNSAFE.search(_LINE_BREAK.sub("\n", text)) is not None


def one_line(text: str) -> str:
    """Text for a single line of output (a row, a heading): escaped, its lines joined by " / ".

    A newline in a field must not start a line of its own, which could pass for another row.
    """
    return " / ".join(line.strip() for line in escape(text).split("\n") if line.strip())


def strings_in(value: object, leaving_out: Collection[str] = (), key: str = "") -> Iterator[str]:
    """Every string in a JSON document (a record's `model_dump(mode="json")`), in order, but
    those under a key in `leaving_out` (codes and ids rather than text); `key` is the one `value`
    is under."""
    if key in leaving_out:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from strings_in(child, leaving_out, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from strings_in(child, leaving_out, key)

"""stratui.text: which characters are unsafe, and what neutralise (in) and escape (out) make of them."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratui.text import escape, escape_json, holds_unsafe, is_unsafe, neutralise, one_line, stand_in, strings_in

# Every class of unsafe character, written out here rather than taken from the module under test.
UNSAFE_CLASSES = {
    "C0 controls": [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)],
    "DEL": ["\x7f"],
    "C1 controls": [chr(c) for c in range(0x80, 0xA0)],
    "bidi embeddings and overrides": ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e"],
    "bidi isolates": ["\u2066", "\u2067", "\u2068", "\u2069"],
    "bidi marks": ["\u200e", "\u200f", "\u061c"],
    "line and paragraph separators": ["\u2028", "\u2029"],
    "byte order mark": ["\ufeff"],
    "lone surrogates": [chr(c) for c in range(0xD800, 0xE000)],
}
ALL_UNSAFE = {char for chars in UNSAFE_CLASSES.values() for char in chars}
# Characters that look special but are ordinary text: tab and newline, the zero-width joiner
# and non-joiner (emoji, Persian, Indic scripts), Welsh and Irish letters, an emoji flag.
SAFE_SAMPLES = "\t\n\u200b\u200c\u200dŵŷ Seán Zoë «» … – 😀 🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f ‹U+202E› ␛"
TERMINAL_CONTROLS = frozenset(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]) - {"\t", "\n"}


@pytest.mark.parametrize("kind", sorted(UNSAFE_CLASSES))
def test_every_class_of_unsafe_character_is_unsafe_and_gets_a_visible_stand_in(kind: str) -> None:
    for char in UNSAFE_CLASSES[kind]:
        assert is_unsafe(char), (kind, hex(ord(char)))
        shown = stand_in(char)
        assert shown and not any(is_unsafe(c) for c in shown)
        assert escape(f"a{char}b") == f"a{shown}b"


def test_the_stand_ins_are_control_pictures_or_code_points() -> None:
    assert stand_in("\x1b") == "\u241b"  # ␛
    assert stand_in("\x00") == "\u2400"  # ␀
    assert stand_in("\r") == "\u240d"  # ␍
    assert stand_in("\x7f") == "\u2421"  # ␡
    assert stand_in("\x9b") == "‹U+009B›"
    assert stand_in("\u202e") == "‹U+202E›"


def test_ordinary_text_is_safe_and_left_alone() -> None:
    assert not any(is_unsafe(c) for c in SAFE_SAMPLES)
    assert neutralise(SAFE_SAMPLES) == SAFE_SAMPLES
    assert escape(SAFE_SAMPLES) == SAFE_SAMPLES
    assert not holds_unsafe(SAFE_SAMPLES)


def test_the_attacks_seen_on_the_shared_database_become_visible_text() -> None:
    attack = "\x1b]0;PWNED\x07 \x1b]52;c;cHduZWQ=\x07 \x1bc \x1b[2J Innocent\rEVIL \x9b31m \u202eevil\u202c \u2066x\u2069 \x00"
    kept = neutralise(attack)
    assert kept == (
        "␛]0;PWNED␇ ␛]52;c;cHduZWQ=␇ ␛c ␛[2J Innocent\nEVIL ‹U+009B›31m ‹U+202E›evil‹U+202C› ‹U+2066›x‹U+2069› ␀"
    )
    # Going out, a CR that never came in is shown, not obeyed and not turned into a line break.
    assert escape("Innocent\rEVIL") == "Innocent␍EVIL"


def test_line_breaks_of_every_kind_come_in_as_newlines() -> None:
    assert neutralise("one\r\ntwo\rthree\u2028four\u2029five\nsix") == "one\ntwo\nthree\nfour\nfive\nsix"
    assert not holds_unsafe("one\r\ntwo\rthree")
    assert holds_unsafe("one\x1btwo") and holds_unsafe("\u202e")


def test_one_line_joins_the_lines_so_a_field_cannot_pass_for_another_row() -> None:
    assert one_line("Innocent\nEVIL  \n\n  row") == "Innocent / EVIL / row"
    assert one_line("a\x1b[2Kb") == "a␛[2Kb"


def test_json_keeps_the_same_data_with_no_raw_control_or_bidi_character() -> None:
    data = {"text": " ".join(sorted(ALL_UNSAFE)) + " Zoë 😀"}
    document = escape_json(json.dumps(data, ensure_ascii=False))
    assert not any(c in ALL_UNSAFE for c in document)
    assert json.loads(document) == data
    assert "Zoë 😀" in document  # other text stays readable


@given(st.text(), st.integers(0, 5000))
def test_a_long_json_document_is_escaped_as_a_short_one(text: str, padding: int) -> None:
    """Past 4,096 characters the check runs over the UTF-8 left once safe ASCII is deleted: the
    same characters escaped, wherever they are, lone surrogates among them."""
    document = "x" * padding + text + "\ud800 é" * (padding % 3) + "y" * padding
    assert escape_json(document) == "".join(f"\\u{ord(c):04x}" if c in ALL_UNSAFE else c for c in document)


@given(st.text())
def test_neutralised_text_holds_no_terminal_control_and_neutralising_again_changes_nothing(text: str) -> None:
    kept = neutralise(text)
    assert not any(c in ALL_UNSAFE or c in TERMINAL_CONTROLS for c in kept)
    assert neutralise(kept) == kept
    assert escape(kept) == kept  # what came in safe goes out unchanged


@given(st.text())
def test_escaped_text_holds_no_unsafe_character_and_loses_no_safe_one(text: str) -> None:
    out = escape(text)
    assert not any(c in ALL_UNSAFE for c in out)
    # Nothing dropped: each unsafe character is replaced by its own stand-in.
    assert out == "".join(stand_in(c) if c in ALL_UNSAFE else c for c in text)


@given(st.text(alphabet=st.sampled_from(sorted(ALL_UNSAFE) + list("ab \n\r\t"))))
def test_is_unsafe_is_exactly_the_listed_classes(text: str) -> None:
    for char in text:
        assert is_unsafe(char) == (char in ALL_UNSAFE)


def test_no_other_character_is_unsafe() -> None:
    others = [chr(c) for c in range(0x30000) if chr(c) not in ALL_UNSAFE and is_unsafe(chr(c))]
    assert others == []


def test_strings_in_gives_every_string_in_order_but_those_under_the_keys_left_out() -> None:
    document = {"id": "d1", "case_ref": "CS-1", "actions": [{"id": "a1", "text": "Visit"}, {"text": "Call", "due": None}], "revision": 3}
    assert list(strings_in(document)) == ["d1", "CS-1", "a1", "Visit", "Call"]
    assert list(strings_in(document, {"id"})) == ["CS-1", "Visit", "Call"]
    # A list stands under its own key: a list of ids left out is left out whole.
    assert list(strings_in({"previous": ["d0", "d9"], "note": "seen"}, {"previous"})) == ["seen"]

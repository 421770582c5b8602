"""The export's indenter writes exactly what json.dumps(indent=1, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stratui.json_text import indented

ODD: list[dict[str, Any]] = [
    {},
    {"empty list": [], "empty object": {}, "nested": [[], [{}], {"a": [None, True, False, 0, -7, 10**30]}]},
    {"quotes": '"\\', "controls": "\x00\x1b\x7f\t\n\r", "bidi": "\u202e\u2028\u2029", "text": "Ó Dónaill — “Zoë” 🙂"},
    {"a float": 1.5, "nan": float("nan"), "minus zero": -0.0},  # left to json.dumps
    {"a tuple": (1, 2)},
    {1: "a key that is not text"},
]


@pytest.mark.parametrize("doc", ODD, ids=range(len(ODD)))
def test_it_is_json_dumps_to_the_byte(doc: dict[str, Any]) -> None:
    expected = json.dumps(doc, indent=1, ensure_ascii=False)
    assert indented(doc, 1) == expected
    assert indented(doc, 1, "  ") == expected.replace("\n", "\n  ")

"""JSON text as `json.dumps(value, indent=N, ensure_ascii=False)` writes it, made faster.

The standard library indents in pure Python, a generator a value: most of an export's time, and
~2 s for the dashboard's 25,000 rows on a loaded machine. `indented` gives the same text
(tests/unit/test_export_indent.py and test_dashboard_json_text.py compare it with json.dumps)
in about half the time; anything but JSON's own types is left to json.dumps.
"""

from __future__ import annotations

import json
from typing import Any


def indented(value: Any, indent: int, margin: str = "") -> str:
    """json.dumps(value, indent=indent, ensure_ascii=False), every line after the first starting
    with `margin`."""
    out: list[str] = []
    try:
        _indent_into(out, value, margin, " " * indent)
    except _NotPlain:
        return json.dumps(value, indent=indent, ensure_ascii=False).replace("\n", "\n" + margin)
    return "".join(out)


class _NotPlain(Exception):
    """A value `indented` leaves to json.dumps."""


_quote = json.encoder.encode_basestring  # a string as json.dumps writes it with ensure_ascii=False


def _indent_into(out: list[str], value: Any, margin: str, step: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = margin + step
        before = "{\n" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            out.append(before + _quote(key) + ": ")
            _indent_into(out, item, inner, step)
            before = ",\n" + inner
        out.append("\n" + margin + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = margin + step
        before = "[\n" + inner
        for item in value:
            out.append(before)
            _indent_into(out, item, inner, step)
            before = ",\n" + inner
        out.append("\n" + margin + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    else:
        raise _NotPlain  # a float (NaN, -0.0 ...), or not JSON at all

"""Writing the minutes in Markdown: user-typed text made literal, and the small shapes every
section is built from (a field, a bullet, a table, a date or "Not recorded").

The minutes_* modules share these helpers; nothing typed by a user can change the document's
structure because every piece of it passes through escape_markdown here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time

from stratui.models import format_date
from stratui.text import escape

NOT_RECORDED = "Not recorded"
NONE_RECORDED = "None recorded."

# Characters that can start or end Markdown structure anywhere in a line. `&` starts an entity
# reference (`&lt;` would otherwise display as `<`).
_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~!&])")
# Line starts that make a list item, a setext underline or a table delimiter row.
_LEADING_MARKER = re.compile(r"^([-+=:])")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """Make user-typed text literal in Markdown: no headings, lists, links, tables, HTML or emphasis,
    and no control or bidi characters (stratui.text: they reach whoever prints or views it).

    Line breaks are kept; leading indentation is dropped (four spaces would make a code block).
    """
    return "\n".join(_escape_line(line) for line in escape(text).splitlines())


def _escape_line(line: str) -> str:
    line = _SPECIALS.sub(r"\\\1", line.strip())
    line = _LEADING_MARKER.sub(r"\\\1", line)
    return _ORDERED_MARKER.sub(r"\1\\\2", line)


def _inline(text: str, empty: str = NOT_RECORDED) -> str:
    """User text on one line (a table cell, a heading, a list label): line breaks become " / "."""
    lines = [line for line in escape_markdown(text).split("\n") if line]
    return " / ".join(lines) or empty


def _block(text: str, empty: str = NOT_RECORDED) -> str:
    """User text as paragraphs: blank lines separate paragraphs, single line breaks are kept."""
    paragraphs: list[list[str]] = [[]]
    for line in escape_markdown(text).split("\n"):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    # Two spaces at the end of a line are CommonMark's hard line break; unlike the other one (a
    # backslash) they do not show when the Markdown is read as plain text, in an email say.
    rendered = ["  \n".join(lines) for lines in paragraphs if lines]
    return "\n\n".join(rendered) or empty


def _item(text: str, empty: str = NOT_RECORDED, lead: str = "") -> str:
    """A bullet whose text may run to several paragraphs, all kept inside the bullet.

    `lead` is Markdown of ours (a bold label, say) put before the user's text.
    """
    lines = (lead + _block(text, empty)).split("\n")
    return "- " + "\n".join([lines[0]] + [f"  {line}" if line else "" for line in lines[1:]])


def _field(label: str, text: str, empty: str = NOT_RECORDED) -> str:
    return f"**{label}:** {_block(text, empty)}"


def _date(day: date | None) -> str:
    return format_date(day) if day is not None else NOT_RECORDED


def _time(moment: time | None) -> str:
    return f"{moment:%H:%M}" if moment is not None else NOT_RECORDED


def _datetime(moment: datetime | None) -> str:
    return f"{format_date(moment.date())} at {moment:%H:%M}" if moment is not None else NOT_RECORDED


def _yes_no(value: bool | None, unknown: str = NOT_RECORDED) -> str:
    return unknown if value is None else ("Yes" if value else "No")


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    headers = list(headers)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _bullets(items: Iterable[str], empty: str = NONE_RECORDED) -> str:
    rendered = [_item(text) for text in items if text.strip()]
    return "\n".join(rendered) if rendered else empty


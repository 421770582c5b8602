"""The record's text types (pydantic): every text neutralised on the way in (stratui.text).

Apart from stratui.text so that commands which only print (`--version`, `--help`, `locate`)
load no pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints

from stratui import text


# -- the record's text types ------------------------------------------------------------


@dataclass(frozen=True)
class TextLimit:
    """How much a text field holds, and the box it is typed in (found by Discussion.rule_problems)."""

    chars: int
    box: str


# How much a one-line box (a name, a role, a case reference) holds.
ONE_LINE = TextLimit(200, "a one-line box")
ONE_LINE_LIMIT = ONE_LINE.chars


def too_long(values: dict[str, str], labels: dict[str, str]) -> tuple[str, str] | None:
    """The first one-line box typed longer than the record holds, and what to tell the user:
    a row is refused before it is added rather than saved and then reported as a problem.
    `labels` names each box to check by its key, e.g. {"name": "The name"}."""
    for key, label in labels.items():
        if len(values[key]) > ONE_LINE_LIMIT:
            return key, f"{label} is too long ({ONE_LINE_LIMIT} characters at most)."
    return None


def _neutralised(value: object) -> object:
    # Not a string: left for pydantic to report ("Input should be a valid string").
    return text.neutralise(value) if isinstance(value, str) else value


# Every text of the record, however it arrives (typed, pasted, imported, read back from a file
# written by an older version or by hand), is neutralised before it is checked: control and
# bidi characters become visible stand-ins (above), so record text never commands a
# terminal. The limits are rules of the record, not of the type: a value too long (an import,
# an older record, a paste the box let through) is a problem to fix before sign-off, never a
# draft that cannot be saved. The one-line boxes refuse what does not fit as it is typed
# (LineInput).
ShortText = Annotated[str, StringConstraints(strip_whitespace=True), ONE_LINE, BeforeValidator(_neutralised)]
# Generous: a record is typed during a call, but a pasted report must still fit.
LongText = Annotated[str, TextLimit(100_000, "a notes box"), BeforeValidator(_neutralised)]
# Ids of parts of the record (participants, actions, earlier discussions): neutralised, kept whole.
RecordId = Annotated[str, BeforeValidator(_neutralised)]

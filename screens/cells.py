"""Table cells and Static text from record text.

DataTable reads a plain string as Rich markup: an action "Ask [Police] for the PNC check" would
lose its brackets, and one holding "[/]" would stop the screen with a markup error. Every cell
that can hold what a person typed goes through `plain` first, and every Static showing such
text gets `shown`.

Both also escape control and bidi characters (stratui.text). Rich and Textual do not: rich 15's
`Text()` and textual 8's `Content()` strip only BEL, BS, VT, FF and CR (STRIP_CONTROL_CODES in
rich/control.py, _STRIP_CONTROL_CODES in textual/content.py), and textual's Strip.render writes
each segment's text between its own escape sequences as it is (textual/strip.py). So ESC, the
C1 controls, NUL and the bidi overrides would reach the terminal. A record is neutralised
when it is read, but the index's summaries are read without the models (for speed) and may
have been written before neutralising began: this is the last place to catch them.
"""

from __future__ import annotations

from rich.text import Text

from stratui.text import escape


def shown(text: str) -> Text:
    """Record text as shown: exactly as typed, never markup, never a terminal command."""
    return Text(escape(text))


def plain(*cells: str | Text) -> tuple[Text, ...]:
    """Each cell as text shown exactly as typed (Text cells, built by the screens, pass through
    with their style)."""
    return tuple(cell if isinstance(cell, Text) else shown(cell) for cell in cells)

"""Table cells from record text.

DataTable reads a plain string as Rich markup: an action "Ask [Police] for the PNC check" would
lose its brackets, and one holding "[/]" would stop the screen with a markup error. Every cell
that can hold what a person typed goes through `plain` first.
"""

from __future__ import annotations

from rich.text import Text


def plain(*cells: str | Text) -> tuple[Text, ...]:
    """Each cell as text shown exactly as typed (Text cells pass through with their style)."""
    return tuple(cell if isinstance(cell, Text) else Text(cell) for cell in cells)

"""The monochrome theme: for terminals with few colours, NO_COLOR, or a team's choice in settings."""

from __future__ import annotations

import os

from textual.theme import Theme

# High contrast, no hues: meaning is carried by text markers and reverse video, never colour.
MONOCHROME = Theme(
    name="stratui-monochrome",
    primary="#ffffff",
    secondary="#c0c0c0",
    accent="#ffffff",
    warning="#ffffff",
    error="#ffffff",
    success="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#303030",
    boost="#1a1a1a",
    dark=True,
)


def wants_monochrome(setting: str) -> bool:
    return setting == "monochrome" or (setting == "auto" and bool(os.environ.get("NO_COLOR")))

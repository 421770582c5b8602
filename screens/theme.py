"""The theme in force: the settings' choice (auto, monochrome, colour or a Textual theme's name),
and the monochrome theme for terminals with few colours, NO_COLOR, or a team's choice."""

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

# Where you are, in attributes every terminal draws (a vt100 ignores colours): the focused
# editor and the table's cursor row in reverse video, a focused choice underlined (its picked
# option is already reversed). The App carries the class "-theme-<name>" while a theme is on.
MONOCHROME_CSS = f"""
App.-theme-{MONOCHROME.name} Input:focus,
App.-theme-{MONOCHROME.name} TextArea:focus {{ background: $background; text-style: reverse; }}
App.-theme-{MONOCHROME.name} ChoiceBox:focus {{ background: $background; text-style: bold underline; }}
App.-theme-{MONOCHROME.name} DataTable > .datatable--cursor {{
    background: $background; color: $foreground; text-style: reverse bold;
}}
"""

# Terminals that draw no colour, or only 8/16 (whose greys a focus background is lost in).
# Plain "xterm" is not here: it is what most SSH clients send whatever they can draw.
_FEW_COLOUR_TERMS = ("dumb", "vt52", "vt100", "vt102", "vt220", "vt320", "vt420", "ansi")


def wants_monochrome(setting: str) -> bool:
    if setting != "auto":
        return setting == "monochrome"
    term = os.environ.get("TERM", "").lower()
    few_colours = term.split("-")[0] in _FEW_COLOUR_TERMS or term.endswith("-mono")
    return bool(os.environ.get("NO_COLOR")) or few_colours


# The settings' words for the two themes stratui itself chooses between.
CHOSEN_BY_WORD = ("auto", "monochrome", "colour")


def theme_for(setting: str, default: str) -> str:
    """The theme a setting means: `default` (Textual's own colours) unless monochrome is wanted
    or the setting names a theme."""
    if setting not in CHOSEN_BY_WORD:
        return setting
    return MONOCHROME.name if wants_monochrome(setting) else default


def setting_for(theme: str, setting: str, default: str) -> str:
    """What to keep in the settings for a theme picked in the command palette: the setting as it
    is when it already means that theme (so "auto" stays auto), else the word or the name."""
    if theme_for(setting, default) == theme:
        return setting
    if theme == MONOCHROME.name:
        return "monochrome"
    return "colour" if theme == default else theme

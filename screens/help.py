"""Every key, per screen, from the screens' own binding lists (one source for footer and help)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from stratui.screens.kit import stratui_app
from stratui.screens.keys_footer import KeysFooter

KEY_COLUMN = 26  # "  enter (in a list's form)"

FIELD_KEYS = [
    ("tab / shift+tab", "next / previous field"),
    ("y n u (on a choice)", "yes, no, not decided; space cycles the options"),
    ("enter (in a list's form)", "add the row; blank, it moves on past the list"),
    ("enter / e (on a list)", "edit the row in place (enter saves, esc cancels)"),
    ("delete (on a list)", "remove the row; ctrl+z (or u) puts it back"),
    ("d (on a child's row)", "the child's details: due date, identity, language, needs, wishes, seen"),
    ("dates", "2026-12-03, 3/12/2026, 3 Dec, today, tomorrow, fri, +2d, +3wd"),
]


# Keys as they are printed on the keyboard, not Textual's names for them.
KEY_NAMES = {"question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]"}


def _key_name(key: str) -> str:
    key = key.strip()
    return KEY_NAMES.get(key, key.replace("_", " "))


def _keys(bindings: list[BindingType], keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            in_force = keymap.get(binding.id or "", binding.key)  # the user's own keys, if any
            keys = " / ".join(_key_name(key) for key in in_force.split(","))
            # The footer's word, then the tooltip's sentence where there is one ("v  Case: ...").
            what = binding.description
            if binding.tooltip:
                # "Next" with "Next phase" says it once; "Case" with "The case history..." says both.
                same_start = binding.tooltip.casefold().startswith(binding.description.casefold())
                what = binding.tooltip if same_start else f"{binding.description}: {binding.tooltip}"
            rows.append((keys, what))
    return rows


def help_table(keymap: Mapping[str, str] | None = None) -> Group:
    """Per section, keys in one column and what they do in the other: a long description wraps
    under itself, not under the keys. The ids for a [keymap] in the settings come last."""
    parts: list[Text | Table] = []
    for number, (title, rows) in enumerate(help_sections(keymap)):
        parts.append(Text(("\n" if number else "") + title, style="bold"))
        table = Table.grid(padding=(0, 1))
        table.add_column(width=KEY_COLUMN, no_wrap=True)
        table.add_column(ratio=1)
        for keys, what in rows:
            table.add_row(Text(f"  {keys}"), Text(what))
        parts.append(table)
    parts.append(Text("\nKeys of your own", style="bold"))
    parts.append(
        Text(
            '  In the settings file (stratui locate): [keymap] then id = "keys", e.g. next-phase = "ctrl+n,f8". '
            "The ids: " + ", ".join(sorted(binding_ids())) + "."
        )
    )
    return Group(*parts)


def help_sections(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    keymap = keymap or {}
    from stratui.app import StratuiApp
    from stratui.screens.dashboard import DashboardScreen
    from stratui.screens.phase import PhaseScreen
    from stratui.screens.registry import PHASE_SCREENS
    from stratui.screens.report import ReportScreen

    sections = [
        ("Everywhere", _keys(StratuiApp.BINDINGS, keymap) + [("ctrl+p", "command palette")]),
        ("Dashboard", _keys(DashboardScreen.BINDINGS, keymap)),
        ("Team timeliness report (r on the dashboard)", _keys(ReportScreen.BINDINGS, keymap)),
        ("Recording a discussion (every phase)", _keys(PhaseScreen.BINDINGS, keymap)),
        ("Fields", FIELD_KEYS),
    ]
    for screen in PHASE_SCREENS.values():
        shared = {b.id for b in PhaseScreen.BINDINGS if isinstance(b, Binding)}
        # A phase may re-declare a shared key only to hide it from its footer: listed once above.
        own = [b for b in screen.BINDINGS if b not in PhaseScreen.BINDINGS and getattr(b, "id", None) not in shared]
        if own:
            sections.append((screen.PHASE.title, _keys(own, keymap)))
    return sections


def binding_ids() -> set[str]:
    """Every id a [keymap] may name: those of stratui's own screens and widgets (Textual's
    widgets' bindings have none)."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import stratui.screens

    ids: set[str] = set()
    for module in pkgutil.iter_modules(stratui.screens.__path__):
        for thing in vars(importlib.import_module(f"stratui.screens.{module.name}")).values():
            if isinstance(thing, type) and issubclass(thing, DOMNode):
                ids.update(b.id for b in thing.BINDINGS if isinstance(b, Binding) and b.id)
    from stratui.app import StratuiApp

    ids.update(b.id for b in StratuiApp.BINDINGS if isinstance(b, Binding) and b.id)
    return ids


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="close-help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_table(stratui_app(self).keymap))
        yield KeysFooter()

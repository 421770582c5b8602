"""Every key, per screen, from the screens' own binding lists (one source for footer and help)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

FIELD_KEYS = [
    ("tab / shift+tab", "next / previous field"),
    ("y n u (on a choice)", "yes, no, not decided; space cycles the options"),
    ("enter (in a list's form)", "add the row; delete removes the row under the cursor"),
    ("dates", "2026-12-03, 3/12/2026, 3 Dec, today, tomorrow, fri, +2d, +3wd"),
]


def _keys(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            keys = " / ".join(key.strip().replace("_", " ") for key in binding.key.split(","))
            rows.append((keys, binding.description))
    return rows


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from stratui.app import StratuiApp
    from stratui.screens.dashboard import DashboardScreen
    from stratui.screens.phase import PhaseScreen
    from stratui.screens.registry import PHASE_SCREENS

    sections = [
        ("Everywhere", _keys(StratuiApp.BINDINGS) + [("ctrl+p", "command palette")]),
        ("Dashboard", _keys(DashboardScreen.BINDINGS)),
        ("Recording a discussion (every phase)", _keys(PhaseScreen.BINDINGS)),
        ("Fields", FIELD_KEYS),
    ]
    for screen in PHASE_SCREENS.values():
        own = [b for b in screen.BINDINGS if b not in PhaseScreen.BINDINGS]
        if own:
            sections.append((screen.PHASE.title, _keys(own)))  # type: ignore[attr-defined]
    return sections


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { background: $background 60%; }
    HelpScreen > VerticalScroll { margin: 1 2; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="close-help")]

    def compose(self) -> ComposeResult:
        lines = []
        for title, rows in help_sections():
            lines.append(f"[b]{title}[/b]")
            lines.extend(f"  {keys:<24} {what}" for keys, what in rows)
            lines.append("")
        with VerticalScroll():
            yield Static("\n".join(lines), markup=True)
        yield Footer()

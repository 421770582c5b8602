"""The screens' shared kit: the typed app, the modal frame, a prompt and a confirm screen, and
the type-ahead rule.

Type-ahead has three parts (a fast typist, or a slow SSH link delivering a key and the text after
it in one burst):
- the app holds keys while the screen on top is still mounting and replays them in order once it
  is mounted (StratuiApp.on_event explains why Textual needs that);
- a key that opens a modal, and a key a modal answers to without a box (a digit, Enter, y/n), is
  a priority binding: Textual runs those as it takes the key from its queue, so the screen
  changes before the next key of the burst is routed. An ordinary binding acts only once the key
  has gone to the focused widget and bubbled back, after the rest of the burst went to the old
  screen;
- the modal's box has focus the moment the modal is mounted (`focus_at_once`), so the replayed
  keys go into it, Enter included.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Static

from stratui.text import one_line

if TYPE_CHECKING:
    from stratui.app import StratuiApp

Result = TypeVar("Result")


def stylesheets() -> list[Path]:
    """Every screen's .tcss (each screen names its own in CSS_PATH), for the app to read at start.

    Read only when its screen is first shown, a stylesheet makes Textual restyle every widget of
    every screen in the stack, between a key and the next (App._load_screen_css).
    """
    return sorted(Path(__file__).parent.glob("*.tcss"))


def stratui_app(node: DOMNode) -> StratuiApp:
    """The app a screen or widget runs in, typed: the calls a screen makes into it are checked."""
    from stratui.app import StratuiApp

    app = node.app
    if not isinstance(app, StratuiApp):
        raise TypeError(f"{type(node).__name__} runs inside StratuiApp, not {type(app).__name__}")
    return app


class StratuiScreen(Screen[Result]):
    """A full screen of stratui: `stratui` is its app, typed."""

    @property
    def stratui(self) -> StratuiApp:
        return stratui_app(self)


class DiscussionScreen(StratuiScreen[None]):
    """A screen of the discussion being recorded (a phase, the follow-up's review of actions):
    the app shows each save's outcome on it."""

    def show_status(self, message: str, error: bool = False) -> None:
        raise NotImplementedError


def focus_at_once(screen: Screen[object], widget: Widget) -> None:
    """Focus now, in on_mount: Widget.focus() is deferred behind the keys already waiting."""
    screen.set_focus(widget)


class TypeAheadModal(ModalScreen[Result]):
    """A modal in the shared frame (kit.tcss) whose box takes the keys typed straight after it opens.

    TYPE_AHEAD is a selector of the box that has focus on mount; None for a modal answered by
    a key alone (its keys are priority bindings: see this module's docstring).
    """

    CSS_PATH = "kit.tcss"
    TYPE_AHEAD: str | None = "Input"

    @property
    def stratui(self) -> StratuiApp:
        return stratui_app(self)

    def on_mount(self) -> None:
        if self.TYPE_AHEAD is not None:
            focus_at_once(self, self.query_one(self.TYPE_AHEAD))


class PromptScreen(TypeAheadModal["str | None"]):
    """One line of text, with type-ahead from `suggestions`; Enter returns it (empty clears)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel-prompt")]

    def __init__(self, question: str, hint: str = "", value: str = "", suggestions: list[str] | None = None) -> None:
        super().__init__()
        self.question = question
        self.hint = hint
        self.value = value
        self.suggestions = suggestions or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{one_line_markup(self.question)}[/b]")
            if self.hint:
                yield Static(one_line_markup(self.hint), classes="hint")
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            # Selected: typing replaces the suggested value, Enter keeps it.
            yield Input(value=self.value, suggester=suggester, id="prompt")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())


class ConfirmScreen(TypeAheadModal[bool]):
    """A yes/no question: Enter or y confirms, Escape or n cancels."""

    TYPE_AHEAD = None
    # Priority: answered before the keys typed after the answer are routed (screens.kit).
    BINDINGS = [
        Binding("enter,y", "dismiss(True)", "Yes", id="confirm-yes", priority=True),
        Binding("escape,n", "dismiss(False)", "No", id="confirm-no", priority=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{one_line_markup(self.question)}[/b]")
            if self.detail:
                yield Static(one_line_markup(self.detail))
            yield Static("Enter or y: yes.  Esc or n: no.", classes="hint")


def one_line_markup(text: str) -> str:
    """Record text on one line, for a Static that reads markup (the heading's [b] is ours)."""
    return escape(one_line(text))  # stratui.text: record text never commands the terminal

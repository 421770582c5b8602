"""Form fields bound to a path in the discussion record, shared by every phase screen.

One mechanism: a field shows the value at its `path` (e.g. "information.concerns") and, when
the user changes it, posts `FieldChanged(path, value)`; the phase screen writes it into the
record and autosave does the rest. Fields never touch the store themselves. The date and
time fields are in screens.date_fields.
"""

from __future__ import annotations

from time import monotonic
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel
from rich.text import Text
from textual import on
from textual.events import DescendantBlur, DescendantFocus
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from stratui.screens.kit import show_content
from stratui.screens.ordered_input import OrderedInput, OrderedTextArea
from stratui.models import ONE_LINE_LIMIT, text_limit


def get_path(model: BaseModel, path: str) -> Any:
    value: Any = model
    for part in path.split("."):
        value = getattr(value, part)
    return value


def set_path(model: BaseModel, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target: Any = model
    for part in parents:
        target = getattr(target, part)
    setattr(target, last, value)


# ASCII: it must survive any terminal, a copied screen and a screen reader.
FOCUS_MARKER = "> "


class FieldChanged(Message):
    def __init__(self, path: str, value: Any) -> None:
        super().__init__()
        self.path = path
        self.value = value


def place_terminal_cursor(editor: Input) -> None:
    """Put the terminal's own cursor where typing lands (Textual moves it only on a keystroke)."""
    if editor.has_focus:
        editor.app.cursor_position = editor.cursor_screen_offset


def accept_suggestion(widget: Widget | None) -> None:
    """Take the completion a box is showing: Enter means what the worker sees in the box."""
    if isinstance(widget, Input) and widget.cursor_at_end:
        suggestion = widget._suggestion
        if suggestion and len(suggestion) > len(widget.value):
            widget.value = suggestion
            widget.cursor_position = len(suggestion)


def show_note(note: Static, text: str, error: bool = False) -> None:
    """A note beside a field, a row list or a decision: `text`, marked as an error or not; the
    note takes no room while it says nothing (its CSS shows only `.shown`)."""
    show_content(note, text)
    note.set_class(error, "error")
    note.set_class(bool(text), "shown")


class Field(Vertical):
    """A label, an editor and a one-line note (resolved date, or what is wrong).

    The focused field's label starts with FOCUS_MARKER: where you are must show on a terminal
    (a vt100, NO_COLOR) that draws no background colour.
    """

    # Compact, for 80x24: the label beside a one-line editor, the note beneath only when set.
    # The label column has a gutter for the focus marker, so focusing a field moves nothing.
    DEFAULT_CSS = """
    Field { layout: grid; grid-size: 2; grid-columns: 24 1fr; grid-rows: auto; height: auto; }
    Field > Label { color: $text-muted; width: 24; height: auto; }
    Field > Label.focused { color: $text; text-style: bold; }
    Field > .note { column-span: 2; height: auto; color: $text-muted; padding: 0 0 0 24; display: none; }
    Field > .note.shown { display: block; }
    Field > .note.error { color: $error; text-style: bold; }
    Field Input { border: none; height: 1; padding: 0 1; background: $boost; }
    Field Input:focus { border: none; background: $accent 30%; }
    Field TextArea { border: none; height: 3; padding: 0 1; background: $boost; }
    Field TextArea:focus { border: none; background: $accent 30%; }
    Field ChoiceBox { width: 1fr; }
    """

    def __init__(self, path: str, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id or "field-" + path.replace(".", "-").replace("_", "-"))
        self.path = path
        self.label = label

    def on_mount(self) -> None:
        self._mark_focus(False)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self._mark_focus(True)
        editor = event.widget
        if isinstance(editor, Input):
            # The terminal cursor goes where typing lands (Textual moves it only on a keystroke):
            # a screen reader or a terminal without colour then shows where you are too.
            self.call_after_refresh(place_terminal_cursor, editor)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self._mark_focus(False)

    def _mark_focus(self, focused: bool) -> None:
        label = self.query_children(Label).first(Label)
        label.update(Text(f"{FOCUS_MARKER if focused else ' ' * len(FOCUS_MARKER)}{self.label}"))
        label.set_class(focused, "focused")

    def load(self, value: Any) -> None:
        """Show `value` without announcing a change."""
        raise NotImplementedError

    def set_note(self, text: str, error: bool = False) -> None:
        show_note(self.query_one(".note", Static), text, error)

    def announce(self, value: Any) -> None:
        self.post_message(FieldChanged(self.path, value))

    def take(self, text: str, convert: Callable[[str], Any], note: str = "") -> None:
        """Announce the value the typed text stands for (showing `note`, an error when there is
        one), or show in the note why it stands for none (`convert` raised ValueError)."""
        try:
            value = convert(text)
        except ValueError as exc:  # includes pydantic's ValidationError
            self.set_note(_first_line(exc), error=True)
            return
        self.set_note(note, error=bool(note))
        self.announce(value)


class LineInput(OrderedInput):
    """A one-line box that takes no more than its field holds (models.text_limit: 200 for a name).

    What does not fit is refused as it is typed or pasted, and the field's note says so: a
    record is never left holding more than the store's rules allow, so saving never stops over
    a paste. A pasted paragraph's lines are joined with spaces rather than cut at the first.
    """

    def __init__(self, *args: Any, limit: int = ONE_LINE_LIMIT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        # Why the last change was cut short; shown by the field until the next change that fits.
        self.refusal = ""

    def _on_paste(self, event: Any) -> None:
        # Instead of Input's own, which keeps only the first line.
        event.stop()
        event.prevent_default()
        if event.text:
            self.replace(event.text, *sorted(self.selection))

    def replace(self, text: str, start: int, end: int) -> None:
        text = " ".join(text.splitlines())
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        # A value already too long (an older record) can still be shortened, never lengthened.
        room = max(self.limit - (len(value) - (end - start)), min(end - start, len(text)), 0)
        if len(text) <= room:
            self.refusal = ""
            super().replace(text, start, end)
            return
        self.refusal = (
            f"Only {self.limit} characters fit in this box: the rest was not pasted. Long text belongs in a notes box."
            if len(text) > 1
            else f"Only {self.limit} characters fit in this box: nothing more can be typed. Long text belongs in a notes box."
        )
        if room:
            super().replace(text[:room], start, end)
        self.restricted()
        if isinstance(self.parent, Field):
            self.parent.set_note(self.refusal, error=True)


class TextField(Field):
    def __init__(
        self,
        path: str,
        label: str,
        *,
        placeholder: str = "",
        suggestions: list[str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(path, label, id=id)
        self.placeholder = placeholder
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
        # Tabbing into a field must not select its text: the next key would silently replace it.
        yield LineInput(
            placeholder=self.placeholder, suggester=suggester, select_on_focus=False, limit=text_limit(self.path)
        )
        yield Static(classes="note")

    def load(self, value: Any) -> None:
        with self.prevent(Input.Changed):
            self.query_one(LineInput).value = value or ""

    def convert(self, text: str) -> Any:
        """The value the typed text stands for; ValueError explains a bad one."""
        return text

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.take(event.value, self.convert, self.query_one(LineInput).refusal)


class LongTextField(Field):
    """Several lines of free text (Tab leaves the field; Enter starts a new line)."""

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield OrderedTextArea(tab_behavior="focus", soft_wrap=True, show_line_numbers=False)
        yield Static(classes="note")

    def load(self, value: Any) -> None:
        with self.prevent(TextArea.Changed):
            self.query_one(TextArea).load_text(self.to_text(value))

    def to_text(self, value: Any) -> str:
        return value or ""

    def from_text(self, text: str) -> Any:
        return text

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.take(event.text_area.text, self.from_text)


class LinesField(LongTextField):
    """A list of short items, one a line (risk factors, protective factors)."""

    def to_text(self, value: Any) -> str:
        return "\n".join(value or [])

    def from_text(self, text: str) -> Any:
        return [line.strip() for line in text.splitlines() if line.strip()]


class NumberField(TextField):
    """A whole number (timescales in days)."""

    def load(self, value: Any) -> None:
        with self.prevent(Input.Changed):
            self.query_one(LineInput).value = "" if value is None else str(value)

    def convert(self, text: str) -> Any:
        try:
            return int(text.strip())
        except ValueError:
            raise ValueError(f"'{text.strip()}' is not a whole number") from None


# Every key an option may use, both cases: Caps Lock on must not turn "Y" into mistyped text.
OPTION_KEYS = [*"abcdefghijklmnopqrstuvwxyz0123456789", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


class ChoiceBox(Static, can_focus=True):
    """A row of options picked with one key each (y/n, p/a/w...): fast, and no mouse needed.

    A pick answers the question, so the focus moves on to the next box (the rationale after a
    decision, the reason after "absent"): one key, not two. The answer may first show boxes (a
    "yes" shows "what action"), so the box does not move the focus itself: it asks the app to
    hold the keys that follow (the rationale, typed in the same burst) and posts `MoveOn` after
    `Picked`; MoveOn reaches the app behind the change it follows, and the app moves the focus
    and lets the held keys go.
    """

    DEFAULT_CSS = """
    ChoiceBox { height: 1; padding: 0 1; background: $boost; }
    ChoiceBox:focus { background: $accent 30%; text-style: bold; }
    """
    # Letters and digits are priority bindings: a pick's hold on the keys must start while the app
    # routes it, before it routes the next key; and text typed here by mistake is seen as it comes.
    BINDINGS = [
        Binding("space", "cycle", "Next option", show=False),
        *(Binding(key, f"choose('{key.lower()}')", show=False, priority=True) for key in OPTION_KEYS),
    ]

    class Picked(Message):
        def __init__(self, box: ChoiceBox, value: Any) -> None:
            super().__init__()
            self.box = box
            self.value = value

        @property
        def control(self) -> ChoiceBox:
            return self.box

    class MoveOn(Message):
        """The question is answered: the focus goes to the next box once the answer is taken."""

        def __init__(self, box: ChoiceBox, hold: int, relayed: bool = False) -> None:
            super().__init__()
            self.box = box
            self.hold = hold  # which hold on the keys this move ends (0: none)
            self.relayed = relayed

    def __init__(self, choices: list[tuple[str, str, Any]], *, id: str | None = None, move_on: bool = True) -> None:
        super().__init__(id=id)
        self.choices = choices
        # False for the last box of a row form: Enter adds the row from there.
        self.move_on = move_on
        self.value: Any = None
        self._stray_at = 0.0

    def pick(self, value: Any, announce: bool = True) -> None:
        self.value = value
        show_content(self, self._render_choices())
        if announce:
            self.post_message(self.Picked(self, value))

    def on_mount(self) -> None:
        self.update(self._render_choices())

    def _render_choices(self) -> str:
        parts = []
        for key, label, value in self.choices:
            chosen = value == self.value
            # A ">" as well as reverse video: the choice must read on any terminal, even one
            # (or a screen reader, or a copied screen) that shows no attributes.
            parts.append(f"[reverse]>({key}) {label}[/reverse]" if chosen else f"({key}) {label}")
        return "  ".join(parts)

    def _typing(self) -> bool:
        return monotonic() - self._stray_at < STRAY_TYPING_SECONDS

    def action_choose(self, pressed: str) -> None:
        # Every letter and digit comes here while the app routes it (a priority binding), so text
        # typed here by mistake (Tab forgotten before a rationale) is seen as it arrives, even in
        # one burst: after a letter that is no option, the option keys ("y" of "Family") are
        # refused too until the typing stops for a moment, and the field says why.
        offered = [value for key, _label, value in self.choices if key == pressed]
        if not offered or self._typing():
            self._refuse_typing()
            return
        self.pick(offered[0])
        self._say("")
        if not self.move_on:
            return
        holder = self.app
        hold = holder.hold_keys() if isinstance(holder, HoldsKeys) else 0
        self.post_message(self.MoveOn(self, hold))

    def on_key(self, event: Any) -> None:
        # A letter no binding caught (a key name Textual spells otherwise) takes the same path;
        # space after stray letters is refused too ("?" still opens the help from a choice).
        if event.character and event.character.isalnum():
            event.stop()
            event.prevent_default()
            self.action_choose(event.character.lower())
        elif self._typing() and event.key == "space":
            event.stop()
            event.prevent_default()
            self._refuse_typing()

    def _refuse_typing(self) -> None:
        self._stray_at = monotonic()
        keys = ", ".join(key for key, _l, _v in self.choices)
        self._say(f"This is a choice: press {keys} (nothing typed here is kept). Tab moves on.", error=True)

    def _say(self, text: str, error: bool = False) -> None:
        field = self.parent
        if isinstance(field, Field):
            field.set_note(text, error=error)

    def on_blur(self) -> None:
        if self._stray_at:
            self._stray_at = 0.0
            self._say("")

    def action_cycle(self) -> None:
        if self._typing():
            return
        values = [value for _k, _l, value in self.choices]
        index = values.index(self.value) if self.value in values else -1
        self.pick(values[(index + 1) % len(values)])


@runtime_checkable
class HoldsKeys(Protocol):
    """The app: it holds the keys typed after a pick until the focus has moved on (MoveOn)."""

    def hold_keys(self) -> int: ...


# How long after a stray letter a choice box keeps treating keys as mistyped text.
STRAY_TYPING_SECONDS = 1.0

YES_NO = [("y", "Yes", True), ("n", "No", False), ("u", "Not decided", None)]


class ChoiceField(Field):
    # Here, not in Field's CSS: Textual scopes a widget's DEFAULT_CSS to its own type, so there
    # "ChoiceField.question" would only match a ChoiceField inside another Field.
    DEFAULT_CSS = """
    ChoiceField.question { layout: vertical; }
    ChoiceField.question > Label { width: 1fr; }
    ChoiceField.question > .note { padding: 0; }
    """

    def __init__(self, path: str, label: str, choices: list[tuple[str, str, Any]] = YES_NO, *, id: str | None = None) -> None:
        super().__init__(path, label, id=id)
        self.choices = choices
        # A question too long for the label column gets its own line above the options.
        self.set_class(len(FOCUS_MARKER) + len(label) > 23, "question")

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield ChoiceBox(self.choices)
        yield Static(classes="note")

    def load(self, value: Any) -> None:
        self.query_one(ChoiceBox).pick(value, announce=False)

    @on(ChoiceBox.Picked)
    def _picked(self, event: ChoiceBox.Picked) -> None:
        event.stop()
        self.announce(event.value)

    @on(ChoiceBox.MoveOn)
    def _move_on(self, event: ChoiceBox.MoveOn) -> None:
        # Sent again from here, so it travels up behind the FieldChanged just announced: the
        # screen has taken the answer (and shown the boxes it calls for) before the focus moves.
        if not event.relayed:
            event.stop()
            self.post_message(ChoiceBox.MoveOn(event.box, event.hold, relayed=True))


def _first_line(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in errors())
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def bound_fields(root: Widget) -> list[Field]:
    return list(root.query(Field))


def enter_moves_on(screen: Screen[object]) -> bool:
    """Enter in a form's one-line box or on a choice moves on, as Tab does (taking the completion
    the box shows); in a box of several lines it starts a new line. True where it moved on."""
    focused = screen.focused
    if isinstance(focused, (Input, ChoiceBox)) and isinstance(focused.parent, Field):
        accept_suggestion(focused)
        screen.focus_next()
        return True
    return False

"""Date and time fields: typed as people say them, with a note beneath of what the record holds.

Fields like the others of screens.widgets (a path in the record, FieldChanged on a change);
here the reading of "fri", "+3wd" or "tomorrow 10am" (stratui.dates) and the rules on a date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from stratui.screens.ordered_input import OrderedInput
from stratui.calendar import WorkingCalendar
from stratui.dates import (
    DateInputError,
    describe,
    format_time,
    non_working_reason,
    parse_date,
    parse_date_time,
    parse_time,
)
from stratui.screens.widgets import Field

class DateField(Field):
    """A date typed as people say it; beneath it, what the record now holds (or why nothing).

    The note is written in the same step as the value it describes, from that value: never from
    another keystroke's parse, nor by the screen later (a note about "2026-12-2" must not outlive
    the "3" typed after it). A date that breaks a rule is still recorded (a draft keeps what was
    typed) and its note says what must be fixed before sign-off.
    """

    PLACEHOLDER = "e.g. today, 3/12, fri, +3wd"

    def __init__(
        self,
        path: str,
        label: str,
        *,
        today: date,
        calendar: WorkingCalendar,
        required: bool = False,
        due: bool = False,
        check: Callable[[date], str] | None = None,
        id: str | None = None,
    ) -> None:
        """`due`: something must happen by this date, so a weekend or bank holiday is flagged.
        `check`: a rule on the date ("" when it holds), e.g. not before the discussion."""
        super().__init__(path, label, id=id)
        self.today = today
        self.calendar = calendar
        self.required = required
        self.due = due
        self.check = check
        self.stored: Any = None

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield OrderedInput(placeholder=self.PLACEHOLDER)
        yield Static(classes="note")

    def load(self, value: Any) -> None:
        with self.prevent(Input.Changed):
            self.query_one(Input).value = self.to_text(value)
        self.stored = value
        self._show_stored()

    def to_text(self, value: Any) -> str:
        return value.isoformat() if value else ""

    def read(self, text: str) -> tuple[Any, str]:
        """The value `text` stands for and anything to add about it; DateInputError if none."""
        try:
            return parse_date(text, self.today, self.calendar), ""
        except DateInputError as refused:
            try:
                day, at = parse_date_time(text, self.today, self.calendar)
            except DateInputError:
                raise refused from None
        if at is None:
            return day, ""
        return day, f"the time {format_time(at)} is not kept here"

    def day_of(self, value: Any) -> date | None:
        return value

    def describe_value(self, value: Any) -> str:
        day = self.day_of(value)
        return describe(day, self.today, self.calendar, due=self.due) if day else ""

    def problems(self, value: Any) -> list[str]:
        """What is wrong with the stored value, worded for the note."""
        day = self.day_of(value)
        if day is None:
            return []
        found = []
        reason = non_working_reason(day, self.calendar) if self.due else None
        if reason:
            found.append(f"{reason}: not a working day")
        broken = self.check(day) if self.check else ""
        if broken:
            found.append(broken)
        return found

    def _show_stored(self, refusal: str = "", aside: str = "") -> None:
        """The note, from the value this field last put in the record."""
        lines: list[str] = []
        if refusal:
            if self.day_of(self.stored) is None:
                lines.append(f"No date recorded: {refusal}")
            else:
                lines.append(f"{refusal}: the record keeps {self.describe_value(self.stored)}")
        else:
            lines.append(self.describe_value(self.stored))
        if aside:
            lines[-1] += f" ({aside})"
        lines += [f"!! {problem}" for problem in self.problems(self.stored)]
        text = "\n".join(line for line in lines if line)
        self.set_note(text, error=bool(refusal) or len(lines) > 1)

    def _store(self, value: Any) -> None:
        if value != self.stored:
            self.stored = value
            self.announce(value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        try:
            if not text and self.required:
                raise DateInputError("a date is needed")
            value, aside = self.read(text) if text else (None, "")
        except DateInputError as exc:
            # An optional date the text no longer gives is cleared, so the record never keeps
            # a date from an earlier keystroke that the field no longer shows.
            if not self.required:
                self._store(None)
            self._show_stored(refusal=str(exc))
            return
        self._store(value)
        self._show_stored(aside=aside)


class DateTimeField(DateField):
    """A date with an optional time ("22/12 4pm", "fri 2:30pm", "4pm" for today).

    Its path names a (date, time) pair on the record (e.g. plan.child_seen), written in one
    change so the two never disagree.
    """

    PLACEHOLDER = "e.g. today 4pm, fri 2:30pm, 3/12"

    def to_text(self, value: Any) -> str:
        day, at = value or (None, None)
        if day is None:
            return ""
        return day.isoformat() + (f" {format_time(at)}" if at else "")

    def read(self, text: str) -> tuple[Any, str]:
        return parse_date_time(text, self.today, self.calendar), ""

    def _store(self, value: Any) -> None:
        super()._store(value if value is not None else (None, None))

    def day_of(self, value: Any) -> date | None:
        return (value or (None, None))[0]

    def describe_value(self, value: Any) -> str:
        text = super().describe_value(value)
        at = (value or (None, None))[1]
        return f"{text} at {format_time(at)}" if text and at else text


class TimeField(Field):
    def __init__(self, path: str, label: str, *, now: Callable[[], time], id: str | None = None) -> None:
        super().__init__(path, label, id=id)
        self.now = now

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield OrderedInput(placeholder="e.g. 14:30, 2pm, now")
        yield Static(classes="note")

    def load(self, value: Any) -> None:
        with self.prevent(Input.Changed):
            self.query_one(Input).value = value.strftime("%H:%M") if value else ""

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.set_note("")
            self.announce(None)
            return
        try:
            value = parse_time(text, self.now())
        except DateInputError as exc:
            # Said as the record stands: the time typed last is not what it holds.
            self.set_note(f"No time recorded: {exc}", error=True)
            self.announce(None)
            return
        self.set_note(value.strftime("%H:%M"))
        self.announce(value)

"""What a deadline is: its kind, its state today, and where a due date falls from today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stratui.calendar import WorkingCalendar


class DeadlineKind(StrEnum):
    ACTION = "action"
    # The strategy discussion itself: held within N working days of the concern.
    DISCUSSION = "discussion"
    CONFERENCE = "conference"
    MINUTES = "minutes"
    RECONVENE = "reconvene"
    PARENTS_REVIEW = "parents-review"
    ASSESSMENT = "assessment"
    FOLLOW_UP_MEETING = "follow-up-meeting"
    # Scotland: the record (minutes) of the CPPM, counted from the day the CPPM is held.
    CONFERENCE_RECORD = "conference-record"


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_SOON = "due-soon"
    LATER = "later"


@dataclass(frozen=True, slots=True)
class Deadline:
    key: str
    kind: DeadlineKind
    title: str
    discussion_id: str
    case_ref: str
    children: tuple[str, ...]
    owner: str
    agency: str
    due: date
    # Working days from today to `due`: negative = overdue by that many, 0 = due today.
    working_days: int
    state: DeadlineState
    action_id: str | None = None
    # What the due date is counted from and its basis ("15 working days from ...; statutory
    # guidance"): the title ends with it; screens that show the due date apart use it alone.
    rule: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind.value,
            "title": self.title,
            "discussion_id": self.discussion_id,
            "case_ref": self.case_ref,
            "children": list(self.children),
            "owner": self.owner,
            "agency": self.agency,
            "due": self.due.isoformat(),
            "working_days": self.working_days,
            "state": self.state.value,
            "action_id": self.action_id,
        }



class Clock:
    """Today's view of due dates, memoised per date: thousands of deadlines share a few hundred."""

    def __init__(self, calendar: WorkingCalendar, today: date, warning_window: int) -> None:
        self.calendar = calendar
        self.today = today
        # Due dates before this day are within the warning window (weekend days after the
        # window's last working day count with it: nobody works before the next one).
        self.soon_before = calendar.add_working_days(today, warning_window + 1)
        self._memo: dict[date, tuple[int, DeadlineState]] = {}

    def place(self, due: date) -> tuple[int, DeadlineState]:
        placed = self._memo.get(due)
        if placed is None:
            placed = self._memo[due] = self._place(due)
        return placed

    def _place(self, due: date) -> tuple[int, DeadlineState]:
        today = self.today
        if due == today:
            return 0, DeadlineState.DUE_TODAY
        days = self.calendar.working_days_between(today, due)
        if due < today:
            # Due on Friday, looked at on Saturday: still overdue, by at least one working day.
            return min(days, -1), DeadlineState.OVERDUE
        state = DeadlineState.DUE_SOON if due < self.soon_before else DeadlineState.LATER
        # Due on Sunday, looked at on Friday: the first working day it counts against is Monday.
        return max(days, 1), state

"""What the report counts: each timescale's items within it or late, the actions, a month's or
the period's figures, and the months they fall in."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date


def median(days: list[int]) -> float | None:
    return statistics.median(days) if days else None


@dataclass
class Timeliness:
    """Items measured against one timescale: within it or late, and the days each took."""

    within: int = 0
    late: int = 0
    # Per item measured: the days it took (concern to discussion, decision to conference).
    days: list[int] = field(default_factory=list)
    # Items the record holds no start date for: counted, never guessed.
    not_measurable: int = 0

    @property
    def measured(self) -> int:
        return self.within + self.late

    @property
    def median_days(self) -> float | None:
        return median(self.days)

    def add(self, late: bool, days: int) -> None:
        if late:
            self.late += 1
        else:
            self.within += 1
        self.days.append(days)


@dataclass
class ActionFigures:
    """Actions completed (on time or late) and actions open past their due date."""

    on_time: int = 0
    # Working days late, one per action completed after its due date.
    late_days: list[int] = field(default_factory=list)
    # Completed without a due date or a completion date: lateness cannot be told.
    not_measurable: int = 0
    # Working days overdue today, one per open action past its due date.
    overdue_days: list[int] = field(default_factory=list)

    @property
    def late(self) -> int:
        return len(self.late_days)

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def open_overdue(self) -> int:
        return len(self.overdue_days)

    @property
    def median_days_late(self) -> float | None:
        return median(self.late_days)

    @property
    def median_days_overdue(self) -> float | None:
        return median(self.overdue_days)


@dataclass
class Figures:
    """One month's, or the period's, figures."""

    discussions: Timeliness = field(default_factory=Timeliness)
    # Working days from the referral to the discussion, where a referral date is recorded.
    from_referral: list[int] = field(default_factory=list)
    referral_not_recorded: int = 0
    conferences: Timeliness = field(default_factory=Timeliness)
    # Cases with enquiries decided (s47, or at the IRD), no conference recorded and the timescale passed: days overdue today.
    conference_overdue_days: list[int] = field(default_factory=list)
    # Cases whose enquiry concluded that no conference is needed (not substantiated, no continuing
    # risk, continue assessing; Scotland's "CPPM not required"), in the month that was recorded.
    conference_not_needed: int = 0
    actions: ActionFigures = field(default_factory=ActionFigures)


@dataclass
class Report:
    start: date
    end: date
    today: date
    nation_label: str
    discussion_name: str
    # "strategy discussion", or "IRD" in Scotland; the conference's is "ICPC" or "CPPM".
    discussion_short_name: str
    conference_name: str
    # The rules as sentences ("within 1 working day of the concern").
    discussion_rule: str
    conference_rule: str
    # "working days", or "calendar days" where the conference counts them (Scotland).
    conference_unit: str
    marking: str
    months: list[tuple[date, Figures]]
    period: Figures
    by_agency: list[tuple[str, ActionFigures]]
    by_owner: list[tuple[str, ActionFigures]]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    """The first of the month `n` months after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return date.fromordinal(add_months(day, 1).toordinal() - 1)


def default_period(today: date) -> tuple[date, date]:
    """The twelve months up to today: this month and the eleven before it."""
    return add_months(today, -11), today



def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"

"""UK working-day arithmetic: weekends, each nation's bank holidays and a team's own days off.

Deadlines (strategy discussion, ICPC, minutes, actions) are counted in working days of the nation
where the team works; this module is the one place that knows what a working day is.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal


Nation = Literal["england", "wales", "scotland", "northern-ireland"]
NATIONS: tuple[str, ...] = ("england", "wales", "scotland", "northern-ireland")

# Without the subdivision the package leaves out Easter Monday and the August holiday.
_SUBDIVISIONS: dict[str, str] = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

EXTRA_DAY_NAME = "Non-working day (team setting)"


def _as_date(day: date) -> date:
    # A datetime is a date subclass but will not compare with dates in the sorted lists.
    return day.date() if isinstance(day, datetime) else day


def _weekdays_up_to(day: date) -> int:
    """Monday-to-Friday days from 1 Jan 0001 (a Monday) up to and including `day`."""
    days = day.toordinal() - 1  # days % 7 is the weekday, 0 = Monday
    return (days // 7) * 5 + min(days % 7 + 1, 5)


def _add_weekdays(start: date, n: int) -> date:
    """The n-th Monday-to-Friday day after (n > 0) or before (n < 0) `start`; n == 0 -> start."""
    if n == 0:
        return start
    if n > 0:
        # The k-th weekday after a weekend day is the same as after the Friday before it.
        if start.weekday() >= 5:
            start -= timedelta(days=start.weekday() - 4)
        weeks, rest = divmod(n, 5)
        offset = rest + 2 if start.weekday() + rest > 4 else rest
        return start + timedelta(days=7 * weeks + offset)
    if start.weekday() >= 5:
        start += timedelta(days=7 - start.weekday())
    weeks, rest = divmod(-n, 5)
    offset = rest + 2 if start.weekday() - rest < 0 else rest
    return start - timedelta(days=7 * weeks + offset)


def _check_nation(nation: str) -> str:
    if nation not in _SUBDIVISIONS:
        valid = ", ".join(repr(name) for name in NATIONS)
        raise ValueError(f"unknown nation {nation!r}: must be one of {valid}")
    return nation


class WorkingCalendar:
    """Working days for one nation, plus the team's extra non-working days."""

    def __init__(self, nation: str, extra_non_working_days: Iterable[date] = ()) -> None:
        self.nation = _check_nation(nation)
        self.extra_non_working_days: frozenset[date] = frozenset(
            _as_date(day) for day in extra_non_working_days
        )
        import holidays  # here, not at the top: a start that draws no deadline never loads it

        self._holidays = holidays.country_holidays(
            "GB", subdiv=_SUBDIVISIONS[nation], years=(), expand=True
        )
        # Per year: the weekdays lost to holidays or extra days, sorted for bisect counting.
        self._closed_weekdays: dict[int, list[date]] = {}
        self._closed_days: dict[int, frozenset[date]] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.nation!r}, extra_non_working_days={len(self.extra_non_working_days)})"

    def _load_year(self, year: int) -> None:
        if year in self._closed_days:
            return
        # A lookup makes the expanding holidays object populate that year.
        self._holidays.get(date(year, 1, 1))
        closed = {day for day in self._holidays if day.year == year}
        closed |= {day for day in self.extra_non_working_days if day.year == year}
        self._closed_days[year] = frozenset(closed)
        self._closed_weekdays[year] = sorted(day for day in closed if day.weekday() < 5)

    def _closed_weekdays_in(self, start: date, end: date) -> int:
        """Weekdays in (start, end] that are bank holidays or extra days; requires start <= end."""
        count = 0
        for year in range(start.year, end.year + 1):
            self._load_year(year)
            days = self._closed_weekdays[year]
            count += bisect_right(days, end) - bisect_right(days, start)
        return count

    def is_working_day(self, day: date) -> bool:
        day = _as_date(day)
        if day.weekday() >= 5:
            return False
        self._load_year(day.year)
        return day not in self._closed_days[day.year]

    def holiday_name(self, day: date) -> str | None:
        """The bank holiday's name, the team setting's label for an extra day, or None."""
        day = _as_date(day)
        self._load_year(day.year)
        name = self._holidays.get(day)
        if name:
            return name
        if day in self.extra_non_working_days:
            return EXTRA_DAY_NAME
        return None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after (n > 0) or before (n < 0) start; n == 0 rolls forward."""
        start = _as_date(start)
        if n == 0:
            return start if self.is_working_day(start) else self.add_working_days(start, 1)
        step = 1 if n > 0 else -1
        current, remaining = start, abs(n)
        # Jump by weekdays, then make up for the holidays jumped over; converges in a few rounds.
        while remaining:
            target = _add_weekdays(current, step * remaining)
            if step > 0:
                remaining = self._closed_weekdays_in(current, target)
            else:
                # Going back, the day we land on counts and the day we left does not.
                remaining = self._closed_weekdays_in(
                    target - timedelta(days=1), current - timedelta(days=1)
                )
            current = target
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end], or minus those in (end, start] when end is earlier.

        Antisymmetric, so "overdue by" is minus "due in". add_working_days(start, result) gives
        back a working-day `end` whenever end >= start or start is itself a working day.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
        return weekdays - self._closed_weekdays_in(start, end)


@lru_cache(maxsize=32)
def _calendar(nation: str, extra_days: tuple[date, ...]) -> WorkingCalendar:
    return WorkingCalendar(nation, extra_days)


def get_calendar(nation: str, extra_non_working_days: Iterable[date] = ()) -> WorkingCalendar:
    """A shared calendar per nation and set of extra days (building one expands holiday years)."""
    extra = tuple(sorted({_as_date(day) for day in extra_non_working_days}))
    return _calendar(_check_nation(nation), extra)


def is_working_day(
    day: date, nation: str, *, extra_non_working_days: Iterable[date] = ()
) -> bool:
    return get_calendar(nation, extra_non_working_days).is_working_day(day)


def add_working_days(
    start: date, n: int, nation: str, *, extra_non_working_days: Iterable[date] = ()
) -> date:
    return get_calendar(nation, extra_non_working_days).add_working_days(start, n)


def working_days_between(
    start: date, end: date, nation: str, *, extra_non_working_days: Iterable[date] = ()
) -> int:
    return get_calendar(nation, extra_non_working_days).working_days_between(start, end)

"""Dates and times typed the way people say them on the phone, for the date and time fields.

Day-first (UK) numbers, month names, today/tomorrow, weekday names and offsets such as +3wd
(working days of the team's nation). Every refusal is a DateInputError worded for the worker.

A date without a year ("3/12", "3 Dec") means this year, not the next such date: workers record
past concern dates as often as future due dates, so neither direction is safe to guess.
"""

from __future__ import annotations

import calendar as month_calendar
import re
import unicodedata
from datetime import date, time, timedelta

from stratui.calendar import EXTRA_DAY_NAME, WorkingCalendar

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_INPUT_LENGTH = 40
# Offsets beyond about ten years are typing slips (an extra digit), not deadlines.
MAX_OFFSET_DAYS = 3650

DATE_HINT = "try 3/12/2026, 3 Dec, today, tomorrow, fri, next week, +2d or +3wd"
TIME_HINT = "try 14:30, 1430, 2:30pm, 2pm or now"
DATE_TIME_HINT = "try 22/12 4pm, tomorrow 10am, fri 2:30pm, 2026-12-22 16:00 or 4pm"

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "tom": 1, "tmrw": 1, "yesterday": -1}
# Said on calls for a due date: the same offsets as +1w and +1m (the field shows the date meant).
_RELATIVE_SPANS = {"next week": "+1w", "in a week": "+1w", "next month": "+1m", "in a month": "+1m"}
_EXTRA_MONTH_WORDS = {"sept": 9}
_EXTRA_WEEKDAY_WORDS = {"weds": 2}

# What each way of writing a unit means: d days, w weeks, m calendar months, wd working days.
_OFFSET_UNITS = {
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "m": "m", "mo": "m", "month": "m", "months": "m",
    "wd": "wd", "wds": "wd", "working day": "wd", "working days": "wd",
}
# Rough calendar days per unit, only to refuse offsets that are too far away.
_OFFSET_SPAN_DAYS = {"d": 1.0, "w": 7.0, "m": 30.5, "wd": 1.4}

_OFFSET = re.compile(r"([+-])\s*(\d*)\s*([a-z ]*)", re.ASCII)
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d+))?", re.ASCII)
_DAY_TOKEN = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?", re.ASCII)
_YEAR_TOKEN = re.compile(r"\d+", re.ASCII)
_WORD_SEPARATORS = re.compile(r"[\s,./-]+")

_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})\s*(?:([ap])\.?m\.?)?", re.ASCII)
_COMPACT_CLOCK = re.compile(r"(\d{3,4})", re.ASCII)
_HOUR_ONLY = re.compile(r"(\d{1,2})\s*([ap])\.?m\.?", re.ASCII)
_BARE_HOUR = re.compile(r"\d{1,2}", re.ASCII)
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
# A time with a date ("22/12 4pm", "2026-12-22T16:00") or standing for today ("4pm"): only forms
# with a colon, am/pm or a name, so neither the year of "3 Dec 2026" nor "2026" half typed is
# read as 20:26.
_SPOKEN_TIME = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|noon|midday|midnight"
_LONE_TIME = re.compile(_SPOKEN_TIME, re.ASCII)
_TRAILING_TIME = re.compile(
    rf"(?P<day>.+?)(?:\s+at\s+|\s*,\s*|\s+|(?<=\d)t)(?P<time>{_SPOKEN_TIME})", re.ASCII
)


class DateInputError(ValueError):
    """A date or time the worker typed that cannot be read; the message is shown as it is."""


# --- shared checks --------------------------------------------------------------------------


def _clean(text: str, what: str) -> str:
    """The stripped text, or an error for empty, overlong or control-character input."""
    if len(text) > MAX_INPUT_LENGTH * 4:
        # Checked before stripping so a pasted document is refused without scanning it twice.
        raise DateInputError(f"that is too long for a {what} ({MAX_INPUT_LENGTH} characters at most)")
    stripped = text.strip()
    if not stripped:
        raise DateInputError(f"a {what} is needed")
    if len(stripped) > MAX_INPUT_LENGTH:
        raise DateInputError(f"that is too long for a {what} ({MAX_INPUT_LENGTH} characters at most)")
    # Never echo these back: an escape sequence or a bidi override would reach the terminal.
    if any(unicodedata.category(char).startswith("C") for char in stripped):
        raise DateInputError(f"the {what} contains a control character: please type it again")
    return stripped


def _in_range(shown: str, day: date) -> date:
    if day.year < MIN_YEAR:
        raise DateInputError(f'"{shown}" is not a date: it falls before {MIN_YEAR}')
    if day.year > MAX_YEAR:
        raise DateInputError(f'"{shown}" is not a date: it falls after {MAX_YEAR}')
    return day


def _make_date(shown: str, year: int, month: int, day: int, *, day_first: bool = False) -> date:
    """A date from its parts, or an error naming the part that is wrong."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateInputError(
            f'"{shown}" is not a date: the year must be between {MIN_YEAR} and {MAX_YEAR}'
        )
    if not 1 <= month <= 12:
        hint = " (dates are day/month/year)" if day_first and 1 <= day <= 12 else ""
        raise DateInputError(f'"{shown}" is not a date: there is no month {month}{hint}')
    if day < 1:
        raise DateInputError(f'"{shown}" is not a date: days start at 1')
    days_in_month = month_calendar.monthrange(year, month)[1]
    if day > days_in_month:
        name = MONTH_NAMES[month - 1]
        # February is the only month whose length depends on the year.
        where = f"{name} {year}" if month == 2 else name
        raise DateInputError(f'"{shown}" is not a date: {where} has {days_in_month} days')
    return date(year, month, day)


def _full_year(shown: str, digits: str) -> int:
    if len(digits) == 2:
        return 2000 + int(digits)
    if len(digits) == 4:
        return int(digits)
    raise DateInputError(f'"{shown}" is not a date: the year needs 2 or 4 digits')


def _lookup_word(word: str, names: tuple[str, ...], extra: dict[str, int]) -> int | None:
    """Index of the name that `word` abbreviates (3 letters at least), or None."""
    if word in extra:
        return extra[word]
    if len(word) < 3:
        return None
    for index, name in enumerate(names):
        if name.lower().startswith(word):
            return index
    return None


def _month_number(word: str) -> int | None:
    index = _lookup_word(word, MONTH_NAMES, {k: v - 1 for k, v in _EXTRA_MONTH_WORDS.items()})
    return None if index is None else index + 1


def _weekday_number(word: str) -> int | None:
    return _lookup_word(word, WEEKDAY_NAMES, _EXTRA_WEEKDAY_WORDS)


def _add_months(day: date, months: int) -> date:
    """Calendar months later (or earlier), clamped: 31 Jan + 1 month is the last day of February."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year = day.year + years
    if not 1 <= year <= 9999:
        raise OverflowError("year out of range")
    month = month_index + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


# --- dates ----------------------------------------------------------------------------------


def parse_date(text: str, today: date, calendar: WorkingCalendar) -> date:
    """The date `text` means, counted from `today` in the team's working calendar.

    Weekday names mean the next such day strictly after today ("fri" on a Friday is a week
    away); "last fri" is the most recent one before today.
    """
    shown = _clean(text, "date")
    words = " ".join(shown.lower().split())
    try:
        result = _parse_words(shown, words, today, calendar)
    except OverflowError:
        raise DateInputError(f'"{shown}" is not a date: it is too far away') from None
    return _in_range(shown, result)


def _parse_words(shown: str, words: str, today: date, calendar: WorkingCalendar) -> date:
    if words in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[words])
    if words in _RELATIVE_SPANS:
        return _parse_offset(shown, _RELATIVE_SPANS[words], today, calendar)
    if words[0] in "+-":
        return _parse_offset(shown, words, today, calendar)
    weekday = _parse_weekday(words, today)
    if weekday is not None:
        return weekday
    if match := _ISO.fullmatch(words):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        return _make_date(shown, year, month, day)
    if match := _DAY_FIRST.fullmatch(words):
        year = today.year if match[4] is None else _full_year(shown, match[4])
        return _make_date(shown, year, int(match[3]), int(match[1]), day_first=True)
    named = _parse_month_name(shown, words, today)
    if named is not None:
        return named
    raise DateInputError(f'"{shown}" is not a date: {DATE_HINT}')


def _parse_offset(shown: str, words: str, today: date, calendar: WorkingCalendar) -> date:
    match = _OFFSET.fullmatch(words)
    if match is None:
        raise DateInputError(f'"{shown}" is not a date: an offset looks like +2d, -1d or +3wd')
    sign, digits, unit_words = match[1], match[2], match[3].strip()
    if not digits:
        raise DateInputError(f'"{shown}" is not a date: put a number in the offset, e.g. {sign}2d')
    if not unit_words:
        raise DateInputError(
            f'"{shown}" is not a date: add what {digits} counts, e.g. {sign}{digits}d (days), '
            f"{sign}{digits}w (weeks), {sign}{digits}m (months) or {sign}{digits}wd (working days)"
        )
    unit = _OFFSET_UNITS.get(unit_words)
    if unit is None:
        raise DateInputError(
            f'"{shown}" is not a date: offsets end in d (days), w (weeks), m (months) '
            "or wd (working days)"
        )
    # The digit count is capped by the input length, so int() here is cheap.
    amount = int(digits)
    if amount * _OFFSET_SPAN_DAYS[unit] > MAX_OFFSET_DAYS:
        raise DateInputError(
            f'"{shown}" is not a date: that is too far away (offsets go up to about 10 years)'
        )
    if sign == "-":
        amount = -amount
    if unit == "d":
        return today + timedelta(days=amount)
    if unit == "w":
        return today + timedelta(weeks=amount)
    if unit == "m":
        return _add_months(today, amount)
    return calendar.add_working_days(today, amount)


def _parse_weekday(words: str, today: date) -> date | None:
    direction, _, name = words.rpartition(" ")
    if direction not in ("", "next", "last"):
        return None
    weekday = _weekday_number(name)
    if weekday is None:
        return None
    if direction == "last":
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _parse_month_name(shown: str, words: str, today: date) -> date | None:
    """'3 Dec', 'Dec 3rd 2026', 'Thu 3 Dec 2026' (the weekday is checked), or None."""
    tokens = [token for token in _WORD_SEPARATORS.split(words) if token and token not in ("of", "the")]
    stated_weekday = _weekday_number(tokens[0]) if len(tokens) > 2 else None
    if stated_weekday is not None:
        tokens = tokens[1:]
    months = [index for index, token in enumerate(tokens) if _month_number(token) is not None]
    if len(months) != 1 or len(tokens) > 3:
        return None
    month_at = months[0]
    month = _month_number(tokens[month_at])
    assert month is not None
    rest = tokens[:month_at] + tokens[month_at + 1 :]
    if month_at == 0 and (not rest or (len(rest) == 1 and re.fullmatch(r"\d{4}", rest[0]))):
        raise DateInputError(f'"{shown}" is not a date: which day of {MONTH_NAMES[month - 1]}?')
    # The day comes right before or right after the month; a year comes last.
    if month_at == 2:
        return None
    day_match = _DAY_TOKEN.fullmatch(rest[0])
    if day_match is None:
        return None
    year = today.year
    if len(rest) == 2:
        if _YEAR_TOKEN.fullmatch(rest[1]) is None:
            return None
        year = _full_year(shown, rest[1])
    result = _make_date(shown, year, month, int(day_match[1]))
    if stated_weekday is not None and stated_weekday != result.weekday():
        raise DateInputError(
            f'"{shown}" is not a date: {_day_month_year(result)} is a {WEEKDAY_NAMES[result.weekday()]}'
        )
    return result


# --- times ----------------------------------------------------------------------------------


def parse_time(text: str, now: time) -> time:
    """The time of day `text` means; "now" is `now` to the minute, as minutes are recorded."""
    shown = _clean(text, "time")
    words = " ".join(shown.lower().split())
    if words == "now":
        return now.replace(second=0, microsecond=0)
    return _parse_clock(shown, words)


def _parse_clock(shown: str, words: str) -> time:
    """A time of day in any written form but "now" (which needs the clock)."""
    if words in _NAMED_TIMES:
        return _NAMED_TIMES[words]
    if match := _CLOCK.fullmatch(words):
        return _make_time(shown, int(match[1]), int(match[2]), match[3])
    if match := _HOUR_ONLY.fullmatch(words):
        return _make_time(shown, int(match[1]), 0, match[2])
    if match := _COMPACT_CLOCK.fullmatch(words):
        digits = match[1]
        return _make_time(shown, int(digits[:-2]), int(digits[-2:]), None)
    if _BARE_HOUR.fullmatch(words):
        raise DateInputError(
            f'"{shown}" is not a time: add minutes or am/pm, e.g. {words}:00 or {words}pm'
        )
    raise DateInputError(f'"{shown}" is not a time: {TIME_HINT}')


def _make_time(shown: str, hour: int, minute: int, half: str | None) -> time:
    if minute > 59:
        raise DateInputError(f'"{shown}" is not a time: minutes go up to 59')
    if half is None:
        if hour > 23:
            raise DateInputError(f'"{shown}" is not a time: hours go up to 23')
        return time(hour, minute)
    if not 1 <= hour <= 12:
        raise DateInputError(f'"{shown}" is not a time: with am or pm the hour is 1 to 12')
    # 12am is midnight and 12pm is midday.
    return time(hour % 12 + (12 if half == "p" else 0), minute)


# --- a date with a time ---------------------------------------------------------------------


def parse_date_time(text: str, today: date, calendar: WorkingCalendar) -> tuple[date, time | None]:
    """A date and, if one was said, the time on it: "22/12 4pm", "fri 2:30pm", "tomorrow 10am",
    "2026-12-22 16:00". A time alone ("4pm", "16:00", "noon") is today at that time."""
    shown = _clean(text, "date")
    words = " ".join(shown.lower().split())
    try:
        return parse_date(shown, today, calendar), None
    except DateInputError as as_date:
        refusal = as_date
    if match := _TRAILING_TIME.fullmatch(words):
        day = parse_date(match["day"].rstrip(" ,"), today, calendar)
        return day, _parse_clock(shown, match["time"])
    if _LONE_TIME.fullmatch(words):
        return today, _parse_clock(shown, words)
    if str(refusal).endswith(DATE_HINT):
        raise DateInputError(f'"{shown}" is not a date: {DATE_TIME_HINT}') from None
    raise refusal


def format_time(at: time) -> str:
    return at.strftime("%H:%M")


# --- working days ---------------------------------------------------------------------------


def non_working_reason(day: date, calendar: WorkingCalendar) -> str | None:
    """Why `day` is not a working day in the team's calendar ("Fri 1 Jan 2027 is a bank holiday
    (New Year's Day)"), or None on a working day. The one wording for every due date."""
    if calendar.is_working_day(day):
        return None
    holiday = calendar.holiday_name(day)
    if holiday == EXTRA_DAY_NAME:
        return f"{format_date(day)} is a team non-working day"
    if holiday:
        return f"{format_date(day)} is a bank holiday ({holiday})"
    return f"{format_date(day)} is a {WEEKDAY_NAMES[day.weekday()]}"


# --- what the field shows -------------------------------------------------------------------


def _day_month_year(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def format_date(day: date) -> str:
    """'Thu 3 Dec 2026': English names whatever the system locale; parse_date reads it back."""
    return f"{WEEKDAY_NAMES[day.weekday()][:3]} {_day_month_year(day)}"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _relative(day: date, today: date, calendar: WorkingCalendar) -> str:
    if day == today:
        return "today"
    working_days = calendar.working_days_between(today, day)
    if working_days > 0:
        return f"in {_plural(working_days, 'working day')}"
    if working_days < 0:
        return f"{_plural(-working_days, 'working day')} ago"
    # No working day in between (a weekend or holiday next to today): count calendar days.
    days = (day - today).days
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {_plural(days, 'day')}" if days > 0 else f"{_plural(-days, 'day')} ago"


def _closed_day(day: date, calendar: WorkingCalendar) -> str | None:
    holiday = calendar.holiday_name(day)
    if holiday == EXTRA_DAY_NAME:
        return "team non-working day"
    if holiday:
        return f"bank holiday: {holiday}"
    if day.weekday() >= 5:
        return f"{WEEKDAY_NAMES[day.weekday()]}, not a working day"
    return None


def describe(day: date, today: date, calendar: WorkingCalendar, *, due: bool = False) -> str:
    """What the UI shows beside a date field, e.g. 'Thu 3 Dec 2026 (in 6 working days)'.

    For a due date a closed day is left out: the field warns with non_working_reason instead.
    """
    closed = None if due else _closed_day(day, calendar)
    notes = [closed] if closed else []
    notes.append(_relative(day, today, calendar))
    return f"{format_date(day)} ({', '.join(notes)})"


# -- ages -----------------------------------------------------------------------------------

# What may be typed for a child instead of a date of birth: "7", "about 7", "18 months",
# "3 weeks old", "unborn, due Mar 2027". Anything else that is not a date is a mistyped date.
_AGE = re.compile(
    r"(?:about|around|approx\.?|approximately|aged?|c\.?|~)?\s*\d{1,2}(?:\.\d)?\s*"
    r"(?:y|yrs?|years?|m|mths?|months?|w|wks?|weeks?|d|days?)?(?:\s+old)?",
    re.ASCII | re.IGNORECASE,
)
_BEFORE_BIRTH = ("unborn", "pre-birth", "prebirth", "pre birth", "due ", "expected ")
AGE_HINT = "a date of birth (14/03/2019) or an age (about 7, 18 months, unborn due Mar 2027)"


def is_age(text: str) -> bool:
    """True for an age or an unborn child's due date as people say them (not a date of birth)."""
    cleaned = text.strip()
    return bool(_AGE.fullmatch(cleaned)) or cleaned.lower().startswith(_BEFORE_BIRTH)


def age_on(born: date, today: date) -> str:
    """How old a child born on `born` is on `today`: "aged 7", "aged 18 months", "aged 3 weeks"."""
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months >= 24:
        return f"aged {months // 12}"
    if months >= 2:
        return f"aged {months} months"
    return f"aged {_plural((today - born).days // 7, 'week')}" if (today - born).days >= 7 else "under a week old"


def describe_birth(born: date, today: date) -> str:
    """What the UI shows beside a date of birth, e.g. '14 Mar 2019 (aged 7)'."""
    return f"{format_date(born)} ({age_on(born, today)})"

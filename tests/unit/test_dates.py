"""Typed dates and times: every form a worker may say, the refusals and the field's description."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratui.calendar import WorkingCalendar
from stratui.dates import (
    DateInputError,
    describe,
    format_date,
    non_working_reason,
    parse_date,
    parse_date_time,
    parse_time,
)

ENGLAND = WorkingCalendar("england")
SCOTLAND = WorkingCalendar("scotland")
NORTHERN_IRELAND = WorkingCalendar("northern-ireland")
TEAM = WorkingCalendar("england", extra_non_working_days=[date(2026, 12, 24)])

# A Wednesday.
TODAY = date(2026, 11, 25)


def parse(text: str, today: date = TODAY, calendar: WorkingCalendar = ENGLAND) -> date:
    return parse_date(text, today, calendar)


# --- accepted forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Numbers, day first.
        ("2026-12-03", date(2026, 12, 3)),
        ("3/12/2026", date(2026, 12, 3)),
        ("03/12/2026", date(2026, 12, 3)),
        ("3/12/26", date(2026, 12, 3)),
        ("3/12/99", date(2099, 12, 3)),
        ("3/12", date(2026, 12, 3)),
        ("3/1", date(2026, 1, 3)),
        ("3.12.2026", date(2026, 12, 3)),
        ("3-12-2026", date(2026, 12, 3)),
        ("29/2/2028", date(2028, 2, 29)),
        # Month names, either order, with or without a year or an ordinal.
        ("3 Dec", date(2026, 12, 3)),
        ("3 December", date(2026, 12, 3)),
        ("3 Dec 2026", date(2026, 12, 3)),
        ("3 Dec 27", date(2027, 12, 3)),
        ("Dec 3", date(2026, 12, 3)),
        ("3rd Dec", date(2026, 12, 3)),
        ("December 3rd 2026", date(2026, 12, 3)),
        ("December 3rd, 2026", date(2026, 12, 3)),
        ("03-Dec-2026", date(2026, 12, 3)),
        ("the 3rd of December", date(2026, 12, 3)),
        ("1 Sept", date(2026, 9, 1)),
        ("1 jan", date(2026, 1, 1)),
        # The form describe() shows reads back, weekday included.
        ("Thu 3 Dec 2026", date(2026, 12, 3)),
        # Words.
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 26)),
        ("tom", date(2026, 11, 26)),
        ("tmrw", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        # Case and surrounding or repeated spaces do not matter.
        ("  TODAY ", TODAY),
        ("3  DEC   2026", date(2026, 12, 3)),
        ("Next  Fri", date(2026, 11, 27)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse(text) == expected


def test_a_date_without_a_year_is_this_year_even_when_it_has_passed() -> None:
    # Concern dates are in the past as often as due dates are in the future.
    assert parse("3 Jan") == date(2026, 1, 3)
    assert parse("3/1") == date(2026, 1, 3)
    assert parse("Jan 3", today=date(2026, 12, 31)) == date(2026, 1, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", date(2026, 11, 30)),
        ("tue", date(2026, 12, 1)),
        ("tues", date(2026, 12, 1)),
        ("thu", date(2026, 11, 26)),
        ("thurs", date(2026, 11, 26)),
        ("fri", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("sat", date(2026, 11, 28)),
        ("sunday", date(2026, 11, 29)),
        # Today is a Wednesday: "wed" is a week away, never today.
        ("wed", date(2026, 12, 2)),
        ("weds", date(2026, 12, 2)),
        ("Wednesday", date(2026, 12, 2)),
        ("next fri", date(2026, 11, 27)),
        ("next wed", date(2026, 12, 2)),
        ("last fri", date(2026, 11, 20)),
        ("last tue", date(2026, 11, 24)),
        ("last wed", date(2026, 11, 18)),
        ("last thursday", date(2026, 11, 19)),
    ],
)
def test_weekday_names(text: str, expected: date) -> None:
    assert parse(text) == expected


def test_weekday_named_on_that_weekday_is_a_week_away() -> None:
    friday = date(2026, 11, 27)
    assert parse("fri", today=friday) == date(2026, 12, 4)
    assert parse("next fri", today=friday) == date(2026, 12, 4)
    assert parse("last fri", today=friday) == date(2026, 11, 20)
    assert parse("sat", today=friday) == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+2d", date(2026, 11, 27)),
        ("-1d", date(2026, 11, 24)),
        ("+0d", TODAY),
        ("+ 2 days", date(2026, 11, 27)),
        ("+2w", date(2026, 12, 9)),
        ("-2w", date(2026, 11, 11)),
        ("+1m", date(2026, 12, 25)),
        ("-11m", date(2025, 12, 25)),
        ("+3wd", date(2026, 11, 30)),
        ("+3 working days", date(2026, 11, 30)),
        ("-2wd", date(2026, 11, 23)),
        ("+0wd", TODAY),
        ("+3650d", date(2036, 11, 22)),
    ],
)
def test_offsets(text: str, expected: date) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_month_offsets_clamp_to_the_end_of_a_short_month(today: date, expected: date) -> None:
    assert parse("+1m", today=today) == expected


def test_zero_working_days_rolls_forward_off_a_weekend_or_holiday() -> None:
    assert parse("+0wd", today=date(2026, 11, 28)) == date(2026, 11, 30)
    assert parse("+0wd", today=date(2026, 12, 25)) == date(2026, 12, 29)


def test_working_days_skip_christmas() -> None:
    # 24 Dec, then 25 (Christmas Day), 26-27 (weekend), 28 (Boxing Day observed) are skipped.
    assert ENGLAND.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert parse("+3wd", today=date(2026, 12, 23)) == date(2026, 12, 30)
    assert parse("-3wd", today=date(2026, 12, 30)) == date(2026, 12, 23)


def test_working_days_follow_the_nation() -> None:
    # 2 Jan 2026 is a bank holiday in Scotland only; 17 Mar in Northern Ireland only.
    new_year = date(2025, 12, 31)
    assert parse("+1wd", today=new_year, calendar=ENGLAND) == date(2026, 1, 2)
    assert parse("+1wd", today=new_year, calendar=SCOTLAND) == date(2026, 1, 5)
    st_patricks_eve = date(2026, 3, 16)
    assert parse("+1wd", today=st_patricks_eve, calendar=ENGLAND) == date(2026, 3, 17)
    assert parse("+1wd", today=st_patricks_eve, calendar=NORTHERN_IRELAND) == date(2026, 3, 18)


def test_working_days_skip_the_teams_own_days_off() -> None:
    assert parse("+1wd", today=date(2026, 12, 23), calendar=TEAM) == date(2026, 12, 29)


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a date is needed"),
        ("   ", "a date is needed"),
        ("31/02/2026", '"31/02/2026" is not a date: February 2026 has 28 days'),
        ("30/2/2028", '"30/2/2028" is not a date: February 2028 has 29 days'),
        ("29 Feb", '"29 Feb" is not a date: February 2026 has 28 days'),
        ("31/4/2026", '"31/4/2026" is not a date: April has 30 days'),
        ("32 Dec", '"32 Dec" is not a date: December has 31 days'),
        ("Dec 32 2026", '"Dec 32 2026" is not a date: December has 31 days'),
        (
            "fri day",
            '"fri day" is not a date: try 3/12/2026, 3 Dec, today, tomorrow, fri, next week, +2d or +3wd',
        ),
        ("next weak", '"next weak" is not a date: try 3/12/2026'),
        ("+d", '"+d" is not a date: put a number in the offset, e.g. +2d'),
        ("-wd", '"-wd" is not a date: put a number in the offset, e.g. -2d'),
        ("+2", '"+2" is not a date: add what 2 counts, e.g. +2d (days), +2w (weeks)'),
        ("+2x", '"+2x" is not a date: offsets end in d (days), w (weeks), m (months) or wd'),
        ("+2.5d", '"+2.5d" is not a date: an offset looks like +2d, -1d or +3wd'),
        ("+99999wd", '"+99999wd" is not a date: that is too far away (offsets go up to about 10 years)'),
        ("+3651d", '"+3651d" is not a date: that is too far away'),
        ("-600w", '"-600w" is not a date: that is too far away'),
        ("+121m", '"+121m" is not a date: that is too far away'),
        ("13/13/2026", '"13/13/2026" is not a date: there is no month 13'),
        ("12/13/2026", '"12/13/2026" is not a date: there is no month 13 (dates are day/month/year)'),
        ("0/1/2026", '"0/1/2026" is not a date: days start at 1'),
        ("0 Jan", '"0 Jan" is not a date: days start at 1'),
        ("2026-13-01", '"2026-13-01" is not a date: there is no month 13'),
        ("2026-02-30", '"2026-02-30" is not a date: February 2026 has 28 days'),
        ("1/1/1066", '"1/1/1066" is not a date: the year must be between 1900 and 2100'),
        ("1066-10-14", '"1066-10-14" is not a date: the year must be between 1900 and 2100'),
        ("14 Oct 1066", '"14 Oct 1066" is not a date: the year must be between 1900 and 2100'),
        ("1/1/2101", '"1/1/2101" is not a date: the year must be between 1900 and 2100'),
        ("3/12/202", '"3/12/202" is not a date: the year needs 2 or 4 digits'),
        ("Dec", '"Dec" is not a date: which day of December?'),
        ("December 2026", '"December 2026" is not a date: which day of December?'),
        ("Fri 3 Dec 2026", '"Fri 3 Dec 2026" is not a date: 3 Dec 2026 is a Thursday'),
        ("x" * 41, "that is too long for a date (40 characters at most)"),
        ("3/12/2026" * 100, "that is too long for a date"),
        ("3/12\x1b[2J", "the date contains a control character"),
        ("3/12\x00", "the date contains a control character"),
        ("\u202e3/12", "the date contains a control character"),
    ],
)
def test_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as refused:
        parse(text)
    assert str(refused.value).startswith(message)


def test_refusals_are_value_errors() -> None:
    assert issubclass(DateInputError, ValueError)


def test_control_characters_are_never_echoed() -> None:
    with pytest.raises(DateInputError) as refused:
        parse("\x1b]0;owned\x07")
    assert "\x1b" not in str(refused.value)


def test_offsets_cannot_leave_the_supported_years() -> None:
    with pytest.raises(DateInputError, match="after 2100"):
        parse("+1d", today=date(2100, 12, 31))
    with pytest.raises(DateInputError, match="before 1900"):
        parse("last mon", today=date(1900, 1, 1))


def test_long_garbage_is_refused_by_its_length_before_it_is_parsed() -> None:
    # A pasted document is refused at the length check, before any pattern scans it (that is
    # what keeps it quick, asserted by the reason rather than timed); what is short enough to
    # parse is refused as not a date.
    for garbage in ("1" * 100_000, "a" * 1_000_000, "9" * 41):
        with pytest.raises(DateInputError, match="too long"):
            parse(garbage)
    for garbage in ("+" + "9" * 39, "3" + "/" * 39, "+ " * 20):
        with pytest.raises(DateInputError) as refused:
            parse(garbage)
        assert "too long" not in str(refused.value)


# --- properties -----------------------------------------------------------------------------

SUPPORTED_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
TODAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
DATE_ALPHABET = "0123456789/.-+ :dwmstndrhoaeyjfbcuvlgp\t\x00\x1b\u00e9"


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60) | st.text(alphabet=DATE_ALPHABET, max_size=16), today=TODAYS)
def test_any_text_gives_a_supported_date_or_a_date_input_error(text: str, today: date) -> None:
    try:
        result = parse_date(text, today, ENGLAND)
    except DateInputError as refused:
        assert str(refused)
    else:
        assert date(1900, 1, 1) <= result <= date(2100, 12, 31)


@settings(max_examples=200, deadline=None)
@given(day=SUPPORTED_DATES, today=TODAYS)
def test_every_supported_date_reads_back(day: date, today: date) -> None:
    assert parse_date(day.isoformat(), today, ENGLAND) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}", today, ENGLAND) == day
    assert parse_date(day.strftime("%d/%m/%Y"), today, ENGLAND) == day
    # What describe() shows beside the field can be typed back in.
    assert parse_date(format_date(day), today, ENGLAND) == day
    assert describe(day, today, ENGLAND).startswith(format_date(day) + " (")


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=-2000, max_value=2000), today=TODAYS)
def test_working_day_offsets_match_the_calendar(n: int, today: date) -> None:
    text = f"+{n}wd" if n >= 0 else f"{n}wd"
    assert parse_date(text, today, SCOTLAND) == SCOTLAND.add_working_days(today, n)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60) | st.text(alphabet="0123456789:. apmnow", max_size=10))
def test_any_text_gives_a_time_or_a_date_input_error(text: str) -> None:
    try:
        parse_time(text, time(9, 41))
    except DateInputError as refused:
        assert str(refused)


# --- times ----------------------------------------------------------------------------------

NOW = time(9, 41, 27, 500)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", time(14, 30)),
        ("1430", time(14, 30)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("9:05", time(9, 5)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("14.30", time(14, 30)),
        ("2:30pm", time(14, 30)),
        ("2:30 PM", time(14, 30)),
        ("2.30p.m.", time(14, 30)),
        ("9:15am", time(9, 15)),
        ("2pm", time(14, 0)),
        ("2 pm", time(14, 0)),
        ("11am", time(11, 0)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        # Minutes are what the record keeps.
        ("now", time(9, 41)),
        (" NOW ", time(9, 41)),
    ],
)
def test_time_forms(text: str, expected: time) -> None:
    assert parse_time(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a time is needed"),
        ("25:00", '"25:00" is not a time: hours go up to 23'),
        ("2400", '"2400" is not a time: hours go up to 23'),
        ("14:60", '"14:60" is not a time: minutes go up to 59'),
        ("1275", '"1275" is not a time: minutes go up to 59'),
        ("13pm", '"13pm" is not a time: with am or pm the hour is 1 to 12'),
        ("0am", '"0am" is not a time: with am or pm the hour is 1 to 12'),
        ("14:30pm", '"14:30pm" is not a time: with am or pm the hour is 1 to 12'),
        ("2", '"2" is not a time: add minutes or am/pm, e.g. 2:00 or 2pm'),
        ("half two", '"half two" is not a time: try 14:30, 1430, 2:30pm, 2pm or now'),
        ("14:3", '"14:3" is not a time: try 14:30'),
        ("1" * 41, "that is too long for a time"),
        ("14:30\x1b", "the time contains a control character"),
    ],
)
def test_time_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as refused:
        parse_time(text, NOW)
    assert str(refused.value).startswith(message)


# --- what the field shows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 3), "Thu 3 Dec 2026 (in 6 working days)"),
        (TODAY, "Wed 25 Nov 2026 (today)"),
        (date(2026, 11, 26), "Thu 26 Nov 2026 (in 1 working day)"),
        (date(2026, 11, 24), "Tue 24 Nov 2026 (1 working day ago)"),
        (date(2026, 11, 23), "Mon 23 Nov 2026 (2 working days ago)"),
        # 26 Nov to 24 Dec holds 21 working days; Christmas Day itself does not count.
        (date(2026, 12, 25), "Fri 25 Dec 2026 (bank holiday: Christmas Day, in 21 working days)"),
        (date(2026, 12, 26), "Sat 26 Dec 2026 (bank holiday: Boxing Day, in 21 working days)"),
        (date(2026, 11, 28), "Sat 28 Nov 2026 (Saturday, not a working day, in 2 working days)"),
        (date(2026, 11, 22), "Sun 22 Nov 2026 (Sunday, not a working day, 3 working days ago)"),
    ],
)
def test_describe(day: date, expected: str) -> None:
    assert describe(day, TODAY, ENGLAND) == expected


def test_describe_counts_calendar_days_when_no_working_day_lies_between() -> None:
    friday = date(2026, 11, 27)
    assert describe(date(2026, 11, 28), friday, ENGLAND) == (
        "Sat 28 Nov 2026 (Saturday, not a working day, tomorrow)"
    )
    assert describe(date(2026, 11, 29), friday, ENGLAND) == (
        "Sun 29 Nov 2026 (Sunday, not a working day, in 2 days)"
    )
    sunday = date(2026, 11, 29)
    assert describe(date(2026, 11, 28), sunday, ENGLAND) == (
        "Sat 28 Nov 2026 (Saturday, not a working day, yesterday)"
    )
    # Counted as the deadline engine counts overdue days: Monday itself is the one passed.
    monday = date(2026, 11, 30)
    assert describe(date(2026, 11, 28), monday, ENGLAND) == (
        "Sat 28 Nov 2026 (Saturday, not a working day, 1 working day ago)"
    )


def test_describe_follows_the_nation_and_the_team() -> None:
    assert describe(date(2026, 1, 2), date(2026, 1, 2), SCOTLAND) == (
        "Fri 2 Jan 2026 (bank holiday: New Year Holiday, today)"
    )
    assert describe(date(2026, 1, 2), date(2026, 1, 2), ENGLAND) == "Fri 2 Jan 2026 (today)"
    assert describe(date(2026, 12, 24), date(2026, 12, 23), TEAM) == (
        "Thu 24 Dec 2026 (team non-working day, tomorrow)"
    )


def test_describe_a_due_date_leaves_the_closed_day_to_the_warning() -> None:
    assert describe(date(2026, 12, 25), TODAY, ENGLAND, due=True) == "Fri 25 Dec 2026 (in 21 working days)"
    assert describe(date(2026, 12, 3), TODAY, ENGLAND, due=True) == describe(date(2026, 12, 3), TODAY, ENGLAND)


# --- dates with times -----------------------------------------------------------------------

# Tue 29 Dec 2026, the week the issue was found in.
DEC_29 = date(2026, 12, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-22 16:00", (date(2026, 12, 22), time(16, 0))),
        ("2026-12-22T16:00", (date(2026, 12, 22), time(16, 0))),
        ("22/12 4pm", (date(2026, 12, 22), time(16, 0))),
        ("22/12 at 4pm", (date(2026, 12, 22), time(16, 0))),
        ("22/12, 16:00", (date(2026, 12, 22), time(16, 0))),
        ("22 Dec 2026 9:30am", (date(2026, 12, 22), time(9, 30))),
        ("tomorrow 10am", (date(2026, 12, 30), time(10, 0))),
        ("fri 2:30pm", (date(2027, 1, 1), time(14, 30))),
        ("+2wd noon", (date(2026, 12, 31), time(12, 0))),
        # A time alone is today.
        ("4pm", (DEC_29, time(16, 0))),
        ("4 pm", (DEC_29, time(16, 0))),
        ("16:00", (DEC_29, time(16, 0))),
        ("noon", (DEC_29, time(12, 0))),
        # A date alone has no time; its year is never read as one.
        ("3 Dec 2026", (date(2026, 12, 3), None)),
        ("22/12", (date(2026, 12, 22), None)),
    ],
)
def test_date_time_forms(text: str, expected: tuple[date, time | None]) -> None:
    assert parse_date_time(text, DEC_29, ENGLAND) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("22/12 25:00", '"22/12 25:00" is not a time: hours go up to 23'),
        ("32/12 4pm", '"32/12" is not a date: December has 31 days'),
        # Half-typed years and bare numbers are not times: "2026" must not become 20:26 today.
        ("2026", '"2026" is not a date: try 22/12 4pm'),
        ("1430", '"1430" is not a date: try 22/12 4pm'),
        ("soon", '"soon" is not a date: try 22/12 4pm, tomorrow 10am'),
        ("Dec", '"Dec" is not a date: which day of December?'),
        ("", "a date is needed"),
    ],
)
def test_date_time_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as refused:
        parse_date_time(text, DEC_29, ENGLAND)
    assert str(refused.value).startswith(message)


@given(st.text(max_size=60), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_date_and_time_or_a_date_input_error(text: str, today: date) -> None:
    try:
        day, at = parse_date_time(text, today, ENGLAND)
    except DateInputError as refused:
        assert str(refused)
    else:
        assert isinstance(day, date) and (at is None or isinstance(at, time))


# --- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "calendar", "reason"),
    [
        (date(2027, 1, 1), ENGLAND, "Fri 1 Jan 2027 is a bank holiday (New Year's Day)"),
        (date(2026, 12, 26), ENGLAND, "Sat 26 Dec 2026 is a bank holiday (Boxing Day)"),
        (date(2026, 11, 28), ENGLAND, "Sat 28 Nov 2026 is a Saturday"),
        (date(2026, 11, 29), ENGLAND, "Sun 29 Nov 2026 is a Sunday"),
        (date(2026, 12, 24), TEAM, "Thu 24 Dec 2026 is a team non-working day"),
        (date(2026, 3, 17), NORTHERN_IRELAND, "Tue 17 Mar 2026 is a bank holiday (Saint Patrick's Day)"),
        (date(2026, 12, 29), ENGLAND, None),
        (date(2026, 3, 17), ENGLAND, None),
    ],
)
def test_non_working_reason(day: date, calendar: WorkingCalendar, reason: str | None) -> None:
    assert non_working_reason(day, calendar) == reason


def test_fri_on_tuesday_29_december_is_new_years_day() -> None:
    day = parse_date("fri", DEC_29, ENGLAND)
    assert non_working_reason(day, ENGLAND) == "Fri 1 Jan 2027 is a bank holiday (New Year's Day)"


def test_ages_as_people_say_them_are_not_dates_of_birth() -> None:
    from stratui.dates import is_age

    for said in ("7", "about 12", "18 months", "3 weeks old", "c. 4", "aged 9", "unborn, due Mar 2027", "Pre-birth"):
        assert is_age(said), said
    for typo in ("13/13/2019", "3/3/2019", "2019", "Leah", "12/2019"):
        assert not is_age(typo), typo


def test_a_date_of_birth_is_described_by_the_age_it_gives() -> None:
    from stratui.dates import age_on, describe_birth

    today = date(2026, 11, 30)
    assert describe_birth(date(2019, 3, 14), today) == "Thu 14 Mar 2019 (aged 7)"
    assert age_on(date(2019, 12, 1), today) == "aged 6"  # the birthday is tomorrow
    assert age_on(date(2025, 5, 30), today) == "aged 18 months"
    assert age_on(date(2026, 11, 9), today) == "aged 3 weeks"
    assert age_on(date(2026, 11, 28), today) == "under a week old"

"""Working-day calendar: each nation's bank holidays, substitute days and the arithmetic."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratui import calendar
from stratui.calendar import NATIONS, WorkingCalendar

ENGLAND = WorkingCalendar("england")
WALES = WorkingCalendar("wales")
SCOTLAND = WorkingCalendar("scotland")
NORTHERN_IRELAND = WorkingCalendar("northern-ireland")
CALENDARS = {cal.nation: cal for cal in (ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND)}
# The days the properties are tried from: years of every holiday rule the holidays package knows.
DATES_TRIED = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@pytest.fixture(params=NATIONS, scope="module")
def cal(request: pytest.FixtureRequest) -> WorkingCalendar:
    """Each nation's calendar in turn (module scope: Hypothesis refuses a function-scoped fixture,
    which it could not reset between its examples)."""
    return CALENDARS[request.param]


def brute_force_between(cal: WorkingCalendar, start: date, end: date) -> int:
    if end < start:
        return -brute_force_between(cal, end, start)
    days = (end - start).days
    return sum(cal.is_working_day(start + timedelta(days=i)) for i in range(1, days + 1))


# --- each nation's own bank holidays (2026, as the holidays package lists them) ---


@pytest.mark.parametrize(
    ("day", "working_in"),
    [
        # Scotland's second New Year holiday.
        (date(2026, 1, 2), {"england", "wales", "northern-ireland"}),
        # St Patrick's Day: Northern Ireland only.
        (date(2026, 3, 17), {"england", "wales", "scotland"}),
        # Easter Monday: not a Scottish bank holiday.
        (date(2026, 4, 6), {"scotland"}),
        # The Twelfth falls on a Sunday in 2026, so Monday 13 July is the NI substitute.
        (date(2026, 7, 13), {"england", "wales", "scotland"}),
        # Scotland's summer holiday is the first Monday of August...
        (date(2026, 8, 3), {"england", "wales", "northern-ireland"}),
        # ...the rest of the UK has the last Monday.
        (date(2026, 8, 31), {"scotland"}),
        # St Andrew's Day is a Monday in 2026, so no substitute is needed.
        (date(2026, 11, 30), {"england", "wales", "northern-ireland"}),
    ],
)
def test_nation_specific_bank_holidays(day: date, working_in: set[str]) -> None:
    assert day.weekday() < 5  # a weekend day would pass for the wrong reason
    for nation, cal in CALENDARS.items():
        assert cal.is_working_day(day) == (nation in working_in), nation


def test_holiday_names_come_from_the_package() -> None:
    assert SCOTLAND.holiday_name(date(2026, 11, 30)) == "Saint Andrew's Day"
    assert NORTHERN_IRELAND.holiday_name(date(2026, 3, 17)) == "Saint Patrick's Day"
    assert NORTHERN_IRELAND.holiday_name(date(2026, 7, 13)) == "Battle of the Boyne (observed)"
    assert ENGLAND.holiday_name(date(2026, 4, 6)) == "Easter Monday"
    assert SCOTLAND.holiday_name(date(2026, 4, 6)) is None
    assert ENGLAND.holiday_name(date(2026, 4, 7)) is None


def test_wales_follows_england() -> None:
    start, end = date(2020, 1, 1), date(2035, 12, 31)
    assert WALES.working_days_between(start, end) == ENGLAND.working_days_between(start, end)


def test_boxing_day_on_saturday_is_substituted_on_monday(cal: WorkingCalendar) -> None:
    assert date(2026, 12, 26).weekday() == 5
    assert cal.holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert not cal.is_working_day(date(2026, 12, 28))
    assert cal.is_working_day(date(2026, 12, 29))


def test_christmas_and_boxing_day_both_at_weekend_2027() -> None:
    # 25 and 26 December 2027 are Saturday and Sunday: both substitutes fall on Mon and Tue.
    assert not ENGLAND.is_working_day(date(2027, 12, 27))
    assert not ENGLAND.is_working_day(date(2027, 12, 28))
    assert ENGLAND.add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


# --- adding working days ---


def test_add_across_christmas_and_new_year_england() -> None:
    # Thu 24 Dec 2026: Fri 25, Mon 28 and Fri 1 Jan are holidays, weekends in between.
    assert ENGLAND.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert ENGLAND.add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 31)
    assert ENGLAND.add_working_days(date(2026, 12, 24), 4) == date(2027, 1, 4)


def test_add_across_new_year_scotland_skips_second_january() -> None:
    # 1 and 2 Jan 2027 are Fri and Sat; Scotland's 2 Jan holiday moves to Mon 4 Jan.
    assert SCOTLAND.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert ENGLAND.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_add_across_a_weekend() -> None:
    friday = date(2026, 3, 6)
    assert ENGLAND.add_working_days(friday, 1) == date(2026, 3, 9)
    assert ENGLAND.add_working_days(friday, 5) == date(2026, 3, 13)
    # Starting on a Saturday: the first working day after it is the Monday.
    assert ENGLAND.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_icpc_fifteen_working_days_over_easter() -> None:
    # Discussion on Wed 1 Apr 2026; Good Friday and Easter Monday do not count in England.
    assert ENGLAND.add_working_days(date(2026, 4, 1), 15) == date(2026, 4, 24)
    # Scotland only loses Good Friday.
    assert SCOTLAND.add_working_days(date(2026, 4, 1), 15) == date(2026, 4, 23)


def test_negative_n_counts_backwards() -> None:
    assert ENGLAND.add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)
    assert ENGLAND.add_working_days(date(2027, 1, 4), -4) == date(2026, 12, 24)
    # From a Sunday, one working day back is the Friday.
    assert ENGLAND.add_working_days(date(2026, 3, 8), -1) == date(2026, 3, 6)
    # Back over Easter Monday and Good Friday.
    assert ENGLAND.add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 2)


def test_zero_n_rolls_forward_to_a_working_day() -> None:
    assert ENGLAND.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)
    assert ENGLAND.add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    # Saturday 4 Apr 2026 rolls past Easter Monday in England but not in Scotland.
    assert ENGLAND.add_working_days(date(2026, 4, 4), 0) == date(2026, 4, 7)
    assert SCOTLAND.add_working_days(date(2026, 4, 4), 0) == date(2026, 4, 6)


def test_start_day_never_counts() -> None:
    monday = date(2026, 3, 9)
    assert ENGLAND.add_working_days(monday, 1) == date(2026, 3, 10)
    assert ENGLAND.working_days_between(monday, monday) == 0
    assert ENGLAND.working_days_between(monday, date(2026, 3, 10)) == 1


# --- counting working days ---


def test_working_days_between_known_spans() -> None:
    # A full English year 2026: 261 weekdays minus 8 weekday bank holidays.
    assert ENGLAND.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253
    assert ENGLAND.working_days_between(date(2026, 12, 31), date(2025, 12, 31)) == -253
    # Fri to Mon is one working day; Mon to the previous Fri is minus one.
    assert ENGLAND.working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert ENGLAND.working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1


@settings(max_examples=150, deadline=None)
@given(
    start=DATES_TRIED,
    n=st.integers(min_value=-300, max_value=300),
)
def test_add_then_count_round_trips(cal: WorkingCalendar, start: date, n: int) -> None:
    end = cal.add_working_days(start, n)
    assert cal.is_working_day(end)
    assert (end > start) == (n > 0) or (n == 0 and end >= start)
    # Backwards the count is (end, start], so it only round-trips from a working day.
    if n > 0 or cal.is_working_day(start):
        assert cal.working_days_between(start, end) == n
    else:
        assert cal.working_days_between(start, end) == n + 1


@settings(max_examples=100, deadline=None)
@given(
    start=DATES_TRIED,
    span=st.integers(min_value=-400, max_value=400),
)
def test_count_matches_day_by_day_and_round_trips(cal: WorkingCalendar, start: date, span: int) -> None:
    end = start + timedelta(days=span)
    between = cal.working_days_between(start, end)
    assert between == brute_force_between(cal, start, end)
    assert cal.working_days_between(end, start) == -between
    round_trips = end > start or cal.is_working_day(start)
    if cal.is_working_day(end) and round_trips:
        assert cal.add_working_days(start, between) == end


def test_counting_expands_each_year_once_and_never_walks_the_days(monkeypatch: pytest.MonkeyPatch) -> None:
    # What makes 20,000 counts cheap enough for a dashboard, counted rather than timed: each
    # year's holidays are expanded once per calendar, and a count asks nothing day by day.
    cal = WorkingCalendar("wales")
    expanded = Counter[int]()
    load_year = cal._load_year

    def counting_load(year: int) -> None:
        if year not in cal._closed_days:
            expanded[year] += 1
        load_year(year)

    monkeypatch.setattr(cal, "_load_year", counting_load)
    monkeypatch.setattr(cal, "is_working_day", lambda day: pytest.fail("a count looked at a single day"))
    start = date(2024, 1, 1)
    for i in range(20_000):
        cal.working_days_between(start + timedelta(days=i % 1500), date(2027, 5, 5))
    assert expanded == Counter({year: 1 for year in range(2024, 2029)})  # the starts reach Feb 2028


# --- extra days, module functions, errors ---


def test_extra_non_working_days_are_skipped() -> None:
    closed = date(2026, 3, 10)
    cal = WorkingCalendar("england", [closed])
    assert not cal.is_working_day(closed)
    assert cal.holiday_name(closed) == calendar.EXTRA_DAY_NAME
    assert cal.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 11)
    assert cal.working_days_between(date(2026, 3, 9), date(2026, 3, 13)) == 3
    assert ENGLAND.working_days_between(date(2026, 3, 9), date(2026, 3, 13)) == 4


def test_module_functions_use_nation_and_extra_days() -> None:
    assert calendar.is_working_day(date(2026, 4, 6), "scotland")
    assert not calendar.is_working_day(date(2026, 4, 6), "england")
    assert calendar.add_working_days(date(2026, 12, 24), 1, "england") == date(2026, 12, 29)
    assert calendar.working_days_between(date(2026, 3, 9), date(2026, 3, 13), "england") == 4
    extra = [date(2026, 3, 11)]
    assert not calendar.is_working_day(date(2026, 3, 11), "england", extra_non_working_days=extra)
    assert (
        calendar.add_working_days(date(2026, 3, 10), 1, "england", extra_non_working_days=extra)
        == date(2026, 3, 12)
    )
    assert (
        calendar.working_days_between(
            date(2026, 3, 9), date(2026, 3, 13), "england", extra_non_working_days=extra
        )
        == 3
    )


def test_shared_calendar_is_cached_regardless_of_extra_day_order() -> None:
    days = [date(2026, 3, 11), date(2026, 3, 10)]
    assert calendar.get_calendar("wales", days) is calendar.get_calendar("wales", reversed(days))


@pytest.mark.parametrize("bad", ["uk", "England", "", "ni"])
def test_unknown_nation_lists_the_valid_ones(bad: str) -> None:
    with pytest.raises(ValueError, match="must be one of 'england', 'wales', 'scotland', 'northern-ireland'"):
        WorkingCalendar(bad)
    with pytest.raises(ValueError, match="unknown nation"):
        calendar.is_working_day(date(2026, 1, 1), bad)

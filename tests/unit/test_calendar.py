"""Business calendar: Colombian holidays, working days and hours, and the arithmetic deadlines rely on.

Holiday facts: Ley 51 de 1983 art. 1 (fixed holidays; the others move to the next Monday) and Ley 2578
de 2026 (9 July, Virgen de Chiquinquirá, moved the same way: 13 July 2026), as the installed python
``holidays`` package implements them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pqrs_core.domain.calendar import (
    MONDAY_TO_SATURDAY,
    BusinessCalendar,
    WorkingHours,
)
from pqrs_core.domain.errors import ValidationError

BOGOTA = ZoneInfo("America/Bogota")
CO = BusinessCalendar()
LUNCH = BusinessCalendar(working_hours=("08:00-12:00", "13:00-17:00"))
SATURDAYS = BusinessCalendar(working_weekdays=MONDAY_TO_SATURDAY, weekday_hours={5: ["08:00-12:00"]})
CLOSURES = BusinessCalendar(closure_dates={date(2026, 4, 8), date(2026, 12, 24), date(2026, 12, 31)},
                            extra_working_dates={date(2026, 3, 28)})
CALENDARS = (CO, LUNCH, SATURDAYS, CLOSURES)

FAST = settings(max_examples=150, deadline=None)


def bogota(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BOGOTA)


def brute_force_add(calendar: BusinessCalendar, day: date, n: int) -> date:
    """The n-th business day after ``day``, one day at a time (the oracle for the ordinal table)."""
    while n:
        day += timedelta(days=1)
        if calendar.is_business_day(day):
            n -= 1
    return day


# ---------------------------------------------------------------------- holidays
COLOMBIA_2026 = [
    date(2026, 1, 1),    # Año Nuevo (fixed)
    date(2026, 1, 12),   # Reyes Magos, Tue 6 Jan → Monday 12
    date(2026, 3, 23),   # San José, Thu 19 Mar → Monday 23
    date(2026, 4, 2),    # Jueves Santo (Easter − 3)
    date(2026, 4, 3),    # Viernes Santo (Easter − 2)
    date(2026, 5, 1),    # Día del Trabajo
    date(2026, 5, 18),   # Ascensión (Easter + 39 → Monday)
    date(2026, 6, 8),    # Corpus Christi (Easter + 60 → Monday)
    date(2026, 6, 15),   # Sagrado Corazón (Easter + 68 → Monday)
    date(2026, 6, 29),   # San Pedro y San Pablo (already a Monday)
    date(2026, 7, 13),   # Virgen de Chiquinquirá, Thu 9 Jul → Monday 13 (Ley 2578 de 2026)
    date(2026, 7, 20),   # Independencia
    date(2026, 8, 7),    # Batalla de Boyacá
    date(2026, 8, 17),   # Asunción, Sat 15 Aug → Monday 17
    date(2026, 10, 12),  # Día de la Raza (already a Monday)
    date(2026, 11, 2),   # Todos los Santos, Sun 1 Nov → Monday 2
    date(2026, 11, 16),  # Independencia de Cartagena, Wed 11 Nov → Monday 16
    date(2026, 12, 8),   # Inmaculada Concepción
    date(2026, 12, 25),  # Navidad
]


def test_colombia_2026_has_nineteen_holidays_including_chiquinquira() -> None:
    found = CO.public_holidays(2026)
    assert list(found) == COLOMBIA_2026
    assert "Chiquinquirá" in found[date(2026, 7, 13)]
    assert not any(CO.is_business_day(d) for d in COLOMBIA_2026)


def test_chiquinquira_is_not_a_holiday_before_ley_2578() -> None:
    assert CO.is_business_day(date(2025, 7, 14))  # the Monday after 9 Jul 2025
    assert date(2025, 7, 14) not in CO.public_holidays(2025)


def test_monday_holidays_leave_the_original_date_a_business_day() -> None:
    assert not CO.is_business_day(date(2026, 1, 12))
    assert CO.is_business_day(date(2026, 1, 6))   # Tuesday: Reyes moved away
    assert not CO.is_business_day(date(2026, 3, 23))
    assert CO.is_business_day(date(2026, 3, 19))  # Thursday: San José moved away


def test_holy_thursday_and_good_friday_follow_easter() -> None:
    assert not CO.is_business_day(date(2026, 4, 2))
    assert not CO.is_business_day(date(2026, 4, 3))
    assert not CO.is_business_day(date(2025, 4, 17))
    assert not CO.is_business_day(date(2025, 4, 18))
    assert CO.is_business_day(date(2026, 4, 1))


def test_weekends_are_not_business_days_by_default() -> None:
    assert not CO.is_business_day(date(2026, 3, 21))
    assert not CO.is_business_day(date(2026, 3, 22))


def test_without_a_country_only_weekends_and_closures_count() -> None:
    plain = BusinessCalendar(country=None, closure_dates=[date(2026, 3, 24)])
    assert plain.is_business_day(date(2026, 3, 23))
    assert not plain.is_business_day(date(2026, 3, 24))
    assert plain.public_holidays(2026) == {}


# ---------------------------------------------------------------------- days
def test_next_business_day_skips_weekend_and_holiday() -> None:
    assert CO.next_business_day(date(2026, 3, 20)) == date(2026, 3, 24)  # Fri → Tue (Mon 23 San José)
    assert CO.next_business_day(date(2026, 4, 1)) == date(2026, 4, 6)    # Wed → Mon (Holy Thu/Fri)
    assert CO.business_day_on_or_after(date(2026, 3, 24)) == date(2026, 3, 24)
    assert CO.business_day_on_or_after(date(2026, 3, 21)) == date(2026, 3, 24)


def test_add_and_count_business_days() -> None:
    # Fri 20 Mar + 15: Tue 24 … Wed 1 Apr (7), Mon 6 … Fri 10 (12), Mon 13, Tue 14, Wed 15 (15).
    assert CO.add_business_days(date(2026, 3, 20), 15) == date(2026, 4, 15)
    assert CO.business_days_between(date(2026, 3, 20), date(2026, 4, 15)) == 15
    assert CO.business_days_between(date(2026, 4, 15), date(2026, 3, 20)) == -15
    assert CO.add_business_days(date(2026, 4, 15), -15) == date(2026, 3, 20)
    assert CO.add_business_days(date(2026, 3, 21), 0) == date(2026, 3, 21)
    assert CO.business_days_between(date(2026, 3, 21), date(2026, 3, 23)) == 0  # Sun, Mon holiday


def test_counts_across_many_years_match_day_by_day_counting() -> None:
    start, end = date(2019, 12, 31), date(2027, 12, 31)
    expected = sum(1 for i in range(1, (end - start).days + 1) if CO.is_business_day(start + timedelta(i)))
    assert CO.business_days_between(start, end) == expected
    assert CO.add_business_days(start, expected) == date(2027, 12, 31)
    far = CO.add_business_days(date(2026, 1, 1), 5000)
    assert far == brute_force_add(CO, date(2026, 1, 1), 5000)
    assert CO.business_days_between(CO.add_business_days(far, -5000), far) == 5000


def test_closures_and_extra_working_dates_are_data() -> None:
    assert not CLOSURES.is_business_day(date(2026, 4, 8))   # a Wednesday the organisation closes
    assert CLOSURES.is_business_day(date(2026, 3, 28))      # a Saturday it opens
    assert not CLOSURES.is_business_day(date(2026, 3, 21))  # other Saturdays stay closed


def test_an_extra_working_date_never_overrides_a_public_holiday() -> None:
    calendar = BusinessCalendar(extra_working_dates=[date(2026, 8, 15), date(2026, 8, 17)])
    assert calendar.is_business_day(date(2026, 8, 15))       # Saturday, opened
    assert not calendar.is_business_day(date(2026, 8, 17))   # Asunción stays a holiday


def test_saturday_working_is_configurable() -> None:
    assert SATURDAYS.is_business_day(date(2026, 3, 21))
    assert not SATURDAYS.is_business_day(date(2026, 3, 22))
    assert SATURDAYS.is_business_day(date(2026, 8, 15))  # a Saturday: Asunción moved to Monday 17
    assert SATURDAYS.next_business_day(date(2026, 3, 20)) == date(2026, 3, 21)
    assert SATURDAYS.hours_on(date(2026, 3, 21)) == (WorkingHours(time(8), time(12)),)
    assert SATURDAYS.hours_on(date(2026, 3, 20)) == (WorkingHours(time(8), time(17)),)


# ---------------------------------------------------------------------- term conventions
def test_day_one_is_the_business_day_after_reception_whatever_the_hour() -> None:
    # Friday 2026-03-20: received at 08:01 or at 17:30, day 1 is Tuesday 24 (Monday 23 is San José).
    assert CO.start_of_term(bogota(2026, 3, 20, 8, 1)) == date(2026, 3, 24)
    assert CO.start_of_term(bogota(2026, 3, 20, 17, 30)) == date(2026, 3, 24)


def test_reception_on_a_weekend_or_holiday_counts_from_the_next_business_day() -> None:
    # Sunday 2026-03-22 and holiday Monday 23 count as received Tuesday 24, so day 1 is Wednesday 25.
    assert CO.reception_day(bogota(2026, 3, 22, 10, 0)) == date(2026, 3, 24)
    assert CO.start_of_term(bogota(2026, 3, 22, 10, 0)) == date(2026, 3, 25)
    assert CO.start_of_term(bogota(2026, 3, 23, 10, 0)) == date(2026, 3, 25)
    assert CO.start_of_term(bogota(2026, 3, 24, 10, 0)) == date(2026, 3, 25)


def test_days_are_counted_in_the_calendar_time_zone() -> None:
    # 03:00 UTC on Saturday 21 is still Friday 20 at 22:00 in Bogotá.
    late_friday = datetime(2026, 3, 21, 3, 0, tzinfo=UTC)
    assert CO.local_date(late_friday) == date(2026, 3, 20)
    assert CO.start_of_term(late_friday) == date(2026, 3, 24)


def test_end_of_day_is_local_midnight_in_utc() -> None:
    end = CO.end_of_day(date(2026, 4, 15))
    assert end == datetime(2026, 4, 16, 4, 59, 59, 999999, tzinfo=UTC)
    assert end.astimezone(BOGOTA).time() == time(23, 59, 59, 999999)


# ---------------------------------------------------------------------- hours
def test_business_time_respects_lunch_break_and_weekends() -> None:
    assert LUNCH.is_business_time(bogota(2026, 3, 20, 11, 59))
    assert not LUNCH.is_business_time(bogota(2026, 3, 20, 12, 30))
    assert LUNCH.is_business_time(bogota(2026, 3, 20, 13, 0))
    assert not LUNCH.is_business_time(bogota(2026, 3, 20, 17, 0))
    assert not LUNCH.is_business_time(bogota(2026, 3, 21, 10, 0))  # Saturday
    assert not LUNCH.is_business_time(bogota(2026, 3, 23, 10, 0))  # San José


def test_add_business_hours_across_lunch() -> None:
    # Thu 5 Mar 11:00 + 2 h: 11–12 (1 h), lunch, 13–14 (1 h).
    assert LUNCH.add_business_hours(bogota(2026, 3, 5, 11, 0), 2) == bogota(2026, 3, 5, 14, 0)
    # Exactly filling the morning stops at 12:00, not at 13:00.
    assert LUNCH.add_business_hours(bogota(2026, 3, 5, 11, 0), 1) == bogota(2026, 3, 5, 12, 0)


def test_add_business_hours_across_a_weekend_and_a_holiday() -> None:
    # Fri 6 Mar 15:00 + 4 h: 15–17 (2 h), weekend, Mon 9 Mar 08–10 (2 h).
    assert LUNCH.add_business_hours(bogota(2026, 3, 6, 15, 0), 4) == bogota(2026, 3, 9, 10, 0)
    # Fri 20 Mar 16:00 + 5 h: 16–17 (1 h), weekend, Mon 23 San José, Tue 24 08–12 (4 h).
    assert LUNCH.add_business_hours(bogota(2026, 3, 20, 16, 0), 5) == bogota(2026, 3, 24, 12, 0)
    # Starting outside hours (Saturday) starts counting on the next business morning.
    saturday = bogota(2026, 3, 7, 9, 0)
    assert LUNCH.add_business_hours(saturday, timedelta(minutes=90)) == bogota(2026, 3, 9, 9, 30)
    assert LUNCH.add_business_hours(bogota(2026, 3, 7, 9, 0), 0) == bogota(2026, 3, 7, 9, 0)


def test_business_time_between_counts_working_time_only() -> None:
    friday, monday = bogota(2026, 3, 6, 15, 0), bogota(2026, 3, 9, 10, 0)
    assert LUNCH.business_time_between(friday, monday) == timedelta(hours=4)
    assert LUNCH.business_time_between(monday, friday) == -timedelta(hours=4)
    # A full week with a holiday: Mon 23 Mar (San José) off, Tue–Fri 8 h each.
    week = LUNCH.business_time_between(bogota(2026, 3, 23, 0, 0), bogota(2026, 3, 28, 0, 0))
    assert week == timedelta(hours=32)
    # Saturday half day where Saturdays are worked.
    saturday = SATURDAYS.business_time_between(bogota(2026, 3, 21), bogota(2026, 3, 22))
    assert saturday == timedelta(hours=4)


def test_add_business_hours_refuses_negative_amounts() -> None:
    with pytest.raises(ValueError):
        CO.add_business_hours(bogota(2026, 3, 5, 9, 0), -1)


# ---------------------------------------------------------------------- validation
@pytest.mark.parametrize("call", [
    lambda: CO.is_business_time(datetime(2026, 3, 20, 10, 0)),
    lambda: CO.start_of_term(datetime(2026, 3, 20, 10, 0)),
    lambda: CO.term_day(datetime(2026, 3, 20, 10, 0), 3),
    lambda: CO.add_business_hours(datetime(2026, 3, 20, 10, 0), 1),
    lambda: CO.business_time_between(datetime(2026, 3, 20, 10, 0), bogota(2026, 3, 21, 10, 0)),
    lambda: CO.reception_day(datetime(2026, 3, 20, 10, 0)),
])
def test_naive_datetimes_are_rejected(call: object) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()  # type: ignore[operator]


def test_invalid_configuration_is_reported_in_spanish() -> None:
    with pytest.raises(ValidationError) as info:
        BusinessCalendar(timezone="America/Nowhere", working_weekdays=[], country="XX",
                         working_hours=["08:00-12:00", "11:00-17:00"])
    assert set(info.value.errors) == {"timezone", "working_weekdays", "working_hours", "country"}
    with pytest.raises(ValidationError, match="subdivisión"):
        BusinessCalendar(subdivision="ZZ")
    with pytest.raises(ValidationError, match="días de cierre"):
        BusinessCalendar(closure_dates=[date(2026, 3, 28)], extra_working_dates=[date(2026, 3, 28)])
    with pytest.raises(ValidationError):
        WorkingHours.parse("17:00-08:00")
    with pytest.raises(ValidationError):
        WorkingHours.parse("ocho a cinco")


def test_calendars_compare_by_configuration() -> None:
    assert BusinessCalendar() == CO
    assert hash(BusinessCalendar()) == hash(CO)
    assert BusinessCalendar(working_hours=[WorkingHours(time(8), time(12)), (time(13), time(17))]) == LUNCH


# ---------------------------------------------------------------------- properties
calendars = st.sampled_from(CALENDARS)
days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                        timezones=st.sampled_from([UTC, BOGOTA]))


@FAST
@given(calendars, days, st.integers(min_value=1, max_value=400))
def test_adding_business_days_lands_on_a_business_day_n_days_later(
        calendar: BusinessCalendar, day: date, n: int) -> None:
    result = calendar.add_business_days(day, n)
    assert calendar.is_business_day(result)
    assert calendar.business_days_between(day, result) == n
    assert result == brute_force_add(calendar, day, n)


@FAST
@given(calendars, days, st.integers(min_value=0, max_value=400))
def test_adding_business_days_is_monotonic(calendar: BusinessCalendar, day: date, n: int) -> None:
    assert calendar.add_business_days(day, n) < calendar.add_business_days(day, n + 1)


@FAST
@given(calendars, days, st.integers(min_value=1, max_value=400))
def test_subtracting_business_days_undoes_adding(calendar: BusinessCalendar, day: date, n: int) -> None:
    start = calendar.business_day_on_or_after(day)
    assert calendar.add_business_days(calendar.add_business_days(start, n), -n) == start


@FAST
@given(calendars, instants, instants, instants)
def test_business_time_is_additive_over_a_split_point(
        calendar: BusinessCalendar, a: datetime, b: datetime, c: datetime) -> None:
    assert (calendar.business_time_between(a, b) + calendar.business_time_between(b, c)
            == calendar.business_time_between(a, c))


@FAST
@given(calendars, instants, st.integers(min_value=0, max_value=200 * 60))
def test_business_time_between_undoes_add_business_hours(
        calendar: BusinessCalendar, start: datetime, minutes: int) -> None:
    end = calendar.add_business_hours(start, timedelta(minutes=minutes))
    assert end.tzinfo is UTC
    assert calendar.business_time_between(start, end) == timedelta(minutes=minutes)
    if minutes:
        assert calendar.is_business_time(end - timedelta(microseconds=1))


def _add_business_hours_day_by_day(calendar: BusinessCalendar, instant: datetime,
                                   hours: timedelta) -> datetime:
    """The definition, one business day after another (the calendar uses prefix sums instead)."""
    current, remaining = instant.astimezone(UTC), hours
    if not remaining:
        return current
    day = calendar.business_day_on_or_after(calendar.local_date(instant))
    while True:
        for h in calendar.hours_on(day):
            opens = datetime.combine(day, h.start, tzinfo=calendar.zone).astimezone(UTC)
            closes = datetime.combine(day, h.end, tzinfo=calendar.zone).astimezone(UTC)
            if closes <= current:
                continue
            begin = max(opens, current)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        day = calendar.next_business_day(day)


@settings(deadline=None)  # each example builds a fresh calendar's table of years: slow on a loaded machine
@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31),
                    timezones=st.just(BOGOTA)),
       st.integers(min_value=0, max_value=40_000 * 60))
def test_add_business_hours_is_the_day_by_day_definition(instant: datetime, minutes: int) -> None:
    # A fresh calendar too, so that its business-day table grows while it walks.
    for calendar in (*CALENDARS, BusinessCalendar(closure_dates={date(2026, 3, 10)})):
        amount = timedelta(minutes=minutes)
        assert calendar.add_business_hours(instant, amount) == _add_business_hours_day_by_day(
            calendar, instant, amount)

"""Terms and deadlines with real Colombian dates (2026 holidays from Ley 51 de 1983 and Ley 2578 de 2026).

March–April 2026, for the hand computations below (holidays in brackets):

    Mon  Tue  Wed  Thu  Fri  Sat  Sun
    [23]  24   25   26   27   28   29     Mon 23 Mar: San José (19 Mar moved to Monday)
     30   31   1   [2]  [3]   4    5      Thu 2, Fri 3 Apr: Jueves and Viernes Santo
     6    7    8    9   10   11   12
     13   14   15   16   17   18   19
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pqrs_core.domain.calendar import MONDAY_TO_SATURDAY, BusinessCalendar
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.terms import Extension, Term, TermRule, TermStart, TermUnit, add_months, rule_for

BOGOTA = ZoneInfo("America/Bogota")
CO = BusinessCalendar()
FIFTEEN = Term(15)


def bogota(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BOGOTA)


def end_of(day: date) -> datetime:
    """Midnight ending ``day`` in Bogotá (Ley 4 de 1913 art. 59), as the UTC instant a deadline is."""
    return datetime.combine(day, time.max, tzinfo=BOGOTA).astimezone(UTC)


# ---------------------------------------------------------------------- business days
def test_fifteen_business_days_from_friday_evening_before_san_jose() -> None:
    # Received Friday 2026-03-20 at 17:30 (after hours: the hour does not matter).
    # Day 1 is the first business day after the reception date: Monday 23 is San José, so Tuesday 24.
    #   Tue 24 (1), Wed 25 (2), Thu 26 (3), Fri 27 (4), Mon 30 (5), Tue 31 (6), Wed 1 Apr (7),
    #   Thu 2 and Fri 3 are Jueves/Viernes Santo, weekend,
    #   Mon 6 (8), Tue 7 (9), Wed 8 (10), Thu 9 (11), Fri 10 (12), Mon 13 (13), Tue 14 (14), Wed 15 (15).
    # The deadline is the end of Wednesday 2026-04-15, Bogotá time = 2026-04-16 04:59:59.999999 UTC.
    deadline = FIFTEEN.deadline(bogota(2026, 3, 20, 17, 30), CO)
    assert deadline == end_of(date(2026, 4, 15))
    assert deadline == datetime(2026, 4, 16, 4, 59, 59, 999999, tzinfo=UTC)
    assert deadline.tzinfo is UTC
    assert CO.start_of_term(bogota(2026, 3, 20, 17, 30)) == date(2026, 3, 24)


def test_reception_on_a_sunday_counts_as_monday() -> None:
    # Sunday 2026-03-01 counts as received Monday 2 Mar; day 1 is Tuesday 3:
    #   Tue 3 (1) … Fri 6 (4), Mon 9 … Fri 13 (9), Mon 16 … Fri 20 (14), Mon 23 San José, Tue 24 (15).
    sunday = FIFTEEN.deadline(bogota(2026, 3, 1, 11, 0), CO)
    assert sunday == end_of(date(2026, 3, 24))
    assert sunday == FIFTEEN.deadline(bogota(2026, 3, 2, 9, 0), CO)
    # Received the Friday before: day 1 is Monday 2 and day 15 is Friday 20.
    assert FIFTEEN.deadline(bogota(2026, 2, 27, 9, 0), CO) == end_of(date(2026, 3, 20))


def test_a_closure_configured_as_data_shifts_the_deadline() -> None:
    # The organisation closes Wednesday 8 April: the Friday-20 case loses day 10, so day 15 is Thu 16.
    closed = BusinessCalendar(closure_dates=[date(2026, 4, 8)])
    assert FIFTEEN.deadline(bogota(2026, 3, 20, 17, 30), closed) == end_of(date(2026, 4, 16))


def test_working_saturdays_shorten_the_calendar_time() -> None:
    # Saturdays worked: Sat 21 (1), Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5), Sat 28 (6), Mon 30 (7),
    # Tue 31 (8), Wed 1 (9), [Thu 2, Fri 3], Sat 4 (10), Mon 6 (11), Tue 7 (12), Wed 8 (13), Thu 9 (14),
    # Fri 10 (15).
    saturdays = BusinessCalendar(working_weekdays=MONDAY_TO_SATURDAY)
    assert FIFTEEN.deadline(bogota(2026, 3, 20, 17, 30), saturdays) == end_of(date(2026, 4, 10))
    # Only Saturday 28 March opened: Tue 24 … Fri 27 (4), Sat 28 (5), Mon 30 (6), Tue 31 (7), Wed 1 (8),
    # Mon 6 … Fri 10 (13), Mon 13 (14), Tue 14 (15).
    one_saturday = BusinessCalendar(extra_working_dates=[date(2026, 3, 28)])
    assert FIFTEEN.deadline(bogota(2026, 3, 20, 17, 30), one_saturday) == end_of(date(2026, 4, 14))


def test_a_received_after_midnight_utc_petition_is_still_friday_in_bogota() -> None:
    # 2026-03-21 02:00 UTC is Friday 20 at 21:00 in Bogotá: same deadline as the Friday case.
    assert FIFTEEN.deadline(datetime(2026, 3, 21, 2, 0, tzinfo=UTC), CO) == end_of(date(2026, 4, 15))


# ---------------------------------------------------------------------- months and calendar days
def test_month_term_ending_on_a_holiday_moves_to_the_next_business_day() -> None:
    # Received Monday 23 Feb 2026 + 1 month = Monday 23 Mar, San José: the term runs to Tuesday 24
    # (Ley 4 de 1913 art. 62).
    assert Term(1, TermUnit.MONTHS).deadline(bogota(2026, 2, 23, 10, 0), CO) == end_of(date(2026, 3, 24))


def test_month_term_keeps_the_day_number_and_clamps_to_the_month_end() -> None:
    # Tuesday 10 Feb + 1 month = Tuesday 10 Mar, a business day.
    assert Term(1, TermUnit.MONTHS).deadline(bogota(2026, 2, 10, 10, 0), CO) == end_of(date(2026, 3, 10))
    # Friday 30 Jan + 1 month: February has no 30th → Saturday 28 Feb → Monday 2 Mar.
    assert Term(1, TermUnit.MONTHS).deadline(bogota(2026, 1, 30, 10, 0), CO) == end_of(date(2026, 3, 2))
    # Wednesday 31 Dec 2025 + 3 months = Tuesday 31 Mar 2026.
    assert Term(3, TermUnit.MONTHS).deadline(bogota(2025, 12, 31, 10, 0), CO) == end_of(date(2026, 3, 31))
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_calendar_days_count_holidays() -> None:
    # Friday 20 Mar + 5 calendar days: Sat 21, Sun 22, Mon 23 (holiday, counted), Tue 24, Wed 25.
    five = Term(5, TermUnit.CALENDAR_DAYS)
    assert five.deadline(bogota(2026, 3, 20, 9, 0), CO) == end_of(date(2026, 3, 25))
    # Received Saturday 21 → counts as received Tuesday 24; + 5 = Sunday 29 (calendar days do not move).
    assert five.deadline(bogota(2026, 3, 21, 9, 0), CO) == end_of(date(2026, 3, 29))


# ---------------------------------------------------------------------- hours
def test_clock_hours_ignore_holidays_and_run_to_the_minute() -> None:
    # Tutela compliance, 48 h: from Wednesday 1 April 10:15, through Jueves Santo, to Viernes Santo 10:15.
    deadline = Term(48, TermUnit.CLOCK_HOURS).deadline(bogota(2026, 4, 1, 10, 15), CO)
    assert deadline == bogota(2026, 4, 3, 10, 15)
    assert deadline.tzinfo is UTC


def test_business_hours_skip_holidays_and_weekends() -> None:
    # 8 business hours from Wednesday 1 April 15:00 (08:00–17:00 days): 15–17 (2 h), Thu 2 and Fri 3 are
    # holidays, weekend, Monday 6 April 08:00–14:00 (6 h).
    eight = Term(8, TermUnit.BUSINESS_HOURS)
    assert eight.deadline(bogota(2026, 4, 1, 15, 0), CO) == bogota(2026, 4, 6, 14, 0)


# ---------------------------------------------------------------------- description and validation
@pytest.mark.parametrize(("term", "text"), [
    (Term(15), "15 días hábiles"),
    (Term(1), "1 día hábil"),
    (Term(5, TermUnit.CALENDAR_DAYS), "5 días calendario"),
    (Term(1, TermUnit.MONTHS), "1 mes"),
    (Term(2, "months"), "2 meses"),  # type: ignore[arg-type]
    (Term(48, TermUnit.CLOCK_HOURS), "48 horas"),
    (Term(8, TermUnit.BUSINESS_HOURS), "8 horas hábiles"),
])
def test_terms_describe_themselves_in_spanish(term: Term, text: str) -> None:
    assert term.describe() == text
    assert str(term) == text


@pytest.mark.parametrize("amount", [0, -3, True])
def test_a_term_is_a_positive_whole_number(amount: int) -> None:
    with pytest.raises(ValidationError, match="mayor que cero"):
        Term(amount)


@pytest.mark.parametrize("unit", list(TermUnit))
def test_naive_reception_instants_are_rejected(unit: TermUnit) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Term(3, unit).deadline(datetime(2026, 3, 20, 17, 30), CO)


# ---------------------------------------------------------------------- rules in time
PERMANENT = TermRule(Term(15), valid_from=date(2015, 6, 30),
                     source="Ley 1437 de 2011, art. 14 (Ley 1755 de 2015)")
# Decreto 491 de 2020 art. 5 lengthened petition terms during the COVID-19 emergency (30 days per our
# reference). Its real end date is unverified; this test rule is valid only in 2020.
COVID = TermRule(Term(30), valid_from=date(2020, 3, 28), valid_to=date(2020, 12, 31),
                 source="Decreto 491 de 2020, art. 5")


def test_a_temporary_rule_applies_only_to_cases_received_in_its_range() -> None:
    assert COVID.applies_on(date(2020, 5, 4))
    assert not COVID.applies_on(date(2023, 1, 10))
    assert not COVID.applies_on(date(2020, 3, 27))
    assert COVID.applies_on(date(2020, 12, 31))
    # 2021-01-01 03:00 UTC is still 31 December 2020 in Bogotá.
    assert COVID.applies_to(datetime(2021, 1, 1, 3, 0, tzinfo=UTC), CO)
    assert not COVID.applies_to(datetime(2021, 1, 1, 6, 0, tzinfo=UTC), CO)


def test_the_rule_in_force_most_recently_wins() -> None:
    rules = [PERMANENT, COVID]
    assert rule_for(rules, date(2020, 5, 4)) is COVID
    assert rule_for(rules, date(2023, 1, 10)) is PERMANENT
    assert rule_for(rules, date(2010, 1, 1)) is None
    # Monday 4 May 2020 + 30 business days under the temporary rule.
    received = bogota(2020, 5, 4, 9, 0)
    assert COVID.deadline(received, CO) == CO.end_of_day(CO.add_business_days(date(2020, 5, 4), 30))
    with pytest.raises(ValidationError):
        rule_for([COVID, TermRule(Term(20), valid_from=date(2020, 3, 28))], date(2020, 5, 4))
    with pytest.raises(ValidationError):
        TermRule(Term(1), valid_from=date(2020, 2, 1), valid_to=date(2020, 1, 1))


# ---------------------------------------------------------------------- extensions
def test_cpaca_extension_is_at_most_the_original_term() -> None:
    cpaca = Extension(source="Ley 1437 de 2011, art. 14 parágrafo")
    assert cpaca.max_extra(FIFTEEN) == 15
    assert cpaca.extend(FIFTEEN) == Term(30)
    assert cpaca.extend(FIFTEEN, 10) == Term(25)
    with pytest.raises(ValidationError, match="como máximo 15 días hábiles"):
        cpaca.extend(FIFTEEN, 16)
    with pytest.raises(ValidationError):
        cpaca.extend(FIFTEEN, 0)
    # Friday-20 case doubled: day 15 is Wed 15 Apr; Thu 16 (16) … Thu 30 (26), Fri 1 May holiday,
    # Mon 4 (27), Tue 5 (28), Wed 6 (29), Thu 7 May (30).
    assert cpaca.extend(FIFTEEN).deadline(bogota(2026, 3, 20, 17, 30), CO) == end_of(date(2026, 5, 7))


def test_fixed_extensions_as_in_ley_1581() -> None:
    consulta = Extension(max_amount=5)   # art. 14: 10 + 5 business days
    reclamo = Extension(max_amount=8)    # art. 15: 15 + 8 business days
    assert consulta.extend(Term(10)) == Term(15)
    assert reclamo.extend(Term(15)) == Term(23)
    with pytest.raises(ValidationError):
        consulta.extend(Term(10), 6)
    with pytest.raises(ValidationError):
        Extension(max_amount=0)


# ---------------------------------------------------------------------- properties
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 12, 31),
                        timezones=st.sampled_from([UTC, BOGOTA]))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(min_value=1, max_value=60))
def test_a_day_term_ends_at_the_end_of_a_business_day_after_reception(received: datetime, n: int) -> None:
    deadline = Term(n).deadline(received, CO)
    local = deadline.astimezone(BOGOTA)
    assert local.time() == time.max
    assert CO.is_business_day(local.date())
    assert CO.business_days_between(CO.reception_day(received), local.date()) == n
    assert deadline > received
    assert Term(n + 1).deadline(received, CO) > deadline


@settings(max_examples=100, deadline=None)
@given(instants, st.integers(min_value=1, max_value=24))
def test_a_month_term_ends_on_a_business_day_no_earlier_than_the_calendar_date(
        received: datetime, months: int) -> None:
    local = Term(months, TermUnit.MONTHS).deadline(received, CO).astimezone(BOGOTA)
    assert CO.is_business_day(local.date())
    nominal = add_months(CO.reception_day(received), months)
    assert nominal <= local.date() < nominal + timedelta(days=10)


# ---------------------------------------------------------------------- where the counting starts
def test_a_term_counted_from_the_day_of_receipt_ends_one_business_day_earlier() -> None:
    from_receipt = Term(10, start=TermStart.RECEPTION_DAY)
    received = bogota(2026, 3, 25, 15, 0)  # Wednesday
    # From the next day: 26 27 (2), 30 31 1 (5), [2 3], 6–10 (10) → Friday 10 April 2026.
    assert Term(10).deadline(received, CO) == end_of(date(2026, 4, 10))
    # From receipt: Wednesday 25 = day 1, 26 27 (3), 30 31 1 (6), [2 3], 6 7 8 9 (10) → Thursday 9 April.
    assert from_receipt.deadline(received, CO) == end_of(date(2026, 4, 9))
    # A prórroga keeps the start: 5 more → 10 13 14 15 16 → Thursday 16 April.
    assert from_receipt.plus(5) == Term(15, start=TermStart.RECEPTION_DAY)
    assert from_receipt.plus(5).deadline(received, CO) == end_of(date(2026, 4, 16))
    assert TermRule(from_receipt).start is TermStart.RECEPTION_DAY
    assert TermRule(Term(15)).start is TermStart.NEXT_DAY

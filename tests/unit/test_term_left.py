"""What a paused term has left turns into the deadline it would have if it resumed now, and back: the
order a listing reads paused cases in (by amount) is their order by resumed deadline."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.sla import Pause, shifted_deadline
from pqrs_core.domain.term_left import LeftUnit, TermLeft, left_at, left_for_due, resumed_due
from pqrs_core.domain.terms import Term, TermUnit

BOGOTA = ZoneInfo("America/Bogota")
CALENDAR = BusinessCalendar()
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA)  # Monday


@pytest.mark.parametrize("term", [Term(15), Term(20, TermUnit.CALENDAR_DAYS), Term(1, TermUnit.MONTHS),
                                  Term(30, TermUnit.BUSINESS_HOURS), Term(72, TermUnit.CLOCK_HOURS)])
@pytest.mark.parametrize("resumed", [datetime(2026, 3, 10, 15, 30, tzinfo=BOGOTA),
                                     datetime(2026, 3, 28, 10, 0, tzinfo=BOGOTA),  # a Saturday
                                     datetime(2026, 6, 16, 8, 0, tzinfo=BOGOTA)])
def test_the_resumed_deadline_is_the_one_the_term_gets_when_it_resumes(term: Term, resumed: datetime) -> None:
    paused = datetime(2026, 3, 4, 11, 0, tzinfo=BOGOTA)
    due = term.deadline(RECEIVED, CALENDAR)
    left = left_at(term, due, paused, CALENDAR)

    expected = shifted_deadline(term, RECEIVED, CALENDAR, (Pause(paused, resumed),))
    assert resumed_due(left, resumed, CALENDAR) == expected


@pytest.mark.parametrize("unit", list(LeftUnit))
def test_the_amount_for_a_deadline_inverts_the_resumed_deadline(unit: LeftUnit) -> None:
    now = datetime(2026, 3, 21, 10, 0, tzinfo=BOGOTA)  # a Saturday
    scale = 3_600_000_000 if unit in (LeftUnit.BUSINESS_TIME, LeftUnit.CLOCK_TIME) else 1
    for amount in (1, 2, 7, 40):
        due = resumed_due(TermLeft(amount * scale, unit), now, CALENDAR)
        assert left_for_due(unit, due, now, CALENDAR) == amount * scale
        assert left_for_due(unit, due - timedelta(microseconds=1), now, CALENDAR) < amount * scale


def test_a_day_term_paused_with_three_days_left_resumes_three_business_days_after_today() -> None:
    now = datetime(2026, 6, 10, 11, 0, tzinfo=BOGOTA)  # Wednesday
    assert resumed_due(TermLeft(3, LeftUnit.BUSINESS_DAYS), now, CALENDAR) == CALENDAR.end_of_day(
        date(2026, 6, 16))  # Monday 15 June is a holiday (Sagrado Corazón)

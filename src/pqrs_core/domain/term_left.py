"""The time a paused term has left, and the deadline it would have if it resumed at a given instant.

While the requester owes information the term does not run, so its stored deadline goes stale: what a
person needs is the business time that was left when the clock stopped. How that time turns back into a
deadline depends on how the term resumes (``case_terms.clock_events``, ``sla.shifted_deadline``):

- day terms (business days, calendar days, months) are pushed back by the business days the pause
  covered, so what is left is a number of business days (``BUSINESS_DAYS``);
- business-hour terms are pushed back by the working time the pause covered (``BUSINESS_TIME``, in
  microseconds of working time);
- clock-hour terms by the elapsed time (``CLOCK_TIME``, in microseconds);
- an incomplete petition (Ley 1755 de 2015 art. 17) does not resume: its whole term starts again when
  the missing items arrive, so what is left is the whole term, in the term's own unit (``RESTART_*``).

For each unit ``resumed_due`` is strictly increasing in the amount, which is what lets a listing order
paused cases by the amount they have left (an index) and compare them with the running cases' deadlines.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from .calendar import BusinessCalendar
from .terms import Term, TermUnit
from .workflow import StateCategory

if TYPE_CHECKING:
    from .case import Case


class LeftUnit(enum.StrEnum):
    BUSINESS_DAYS = "business_days"
    BUSINESS_TIME = "business_us"
    CLOCK_TIME = "clock_us"
    RESTART_BUSINESS_DAYS = "restart_business_days"
    RESTART_CALENDAR_DAYS = "restart_calendar_days"
    RESTART_MONTHS = "restart_months"
    RESTART_BUSINESS_HOURS = "restart_business_hours"
    RESTART_CLOCK_HOURS = "restart_clock_hours"

    @property
    def restart_unit(self) -> TermUnit | None:
        """The term unit a restarting term counts in (``None`` for a term that resumes)."""
        prefix = "restart_"
        return TermUnit(self.value[len(prefix):]) if self.value.startswith(prefix) else None


_DAY_UNITS = (TermUnit.BUSINESS_DAYS, TermUnit.CALENDAR_DAYS, TermUnit.MONTHS)
_MICROSECOND = timedelta(microseconds=1)


@attrs.frozen
class TermLeft:
    """What a paused term has left: ``amount`` of ``unit`` (negative when it paused already overdue)."""

    amount: int
    unit: LeftUnit = attrs.field(converter=LeftUnit)

    @property
    def duration(self) -> timedelta | None:
        """The time left as a duration, for the units measured in time (``None`` for days)."""
        if self.unit in (LeftUnit.BUSINESS_TIME, LeftUnit.CLOCK_TIME):
            return self.amount * _MICROSECOND
        return None

    @property
    def term(self) -> Term | None:
        """The whole term that starts again, for a restarting term."""
        unit = self.unit.restart_unit
        return Term(max(self.amount, 1), unit) if unit is not None else None


def left_at(term: Term, due: datetime, at: datetime, calendar: BusinessCalendar) -> TermLeft:
    """What a term due at ``due`` has left when its clock stops at ``at``."""
    if term.unit in _DAY_UNITS:
        days = calendar.business_days_between(calendar.local_date(at), calendar.local_date(due))
        return TermLeft(days, LeftUnit.BUSINESS_DAYS)
    if term.unit is TermUnit.CLOCK_HOURS:
        return TermLeft((due - at) // _MICROSECOND, LeftUnit.CLOCK_TIME)
    return TermLeft(calendar.business_time_between(at, due) // _MICROSECOND, LeftUnit.BUSINESS_TIME)


def restarting(term: Term, extended_by: int) -> TermLeft:
    """What an incomplete petition has left: its whole term (with its extension), counted again."""
    return TermLeft(term.amount + extended_by, LeftUnit(f"restart_{term.unit.value}"))


def left_while_paused(case: Case, due: datetime, calendar: BusinessCalendar) -> TermLeft | None:
    """What ``case``'s term, due at ``due``, has left while its clock is stopped (``None`` when it runs)."""
    if case.term is None or not case.pauses or case.pauses[-1].end is not None:
        return None
    if case.completion_due is not None:
        return restarting(case.term, case.extended_by)
    return left_at(case.term, due, case.pauses[-1].start, calendar)


def paused_left(case: Case, calendar: BusinessCalendar | None) -> TermLeft | None:
    """What ``case`` has left while its term is paused, ``None`` while it runs (or has no term). The
    snapshot keeps it from the events; a case stored before they recorded it has it derived here from
    its deadline and the start of its pause."""
    if (case.state_category is not StateCategory.WAITING or case.resolution_due is None
            or case.term is None or not case.pauses or case.pauses[-1].end is not None):
        return None
    if case.paused_left is not None:
        return case.paused_left
    return left_while_paused(case, case.resolution_due, calendar) if calendar is not None else None


def resumed_due(left: TermLeft, now: datetime, calendar: BusinessCalendar) -> datetime:
    """The deadline a paused term with ``left`` would have if it resumed (or, under art. 17, started
    again) at ``now``."""
    restart = left.term
    if restart is not None:
        return restart.deadline(now, calendar)
    if left.unit is LeftUnit.CLOCK_TIME:
        return now.astimezone(UTC) + left.amount * _MICROSECOND
    if left.unit is LeftUnit.BUSINESS_TIME:
        return _business_offset(now, left.amount, calendar)
    # The resumed deadline is the business day whose rank is today's plus the days left (the same
    # rank ``shifted_deadline`` reaches by pushing the old deadline back by the days of the pause).
    today = calendar.local_date(now)
    n = left.amount
    if n < 0 and not calendar.is_business_day(today):
        n -= 1  # counting backwards, ``add_business_days`` already steps over today
    return calendar.end_of_day(calendar.add_business_days(today, n))


def _business_offset(instant: datetime, microseconds: int, calendar: BusinessCalendar) -> datetime:
    """The instant ``microseconds`` of working time after ``instant`` (before it, when negative)."""
    if microseconds >= 0:
        return calendar.add_business_hours(instant, microseconds * _MICROSECOND)
    wanted = -microseconds * _MICROSECOND
    anchor = instant - wanted
    while calendar.business_time_between(anchor, instant) < wanted:
        anchor -= max(wanted, timedelta(days=7))
    return calendar.add_business_hours(anchor, calendar.business_time_between(anchor, instant) - wanted)


def left_for_due(unit: LeftUnit, instant: datetime, now: datetime, calendar: BusinessCalendar) -> int:
    """The largest amount of ``unit`` whose ``resumed_due`` at ``now`` is not after ``instant`` (the
    inverse a keyset cursor needs: a paused case is after ``instant`` exactly when its amount is
    greater, or equal with ``resumed_due`` equal to ``instant`` and its tie-breakers after). For a
    restarting term with no such amount, 0."""
    def due(amount: int) -> datetime:
        return resumed_due(TermLeft(amount, unit), now, calendar)

    restart = unit.restart_unit is not None
    step = 1_000_000 if unit in (LeftUnit.BUSINESS_TIME, LeftUnit.CLOCK_TIME) else 1  # a second, a unit
    low = 1 if restart else 0
    if due(low) > instant:
        if restart:
            return 0
        high, low = low, low - step
        while due(low) > instant:  # widen downwards
            high, step = low, step * 2
            low = high - step
    else:
        high = low + step
        while due(high) <= instant:  # widen upwards
            low, step = high, step * 2
            high = low + step
    while high - low > 1:  # due(low) <= instant < due(high)
        middle = (low + high) // 2
        if due(middle) <= instant:
            low = middle
        else:
            high = middle
    return low

"""The stored answer times read back through whole microseconds (``report_count_queries``): hours made
as ``reports.answer_times`` makes them, multiplied back into microseconds and rounded, give the same
microseconds, which divided as it divides give the same hours, bit for bit."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from pqrs_adapters.sqlalchemy.report_count_queries import _MICROSECONDS_PER_HOUR, _hours

# The trip takes three roundings of a double, each off by at most 2**-53 of the value: exact while the
# microseconds stay below about 2**50 (35 years of business time, far past any term); 2**49 here.
MICROSECONDS = st.integers(min_value=0, max_value=2**49)


@given(MICROSECONDS)
def test_hours_survive_the_trip_through_microseconds(microseconds: int) -> None:
    hours = timedelta(microseconds=microseconds).total_seconds() / 3600
    back = round(hours * _MICROSECONDS_PER_HOUR)  # what the databases compute, in the same doubles
    assert back == microseconds
    assert _hours(str(back)) == [hours]
    assert _hours(f"{back},{back},{back}") == [hours] * 3


def test_joined_microseconds_read_as_hours() -> None:
    assert _hours(None) == []
    assert _hours("") == []
    assert _hours("0,5400000000,1") == [0.0, 1.5, 1 / 1e6 / 3600]
    # A cell of alike cases is written once per case (``replace(hex(zeroblob(n)), ...)``).
    assert _hours("5400000000,1800000000,1800000000,0") == [1.5, 0.5, 0.5, 0.0]

"""An internal request's dates are the organisation's, even before the catalog has its calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import Actor, FilingNumber
from pqrs_core.testing import in_memory_pqrs

from .support import file_command

# 21:00 in Bogotá on Tuesday 3 March, as the clock gives it: already Wednesday 4 March in UTC.
EVENING = datetime.fromisoformat("2026-03-03T21:00:00-05:00").astimezone(UTC)
AGENT = Actor("ana", frozenset({"agent"}), queues=frozenset({"primer_nivel"}))


def _request(due: date) -> Case:
    catalog = in_memory_pqrs().catalog()
    case = Case.file(file_command(), catalog=catalog, case_id="id", number=FilingNumber("PQRS", 2026, 1),
                     actor=AGENT, now=EVENING)
    without_calendar = attrs.evolve(catalog, calendar=None)
    case.request_internal("r1", queue="back_office", text="¿Saldo?", due=due, catalog=without_calendar,
                          actor=AGENT, now=EVENING, timezone="America/Bogota")
    return case


def test_today_in_bogota_is_a_valid_due_date_when_utc_is_already_tomorrow() -> None:
    case = _request(date(2026, 3, 3))
    [asked] = case.internal_requests
    assert asked.due == date(2026, 3, 3)


def test_yesterday_in_bogota_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        _request(date(2026, 3, 2))
    assert "anterior a hoy" in refused.value.errors["due"]

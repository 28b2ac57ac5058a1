"""A documents request not answered within its 10 business days is deemed granted and the copies are
due within 3 more (CPACA art. 14 num. 1): the case shows that new term. Hand-counted in comments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.deemed_granted import deemed_granted
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
CAL = BusinessCalendar()
AGENT = staff("ana", "agent")


def end_of(day: date) -> datetime:
    return CAL.end_of_day(day)


@pytest.mark.parametrize(("received", "due", "copies"), [
    # Received Friday 26 June 2026; Monday 29 June is San Pedro y San Pablo: day 1 Tuesday 30 June,
    # 1 2 3 (4), 6–10 (9), Monday 13 July is the Ley 2578 de 2026 holiday, Tuesday 14 (10).
    # Copies: 15 16 17 → Friday 17 July 2026.
    (datetime(2026, 6, 26, 10, 0, tzinfo=BOGOTA), date(2026, 7, 14), date(2026, 7, 17)),
    # Received Wednesday 9 December 2026: 10 11 (2), 14–18 (7), 21 22 23 (10) → Wednesday 23 December.
    # Copies: 24 (1), Friday 25 is Christmas, 28 (2), 29 (3) → Tuesday 29 December 2026.
    (datetime(2026, 12, 9, 10, 0, tzinfo=BOGOTA), date(2026, 12, 23), date(2026, 12, 29)),
    # Received Friday 20 March 2026: San José Monday 23, day 1 Tuesday 24 … Holy Thursday and Good Friday
    # skipped … day 10 Wednesday 8 April. Copies: 9 10 13 → Monday 13 April 2026.
    (datetime(2026, 3, 20, 10, 0, tzinfo=BOGOTA), date(2026, 4, 8), date(2026, 4, 13)),
])
def test_a_missed_documents_request_shows_the_three_days_for_the_copies(received, due, copies):
    pqrs = in_memory_pqrs(load_entry_points=True, at=received)
    case = pqrs.handle(FileCase(kind="solicitud_documentos", subject="Copias", description="Copia del acta"),
                       AGENT)
    number = str(case.filing_number)
    assert case.resolution_due == end_of(due)
    # While the 10 days run, nothing is deemed granted.
    assert deemed_granted(case, pqrs.catalog(), pqrs.deps.clock.now()) is None
    assert not any("Venció el término sin respuesta" in line for line in pqrs.explain_term(number).lines)

    pqrs.deps.clock.set(end_of(due) + timedelta(minutes=1))  # the first minute after the deadline
    granted = deemed_granted(pqrs.case(number), pqrs.catalog(), pqrs.deps.clock.now())
    assert granted is not None and granted.due == end_of(copies)
    lines = pqrs.explain_term(number).lines
    assert any("Venció el término sin respuesta" in line and copies.strftime("%d/%m/%Y") in line
               and "art. 14 num. 1" in line for line in lines)


def test_a_petition_missed_is_not_deemed_granted():
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2026, 3, 20, 10, 0, tzinfo=BOGOTA))
    case = pqrs.handle(FileCase(kind="peticion", subject="Certificado", description="Solicito"), AGENT)
    assert case.resolution_due is not None
    pqrs.deps.clock.set(case.resolution_due + timedelta(days=1))
    assert deemed_granted(pqrs.case(str(case.filing_number)), pqrs.catalog(), pqrs.deps.clock.now()) is None

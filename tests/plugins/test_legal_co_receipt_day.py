"""Terms the law counts from the date of receipt: day 1 is the reception day itself, not the next
business day. Ley 1581 de 2012 art. 14 (habeas data consulta, 10 + 5 business days, «a partir de la
fecha de recibo») and Decreto-Ley 2150 de 1995 art. 123 (home utilities, 15 business days, «a partir de
la fecha de su presentación»), unlike Ley 1581 art. 15 (reclamo, «a partir del día siguiente»).

Every expected deadline is counted by hand in a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.terms import Term, TermStart
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
CAL = BusinessCalendar()
AGENT = staff("ana", "agent")


def end_of(y: int, m: int, d: int) -> datetime:
    return CAL.end_of_day(date(y, m, d))


def _file(received: datetime, kind: str, **fields):
    pqrs = in_memory_pqrs(load_entry_points=True, at=received)
    case = pqrs.handle(FileCase(kind=kind, subject="Solicitud", description="Texto", **fields), AGENT)
    return pqrs, case


def test_a_home_utility_petition_counts_from_its_filing_day_over_the_ley_2578_monday():
    _pqrs, case = _file(datetime(2026, 7, 10, 9, 0, tzinfo=BOGOTA), "peticion",
                        typification="SERVICIOS_PUBLICOS")
    # Filed Friday 10 July 2026 = day 1; Monday 13 July is the Ley 2578 de 2026 holiday; 14 15 16 17 (5);
    # Monday 20 July is Independence Day; 21 22 23 24 (9); 27 28 29 30 31 (14); Monday 3 August (15).
    assert case.term == Term(15, start=TermStart.RECEPTION_DAY)
    assert case.resolution_due == end_of(2026, 8, 3)


def test_a_habeas_data_consulta_counts_from_its_receipt_over_the_year_end():
    pqrs, case = _file(datetime(2026, 12, 29, 16, 0, tzinfo=BOGOTA), "habeas_data_consulta")
    # Received Tuesday 29 December 2026 = day 1; 30 (2), 31 (3); Friday 1 January is a holiday; 4 5 6 7 8
    # (8); Monday 11 January is Reyes (moved from the 6th); 12 (9), 13 (10) → Wednesday 13 January 2027.
    assert case.resolution_due == end_of(2027, 1, 13)
    lines = pqrs.explain_term(str(case.filing_number)).lines
    assert any("contado desde el día de la recepción" in line for line in lines)


def test_a_consulta_received_on_a_holiday_counts_from_the_next_business_day():
    _pqrs, case = _file(datetime(2026, 4, 2, 11, 0, tzinfo=BOGOTA), "habeas_data_consulta")
    # Received Holy Thursday 2 April 2026: it counts as received Monday 6 April = day 1; 7 8 9 10 (5);
    # 13 14 15 16 17 (10) → Friday 17 April 2026.
    assert case.resolution_due == end_of(2026, 4, 17)


@pytest.mark.parametrize(("kind", "due"), [
    # Ley 1581 art. 15 still counts from the day after: day 1 is Monday 6 April (Semana Santa skipped
    # after receipt on Wednesday 1 April); 6–10 (5), 13–17 (10), 20–24 (15) → Friday 24 April 2026.
    ("habeas_data_reclamo", (2026, 4, 24)),
    # Ley 1581 art. 14 counts from receipt: Wednesday 1 April = day 1; 6–10 (6), 13 14 15 16 (10)
    # → Thursday 16 April 2026.
    ("habeas_data_consulta", (2026, 4, 16)),
])
def test_over_semana_santa_receipt_day_and_next_day_terms_differ(kind, due):
    _pqrs, case = _file(datetime(2026, 4, 1, 10, 0, tzinfo=BOGOTA), kind)
    assert case.resolution_due == end_of(*due)

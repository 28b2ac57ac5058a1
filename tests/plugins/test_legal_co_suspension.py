"""Home utilities (Decreto-Ley 2150 de 1995 art. 123): the 15 business days do not run while evidence
is gathered or when the user caused the delay. Staff record the cause and end it; meanwhile the case
raises no alarm and never reads as overdue (no positive silence is flagged), and at the end the
deadline moves back by the business days the suspension covered.

Every expected deadline is counted by hand in a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.case_terms import reading
from pqrs_core.domain.errors import InvalidOperation, ValidationError
from pqrs_core.domain.events import CaseEscalated, TermAlarmRaised
from pqrs_core.domain.sla import TermStatus
from pqrs_core.domain.term_explanation import explain_term
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import FrozenClock, in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
AGENT = staff("ana", "agent")
BACK_OFFICE = staff("beto", "back_office")


def _at(pqrs: Pqrs, *when: int) -> datetime:
    clock = pqrs.deps.clock
    assert isinstance(clock, FrozenClock)
    clock.set(datetime(*when, 10, tzinfo=BOGOTA))  # type: ignore[misc]
    return clock.now()


def _filed(**filing: str) -> tuple[Pqrs, str]:
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2026, 4, 1, 10, tzinfo=BOGOTA))
    case = pqrs.handle(c.FileCase(subject="Factura", description="Me cobraron un consumo que no hice",
                                  **filing), AGENT)
    return pqrs, str(case.filing_number)


def _local_due(pqrs: Pqrs, n: str) -> date:
    due = pqrs.case(n).resolution_due
    assert due is not None
    return due.astimezone(BOGOTA).date()


def test_evidence_gathering_stops_a_utility_term_without_flagging_positive_silence() -> None:
    pqrs, n = _filed(kind="reclamo", typification="SERVICIOS_PUBLICOS")
    # Received Wed 1 Apr 2026, day 1 itself (counted from the date of filing, Decreto-Ley 2150 art. 123);
    # Holy Thursday 2 and Good Friday 3 are holidays; 6–10 (6), 13–17 (11), 20–23 (15) → Thursday 23 April.
    assert pqrs.case(n).term_policy == "co_servicios_publicos" and _local_due(pqrs, n) == date(2026, 4, 23)

    _at(pqrs, 2026, 4, 8)  # Wednesday 8, day 4: 11 days left
    pqrs.handle(c.SuspendTerm(filing_number=n, cause="practica_pruebas",
                              reason="Visita técnica para revisar el medidor"), BACK_OFFICE)
    later = _at(pqrs, 2026, 4, 27)  # the old deadline has passed while the evidence is gathered
    pqrs.sweep()
    case = pqrs.case(n)
    assert not [e for e in pqrs.history(n) if isinstance(e, TermAlarmRaised | CaseEscalated)]
    now = reading(case, pqrs.catalog(), later)
    assert now is not None and now.status is TermStatus.PAUSED

    _at(pqrs, 2026, 4, 28)  # Tuesday 28: the evidence is in
    pqrs.handle(c.EndTermSuspension(filing_number=n), BACK_OFFICE)
    # The 11 days left run from Wed 29 Apr: 29, 30 (2); Fri 1 May is Labour Day; 4–8 (7); 11–14 (11)
    # → Thursday 14 May 2026.
    assert _local_due(pqrs, n) == date(2026, 5, 14)
    text = "\n".join(explain_term(pqrs.history(n), BOGOTA))
    assert "término suspendido por práctica de pruebas: Visita técnica para revisar el medidor" in text
    assert "Decreto-Ley 2150 de 1995 art. 123" in text and "silencio administrativo positivo" in text


def test_a_delay_the_user_caused_stops_a_recurso_and_only_staff_end_it() -> None:
    pqrs, n = _filed(kind="recurso_reposicion")
    assert pqrs.case(n).term_policy == "co_recurso_reposicion"
    pqrs.handle(c.SuspendTerm(filing_number=n, cause="demora_usuario", reason="No permitió la visita"),
                BACK_OFFICE)
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.SuspendTerm(filing_number=n, cause="practica_pruebas", reason="Otra"), BACK_OFFICE)
    case = pqrs.case(n)
    assert case.next_alarm_at is None and case.pauses[-1].cause == "demora_usuario"


def test_a_general_petition_term_cannot_be_suspended_and_the_field_is_named() -> None:
    pqrs, n = _filed(kind="peticion")
    with pytest.raises(ValidationError) as raised:
        pqrs.handle(c.SuspendTerm(filing_number=n, cause="practica_pruebas", reason="Pruebas"), BACK_OFFICE)
    assert set(raised.value.errors) == {"cause"}
    with pytest.raises(ValidationError) as unknown:
        pqrs.handle(c.SuspendTerm(filing_number=n, cause="vacaciones", reason="x"), BACK_OFFICE)
    assert set(unknown.value.errors) == {"cause"}
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.EndTermSuspension(filing_number=n), BACK_OFFICE)

"""A counter-response that reopens a case is, in law, a new request: a new petition under the case's
own term (CPACA arts. 13 and 19), or for a home-utility company a recurso de reposición (Ley 142 de
1994 art. 154) with its 15 business days. The new term follows that rule and the explanation of the
deadline says so.

Every expected deadline is counted by hand in a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.term_explanation import explain_term
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import FrozenClock, in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
AGENT = staff("ana", "agent")
BACK_OFFICE = staff("beto", "back_office")


def _reopened(**filing: str) -> tuple[Pqrs, Case]:
    """Received Wed 1 Jul 2026, answered Thu 9 Jul, the requester disagrees on Fri 10 Jul at 10:00."""
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2026, 7, 1, 10, tzinfo=BOGOTA))
    clock = pqrs.deps.clock
    assert isinstance(clock, FrozenClock)
    n = str(pqrs.handle(c.FileCase(subject="Factura", description="Me cobraron dos veces", **filing),
                        AGENT).filing_number)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    clock.set(datetime(2026, 7, 9, 10, tzinfo=BOGOTA))
    pqrs.handle(c.RespondCase(filing_number=n, text="Corregimos la factura"), BACK_OFFICE)
    clock.set(datetime(2026, 7, 10, 10, tzinfo=BOGOTA))
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No estoy de acuerdo"), BACK_OFFICE)
    assert isinstance(case, Case) and case.is_open
    return pqrs, case


def _explained(pqrs: Pqrs, case: Case) -> str:
    return "\n".join(explain_term(pqrs.history(str(case.filing_number)), BOGOTA))


# 15 business days from the counter-response of Friday 10 July 2026: Monday 13 is the Virgen de
# Chiquinquirá (Ley 2578 de 2026), so day 1 is Tuesday 14; 14–17 (4); Monday 20 July is Independence
# Day; 21–24 (8); 27–31 (13); Mon 3 Aug (14), Tue 4 Aug (15) → Tuesday 4 August 2026.
NEW_TERM_ENDS = date(2026, 8, 4)
# A recurso counts "a partir de la fecha de su presentación" (Ley 142 de 1994 art. 158; Decreto-Ley 2150
# de 1995 art. 123): day 1 is Friday 10 July itself; 14–17 (5); 21–24 (9); 27–31 (14); Mon 3 Aug (15).
RECURSO_TERM_ENDS = date(2026, 8, 3)


def test_a_counter_response_to_a_petition_is_a_new_petition_with_the_cases_own_term() -> None:
    pqrs, case = _reopened(kind="peticion")
    assert case.term_policy == "co_peticion_general"
    assert case.resolution_due is not None
    assert case.resolution_due.astimezone(BOGOTA).date() == NEW_TERM_ENDS
    text = _explained(pqrs, case)
    assert "se tramita como una nueva petición" in text and "CPACA) arts. 13 y 19" in text


def test_a_counter_response_to_a_home_utility_is_a_recurso_de_reposicion() -> None:
    pqrs, case = _reopened(kind="reclamo", typification="SERVICIOS_PUBLICOS")
    assert case.term_policy == "co_recurso_reposicion"
    assert case.resolution_due is not None
    assert case.resolution_due.astimezone(BOGOTA).date() == RECURSO_TERM_ENDS
    text = _explained(pqrs, case)
    assert "se tramita con el término de «Recurso de reposición" in text
    assert "Ley 142 de 1994 art. 154" in text

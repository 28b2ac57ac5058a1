"""The demo's routing, applied after its history is played (so that the history stays the supervisor's
hand distribution): Back office hands out by skills, with Valeria skilled in invoice errors («cobro
doble» and the like) and Bruno away this week; the specialists by least load; the first line stays
manual (the supervisor distributes, seed 002). Two back-office cases ask the first line for something
(internal requests): one answered, one pending."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pqrs_core.domain.commands import AnswerInternal, RequestInternal
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

ADMIN = Actor("demo", frozenset({"admin"}))
BACK_OFFICE_ACTOR = Actor("bruno.backoffice", frozenset({"back_office"}), queues=frozenset({"back_office"}))
FIRST_LINE_ACTOR = Actor("ana.agente", frozenset({"agent"}), queues=frozenset({"primer_nivel"}))
BILLING = "ERROR_EN_LIQUIDACION_DE_LA_FACTURA"  # seed 003: «Error en liquidación de la factura»
POLICIES = {"back_office": ("skills", 25), "especialistas": ("least_loaded", None),
            "primer_nivel": ("manual", None)}


def configure_demo_assignment(pqrs: Pqrs, today: date) -> None:
    """Queue strategies, Valeria's skills and Bruno's absence (from two days ago to five days ahead)."""
    admin = pqrs.assignment_admin
    queues = {q.code for q in pqrs.catalog().queues}
    for queue, (strategy, cap) in POLICIES.items():
        if queue in queues:
            admin.set_policy(queue, strategy, cap, ADMIN)
    typifications = [BILLING] if BILLING in pqrs.catalog().typifications else []
    admin.set_profile("valeria.backoffice", typifications=typifications, kinds=["reclamo"], actor=ADMIN)
    if not admin.agent("bruno.backoffice").absences:
        admin.add_absence("bruno.backoffice", today - timedelta(days=2), today + timedelta(days=5),
                          "Vacaciones", ADMIN)


ASKS = (("Confirme con el cliente por teléfono la dirección de entrega y el horario en que recibe.",
         "El cliente confirma la dirección registrada; recibe de lunes a viernes de 8 a 12."),
        ("¿El cliente tiene pagos pendientes o notas crédito abiertas?", None))


def add_demo_internal_requests(pqrs: Pqrs, now: datetime) -> list[str]:
    """Two open back-office cases ask the first line for something: one answered, one pending. Returns
    their filing numbers."""
    calendar = pqrs.catalog().calendar
    assert calendar is not None
    today = calendar.local_date(now)
    query = CaseQuery(queues=("back_office",), state_categories=(StateCategory.TODO, StateCategory.DOING),
                      sort="oldest", limit=50)
    asked: list[str] = []
    for case in pqrs.cases(query).cases:
        if len(asked) == len(ASKS):
            break
        if case.resolution_due is None:  # a term paused or not started: nothing to fall due inside
            continue
        legal_end = calendar.local_date(case.resolution_due)
        due = min(calendar.add_business_days(today, 2), legal_end)
        if due < today or case.internal_requests:
            continue
        text, answer = ASKS[len(asked)]
        number = str(case.filing_number)
        done = pqrs.handle(RequestInternal(filing_number=number, queue="primer_nivel", text=text, due=due),
                           BACK_OFFICE_ACTOR)
        if answer is not None:
            pqrs.handle(AnswerInternal(filing_number=number, request_id=done.internal_requests[-1].id,
                                       answer=answer), FIRST_LINE_ACTOR)
        asked.append(number)
    return asked

"""Shared actors and helpers for the unit tests (pure core on the in-memory adapters)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import FieldDefinition, FieldType
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule, TermUnit
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import staff

# Monday 2 March 2026, 09:00 in Bogotá (the FrozenClock default).
MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

AGENT = staff("ana", "agent")  # front-line agent (asesor SAC), files cases
OTHER_AGENT = staff("andres", "agent")
SUPERVISOR = staff("sol", "supervisor")  # divides and hands out the filed cases
BACK_OFFICE = staff("beto", "back_office")  # reviews typification, answers
QUALITY = staff("quinn", "quality")
REQUESTER = staff("carla", "requester")  # the peticionaria on the public side
ADMIN = staff("root", "admin")

COMPLETE_PERSON = Requester(
    kind=RequesterKind.PERSON, full_name="Carla Gómez", document_type="CC", document_number="1020304050",
    address="Calle 10 # 20-30, Bogotá", email="carla@example.com", phone="+57 300 123 4567",
    user="carla",
)


def clock_of(pqrs: Pqrs) -> FrozenClock:
    return cast(FrozenClock, pqrs.deps.clock)


def file_command(**overrides: Any) -> c.FileCase:
    data: dict[str, Any] = {
        "kind": "queja", "subject": "Pedido llegó incompleto",
        "description": "Faltan dos unidades del producto facturado.", "requester": COMPLETE_PERSON,
        "channel": "phone",
    }
    data.update(overrides)
    return c.FileCase(**data)


def file(pqrs: Pqrs, actor: Any = AGENT, **overrides: Any) -> Case:
    case = pqrs.handle(file_command(**overrides), actor)
    assert isinstance(case, Case)
    return case


def number(case: Case) -> str:
    return str(case.filing_number)


def event_names(pqrs: Pqrs, filing_number: str) -> list[str]:
    return [e.name for e in pqrs.history(filing_number)]


class LogisticsFields:
    """A small plugin: custom fields of the kind seed 000's «módulo Estudio» adds."""

    # Registered as the class itself (pluggy names it «LogisticsFields»), so the hook takes no self.
    @hookimpl
    def pqrs_register_field_definitions(register: Register) -> None:
        register(FieldDefinition("lote", "Lote", FieldType.TEXT, max_length=10))
        register(FieldDefinition("unidades", "Unidades afectadas", FieldType.INTEGER))
        register(FieldDefinition("monto", "Monto reclamado", FieldType.DECIMAL))
        register(FieldDefinition("fecha_entrega", "Fecha de entrega", FieldType.DATE))
        register(FieldDefinition("recurrente", "Cliente recurrente", FieldType.BOOLEAN))
        register(FieldDefinition("transportadora", "Transportadora", FieldType.CHOICE,
                                 choices=("servientrega", "coordinadora", "propia")))
        register(FieldDefinition("numero_guia", "Número de guía", required=True, kinds=("reclamo",)))


class GeneralTerms:
    """A small plugin: the general petition term (CPACA art. 14: 15 business days) and a shorter one
    for complaints of top priority, with a first-response term."""

    @hookimpl
    def pqrs_register_term_policies(register: Register) -> None:
        register(TermPolicy("general", "Petición general",
                            (TermRule(Term(15), source="Ley 1755 de 2015 art. 14"),)))
        register(TermPolicy("bloqueante", "Prioridad bloqueante", (TermRule(Term(5)),),
                            first_response=(TermRule(Term(8, TermUnit.BUSINESS_HOURS)),),
                            priorities=("bloqueante",), suspension_causes=("practica_pruebas",)))

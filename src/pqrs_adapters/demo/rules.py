"""The demo's routing: a few rules that read naturally and the defaults of one typification, set up
after the demo's history is played (the cases already there keep the story they had; the cases filed
from then on are routed without anyone touching them).

A new reclamo about a «cobro doble» lands in Back office with priority Alta (and the assignment
strategy of its queue chooses who answers it); tutelas go to the specialists at once; a case whose
requester writes again is tagged for its assignee; a case at 80 % of its term without an answer is
escalated following its queue's policy.
"""

from __future__ import annotations

import attrs

from pqrs_core.domain.routing_defaults import TypificationDefaults
from pqrs_core.domain.rules import Action, ActionKind, Condition, Operator, Rule, Trigger
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

DEMO_ADMIN = Actor("demo", frozenset({"admin"}))

DEMO_RULES = (
    Rule(code="COBRO_DOBLE", name="Cobro doble a back office", trigger=Trigger.FILED, enabled=True,
         conditions=(Condition("kind", Operator.IS, "reclamo"),
                     Condition("text", Operator.CONTAINS, "cobro doble")),
         actions=(Action(ActionKind.SET_QUEUE, "back_office"), Action(ActionKind.SET_PRIORITY, "alta"),
                  Action(ActionKind.ADD_TAG, "Facturación"))),
    Rule(code="TUTELAS", name="Tutelas a especialistas", trigger=Trigger.FILED, enabled=True, stop=True,
         conditions=(Condition("text", Operator.CONTAINS, "tutela"),),
         actions=(Action(ActionKind.SET_QUEUE, "especialistas"),
                  Action(ActionKind.SET_PRIORITY, "bloqueante"),
                  Action(ActionKind.ADD_NOTE,
                         "Posible acción de tutela: revisar el término que fije el juez."),
                  Action(ActionKind.NOTIFY, "role:supervisor"))),
    Rule(code="FRAUDE", name="Suplantación a especialistas", trigger=Trigger.FILED, enabled=True,
         conditions=(Condition("typification", Operator.UNDER, "FRAUDE_SUPLANTACION_DE_IDENTIDAD"),),
         actions=(Action(ActionKind.SET_QUEUE, "especialistas"), Action(ActionKind.ADD_TAG, "Fraude"))),
    Rule(code="PETICIONARIO_ESCRIBE", name="El peticionario volvió a escribir", enabled=True,
         trigger=Trigger.REQUESTER_MESSAGE,
         actions=(Action(ActionKind.ADD_TAG, "Respondió el peticionario"),)),
    Rule(code="OCHENTA_POR_CIENTO", name="Al 80 % del término, prioridad alta", enabled=True,
         trigger=Trigger.TERM_FRACTION, fraction=0.8,
         conditions=(Condition("priority", Operator.IN, "media,baja"),),
         actions=(Action(ActionKind.SET_PRIORITY, "alta"),
                  Action(ActionKind.ADD_NOTE, "El caso llegó al 80 % de su término sin respuesta."))),
)


def create_demo_routing(pqrs: Pqrs) -> list[Rule]:
    """Store the demo's rules (those the catalog does not have yet) and the defaults of the invoicing
    typification; returns the rules stored."""
    admin = pqrs.routing_admin
    have = {r.code for r in pqrs.catalog().rules}
    stored = []
    for position, rule in enumerate(DEMO_RULES, start=1):
        if rule.code not in have:
            stored.append(admin.save_rule(attrs.evolve(rule, position=position), DEMO_ADMIN))
    if "ERROR_EN_LIQUIDACION_DE_LA_FACTURA" in pqrs.catalog().typifications:
        admin.set_typification_defaults("ERROR_EN_LIQUIDACION_DE_LA_FACTURA", TypificationDefaults(
            queue="back_office", assignment_strategy="skills", required_fields=("reason",)), DEMO_ADMIN)
    return stored

"""The demo's assignment setup, applied after its history is played (so that the history stays the
supervisor's hand distribution): Back office hands out by skills, with Valeria skilled in invoice errors
(«cobro doble» and the like) and Bruno away this week; the specialists by least load; the first line
stays manual (the supervisor distributes, seed 002)."""

from __future__ import annotations

from datetime import date, timedelta

from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

ADMIN = Actor("demo", frozenset({"admin"}))
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

"""File a phoned-in complaint, assign it, answer it, close it and print its history in Spanish,
using ``pqrs_core`` as a library on the in-memory adapters (no web framework, no database).

    PYTHONPATH=src python examples/file_and_answer.py
"""

from zoneinfo import ZoneInfo

import pqrs_core as c
from pqrs_core import Actor, Requester

pqrs = c.in_memory(load_entry_points=False)  # the built-in catalog only
agent, supervisor = Actor("ana", frozenset({"agent"})), Actor("sergio", frozenset({"supervisor"}))

case = pqrs.handle(c.FileCase(
    kind="queja", channel="phone", verbal=True, subject="Pedido entregado incompleto",
    description="La clienta llama: de las 10 cajas que pidió le llegaron 8.",
    requester=Requester(full_name="María Pérez", document_type="CC", document_number="52123456",
                        address="Calle 10 # 5-20, Bogotá", email="maria.perez@example.co"),
), agent)
number = str(case.filing_number)
pqrs.handle(c.AssignCase(filing_number=number, assignee="ana", queue="primer_nivel"), supervisor)
pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), agent)
pqrs.handle(c.RespondCase(filing_number=number, text="Hoy le enviamos sin costo las 2 cajas faltantes."),
            agent)
case = pqrs.handle(c.CloseCase(filing_number=number), agent)

catalog = pqrs.catalog()
workflow = catalog.workflow(case.workflow)
kind = next(entry.label for entry in catalog.kinds if entry.code == case.kind)
local = ZoneInfo(pqrs.deps.settings.timezone)
describe = {
    "CaseFiled": lambda e: f"radicó la {kind.lower()} «{e.subject}» recibida por teléfono",
    "TermStarted": lambda e: (f"fijó el término de {e.term} «{e.policy_label}», "
                              f"vence el {e.resolution_due.astimezone(local):%Y-%m-%d}"),
    "CaseAssigned": lambda e: (f"asignó el caso a {e.assignee_after} "
                               f"(cola {catalog.queue(e.queue_after).label})"),
    "CaseTransitioned": lambda e: (f"pasó el caso de «{workflow.state(e.state_before).label}» a "
                                   f"«{workflow.state(e.state_after).label}»"),
    "TermEnded": lambda e: f"cerró el término en «{e.state_label}» ({'a tiempo' if e.met else 'vencido'})",
    "CaseResponded": lambda e: f"respondió: «{e.text}»",
    "CaseClosed": lambda e: "cerró el caso",
}
print(f"Caso {number} ({kind}) — estado final: {workflow.state(case.state).label}")
print("Historial:")
for event in pqrs.history(number):
    who = "el sistema" if event.actor == "system" else event.actor
    print(f"  {event.occurred_at.astimezone(local):%Y-%m-%d %H:%M} {who} {describe[event.name](event)}")

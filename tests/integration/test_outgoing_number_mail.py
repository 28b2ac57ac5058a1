"""The requester's e-mail of a communication cites its outgoing number (text and HTML), rendered from
the notification the use case queued; a message that numbers nothing says nothing about it."""

from __future__ import annotations

from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR

from pqrs_adapters.mail.render import MailRenderer
from pqrs_core.domain import commands as c
from pqrs_core.domain.notifications import REQUESTER
from pqrs_core.domain.outgoing import numbers_in
from pqrs_core.domain.values import Requester
from pqrs_core.memory import MemoryStore
from pqrs_core.testing import in_memory_pqrs


def test_the_response_mail_cites_its_outgoing_number_and_the_acknowledgement_does_not() -> None:
    store = MemoryStore()
    app = in_memory_pqrs(store=store)
    case = app.handle(c.FileCase(kind="queja", subject="Señal intermitente", description="Se cae la señal",
                                 channel="phone", requester=Requester(full_name="María Núñez",
                                                                      email="maria@example.com")), AGENT)
    number = str(case.filing_number)
    app.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
    app.handle(c.RespondCase(filing_number=number, text="Reemplazamos el equipo."), BACK_OFFICE)
    [sent] = numbers_in(app.history(number), number)
    with store.unit_of_work() as uow:
        queued = {m.template: m for m in uow.outbox.pending() if m.recipient == REQUESTER}

    renderer = MailRenderer(organisation="Compañía Andina S.A.S.")
    response = queued["response"]
    mail = renderer.render("response", number, response.context)
    assert f"Radicado de salida de esta comunicación: {sent.number}." in mail.text
    assert f"Radicado de salida de esta comunicación: <strong>{sent.number}</strong>" in mail.html
    acknowledgement = renderer.render("acknowledgement", number, queued["acknowledgement"].context)
    assert "Radicado de salida" not in acknowledgement.text + acknowledgement.html

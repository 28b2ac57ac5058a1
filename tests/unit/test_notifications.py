"""Notifications are queued in the outbox in the same transaction as the change that causes them."""

from __future__ import annotations

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import Requester
from pqrs_core.memory import MemoryStore
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, BACK_OFFICE, SUPERVISOR, GeneralTerms, file, number


def pending(store: MemoryStore) -> list[tuple[str, str]]:
    with store.unit_of_work() as uow:
        return [(n.template, n.recipient) for n in uow.outbox.pending()]


def test_filing_queues_the_acknowledgement_and_the_new_case_notice() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store, plugins=[GeneralTerms])
    case = file(pqrs)
    assert pending(store) == [("acknowledgement", "requester"), ("new_case", "queue:primer_nivel")]
    with store.unit_of_work() as uow:
        ack = uow.outbox.pending()[0]
    assert ack.filing_number == number(case) and ack.context["subject"] == case.subject
    assert ack.context["resolution_due"] == case.resolution_due.isoformat()  # type: ignore[union-attr]


def test_a_requester_without_email_gets_nothing_and_a_rejected_command_queues_nothing() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store)
    file(pqrs, requester=Requester(full_name="Sin Correo"))
    assert pending(store) == [("new_case", "queue:primer_nivel")]
    with pytest.raises(ValidationError):
        file(pqrs, subject="")
    assert len(pending(store)) == 1


def test_the_workflow_tells_the_requester_and_the_assignee_what_happened() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store, plugins=[GeneralTerms])
    n = number(file(pqrs))
    before = len(pending(store))
    for command, actor in [
        (c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR),
        (c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE),
        (c.ExtendTerm(filing_number=n, reason="Consulta a bodega"), BACK_OFFICE),
        (c.RequestInformation(filing_number=n, message="Envíe la factura"), BACK_OFFICE),
        (c.RecordRequesterReply(filing_number=n, message="Adjunta"), AGENT),
        (c.RespondCase(filing_number=n, text="Le enviamos el producto", close=True), BACK_OFFICE),
    ]:
        pqrs.handle(command, actor)
    assert pending(store)[before:] == [
        ("assigned", "user:beto"), ("extension", "requester"), ("information_request", "requester"),
        ("requester_replied", "user:beto"), ("response", "requester"), ("closure", "requester"),
    ]

"""Voiding an outgoing number (``target_kind`` ``outgoing_number``) over every store (memory, SQLite,
PostgreSQL): asked for with a reason, approved by a second person with another role; the number stays
used (the series goes on after it), is marked voided with its record, and the history of the case it
was given on tells the request and the decision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR

from pqrs_adapters.mail.render import MailRenderer
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import InvalidOperation, NotFound, PermissionDenied
from pqrs_core.domain.events import OutgoingNumberVoided, VoidingRejected, VoidingRequested
from pqrs_core.domain.outgoing import numbers_awaiting_voiding, numbers_in
from pqrs_core.domain.values import Actor
from pqrs_core.domain.voiding import SamePerson, SameRole, Voiding, VoidingStatus
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

# 23:30 in Bogotá on 31 December: already 2027 in UTC, still 2026 in the organisation's zone.
START = datetime(2027, 1, 1, 4, 30, tzinfo=UTC)
ADMIN = Actor("root", frozenset({"admin"}))
OTHER_ADMIN = Actor("rita", frozenset({"admin"}))
KIND = "outgoing_number"


def answered(app: Pqrs, subject: str) -> tuple[str, str]:
    """A case filed, worked and answered: its filing number and the response's outgoing number."""
    n = str(app.handle(c.FileCase(kind="queja", subject=subject, description="Revisar la factura",
                                  channel="phone"), AGENT).filing_number)
    app.handle(c.AssignCase(filing_number=n, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    app.handle(c.RespondCase(filing_number=n, text="Anulamos el cobro."), BACK_OFFICE)
    [sent] = numbers_in(app.history(n), n)
    return n, sent.number


def ask(app: Pqrs, number: str, reason: str = "Se numeró una respuesta que no se envió",
        who: Actor = ADMIN) -> Voiding:
    voiding = app.handle(c.RequestVoiding(target_kind=KIND, target=number, reason=reason), who)
    assert isinstance(voiding, Voiding)
    return voiding


def test_a_voided_outgoing_number_stays_used_and_shows_as_voided(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock)
    case, number = answered(app, "Factura duplicada")
    assert number == "RS-2026-000001"

    with pytest.raises(PermissionDenied):  # asking for a voiding is for administrators
        ask(app, number, who=SUPERVISOR)
    with pytest.raises(NotFound):
        ask(app, "RS-2026-999999")
    pending = ask(app, f" {number.lower()} ")  # any letter case: kept as the number was given
    assert (pending.target_kind, pending.target, pending.status) == (KIND, number, VoidingStatus.PENDING)
    with pytest.raises(InvalidOperation):  # one pending request per number
        ask(app, number, reason="otra vez")
    asked = app.history(case)[-1]
    assert isinstance(asked, VoidingRequested) and (asked.number, asked.approver_roles) == (
        number, ("supervisor",))
    assert numbers_awaiting_voiding(app.history(case)) == {number}
    with store.uow_factory() as uow:
        told = [n for n in uow.outbox.pending() if n.template == "voiding_requested"]
    assert [(n.recipient, n.context["number"]) for n in told] == [("role:supervisor", number)]
    mail = MailRenderer(organisation="Acme S.A.S.").render("voiding_requested", case, told[0].context,
                                                           recipient="role:supervisor")
    assert f"Se pidió anular el radicado de salida {number} del caso {case}." in str(mail)

    clock.advance(minutes=10)  # 23:40 in Bogotá: the record is of 2026
    record = app.handle(c.ApproveVoiding(voiding_id=pending.id), SUPERVISOR)
    assert (record.status, record.number, record.target) == (VoidingStatus.APPROVED, "AN-2026-000001", number)

    history = app.history(case)
    voided = history[-1]
    assert isinstance(voided, OutgoingNumberVoided)
    assert (voided.number, voided.record, voided.requested_by, voided.actor) == (
        number, "AN-2026-000001", "root", "sofia")
    [shown] = numbers_in(history, case)
    assert (shown.number, shown.voided_record) == (number, "AN-2026-000001")
    assert not numbers_awaiting_voiding(history)
    # The case goes on as it was: not voided, still found by its outgoing number.
    assert app.case(case, SUPERVISOR).deleted_at is None
    with app.read_uow_factory() as uow:
        kept = uow.outgoing.find(number)
    assert kept is not None and kept.filing_number == case
    with pytest.raises(InvalidOperation):  # voided once
        ask(app, number, reason="de nuevo")

    # Never handed out again: the next communication takes the next number of the series.
    other, following = answered(app, "Cobro no reconocido")
    assert following == "RS-2026-000002" and other != case


def test_the_requester_or_someone_of_the_same_role_cannot_approve(store: StoreUnderTest) -> None:
    app = store.app(clock=FrozenClock(START))
    case, number = answered(app, "Factura duplicada")
    pending = ask(app, number)
    with pytest.raises(SamePerson):
        app.handle(c.ApproveVoiding(voiding_id=pending.id), ADMIN)
    with pytest.raises(SameRole):  # another administrator: the same role as the requester's
        app.handle(c.ApproveVoiding(voiding_id=pending.id), OTHER_ADMIN)
    with pytest.raises(PermissionDenied):
        app.handle(c.ApproveVoiding(voiding_id=pending.id), BACK_OFFICE)
    assert [v.status for v in app.voidings(ADMIN, target_kind=KIND)] == [VoidingStatus.PENDING]
    assert not numbers_in(app.history(case), case)[0].voided_record


def test_a_rejected_request_leaves_the_number_as_it_was(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock)
    case, number = answered(app, "Factura duplicada")
    pending = ask(app, number)
    app.handle(c.RejectVoiding(voiding_id=pending.id, note="La respuesta sí se envió"), SUPERVISOR)
    history = app.history(case)
    last = history[-1]
    assert isinstance(last, VoidingRejected)
    assert (last.number, last.note) == (number, "La respuesta sí se envió")
    assert not numbers_in(history, case)[0].voided_record and not numbers_awaiting_voiding(history)
    clock.advance(minutes=5)
    again = ask(app, number, reason="Ahora sí: se numeró dos veces")
    assert app.handle(c.ApproveVoiding(voiding_id=again.id), SUPERVISOR).number == "AN-2026-000001"


def test_a_number_of_a_voided_case_cannot_be_voided_on_its_own(store: StoreUnderTest) -> None:
    app = store.app(clock=FrozenClock(START))
    case, number = answered(app, "Factura duplicada")
    whole = app.handle(c.RequestVoiding(target=case, reason="Caso duplicado"), ADMIN)
    app.handle(c.ApproveVoiding(voiding_id=whole.id), SUPERVISOR)
    with pytest.raises(NotFound):
        ask(app, number)

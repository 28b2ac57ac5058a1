"""Voiding (anulación) instead of deleting, over every store (memory, SQLite, PostgreSQL): a request with
a reason, approved or rejected by a second person with another role; an approved one becomes a
numbered voiding record and takes the case out of every ordinary listing, count and report, while the
case stays readable to auditors with its history."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR, simple_filing

from pqrs_adapters.sqlalchemy.report_queries import SqlReportQueries
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import InvalidOperation, NotFound, PermissionDenied, ValidationError
from pqrs_core.domain.events import CaseVoided, VoidingRejected, VoidingRequested
from pqrs_core.domain.values import Actor
from pqrs_core.domain.voiding import SamePerson, SameRole, Voiding, VoidingStatus
from pqrs_core.memory import memory_report_queries
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

# 23:30 in Bogotá on 31 December: already 2027 in UTC, still 2026 in the organisation's zone.
START = datetime(2027, 1, 1, 4, 30, tzinfo=UTC)
ADMIN = Actor("root", frozenset({"admin"}))
OTHER_ADMIN = Actor("rita", frozenset({"admin"}))


def request(app: Pqrs, number: str, reason: str = "Radicado dos veces", who: Actor = ADMIN) -> Voiding:
    voiding = app.handle(c.RequestVoiding(target=number, reason=reason), who)
    assert isinstance(voiding, Voiding)
    return voiding


def test_an_approved_voiding_keeps_the_case_for_auditors_only(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock)
    kept, gone = (str(app.handle(simple_filing(subject=s), AGENT).filing_number)
                  for s in ("Factura repetida", "Factura duplicada"))
    app.handle(c.AssignCase(filing_number=gone, assignee="bruno"), SUPERVISOR)

    with pytest.raises(PermissionDenied):  # asking for a voiding is for administrators
        request(app, gone, who=SUPERVISOR)
    with pytest.raises(ValidationError) as blank:
        request(app, gone, reason="  ")
    assert blank.value.errors == {"reason": "escriba el motivo de la anulación"}
    pending = request(app, gone)
    assert pending.status is VoidingStatus.PENDING and pending.number is None
    with pytest.raises(InvalidOperation):  # one pending request per case
        request(app, gone, reason="otra vez")
    # Until someone decides, the case is where it was.
    assert app.cases(CaseQuery(assignee="bruno")).cases[0].filing_number == app.case(gone).filing_number
    asked = app.history(gone)[-1]
    assert isinstance(asked, VoidingRequested) and asked.approver_roles == ("supervisor",)
    with store.uow_factory() as uow:
        told = [n for n in uow.outbox.pending() if n.template == "voiding_requested"]
    assert [(n.recipient, n.context["reason"]) for n in told] == [("role:supervisor", "Radicado dos veces")]

    clock.advance(minutes=20)  # 23:50 in Bogotá: the record is of 2026
    record = app.handle(c.ApproveVoiding(voiding_id=pending.id), SUPERVISOR)
    assert (record.status, record.number, record.decided_by) == (VoidingStatus.APPROVED, "AN-2026-000001",
                                                                 "sofia")

    for who in (None, ADMIN, BACK_OFFICE):
        assert [str(x.filing_number) for x in app.cases(CaseQuery(text="factura"), who).cases] == [kept]
        assert app.summary(actor=who).total == 1
        with pytest.raises(NotFound):
            app.case(gone, who)
    assert app.count() == 1
    assert not app.cases(CaseQuery(assignee="bruno")).cases
    with store.read_uow_factory() as uow:  # what every report reads
        reports = memory_report_queries(uow) if store.engine is None else SqlReportQueries(uow.connection)
        assert [r.filing_number for r in reports.rows(CaseQuery())] == [kept]
        assert sum(reports.counts(CaseQuery(), ("kind",), "America/Bogota").values()) == 1
    audited = app.cases(CaseQuery(include_voided=True, sort="oldest"), ADMIN).cases
    assert [str(x.filing_number) for x in audited] == [kept, gone]
    with pytest.raises(NotFound):  # nobody works on a voided case, nor voids it again
        app.handle(c.AddNote(filing_number=gone, text="¿sigue ahí?"), ADMIN)
    with pytest.raises(NotFound):
        request(app, gone)

    # Auditors (and administrators) read it, with its history; others do not.
    for auditor in (SUPERVISOR, ADMIN, None):
        assert app.case(gone, auditor, include_deleted=True).deleted_at == START + timedelta(minutes=20)
    with pytest.raises(NotFound):
        app.case(gone, BACK_OFFICE, include_deleted=True)
    voided = app.history(gone, SUPERVISOR, include_deleted=True)[-1]
    assert isinstance(voided, CaseVoided)
    assert (voided.actor, voided.record, voided.requested_by) == ("sofia", "AN-2026-000001", "root")
    assert [v.number for v in app.voidings(SUPERVISOR, target=gone)] == ["AN-2026-000001"]
    # The filing number stays used; after midnight in Bogotá the series starts again for 2027.
    assert str(app.handle(simple_filing(), AGENT).filing_number).endswith("-000003")
    clock.advance(hours=1)
    again = request(app, kept, reason="También duplicado")
    assert app.handle(c.ApproveVoiding(voiding_id=again.id), SUPERVISOR).number == "AN-2027-000001"


def test_the_requester_or_someone_of_the_same_role_cannot_decide(store: StoreUnderTest) -> None:
    app = store.app(clock=FrozenClock(START))
    number = str(app.handle(simple_filing(), AGENT).filing_number)
    pending = request(app, number)
    with pytest.raises(SamePerson):
        app.handle(c.ApproveVoiding(voiding_id=pending.id), ADMIN)
    with pytest.raises(SameRole):  # another administrator: the same role as the requester's
        app.handle(c.RejectVoiding(voiding_id=pending.id, note="no"), OTHER_ADMIN)
    with pytest.raises(PermissionDenied):
        app.handle(c.ApproveVoiding(voiding_id=pending.id), BACK_OFFICE)
    with pytest.raises(NotFound):
        app.handle(c.ApproveVoiding(voiding_id="no-existe"), SUPERVISOR)
    assert [v.status for v in app.voidings(ADMIN)] == [VoidingStatus.PENDING]
    assert app.case(number).deleted_at is None


def test_a_rejected_voiding_leaves_the_case_as_it_was(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock)
    number = str(app.handle(simple_filing(), AGENT).filing_number)
    pending = request(app, number)
    rejected = app.handle(c.RejectVoiding(voiding_id=pending.id, note="Es un caso distinto"), SUPERVISOR)
    assert (rejected.status, rejected.note, rejected.number) == (
        VoidingStatus.REJECTED, "Es un caso distinto", None)
    with pytest.raises(InvalidOperation):  # decided once
        app.handle(c.ApproveVoiding(voiding_id=pending.id), SUPERVISOR)
    assert app.case(number, AGENT).deleted_at is None and app.count() == 1
    last = app.history(number)[-1]
    assert isinstance(last, VoidingRejected) and (last.actor, last.note) == ("sofia", "Es un caso distinto")
    # A new request can be made later, and the series has not moved.
    clock.advance(minutes=5)
    again = request(app, number, reason="Ahora sí: duplicado")
    assert app.handle(c.ApproveVoiding(voiding_id=again.id), SUPERVISOR).number == "AN-2026-000001"
    assert [v.status for v in app.voidings(SUPERVISOR)] == [VoidingStatus.APPROVED, VoidingStatus.REJECTED]


def test_concurrent_approvals_get_distinct_numbers_without_gaps(sql_store: StoreUnderTest) -> None:
    app = sql_store.app(clock=FrozenClock(START))
    pending = [request(app, str(app.handle(simple_filing(subject=f"Caso {i}"), AGENT).filing_number))
               for i in range(12)]
    approvers = [Actor(f"supervisor{n}", frozenset({"supervisor"})) for n in range(4)]

    def approve(i: int) -> str:
        number = app.handle(c.ApproveVoiding(voiding_id=pending[i].id), approvers[i % 4]).number
        assert number is not None
        return number

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = list(pool.map(approve, range(len(pending))))
    assert sorted(numbers) == [f"AN-2026-{n:06d}" for n in range(1, 13)]
    assert app.count() == 0

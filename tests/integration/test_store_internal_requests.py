"""Internal requests on every store: asked within the legal term, listed for the area that owes them,
answered only by that area, kept across units of work, alarmed by the sweep."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain.commands import AnswerInternal, FileCase, RequestInternal
from pqrs_core.domain.errors import InvalidOperation, NotFound, ValidationError
from pqrs_core.domain.events import InternalRequestAlarmRaised
from pqrs_core.domain.internal_requests import RequestState
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery

if TYPE_CHECKING:
    from conftest import StoreUnderTest

TUESDAY = datetime.fromisoformat("2026-03-03T10:00:00-05:00")
AGENT = Actor("ana", frozenset({"agent"}), queues=frozenset({"primer_nivel"}))
BILLING = Actor("fabio", frozenset({"back_office"}), queues=frozenset({"back_office"}))
OTHER = Actor("otro", frozenset({"back_office"}), queues=frozenset({"especialistas"}))


def test_an_area_answers_what_a_case_asked_of_it(store: StoreUnderTest) -> None:
    clock = FrozenClock(TUESDAY)
    app = store.app(clock=clock)
    case = app.handle(FileCase(kind="peticion", subject="Certificado", description="d"), AGENT)
    number = str(case.filing_number)
    legal_end = app.catalog().calendar.local_date(case.resolution_due)  # type: ignore[union-attr]

    with pytest.raises(ValidationError) as late:
        app.handle(RequestInternal(filing_number=number, queue="back_office", text="Saldo",
                                   due=legal_end + timedelta(days=1)), AGENT)
    assert "dentro del término legal" in late.value.errors["due"]
    with pytest.raises(ValidationError) as own:
        app.handle(RequestInternal(filing_number=number, queue="primer_nivel", text="x",
                                   due=date(2026, 3, 5)), AGENT)
    assert "otra área" in own.value.errors["queue"]

    app.handle(RequestInternal(filing_number=number, queue="back_office", text="¿Saldo de la cuenta?",
                               due=date(2026, 3, 5)), AGENT)
    [asked] = app.case(number).internal_requests
    assert asked.state(clock.now()) is RequestState.PENDING
    pending = app.cases(CaseQuery(pending_request_queue="back_office"))
    assert [str(c.filing_number) for c in pending.cases] == [number]
    assert not list(app.cases(CaseQuery(pending_request_queue="especialistas")).cases)

    with pytest.raises((InvalidOperation, NotFound)):
        app.handle(AnswerInternal(filing_number=number, request_id=asked.id, answer="x"), OTHER)
    app.handle(AnswerInternal(filing_number=number, request_id=asked.id, answer="Saldo en cero"), BILLING)
    [answered] = app.case(number).internal_requests
    assert (answered.answer, answered.answered_by) == ("Saldo en cero", "fabio")
    assert answered.state(clock.now()) is RequestState.ANSWERED
    assert not list(app.cases(CaseQuery(pending_request_queue="back_office")).cases)
    with pytest.raises(InvalidOperation):
        app.handle(AnswerInternal(filing_number=number, request_id=asked.id, answer="otra"), BILLING)


def test_the_sweep_alarms_a_request_falling_due_and_overdue(store: StoreUnderTest) -> None:
    clock = FrozenClock(TUESDAY)
    app = store.app(clock=clock)
    number = str(app.handle(FileCase(kind="peticion", subject="s", description="d"), AGENT).filing_number)
    app.handle(RequestInternal(filing_number=number, queue="back_office", text="Dato", due=date(2026, 3, 6)),
               AGENT)  # Friday
    app.sweep()
    assert not [e for e in app.history(number) if isinstance(e, InternalRequestAlarmRaised)]
    clock.set(datetime.fromisoformat("2026-03-05T08:00:00-05:00"))  # Thursday: due tomorrow
    app.sweep()
    clock.set(datetime.fromisoformat("2026-03-07T08:00:00-05:00"))  # Saturday: overdue
    app.sweep()
    app.sweep()  # each alarm once
    levels = [e.level for e in app.history(number) if isinstance(e, InternalRequestAlarmRaised)]
    assert levels == ["soon", "overdue"]
    assert app.case(number).internal_requests[0].state(clock.now()) is RequestState.OVERDUE

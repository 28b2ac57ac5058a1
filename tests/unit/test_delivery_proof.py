"""Proof of notification: how the answer reached the requester, when it counts as notified, and
whether that was within the term (CPACA arts. 56, 67-69)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain import delivery
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidOperation, ValidationError
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .scenarios import notified_case
from .support import BACK_OFFICE, REQUESTER, SUPERVISOR, GeneralTerms, clock_of, file, number

SYSTEM = Actor.system()


def answered() -> tuple[Pqrs, str]:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    clock_of(pqrs).advance(hours=2)
    pqrs.handle(c.RespondCase(filing_number=n, text="Le reenviamos las dos unidades"), BACK_OFFICE)
    return pqrs, n


def sent(pqrs: Pqrs, n: str) -> Case:
    case = pqrs.handle(c.RecordEmailDelivery(filing_number=n, communication="response", status="sent",
                                             address="carla@example.com"), SYSTEM)
    assert isinstance(case, Case)
    return case


def test_the_email_sent_notifies_the_answer_at_that_instant_within_the_term() -> None:
    pqrs, n = answered()
    clock_of(pqrs).advance(minutes=3)
    case = sent(pqrs, n)
    assert delivery.notified_at(case.deliveries) == clock_of(pqrs).now()
    assert delivery.notified_in_time(case) is True
    assert not delivery.failed(case)


def test_an_answer_notified_after_the_deadline_is_out_of_term() -> None:
    pqrs, n = answered()
    due = pqrs.case(n).resolution_due
    assert due is not None
    clock_of(pqrs).set(due + timedelta(minutes=1))
    case = sent(pqrs, n)
    assert delivery.notified_in_time(case) is False


def test_a_bounce_voids_the_email_and_the_case_offers_the_aviso() -> None:
    pqrs, n = answered()
    sent(pqrs, n)
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.PublishNotice(filing_number=n), BACK_OFFICE)  # notified: no aviso
    case = pqrs.handle(c.RecordEmailDelivery(filing_number=n, communication="response", status="bounced",
                                             reason="550 5.1.1 user unknown"), SYSTEM)
    assert delivery.notified_at(case.deliveries) is None and delivery.failed(case)
    case = pqrs.handle(c.PublishNotice(filing_number=n), BACK_OFFICE)
    aviso = delivery.current(case.deliveries)[delivery.AVISO]
    calendar = pqrs.catalog().calendar
    assert calendar is not None
    first = calendar.business_day_on_or_after(calendar.local_date(clock_of(pqrs).now()))
    last = calendar.add_business_days(first, 4)
    assert (date.fromisoformat(aviso.detail or ""), aviso.until) == (first, last)
    assert calendar.business_days_between(first, last) == 4  # five business days, both ends
    # Surtida at the end of the business day after the withdrawal.
    assert delivery.notified_at(case.deliveries) == calendar.end_of_day(calendar.next_business_day(last))
    assert not delivery.failed(case)


def test_the_portal_read_counts_once_and_only_for_the_requester() -> None:
    pqrs, n = answered()
    pqrs.handle(c.RecordPortalRead(filing_number=n), BACK_OFFICE)
    assert pqrs.case(n).deliveries == ()
    clock_of(pqrs).advance(hours=5)
    read_at = clock_of(pqrs).now()
    pqrs.handle(c.RecordPortalRead(filing_number=n), REQUESTER)
    clock_of(pqrs).advance(hours=1)
    case = pqrs.handle(c.RecordPortalRead(filing_number=n), REQUESTER)
    assert [(d.channel, d.status, d.at) for d in case.deliveries] == [("portal", "read", read_at)]
    assert delivery.notified_at(case.deliveries) == read_at


def test_the_portal_read_before_an_answer_records_nothing() -> None:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    n = number(file(pqrs))
    assert pqrs.handle(c.RecordPortalRead(filing_number=n), REQUESTER).deliveries == ()


def test_the_courier_delivers_with_its_guide_and_a_return_needs_the_reason() -> None:
    pqrs, n = answered()
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(c.RecordCourierDelivery(filing_number=n, company="4-72", guide="RA1", status="returned"),
                    BACK_OFFICE)
    assert "reason" in refused.value.errors
    pqrs.handle(c.RecordCourierDelivery(filing_number=n, company="4-72", guide="RA1", status="dispatched"),
                BACK_OFFICE)
    assert delivery.notified_at(pqrs.case(n).deliveries) is None
    clock_of(pqrs).advance(days=1)
    case = pqrs.handle(c.RecordCourierDelivery(filing_number=n, company="4-72", guide="RA1",
                                               status="delivered"), BACK_OFFICE)
    assert delivery.notified_at(case.deliveries) == clock_of(pqrs).now()
    assert case.deliveries[-1].detail == "4-72 · guía RA1"


def test_in_person_needs_the_signed_receipt_attached_to_the_case() -> None:
    pqrs, n = answered()
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(c.RecordInPersonDelivery(filing_number=n, received_by="Carla", receipt="nope"),
                    BACK_OFFICE)
    assert "receipt" in refused.value.errors


def test_nothing_is_notified_before_the_answer() -> None:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    n = number(file(pqrs))
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.RecordCourierDelivery(filing_number=n, company="4-72", guide="RA1",
                                            status="dispatched"), BACK_OFFICE)


def test_the_history_replays_to_the_same_proof() -> None:
    pqrs, n = notified_case()
    stored = pqrs.case(n)
    replayed = Case.replay(list(pqrs.history(n)), pqrs.catalog().workflow(stored.workflow))
    replayed.version = stored.version
    assert replayed == stored
    channels = [d.channel for d in stored.deliveries]
    assert channels == ["email", "email", "courier", "aviso", "portal", "in_person"]
    # Notified at the earliest channel that counts: the portal read, before the aviso took effect.
    portal = delivery.current(stored.deliveries)[delivery.PORTAL]
    assert delivery.notified_at(stored.deliveries) == portal.at


def test_a_new_answer_must_be_notified_anew() -> None:
    pqrs, n = answered()
    sent(pqrs, n)
    case = pqrs.case(n)
    before: datetime | None = delivery.notified_at(case.deliveries)
    assert before is not None
    pqrs.handle(c.ReopenCase(filing_number=n, reason="Faltó una unidad"), BACK_OFFICE)
    pqrs.handle(c.RespondCase(filing_number=n, text="Enviamos la unidad que faltaba"), BACK_OFFICE)
    assert delivery.notified_at(pqrs.case(n).deliveries) is None

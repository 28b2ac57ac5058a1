"""The e-mail's part in the proof of notification: the response accepted by a real SMTP server is
recorded on its case as sent (with its Message-ID), and the delivery status notification that comes
back to the intake marks it bounced, so the case offers the legal alternatives."""

from __future__ import annotations

from pqrs_adapters.mail.delivery_proof import recorder
from pqrs_adapters.mail.smtp import SmtpMailer
from pqrs_adapters.mail.worker import DeliveryOptions, deliver_once
from pqrs_core.domain import commands as c
from pqrs_core.domain import delivery
from pqrs_core.domain import events as ev
from pqrs_core.domain.values import Actor

from .conftest import MAILBOX, IntakeUnderTest, SmtpSink, corpus, filled

SUPERVISOR = Actor("sol", frozenset({"supervisor"}))
BACK_OFFICE = Actor("beto", frozenset({"back_office"}))


def send(it: IntakeUnderTest, smtp: SmtpSink) -> list[str]:
    """Deliver the outbox with the proof recorded; the Message-IDs sent now."""
    before = len(smtp.messages)
    deliver_once(it.engine, SmtpMailer("127.0.0.1", smtp.port, timeout=60), it.clock.now(),
                 options=DeliveryOptions(mail_from=f"PQRS Acme <{MAILBOX}>", on_sent=recorder(it.pqrs)))
    return [m["Message-ID"] for m in smtp.parsed()[before:]]


def test_the_response_sent_is_recorded_and_its_bounce_marks_it_bounced(intake_any: IntakeUnderTest,
                                                                      smtp: SmtpSink) -> None:
    it = intake_any
    number = it.receive(corpus("gmail-new.eml")).filing_number
    assert number is not None
    send(it, smtp)  # the acknowledgement: not a communication whose notification counts
    assert it.case(number).deliveries == ()
    it.pqrs.handle(c.AssignCase(filing_number=number, assignee="beto", queue="back_office"), SUPERVISOR)
    it.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
    it.pqrs.handle(c.RespondCase(filing_number=number, text="Le reenviamos el pedido"), BACK_OFFICE)
    it.advance(minutes=5)

    [response_id] = send(it, smtp)

    case = it.case(number)
    [sent] = [e for e in it.history(number) if isinstance(e, ev.EmailDeliveryRecorded)]
    assert (sent.status, sent.communication, sent.message_id) == ("sent", "response", response_id)
    assert sent.address == "ana.perez@gmail.example" and sent.occurred_at == it.clock.now()
    assert delivery.notified_at(case.deliveries) == it.clock.now()
    assert delivery.notified_in_time(case) is True

    it.advance(minutes=10)
    result = it.receive(filled("dsn.eml", recipient="ana.perez@gmail.example", in_reply_to=response_id,
                               filing=number))

    assert (result.outcome, result.filing_number) == ("bounced", number)
    case = it.case(number)
    bounced = case.deliveries[-1]
    assert (bounced.channel, bounced.status) == ("email", "bounced")
    assert bounced.detail is not None and "550 5.1.1" in bounced.detail
    assert delivery.notified_at(case.deliveries) is None and delivery.failed(case)


def test_a_bounce_of_the_acknowledgement_leaves_the_proof_alone(intake_any: IntakeUnderTest,
                                                               smtp: SmtpSink) -> None:
    it = intake_any
    number = it.receive(corpus("gmail-new.eml")).filing_number
    assert number is not None
    [ack_id] = send(it, smtp)
    result = it.receive(filled("dsn.eml", recipient="ana.perez@gmail.example", in_reply_to=ack_id,
                               filing=number))
    assert result.outcome == "bounced"
    assert it.case(number).deliveries == ()

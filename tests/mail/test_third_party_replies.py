"""A case escalated to a third party, end to end by e-mail: the escalation leaves through the outbox to a
real SMTP server with the case's reply address and its file; the third party's answer, received by the
intake, threads into the case as their message (staff only), brings the case back and tells the
assignee; another address writing on the case stays a flagged note."""

from __future__ import annotations

from email.message import EmailMessage

from pqrs_adapters.accounts import save_user
from pqrs_adapters.mail.smtp import SmtpMailer
from pqrs_adapters.mail.worker import DeliveryOptions, deliver_once
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.values import Actor

from .conftest import MAILBOX, IntakeUnderTest, SmtpSink, corpus

VENDOR = "soporte@mind.example.co"
STAFF = Actor("bruno", frozenset({"back_office"}))


def _send(it: IntakeUnderTest, smtp: SmtpSink) -> list[EmailMessage]:
    before = len(smtp.messages)
    deliver_once(it.engine, SmtpMailer("127.0.0.1", smtp.port, timeout=60), it.clock.now(),
                 options=DeliveryOptions(mail_from=f"PQRS Acme <{MAILBOX}>", files=it.files))
    return smtp.parsed()[before:]


def _reply(sender: str, number: str, in_reply_to: str, text: str, key: str) -> bytes:
    return (f"From: Soporte <{sender}>\r\nTo: {MAILBOX}\r\nSubject: RE: [{number}] Solicitud de apoyo\r\n"
            f"Message-ID: <{key}@mind.example.co>\r\nIn-Reply-To: {in_reply_to}\r\n"
            f"References: {in_reply_to}\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{text}\r\n\r\nEl lun, 2 mar 2026 escribió PQRS:\r\n"
            "> Les pedimos revisar el error.\r\n").encode()


def test_the_third_partys_answer_by_mail_threads_into_the_case_for_the_staff_only(
        intake_any: IntakeUnderTest, smtp: SmtpSink) -> None:
    it = intake_any
    save_user(it.engine, "bruno", email="bruno@acme.example", roles=("back_office",), queues=("back_office",))
    filed = it.receive(corpus("gmail-new.eml"))
    number = filed.filing_number
    assert number is not None
    it.pqrs.handle(c.AssignCase(filing_number=number, assignee="bruno"), Actor.system())
    case = it.pqrs.handle(c.AddAttachment(filing_number=number, filename="log.txt", content_type="text/plain",
                                          content=b"Traceback: lote"), STAFF)
    _send(it, smtp)  # the acknowledgement to the requester
    it.advance(hours=1)
    it.pqrs.handle(c.EscalateToThirdParty(filing_number=number, address=VENDOR, name="Mind de Colombia",
                                          message="Les pedimos revisar el error.",
                                          attachment_ids=(case.attachments[-1].id,)), STAFF)

    [escalation] = _send(it, smtp)
    assert escalation["To"] == f"Mind de Colombia <{VENDOR}>"
    assert escalation["Subject"].strip().startswith(f"[{number}] ")
    # Answers come back to the case's reply address; the requester's thread is not the vendor's.
    assert escalation["Reply-To"].startswith("pqrs+") and escalation["Reply-To"].endswith("@acme.example")
    assert escalation["In-Reply-To"] is None
    assert [p.get_filename() for p in escalation.iter_attachments()] == ["log.txt"]

    # Someone else writing on the case is recorded and flagged, and the case stays with the vendor.
    it.advance(hours=1)
    other = it.receive(_reply("otro@mind.example.co", number, escalation["Message-ID"], "Yo no sé", "o-1"))
    assert other.outcome == "threaded" and it.case(number).third_party is not None
    assert any("no es la dirección del peticionario" in n for n in it.notes(number))

    it.advance(hours=2)
    arrived = it.clock.now()
    answer = _reply(VENDOR.upper(), number, escalation["Message-ID"], "Corregido en la 4.2.", "r-1")
    result = it.receive(answer)

    assert (result.outcome, result.filing_number) == ("threaded", number) and "tercero" in result.reason
    assert it.case(number).third_party is None
    replies = [e for e in it.history(number) if isinstance(e, ev.ThirdPartyReplied)]
    [reply] = replies
    assert reply.received_at == arrived and reply.message.startswith("Corregido en la 4.2.")
    assert "Les pedimos revisar" not in reply.message  # the quoted history is trimmed
    assert not [n for n in it.notes(number) if "Corregido" in n]  # their message, not a note
    told = _send(it, smtp)
    assert [(m["To"], m["Subject"].strip().split("] ", 1)[1]) for m in told] == [
        ("bruno <bruno@acme.example>", "Respondió el tercero: " + it.case(number).subject)]
    # The requester is sent nothing of it.
    assert not [m for m in smtp.parsed() if "ana.perez@gmail.example" in str(m["To"])
                and ("tercero" in m["Subject"] or "apoyo" in m["Subject"])]

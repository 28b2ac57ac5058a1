"""A case escalated to a third party reaches their mailbox (a real aiosmtpd server) on a real SQLite
file and a real PostgreSQL database: the message, the chosen notes, the chosen files as MIME
attachments with their exact bytes, the filing number in the subject so that replies thread; their
reply is stored with the case, tells the assignee, and is never the requester's to see."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import test_mail_delivery
from test_mail_delivery import SmtpSink
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR

from pqrs_adapters.accounts import save_user
from pqrs_adapters.mail.third_party import record_third_party_reply
from pqrs_adapters.mail.worker import DeliveryOptions, DeliveryReport, deliver_once
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.ports import CaseQuery

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA)
VENDOR = "soporte@mind.example.co"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40  # binary: must arrive byte for byte
LOG = "Traceback: facturación en lote, línea 42\n".encode()
REQUESTER = Actor("maria", frozenset({"requester"}))
smtp = test_mail_delivery.smtp  # the same fixture: a real aiosmtpd server on a free port


def test_the_third_party_receives_the_case_with_its_files_and_their_reply_tells_the_assignee(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    assert sql_store.engine is not None
    engine = sql_store.engine
    save_user(engine, "bruno", display_name="Bruno Restrepo", email="bruno@acme.example.co",
              roles=("back_office",), queues=("back_office",))
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case = app.handle(c.FileCase(kind="queja", subject="Error al facturar",
                                 description="No genera la factura",
                                 requester=Requester(full_name="María Pérez", email="maria@example.com",
                                                     user="maria")), AGENT)
    number = str(case.filing_number)
    app.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.AddNote(filing_number=number, text="Falla solo con más de 100 facturas"), BACK_OFFICE)
    note_id = len(app.history(number))
    app.handle(c.AddNote(filing_number=number, text="Nota que no se envía"), BACK_OFFICE)
    for name, kind, content in (("captura.pdf", "application/pdf", PDF), ("log.txt", "text/plain", LOG),
                                ("otro.txt", "text/plain", b"no se envia")):
        case = app.handle(c.AddAttachment(filing_number=number, filename=name, content_type=kind,
                                          content=content), BACK_OFFICE)
    chosen = tuple(a.id for a in case.attachments if a.filename != "otro.txt")
    options = DeliveryOptions(mail_from="PQRS Acme <pqrs@acme.example.co>", files=app.deps.files,
                              reply_mailbox="pqrs@acme.example.co")
    deliver_once(engine, smtp.mailer(), clock.now(), options=options)
    smtp.received.clear()

    clock.advance(hours=1)
    app.handle(c.EscalateToThirdParty(filing_number=number, address=VENDOR, name="Mind de Colombia",
                                      message="Les pedimos revisar este error.", note_ids=(note_id,),
                                      attachment_ids=chosen), BACK_OFFICE)
    report = deliver_once(engine, smtp.mailer(), clock.now(), options=options)

    assert report == DeliveryReport(claimed=1, sent=1)
    [mail] = smtp.received
    assert mail.rcpt_tos == [VENDOR]
    assert mail.message["To"] == f"Mind de Colombia <{VENDOR}>"
    assert mail.message["Subject"] == f"[{number}] Solicitud de apoyo: Error al facturar"
    # Their answer comes back to the case's own reply address (the subject's number threads it too).
    reply_to = mail.message["Reply-To"]
    assert reply_to.startswith("pqrs+") and reply_to.endswith("@acme.example.co")
    assert mail.message["In-Reply-To"] is None  # the requester's thread is not theirs
    assert "Les pedimos revisar este error." in mail.text
    assert "Falla solo con más de 100 facturas" in mail.text
    assert "Nota que no se envía" not in mail.text and "Falla solo con más de 100 facturas" in mail.html
    # The requester's contact data stays home (Ley 1581 de 2012 art. 4: restricted circulation).
    assert "maria@example.com" not in mail.text and "María Pérez" not in mail.text
    files = {part.get_filename(): (part.get_content_type(), part.get_payload(decode=True))
             for part in mail.message.iter_attachments()}
    assert files == {"captura.pdf": ("application/pdf", PDF), "log.txt": ("text/plain", LOG)}

    # Their answer comes back (the intake hands it over): stored, the assignee told, the case back to work.
    clock.advance(hours=3)
    app.handle(c.RecordThirdPartyReply(filing_number=number, message="Corregido en la versión 4.2",
                                       sender=VENDOR), Actor.system())
    assert app.case(number).third_party is None
    deliver_once(engine, smtp.mailer(), clock.now(), options=options)
    [_, told] = smtp.received
    assert told.rcpt_tos == ["bruno@acme.example.co"]
    assert told.message["Subject"] == f"[{number}] Respondió el tercero: Error al facturar"
    assert "Corregido en la versión 4.2" in told.text and "Mind de Colombia" in told.text
    # The requester was sent nothing of it, and reads none of it in the case's history.
    assert not [m for m in smtp.received if "maria@example.com" in m.rcpt_tos]
    names = {e.name for e in app.history(number, REQUESTER)}
    assert "CaseFiled" in names and not names & {"EscalatedToThirdParty", "ThirdPartyReplied",
                                                 "ThirdPartyEscalationEnded"}


def test_a_file_the_store_lost_fails_the_attempt_instead_of_sending_without_it(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    assert sql_store.engine is not None
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case: Case = app.handle(c.FileCase(kind="queja", subject="Error", description="Falla"), AGENT)
    number = str(case.filing_number)
    case = app.handle(c.AddAttachment(filing_number=number, filename="log.txt", content_type="text/plain",
                                      content=LOG), AGENT)
    app.handle(c.EscalateToThirdParty(filing_number=number, address=VENDOR, name="Mind", message="Revisar",
                                      attachment_ids=(case.attachments[0].id,)), AGENT)

    report = deliver_once(sql_store.engine, smtp.mailer(), clock.now(), options=DeliveryOptions(files=None))

    assert report.failed >= 1 and not [m for m in smtp.received if VENDOR in m.rcpt_tos]


def test_a_reply_handed_over_by_mail_brings_the_case_back(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    filed: Case = app.handle(c.FileCase(kind="queja", subject="Error", description="Falla"), AGENT)
    number = str(filed.filing_number)
    app.handle(c.EscalateToThirdParty(filing_number=number, address=VENDOR, name="Mind", message="Revisar"),
               AGENT)
    app.handle(c.FileCase(kind="queja", subject="Otro", description="Sin tercero"), AGENT)
    held = CaseQuery(with_third_party=True)
    assert [str(x.filing_number) for x in app.cases(held).cases] == [number]  # SQL NULL, not JSON null
    arrived = clock.advance(hours=5)
    case = record_third_party_reply(app, number, "Soporte@Mind.example.co", "Corregido\n" + "x" * 30_000,
                                    arrived)
    assert case.third_party is None and not app.cases(held).cases
    reply = app.history(number)[-2]
    assert reply.name == "ThirdPartyReplied" and reply.received_at == arrived  # type: ignore[attr-defined]
    assert reply.message.startswith("Corregido") and len(reply.message) == 20_000  # type: ignore[attr-defined]

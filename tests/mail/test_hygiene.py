"""Hygiene, on by default: automatic mail never starts a case nor is acknowledged, bounces mark the
requester's address as failing and tell staff, a flood becomes one case and a flag, our own mail is
ignored, failed sender authentication is a warning; files follow the upload rules and a refused one
is noted; a database that cannot be reached is an error the transports retry, and nothing is half
kept."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import attrs
import pytest
from sqlalchemy import Engine, select

from pqrs_adapters.files.local import LocalFileStore
from pqrs_adapters.mail.intake import Arrival, IntakeSettings, IntakeUnavailable, MailIntake
from pqrs_adapters.mail.intake.hooks import register_third_party_handler, unregister_third_party_handler
from pqrs_adapters.mail.intake.receive import own_addresses
from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory
from pqrs_adapters.sqlalchemy.tables import case_mail_threads
from pqrs_core.bootstrap import bootstrap
from pqrs_core.domain import events as ev
from pqrs_core.domain.errors import InvalidOperation
from pqrs_core.domain.values import Actor
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.testing import void_case

from .conftest import BOGOTA, MAILBOX, IntakeUnderTest, SmtpSink, build, corpus, deliver, filled


def _acknowledgements(it: IntakeUnderTest) -> int:
    return len([r for r in it.outbox() if r["template"] == "acknowledgement"])


def test_an_out_of_office_reply_is_noted_on_its_case_and_acknowledged_by_nobody(
        intake_any: IntakeUnderTest, smtp: SmtpSink) -> None:
    number = intake_any.receive(corpus("gmail-new.eml")).filing_number
    [ack] = deliver(intake_any, smtp)

    result = intake_any.receive(filled("out-of-office-reply.eml", in_reply_to=ack["Message-ID"],
                                       subject=ack["Subject"]))

    assert (result.outcome, result.filing_number) == ("ignored", number)
    assert "Auto-Submitted: auto-replied" in result.reason
    assert intake_any.pqrs.count() == 1
    assert not [e for e in intake_any.history(number) if isinstance(e, ev.RequesterReplied)]
    assert [n for n in intake_any.notes(number) if "Estoy de vacaciones" in n]
    assert deliver(intake_any, smtp) == []


@pytest.mark.parametrize("name", ["out-of-office-new.eml", "mailing-list.eml"])
def test_automatic_and_list_mail_starts_no_case(intake: IntakeUnderTest, name: str) -> None:
    result = intake.receive(corpus(name))

    assert result.outcome == "ignored" and result.filing_number is None
    assert "no abre un caso" in result.reason
    assert intake.pqrs.count() == 0
    assert intake.outbox() == []
    assert [r["outcome"] for r in intake.log()] == ["ignored"]


def test_a_bounce_marks_the_requesters_address_as_failing_and_tells_staff(intake_any: IntakeUnderTest,
                                                                          smtp: SmtpSink) -> None:
    number = intake_any.receive(corpus("gmail-new.eml")).filing_number
    [ack] = deliver(intake_any, smtp)

    result = intake_any.receive(filled("dsn.eml", recipient="ana.perez@gmail.example",
                                       in_reply_to=ack["Message-ID"], filing=str(number)))

    assert (result.outcome, result.filing_number) == ("bounced", number)
    assert "ana.perez@gmail.example" in result.reason and "550 5.1.1" in result.reason
    with intake_any.engine.connect() as conn:
        thread = conn.execute(select(case_mail_threads)
                              .where(case_mail_threads.c.filing_number == number)).mappings().one()
    assert thread["failing_address"] == "ana.perez@gmail.example"
    assert thread["failing_since"] == intake_any.clock.now()
    [note] = [n for n in intake_any.notes(number) if "no recibe mensajes" in n]
    assert "ana.perez@gmail.example" in note
    [alert] = [r for r in intake_any.outbox(number) if r["template"] == "mail_alert"]
    assert alert["recipient"].startswith(("queue:", "user:", "role:"))
    assert intake_any.pqrs.count() == 1
    # The requester writes again from the address: it is no longer marked as failing.
    intake_any.receive(filled("subject-number.eml", filing=str(number)))
    with intake_any.engine.connect() as conn:
        assert conn.execute(select(case_mail_threads.c.failing_address)
                            .where(case_mail_threads.c.filing_number == number)).scalar_one() is None


def test_a_delay_notice_and_a_bounce_of_no_case_change_nothing(intake: IntakeUnderTest) -> None:
    delayed = intake.receive(corpus("dsn-delayed.eml"))
    stray = intake.receive(filled("dsn.eml", recipient="nadie@x.example", in_reply_to="<otro@x.example>",
                                  filing="PQRS-2026-999999"))

    assert delayed.outcome == "ignored" and "demora" in delayed.reason
    assert (stray.outcome, stray.filing_number) == ("bounced", None)
    assert intake.pqrs.count() == 0


def test_mail_from_our_own_address_is_ignored(intake: IntakeUnderTest) -> None:
    raw = corpus("gmail-new.eml").replace(b"From: =?UTF-8?Q?Ana_P=C3=A9rez?= <Ana.Perez@gmail.example>",
                                          f"From: PQRS <{MAILBOX}>".encode())

    result = intake.receive(raw)

    assert result.outcome == "ignored" and "bucle" in result.reason
    assert intake.pqrs.count() == 0


def test_mail_from_our_sender_setting_with_a_display_name_is_ignored(sqlite_engine: Engine,
                                                                     tmp_path: Path) -> None:
    it = build(sqlite_engine, tmp_path,
               IntakeSettings(own_addresses=own_addresses(["PQRS Acme <Notificaciones@acme.example>"])))
    raw = corpus("gmail-new.eml").replace(b"From: =?UTF-8?Q?Ana_P=C3=A9rez?= <Ana.Perez@gmail.example>",
                                          b"From: PQRS Acme <notificaciones+x1@acme.example>")

    result = it.receive(raw)

    assert result.outcome == "ignored" and "bucle" in result.reason
    assert it.pqrs.count() == 0


def test_a_flood_from_one_sender_becomes_one_case_and_a_flag(sqlite_engine: Engine, tmp_path: Path) -> None:
    it = build(sqlite_engine, tmp_path, IntakeSettings(flood_limit=1))
    results = []
    for n in range(5):
        raw = corpus("gmail-new.eml").replace(b"CAJx7a1b2c3d4e5f6g7h8i9j0", f"flood-{n}".encode())
        results.append(it.receive(raw))
        it.advance(minutes=1)

    assert [r.outcome for r in results] == ["filed", "threaded", "threaded", "threaded", "threaded"]
    assert {r.filing_number for r in results} == {results[0].filing_number}
    assert it.pqrs.count() == 1
    assert _acknowledgements(it) == 1
    assert len([n for n in it.notes(results[0].filing_number) if "Avalancha de correo" in n]) == 4
    assert len([r for r in it.outbox() if r["template"] == "mail_alert"]) == 1  # the staff told once
    # Once the hour has passed, the sender's mail files cases again.
    it.advance(hours=1)
    later = it.receive(corpus("gmail-new.eml").replace(b"CAJx7a1b2c3d4e5f6g7h8i9j0", b"later"))
    assert later.outcome == "filed"


def test_failed_sender_authentication_is_a_warning_on_the_case(intake: IntakeUnderTest) -> None:
    result = intake.receive(corpus("spf-fail.eml"))

    assert result.outcome == "filed"
    [warning] = [n for n in intake.notes(result.filing_number) if "verificación del correo" in n]
    assert "SPF=fail" in warning and "DMARC=fail" in warning


def test_attachments_follow_the_upload_rules_and_a_refused_one_is_noted(intake_any: IntakeUnderTest) -> None:
    result = intake_any.receive(corpus("inline-images.eml"))

    files = {e.attachment.filename: e.attachment for e in intake_any.history(result.filing_number)
             if isinstance(e, ev.AttachmentAdded)}
    assert set(files) == {"foto.png", "factura.pdf", "mensaje-original.eml"}
    assert files["foto.png"].public and files["factura.pdf"].public
    assert not files["mensaje-original.eml"].public
    assert intake_any.files.get(files["foto.png"].storage_key).startswith(b"\x89PNG")
    [note] = [n for n in intake_any.notes(result.filing_number) if "no se aceptaron" in n]
    assert "programa.exe" in note and "no está permitido" in note


def test_twenty_attachments_are_all_kept(intake: IntakeUnderTest) -> None:
    result = intake.receive(corpus("twenty-attachments.eml"))

    names = sorted(e.attachment.filename for e in intake.history(result.filing_number)
                   if isinstance(e, ev.AttachmentAdded) and e.attachment.public)
    assert names == [f"soporte-{i:02d}.txt" for i in range(1, 21)]
    assert not [n for n in intake.notes(result.filing_number) if "no se aceptaron" in n]


@pytest.mark.parametrize(("name", "subject", "attachment"), [
    ("winmail.eml", "Daño en la sede Norte", "informe.pdf"),
    ("forwarded.eml", "Fwd: Reclamo de un cliente", "reclamo.eml"),
    ("html-only.eml", "Queja por entrega", None),
    ("iso-8859-1.eml", "Reclamo por cobro de reconexión", None),
])
def test_every_kind_of_message_in_the_corpus_files_a_case(intake: IntakeUnderTest, name: str, subject: str,
                                                          attachment: str | None) -> None:
    result = intake.receive(corpus(name))

    assert result.outcome == "filed", result.reason
    case = intake.case(result.filing_number)
    assert case.subject == subject
    assert case.description.strip()
    public = [e.attachment.filename for e in intake.history(result.filing_number)
              if isinstance(e, ev.AttachmentAdded) and e.attachment.public]
    assert public == ([attachment] if attachment else [])


def test_a_30_mb_message_is_filed_and_kept_whole(intake: IntakeUnderTest) -> None:
    message = EmailMessage()
    message["From"] = "Archivo Grande <grande@cliente.example>"
    message["To"] = MAILBOX
    message["Subject"] = "Planos del proyecto"
    message["Message-ID"] = "<big-0001@cliente.example>"
    message.set_content("Adjunto los planos completos.")
    message.add_attachment(b"%PDF-1.4\n" + bytes(30 * 1024 * 1024), maintype="application",
                           subtype="pdf", filename="planos.pdf")
    raw = message.as_bytes()
    assert len(raw) > 30 * 1024 * 1024

    result = intake.receive(raw)

    assert result.outcome == "filed"
    [evidence] = [e.attachment for e in intake.history(result.filing_number)
                  if isinstance(e, ev.AttachmentAdded)]
    assert evidence.filename == "mensaje-original.eml" and evidence.size == len(raw)
    [note] = [n for n in intake.notes(result.filing_number) if "no se aceptaron" in n]
    assert "planos.pdf" in note and "supera el máximo" in note


def test_a_message_without_message_id_received_twice_is_filed_once(intake: IntakeUnderTest) -> None:
    first = intake.receive(corpus("no-message-id.eml"))
    again = intake.receive(corpus("no-message-id.eml"))

    assert (first.outcome, again.outcome) == ("filed", "duplicate")
    assert again.filing_number == first.filing_number
    assert intake.pqrs.count() == 1


def test_an_unreachable_database_raises_intake_unavailable(tmp_path: Path) -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/pqrs",
                         connect_args={"connect_timeout": 2})
    pqrs = bootstrap(uow_factory=sql_uow_factory(engine), files=LocalFileStore(tmp_path / "files"),
                     plugin_manager=get_plugin_manager(load_entry_points=False), sync=False)
    try:
        with pytest.raises(IntakeUnavailable):
            MailIntake(pqrs, engine).receive(corpus("gmail-new.eml"),
                                             Arrival(received_at=datetime(2026, 3, 2, 9, tzinfo=BOGOTA)))
    finally:
        engine.dispose()


def test_when_the_evidence_cannot_be_stored_nothing_is_kept(intake: IntakeUnderTest, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store's folder should be")
    working = intake.intake.deps
    intake.intake.deps = attrs.evolve(working, files=LocalFileStore(blocked))

    with pytest.raises(IntakeUnavailable):
        intake.receive(corpus("gmail-new.eml"))

    assert intake.pqrs.count() == 0
    assert intake.log() == []
    assert intake.outbox() == []
    # Not recorded as received: once the store works again, the same message is filed.
    intake.intake.deps = working
    assert intake.receive(corpus("gmail-new.eml")).outcome == "filed"


def test_our_own_message_come_back_through_another_address_is_ignored(intake: IntakeUnderTest,
                                                                       smtp: SmtpSink) -> None:
    number = intake.receive(corpus("gmail-new.eml")).filing_number
    [ack] = deliver(intake, smtp)
    del ack["From"]
    ack["From"] = "Reenvio <reenvio@otra-empresa.example>"  # an auto-forward rule sends it back to us
    del ack["Message-ID"]
    ack["Message-ID"] = "<reenviado-1@otra-empresa.example>"
    before = len(intake.history(number))

    result = intake.receive(ack.as_bytes())

    assert result.outcome == "ignored" and "bucle" in result.reason
    assert intake.pqrs.count() == 1
    assert len(intake.history(number)) == before


ADMIN = Actor("root", frozenset({"admin"}))


def test_a_bounce_or_a_flood_about_a_deleted_case_does_not_block_the_mailbox(sqlite_engine: Engine,
                                                                            tmp_path: Path,
                                                                            smtp: SmtpSink) -> None:
    it = build(sqlite_engine, tmp_path, IntakeSettings(flood_limit=1))
    number = it.receive(corpus("gmail-new.eml")).filing_number
    [ack] = deliver(it, smtp)
    void_case(it.pqrs, str(number), "Duplicado", requested_by=ADMIN)

    bounce = it.receive(filled("dsn.eml", recipient="ana.perez@gmail.example",
                               in_reply_to=ack["Message-ID"], filing=str(number)))
    flood = it.receive(corpus("gmail-new.eml").replace(b"CAJx7a1b2c3d4e5f6g7h8i9j0", b"flood-after-delete"))

    assert (bounce.outcome, bounce.filing_number) == ("bounced", None)
    assert flood.outcome == "filed" and flood.filing_number != number


def test_a_message_the_core_refuses_is_logged_as_refused_and_not_asked_for_again(
        intake: IntakeUnderTest) -> None:
    number = intake.receive(corpus("gmail-new.eml")).filing_number

    def refuse(_case: object, message: object) -> bool:
        raise InvalidOperation("el caso no admite este mensaje")

    register_third_party_handler(refuse)
    try:
        raw = filled("subject-number.eml", filing=str(number)).replace(b"ana.perez@gmail.example",
                                                                       b"otro@x.example")
        result = intake.receive(raw)
    finally:
        unregister_third_party_handler(refuse)

    assert result.outcome == "refused" and "el caso no admite este mensaje" in result.reason
    assert [(r["outcome"], r["from_address"]) for r in intake.log()][-1] == ("refused", "otro@x.example")
    assert not [n for n in intake.notes(number) if "otro@x.example" in n]  # nothing half kept
    assert intake.receive(raw).outcome == "duplicate"

"""``MailIntake.receive`` end to end on a real database: a new message becomes a case, a message
received twice is filed once, and the case and the intake log are written together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pqrs_adapters.config import Config
from pqrs_adapters.mail import mail_intake_from_config
from pqrs_adapters.mail.intake import Arrival, IntakeResult, MailboxDefaults
from pqrs_adapters.wiring import migrate
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.hookspecs import hookimpl
from pqrs_core.ports_integration import Customer

from .conftest import MAILBOX, IntakeUnderTest, build, corpus


def test_a_new_message_becomes_a_case_on_the_email_channel(intake_any: IntakeUnderTest) -> None:
    result = intake_any.receive(corpus("gmail-new.eml"))

    assert result.outcome == "filed", result.reason
    case = intake_any.case(result.filing_number)
    assert case.channel == "email"
    assert case.subject == "Cobro doble en la factura de febrero"
    assert "me cobraron dos veces" in case.description
    assert case.requester.full_name == "Ana Pérez"
    assert case.requester.email == "ana.perez@gmail.example"
    assert case.received_at == intake_any.clock.now()
    # The acknowledgement goes out as for any filing.
    assert [row["template"] for row in intake_any.outbox(result.filing_number)
            if row["recipient"] == "requester"] == ["acknowledgement"]
    # The raw message is kept as staff-only evidence, its SHA-256 in the history.
    [log] = intake_any.log()
    evidence = [e.attachment for e in intake_any.history(result.filing_number)
                if isinstance(e, ev.AttachmentAdded)]
    assert [(a.filename, a.public, a.sha256) for a in evidence] == [
        ("mensaje-original.eml", False, log["raw_sha256"])]
    assert intake_any.files.get(evidence[0].storage_key) == corpus("gmail-new.eml")
    assert (log["outcome"], log["filing_number"], log["message_id"]) == (
        "filed", result.filing_number, "<CAJx7a1b2c3d4e5f6g7h8i9j0@mail.gmail.example>")
    assert log["from_address"] == "ana.perez@gmail.example"


def test_the_same_message_twice_is_filed_once(intake_any: IntakeUnderTest) -> None:
    first = intake_any.receive(corpus("gmail-new.eml"))
    intake_any.advance(minutes=5)
    again = intake_any.receive(corpus("gmail-new.eml"))

    assert again.outcome == "duplicate"
    assert (again.filing_number, again.intake_id) == (first.filing_number, first.intake_id)
    assert intake_any.pqrs.count() == 1
    assert len(intake_any.log()) == 1
    assert len([r for r in intake_any.outbox() if r["template"] == "acknowledgement"]) == 1


def test_the_sender_is_matched_to_the_requester_of_their_earlier_case(intake: IntakeUnderTest) -> None:
    earlier = intake.pqrs.handle(c.FileCase(
        kind="queja", subject="Cobro", description="Cobro indebido.", channel="phone",
        requester=Requester(full_name="Ana María Pérez Gómez", document_type="CC", document_number="52123456",
                            email="ana.perez@gmail.example", phone="3001234567")), Actor.system())

    result = intake.receive(corpus("gmail-new.eml"))

    requester = intake.case(result.filing_number).requester
    assert result.filing_number != str(earlier.filing_number)
    assert (requester.full_name, requester.document_number, requester.phone) == (
        "Ana María Pérez Gómez", "52123456", "3001234567")


def test_a_message_without_a_sender_is_refused_and_logged(intake: IntakeUnderTest) -> None:
    raw = (b"To: pqrs@acme.example\r\nSubject: hola\r\nMessage-ID: <nofrom@x.example>\r\n\r\n"
           b"Sin remitente.\r\n")

    result = intake.receive(raw)

    assert (result.outcome, result.filing_number) == ("refused", None)
    assert "remitente" in result.reason
    assert intake.pqrs.count() == 0
    assert [r["outcome"] for r in intake.log()] == ["refused"]


@pytest.mark.postgres
def test_the_same_message_received_at_once_by_two_receivers_is_filed_once(
        postgres_engine: Engine, tmp_path: Path) -> None:
    it = build(postgres_engine, tmp_path)
    raw = corpus("gmail-new.eml")
    start = threading.Barrier(2)
    results: list[IntakeResult] = []

    def receive() -> None:
        start.wait()
        results.append(it.receive(raw))

    workers = [threading.Thread(target=receive) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(r.outcome for r in results) == ["duplicate", "filed"]
    assert len({r.filing_number for r in results}) == 1
    assert it.pqrs.count() == 1
    assert len(it.log()) == 1


def test_the_intake_built_from_the_configuration_files_mail(tmp_path: Path) -> None:
    config = Config.from_env({"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'pqrs.sqlite3'}",
                              "PQRS_FILES_DIR": str(tmp_path / "files"), "PQRS_MAIL_FROM": MAILBOX,
                              "PQRS_MAIL_INTAKE_KIND": "queja"}, cwd=tmp_path)
    migrate(config)
    with mail_intake_from_config(config) as intake:
        arrival = Arrival(received_at=intake.pqrs.deps.clock.now(), mailbox=MAILBOX)
        filed = intake.receive(corpus("gmail-new.eml"), arrival)
        own = intake.receive(corpus("no-message-id.eml").replace(b"sinid@viejo.example", MAILBOX.encode()),
                             arrival)
        assert filed.outcome == "filed"
        assert intake.pqrs.case(str(filed.filing_number)).kind == "queja"
        assert own.outcome == "ignored"


def test_the_mailbox_defaults_file_the_case_and_what_the_catalog_refuses_is_noted(
        intake: IntakeUnderTest) -> None:
    defaults = MailboxDefaults(kind="reclamo", queue="back_office", typification="no-existe")

    result = intake.receive(corpus("gmail-new.eml"), defaults=defaults)

    case = intake.case(result.filing_number)
    assert (case.kind, case.queue, case.typification) == ("reclamo", "back_office", None)
    [note] = [n for n in intake.notes(result.filing_number) if "No se aplicó lo que pedía el buzón" in n]
    assert "typification" in note


class _Crm:
    name = "crm"

    def find(self, text: str, limit: int = 20) -> list[Customer]:
        return [Customer("C-77", "Ana Pérez S.A.S.", "NIT", "900123456", email="ana.perez@gmail.example")]

    def get(self, customer_id: str) -> Customer | None:
        return None


class _CrmPlugin:
    @hookimpl
    def pqrs_customer_directories(self, register: Callable[[object], None]) -> None:
        register(_Crm())


def test_a_sender_a_customer_directory_knows_is_filed_as_that_customer(sqlite_engine: Engine,
                                                                        tmp_path: Path) -> None:
    it = build(sqlite_engine, tmp_path, plugins=[_CrmPlugin()])

    result = it.receive(corpus("gmail-new.eml"))

    requester = it.case(result.filing_number).requester
    assert (requester.kind.value, requester.customer_id, requester.full_name) == (
        "customer", "C-77", "Ana Pérez S.A.S.")
    assert requester.email == "ana.perez@gmail.example"


@pytest.mark.parametrize("raw", [
    b"From: ana@x.example\r\nContent-Type: multipart/mixed\r\n\r\nsin boundary\r\n",
    b"From: ana@x.example\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%no-es-base64%%%\r\n",
    b"From: ana@x.example\r\nSubject: =?x-desconocido?Q?=FF?=\r\n"
    b"Content-Type: text/plain; charset=nope\r\n\r\n\xff\xfe\r\n",
    b"\x00\x01\x02 no es un correo",
])
def test_a_malformed_message_is_filed_or_refused_never_an_error(intake: IntakeUnderTest, raw: bytes) -> None:
    result = intake.receive(raw)

    assert result.outcome in ("filed", "refused")
    assert [r["outcome"] for r in intake.log()] == [result.outcome]

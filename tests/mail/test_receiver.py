"""``pqrs mail serve``: aiosmtpd on a free port, driven with smtplib. Mail for a mailbox (or its
``+token`` form) becomes a case and is answered 250 after the commit; unknown recipients get 550; a
message over the size limit 552; with the database out of reach the answer is 451 and the same message
sent again once it is back is filed once."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select

from dovecot import free_port
from pqrs_adapters.mail.mailboxes import MailboxSettings
from pqrs_adapters.mail.receiver import ReceiverController, start_receiver
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.mailbox_store import create_mailbox
from pqrs_adapters.sqlalchemy.tables import cases
from tcp_proxy import TcpProxy

from .conftest import IntakeUnderTest, build

ADDRESS = "pqrs@acme.example"
SENDER = "marta@cliente.example"


def message(number: int, *, to: str = ADDRESS, padding: int = 0) -> str:
    return (f"From: Marta Gómez <{SENDER}>\r\nTo: {to}\r\nSubject: Solicitud {number}\r\n"
            f"Message-ID: <smtp-{number}@cliente.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Necesito una copia de mi factura (solicitud {number}).\r\n" + "x" * padding + "\r\n")


def case_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())


def serve(intake: IntakeUnderTest, *, lookup: Engine | None = None, lmtp: bool = False,
          max_bytes: int = 1024 * 1024) -> ReceiverController:
    return start_receiver(lookup or intake.engine, intake.intake, intake.clock.now, host="127.0.0.1",
                          port=free_port(), max_bytes=max_bytes, lmtp=lmtp)


@pytest.fixture()
def receiver(intake: IntakeUnderTest) -> Iterator[ReceiverController]:
    create_mailbox(intake.engine, MailboxSettings(address=ADDRESS, kind="reclamo"), intake.clock.now())
    controller = serve(intake)
    yield controller
    controller.stop()


def send(controller: ReceiverController, text: str, to: list[str], **kwargs: Any) -> dict[str, Any]:
    with smtplib.SMTP(controller.hostname, controller.port, timeout=30) as smtp:
        return smtp.sendmail(SENDER, to, text.encode(), **kwargs)  # type: ignore[no-any-return]


def test_mail_for_a_mailbox_becomes_a_case_received_when_it_arrived(
        intake: IntakeUnderTest, receiver: ReceiverController) -> None:
    assert send(receiver, message(1), [ADDRESS]) == {}

    [row] = intake.log()
    case = intake.case(row["filing_number"])
    assert row["outcome"] == "filed" and case.kind == "reclamo"
    assert case.received_at == intake.clock.now()  # the receiver's clock, not the Date header


def test_token_addresses_are_accepted_and_unknown_recipients_refused(
        intake: IntakeUnderTest, receiver: ReceiverController) -> None:
    assert send(receiver, message(2, to="pqrs+ab12cd@acme.example"), ["PQRS+ab12cd@Acme.example"]) == {}
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(receiver, message(3, to="ventas@acme.example"), ["ventas@acme.example"])
    assert refused.value.recipients["ventas@acme.example"][0] == 550
    # One known and one unknown recipient: the message is taken for the known one only.
    assert send(receiver, message(4), [ADDRESS, "nadie@acme.example"])["nadie@acme.example"][0] == 550
    assert case_count(intake.engine) == 2


def test_a_message_over_the_size_limit_is_refused(intake: IntakeUnderTest) -> None:
    create_mailbox(intake.engine, MailboxSettings(address=ADDRESS), intake.clock.now())
    controller = serve(intake, max_bytes=10_000)
    try:
        with pytest.raises(smtplib.SMTPException) as refused:
            send(controller, message(5, padding=20_000), [ADDRESS])
        assert "552" in str(refused.value)
        assert case_count(intake.engine) == 0
    finally:
        controller.stop()


def test_lmtp_answers_once_per_recipient(intake: IntakeUnderTest) -> None:
    create_mailbox(intake.engine, MailboxSettings(address=ADDRESS), intake.clock.now())
    controller = serve(intake, lmtp=True)
    try:
        with smtplib.LMTP(controller.hostname, controller.port, timeout=30) as lmtp:
            assert lmtp.ehlo()[0] == 250  # LHLO
            assert lmtp.mail(SENDER)[0] == 250
            assert lmtp.rcpt(ADDRESS)[0] == 250
            assert lmtp.rcpt("pqrs+x1@acme.example")[0] == 250
            assert lmtp.rcpt("nadie@acme.example")[0] == 550
            # RFC 2033: one reply per accepted recipient (smtplib's data() reads the first).
            assert lmtp.data(message(6).encode())[0] == 250
            assert lmtp.getreply()[0] == 250
        assert case_count(intake.engine) == 1
    finally:
        controller.stop()


@pytest.mark.postgres
def test_the_database_down_answers_451_and_the_retry_is_filed_once(postgres_url: str, tmp_path: Path,
                                                                   postgres_engine: Engine) -> None:
    parts = urlsplit(postgres_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    through_proxy = make_engine(postgres_url.replace(f"{parts.hostname}:{parts.port or 5432}",
                                                     f"127.0.0.1:{proxy.port}"), pool_pre_ping=True)
    intake = build(through_proxy, tmp_path)
    create_mailbox(postgres_engine, MailboxSettings(address=ADDRESS), intake.clock.now())
    controller = serve(intake, lookup=postgres_engine)
    try:
        proxy.cut()
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(controller, message(7), [ADDRESS])
        assert refused.value.smtp_code == 451
        assert case_count(postgres_engine) == 0

        proxy.restore()  # the MTA tries again later
        assert send(controller, message(7), [ADDRESS]) == {}
        assert send(controller, message(7), [ADDRESS]) == {}  # and once more: still one case
        assert case_count(postgres_engine) == 1
    finally:
        controller.stop()
        through_proxy.dispose()
        proxy.close()

"""Postfix in front of ``pqrs mail serve --lmtp``, as docs/mail.md sets it up: Postfix takes a message
for the PQRS address and delivers it over LMTP; while pqrs's database is out of reach the receiver answers
451, Postfix keeps the message in its queue, and once the database is back the retry is filed, once."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select

from dovecot import free_port
from postfix import DOMAIN, Postfix, run_postfix
from pqrs_adapters.mail.mailboxes import MailboxSettings
from pqrs_adapters.mail.receiver import start_receiver
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.mailbox_store import create_mailbox
from pqrs_adapters.sqlalchemy.tables import cases
from tcp_proxy import TcpProxy

from .conftest import build

ADDRESS = f"pqrs@{DOMAIN}"
MESSAGE = (f"From: Marta Gómez <marta@cliente.example>\r\nTo: {ADDRESS}\r\nSubject: Cobro doble\r\n"
           "Message-ID: <postfix-1@cliente.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Me cobraron dos veces la factura de noviembre.\r\n").encode()

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def case_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())


def wait_for(condition: object, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.fixture()
def lmtp_port() -> int:
    return free_port()


@pytest.fixture()
def postfix(lmtp_port: int) -> Iterator[Postfix]:
    yield from run_postfix(lmtp_port)


def test_postfix_keeps_the_message_while_the_database_is_down_and_it_is_filed_once(
        postfix: Postfix, lmtp_port: int, postgres_url: str, postgres_engine: Engine, tmp_path: Path) -> None:
    parts = urlsplit(postgres_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    through_proxy = make_engine(postgres_url.replace(f"{parts.hostname}:{parts.port or 5432}",
                                                     f"127.0.0.1:{proxy.port}"), pool_pre_ping=True)
    intake = build(through_proxy, tmp_path)
    create_mailbox(postgres_engine, MailboxSettings(address=ADDRESS), intake.clock.now())
    receiver = start_receiver(postgres_engine, intake.intake, intake.clock.now, host="127.0.0.1",
                              port=lmtp_port, max_bytes=1024 * 1024, lmtp=True)
    try:
        proxy.cut()
        with smtplib.SMTP("127.0.0.1", postfix.port, timeout=30) as smtp:
            assert smtp.sendmail("marta@cliente.example", [ADDRESS], MESSAGE) == {}  # Postfix has it

        assert wait_for(lambda: "status=deferred" in postfix.read_log()), postfix.read_log()
        assert "451 4.3.0" in postfix.read_log() and case_count(postgres_engine) == 0

        proxy.restore()
        postfix.flush()
        assert wait_for(lambda: "status=sent" in postfix.read_log()), postfix.read_log()
        assert case_count(postgres_engine) == 1
        assert postfix.read_log().count("status=sent") == 1
    finally:
        receiver.stop()
        through_proxy.dispose()
        proxy.close()

"""``pqrs mail fetch`` and ``pqrs mail serve`` as the processes an operator runs: the fetcher killed with
SIGKILL after a case is committed and before its message is marked loses nothing and files nothing
twice on its next run; the receiver stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dovecot import PASSWORD, USER, Dovecot, free_port, run_dovecot
from pqrs_adapters.demo.loader import DEMO_MAILBOX
from pqrs_adapters.mail.mailboxes import MailboxSettings
from pqrs_adapters.sqlalchemy import make_engine, upgrade
from pqrs_adapters.sqlalchemy.mailbox_store import create_mailbox, find_mailbox
from pqrs_adapters.sqlalchemy.tables import cases, mail_intake
from pqrs_core.clock import SystemClock

ADDRESS = "pqrs@acme.example"
PQRS = str(Path(sys.executable).with_name("pqrs"))
# ``pqrs mail fetch --once``, SIGKILLed the moment it is about to mark its first message on the server:
# after MailIntake.receive has committed the case, before the IMAP STORE/MOVE.
KILLED_BEFORE_MARKING = """
import os, signal, sys
from pqrs_adapters.cli import main
from pqrs_adapters.mail import imap_fetch

def killed(self, uid):
    os.kill(os.getpid(), signal.SIGKILL)

imap_fetch.MailboxFetcher._mark = killed
sys.exit(main(["mail", "fetch", "--once"]))
"""


def message(number: int) -> bytes:
    return (f"From: Marta Gómez <marta@cliente.example>\r\nTo: {ADDRESS}\r\nSubject: Solicitud {number}\r\n"
            f"Message-ID: <cli-{number}@cliente.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Buenos días, solicito un paz y salvo ({number}).\r\n").encode()


@pytest.fixture()
def dovecot() -> Iterator[Dovecot]:
    yield from run_dovecot()


def terminate(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Stop a ``pqrs`` process as an operator does (SIGTERM), killing it if it does not stop; what it
    printed."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'pqrs.sqlite3'}"
    upgrade(url)
    return {**os.environ, "PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(tmp_path / "files"), **extra}


def test_a_fetcher_killed_between_the_commit_and_the_mark_files_nothing_twice(
        tmp_path: Path, dovecot: Dovecot) -> None:
    env = environment(tmp_path, PQRS_IMAP_CA_FILE=str(dovecot.cert), PQRS_IMAP_TEST_MAILBOX=PASSWORD)
    engine = make_engine(env["PQRS_DATABASE_URL"])
    try:
        create_mailbox(engine, MailboxSettings(address=ADDRESS, imap_url=dovecot.url("starttls"),
                                               username=USER, credential="env:PQRS_IMAP_TEST_MAILBOX"),
                       SystemClock().now())
        first, second = dovecot.append(message(1)), dovecot.append(message(2))

        killed = subprocess.run([sys.executable, "-c", KILLED_BEFORE_MARKING], env=env, capture_output=True,
                                text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 1
        assert all("\\Seen" not in flags for flags in dovecot.flags().values())

        again = subprocess.run([PQRS, "mail", "fetch", "--once"], env=env, capture_output=True, text=True,
                               timeout=120)

        assert again.returncode == 0, again.stderr
        assert "mensajes recibidos: 2 (duplicate: 1, filed: 1)" in again.stdout
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 2
            outcomes = [r.outcome for r in conn.execute(select(mail_intake.c.outcome))]
        assert sorted(outcomes) == ["filed", "filed"]  # a duplicate is not logged twice
        assert {uid: "\\Seen" in flags for uid, flags in dovecot.flags().items()} == {first: True,
                                                                                       second: True}
        mailbox = find_mailbox(engine, ADDRESS)
        assert mailbox is not None and mailbox.last_uid == second
    finally:
        engine.dispose()


def test_the_receiver_files_mail_for_the_demo_mailbox_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = environment(tmp_path)
    engine = make_engine(env["PQRS_DATABASE_URL"])
    port = free_port()
    try:
        demo = subprocess.run([PQRS, "demo", "--count", "3"], env=env, capture_output=True, text=True,
                              timeout=300)  # what ``make mail`` runs before the receiver
        assert demo.returncode == 0 and f"Buzón de demostración: {DEMO_MAILBOX}" in demo.stdout, demo.stderr
        with engine.connect() as conn:
            demo_cases = conn.execute(select(func.count()).select_from(cases)).scalar_one()
        server = subprocess.Popen([PQRS, "mail", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    smtp = smtplib.SMTP("127.0.0.1", port, timeout=10)
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline, server.stderr
                    time.sleep(0.2)
            with smtp:
                assert smtp.sendmail("marta@cliente.example", [DEMO_MAILBOX], message(3)) == {}
        finally:
            out, _err = terminate(server)
        assert server.returncode == 0
        assert "Recibiendo correo por SMTP" in out and "Receptor detenido." in out
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == demo_cases + 1
    finally:
        engine.dispose()


class Sink:
    """An aiosmtpd handler keeping what it is sent (the organisation's outgoing SMTP server)."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


def test_the_worker_reads_the_mailboxes_and_acknowledges_what_it_filed(tmp_path: Path,
                                                                       dovecot: Dovecot) -> None:
    from aiosmtpd.controller import Controller

    sink = Sink()
    outgoing = Controller(sink, hostname="127.0.0.1", port=free_port())
    outgoing.start()
    env = environment(tmp_path, PQRS_IMAP_CA_FILE=str(dovecot.cert), PQRS_IMAP_TEST_MAILBOX=PASSWORD,
                      PQRS_SMTP_HOST="127.0.0.1", PQRS_SMTP_PORT=str(outgoing.port),
                      PQRS_MAIL_FROM=ADDRESS, PQRS_MAIL_FETCH_POLL="1")
    engine = make_engine(env["PQRS_DATABASE_URL"])
    try:
        create_mailbox(engine, MailboxSettings(address=ADDRESS, imap_url=dovecot.url(), username=USER,
                                               credential="env:PQRS_IMAP_TEST_MAILBOX"),
                       SystemClock().now())
        dovecot.append(message(4))
        worker = subprocess.Popen([PQRS, "worker", "--fetch-mail", "--poll", "0.5"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not sink.messages and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.2)
        finally:
            out, err = terminate(worker)
        assert worker.returncode == 0, err
        assert "Leyendo también los buzones por IMAP" in out and "Trabajador detenido." in out
        [acknowledgement] = sink.messages
        acknowledged = message_from_bytes(acknowledgement)
        assert "marta@cliente.example" in acknowledged["To"]
        assert acknowledged["Subject"].startswith("[PQRS-") and "Recibimos" in acknowledged["Subject"]
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 1
    finally:
        outgoing.stop()
        engine.dispose()


def test_fetch_says_in_spanish_which_mailbox_it_cannot_read(tmp_path: Path) -> None:
    env = environment(tmp_path, PQRS_IMAP_TEST_MAILBOX=PASSWORD)
    engine = make_engine(env["PQRS_DATABASE_URL"])
    try:
        create_mailbox(engine, MailboxSettings(address=ADDRESS, imap_url="imap://127.0.0.1:1/INBOX",
                                               username=USER, credential="env:PQRS_IMAP_TEST_MAILBOX"),
                       SystemClock().now())
        create_mailbox(engine, MailboxSettings(address="apagado@acme.example", imap_url="imap://127.0.0.1:1/",
                                               username=USER, credential="env:PQRS_IMAP_X", enabled=False),
                       SystemClock().now())
    finally:
        engine.dispose()

    def fetch(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PQRS, "mail", "fetch", "--once", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    down = fetch()
    assert down.returncode == 1
    assert (f"Error en {ADDRESS}: no se pudo conectar con el servidor IMAP 127.0.0.1:1: conexión rechazada"
            in down.stdout)
    assert "apagado@acme.example" not in down.stdout
    unknown = fetch("--mailbox", "nadie@acme.example")
    assert unknown.returncode == 1 and "no hay un buzón nadie@acme.example con URL IMAP" in unknown.stderr
    disabled = fetch("--mailbox", "apagado@acme.example")
    assert disabled.returncode == 1 and "está desactivado" in disabled.stderr

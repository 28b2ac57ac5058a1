"""``pqrs mail fetch`` against a real Dovecot: new messages become cases, each is marked on the server
only after its case is committed, the stored UID moves on, and faults (server down, wrong password,
connection dropped, UIDVALIDITY changed) lose nothing and file nothing twice."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest
from sqlalchemy import Engine, func, select

from dovecot import PASSWORD, USER, WITHOUT_IDLE_AND_MOVE, Dovecot, run_dovecot
from pqrs_adapters.config import MailInSettings
from pqrs_adapters.mail.imap_fetch import FetchReport, fetch_once, run_fetcher
from pqrs_adapters.mail.mailboxes import Mailbox, MailboxSettings
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.mailbox_store import create_mailbox, get_mailbox
from pqrs_adapters.sqlalchemy.tables import cases
from tcp_proxy import TcpProxy

from .conftest import IntakeUnderTest, build

ADDRESS = "pqrs@acme.example"


def message(number: int, *, sender: str = "marta@cliente.example") -> bytes:
    return (f"From: Marta Gómez <{sender}>\r\nTo: {ADDRESS}\r\n"
            f"Subject: Solicitud número {number}\r\nMessage-ID: <solicitud-{number}@cliente.example>\r\n"
            "Date: Mon, 2 Mar 2026 08:00:00 -0500\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Buenos días, necesito un certificado (solicitud {number}).\r\n").encode()


@pytest.fixture()
def dovecot() -> Iterator[Dovecot]:
    yield from run_dovecot()


@pytest.fixture()
def settings(dovecot: Dovecot) -> MailInSettings:
    return MailInSettings(imap_ca_file=dovecot.cert, imap_timeout=10)


def secret(reference: str) -> str:
    assert reference == "env:PQRS_IMAP_TEST_PASSWORD"
    return PASSWORD


def add_mailbox(intake: IntakeUnderTest, dovecot: Dovecot, *, security: str = "imaps",
                **fields: Any) -> Mailbox:
    values: dict[str, Any] = {"address": ADDRESS, "imap_url": dovecot.url(security), "username": USER,
                              "credential": "env:PQRS_IMAP_TEST_PASSWORD", "kind": "queja", **fields}
    return create_mailbox(intake.engine, MailboxSettings(**values), intake.clock.now())


def fetch(intake: IntakeUnderTest, settings: MailInSettings, **kwargs: Any) -> FetchReport:
    return fetch_once(intake.engine, intake.intake, settings, intake.clock.now, secret=kwargs.pop(
        "secret", secret), **kwargs)


def case_count(intake: IntakeUnderTest) -> int:
    with intake.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())


def state(intake: IntakeUnderTest, mailbox: Mailbox) -> Mailbox:
    found = get_mailbox(intake.engine, mailbox.id)
    assert found is not None
    return found


@contextmanager
def fetcher_running(intake: IntakeUnderTest, settings: MailInSettings, *, poll_seconds: float,
                    clock: Callable[[], datetime] | None = None) -> Iterator[list[FetchReport]]:
    """``run_fetcher`` in a thread for the ``with`` block; the reports it made."""
    stop = threading.Event()
    reports: list[FetchReport] = []
    thread = threading.Thread(target=run_fetcher, args=(intake.engine, intake.intake, settings,
                                                        clock or intake.clock.now, stop),
                              kwargs={"poll_seconds": poll_seconds, "on_report": reports.append})
    thread.start()
    try:
        yield reports
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def wait_until(condition: Callable[[], object], tries: int = 200) -> None:
    """Check ``condition`` every 50 ms until it holds (at most ``tries`` times)."""
    waited = threading.Event()
    for _ in range(tries):
        if condition():
            return
        waited.wait(0.05)


@pytest.mark.parametrize("security", ["imaps", "starttls"])
def test_new_messages_become_cases_and_are_marked_seen(intake: IntakeUnderTest, dovecot: Dovecot,
                                                       settings: MailInSettings, security: str) -> None:
    mailbox = add_mailbox(intake, dovecot, security=security)
    stored = datetime(2026, 3, 2, 13, 45, tzinfo=UTC)
    first = dovecot.append(message(1), when=stored)
    second = dovecot.append(message(2))

    report = fetch(intake, settings)

    assert (report.received, report.outcomes, report.errors) == (2, {"filed": 2}, {})
    numbers = [row["filing_number"] for row in intake.log()]
    case = intake.case(numbers[0])
    assert case.kind == "queja"  # the mailbox's default
    assert case.received_at == stored  # INTERNALDATE: the arrival at our server, not the Date header
    assert {uid: "\\Seen" in flags for uid, flags in dovecot.flags().items()} == {first: True,
                                                                                   second: True}
    after = state(intake, mailbox)
    assert after.last_uid == second and after.uidvalidity and after.last_error is None
    assert after.last_fetch_at == intake.clock.now()
    # Fetching again finds nothing new.
    assert fetch(intake, settings).received == 0 and case_count(intake) == 2


def test_processed_mail_can_be_moved_to_a_folder(intake: IntakeUnderTest, dovecot: Dovecot,
                                                 settings: MailInSettings) -> None:
    add_mailbox(intake, dovecot, processed_folder="Procesados")
    dovecot.append(message(1))

    assert fetch(intake, settings).received == 1

    assert dovecot.flags() == {} and len(dovecot.flags("Procesados")) == 1


def test_a_crash_after_the_commit_and_before_the_mark_files_nothing_twice(
        intake: IntakeUnderTest, dovecot: Dovecot, settings: MailInSettings) -> None:
    mailbox = add_mailbox(intake, dovecot)
    uid = dovecot.append(message(1))

    def crash(_uid: int, _result: object) -> None:
        raise RuntimeError("se cayó el proceso")

    assert ADDRESS in fetch(intake, settings, after_receive=crash).errors
    assert case_count(intake) == 1 and "\\Seen" not in dovecot.flags()[uid]
    assert state(intake, mailbox).last_uid == 0

    report = fetch(intake, settings)

    assert report.outcomes == {"duplicate": 1} and case_count(intake) == 1
    assert "\\Seen" in dovecot.flags()[uid] and state(intake, mailbox).last_uid == uid


def test_imap_down_is_recorded_and_the_next_pass_catches_up(intake: IntakeUnderTest, dovecot: Dovecot,
                                                            settings: MailInSettings) -> None:
    mailbox = add_mailbox(intake, dovecot)
    dovecot.append(message(1))
    dovecot.stop()

    report = fetch(intake, settings)

    assert report.received == 0
    assert "no se pudo conectar con el servidor IMAP" in report.errors[ADDRESS]
    assert state(intake, mailbox).last_error == report.errors[ADDRESS]
    dovecot.start()
    assert fetch(intake, settings).received == 1
    assert case_count(intake) == 1 and state(intake, mailbox).last_error is None


def test_wrong_credentials_are_reported_without_the_password(intake: IntakeUnderTest, dovecot: Dovecot,
                                                             settings: MailInSettings) -> None:
    mailbox = add_mailbox(intake, dovecot)
    dovecot.append(message(1))

    report = fetch(intake, settings, secret=lambda _ref: "clave-equivocada")

    assert report.errors == {ADDRESS: f"el servidor IMAP {dovecot.host}:{dovecot.imaps_port} rechazó el "
                                      "usuario o la contraseña"}
    assert case_count(intake) == 0 and state(intake, mailbox).last_uid is None


def test_a_connection_dropped_mid_fetch_loses_nothing(intake: IntakeUnderTest, dovecot: Dovecot,
                                                      settings: MailInSettings) -> None:
    mailbox = add_mailbox(intake, dovecot)
    uids = [dovecot.append(message(n)) for n in range(1, 4)]

    def drop_after_the_first(uid: int, _result: object) -> None:
        if uid == uids[0]:
            assert dovecot.drop_connections() == 1  # cut between the commit and the mark

    report = fetch(intake, settings, after_receive=drop_after_the_first)

    assert "se perdió la conexión" in report.errors[ADDRESS] or "IMAP" in report.errors[ADDRESS]
    assert case_count(intake) == 1
    assert state(intake, mailbox).last_uid == 0  # the first was filed, but not marked
    report = fetch(intake, settings)
    assert report.outcomes == {"duplicate": 1, "filed": 2}
    assert case_count(intake) == 3 and state(intake, mailbox).last_uid == uids[-1]
    assert all("\\Seen" in flags for flags in dovecot.flags().values())


def test_a_new_uidvalidity_rereads_the_folder_without_filing_twice(intake: IntakeUnderTest, dovecot: Dovecot,
                                                                   settings: MailInSettings) -> None:
    add_mailbox(intake, dovecot, imap_url=dovecot.url(folder="Entrada"))
    dovecot.append(message(1), folder="Entrada")
    assert fetch(intake, settings).received == 1
    client = dovecot.client()  # the folder is recreated: same messages, new UIDVALIDITY
    client.delete_folder("Entrada")
    client.logout()
    dovecot.append(message(1), folder="Entrada")
    dovecot.append(message(2), folder="Entrada")

    report = fetch(intake, settings)

    assert report.outcomes == {"duplicate": 1, "filed": 1} and case_count(intake) == 2


def test_disabled_mailboxes_are_not_read(intake: IntakeUnderTest, dovecot: Dovecot,
                                         settings: MailInSettings) -> None:
    add_mailbox(intake, dovecot, enabled=False)
    dovecot.append(message(1))

    assert fetch(intake, settings).mailboxes == 0 and case_count(intake) == 0


def test_the_fetcher_waits_in_idle_and_files_what_arrives(intake: IntakeUnderTest, dovecot: Dovecot,
                                                          settings: MailInSettings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQRS_IMAP_TEST_PASSWORD", PASSWORD)  # the fetcher resolves the credential itself
    mailbox = add_mailbox(intake, dovecot)
    with fetcher_running(intake, settings, poll_seconds=120) as reports:
        # The first pass (nothing to read) is over: the fetcher is in IDLE.
        wait_until(lambda: state(intake, mailbox).last_fetch_at is not None)
        dovecot.append(message(1))
        wait_until(lambda: reports)  # IDLE wakes the fetcher long before the 120 s poll
    assert [r.received for r in reports] == [1] and case_count(intake) == 1


@pytest.mark.postgres
def test_the_database_down_leaves_the_message_unmarked_until_it_is_back(
        dovecot: Dovecot, settings: MailInSettings, postgres_url: str, postgres_engine: Engine,
        tmp_path: Path) -> None:
    parts = urlsplit(postgres_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    through_proxy = make_engine(postgres_url.replace(f"{parts.hostname}:{parts.port or 5432}",
                                                     f"127.0.0.1:{proxy.port}"), pool_pre_ping=True)
    intake = build(through_proxy, tmp_path)
    mailbox = add_mailbox(intake, dovecot)
    uid = dovecot.append(message(1))
    try:
        proxy.cut()  # the intake's database connections fail; the mailbox list was read before

        report = fetch_once(postgres_engine, intake.intake, settings, intake.clock.now, secret=secret)

        assert report.errors == {ADDRESS: "la base de datos no está disponible; se reintentará"}
        assert "\\Seen" not in dovecot.flags()[uid]
        proxy.restore()
        assert case_count(intake) == 0
        assert fetch_once(postgres_engine, intake.intake, settings, intake.clock.now,
                          secret=secret).outcomes == {"filed": 1}
        assert "\\Seen" in dovecot.flags()[uid] and case_count(intake) == 1
        assert state(intake, mailbox).last_uid == uid
    finally:
        through_proxy.dispose()
        proxy.close()


@pytest.fixture()
def plain_dovecot() -> Iterator[Dovecot]:
    """A server without IDLE and MOVE."""
    yield from run_dovecot(WITHOUT_IDLE_AND_MOVE)


def test_without_idle_and_move_the_fetcher_polls_and_copies_then_expunges(
        intake: IntakeUnderTest, plain_dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQRS_IMAP_TEST_PASSWORD", PASSWORD)
    settings = MailInSettings(imap_ca_file=plain_dovecot.cert, imap_timeout=10)
    mailbox = add_mailbox(intake, plain_dovecot, processed_folder="Procesados")
    with fetcher_running(intake, settings, poll_seconds=1) as reports:
        wait_until(lambda: state(intake, mailbox).last_fetch_at is not None)
        plain_dovecot.append(message(1))
        wait_until(lambda: reports)  # the next poll, a second later, finds it
    assert [r.received for r in reports] == [1] and case_count(intake) == 1
    assert plain_dovecot.flags() == {} and len(plain_dovecot.flags("Procesados")) == 1


def test_with_two_mailboxes_each_turn_reads_only_what_is_new(intake: IntakeUnderTest, dovecot: Dovecot,
                                                             settings: MailInSettings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQRS_IMAP_TEST_PASSWORD", PASSWORD)
    first = add_mailbox(intake, dovecot)
    second = add_mailbox(intake, dovecot, address="quejas@acme.example",
                         imap_url=dovecot.url(folder="Quejas"))
    dovecot.append(message(1))
    dovecot.append(message(2), folder="Quejas")
    turns: list[datetime] = []

    def clock() -> datetime:  # asked once per message, and once per mailbox and turn to record it
        turns.append(intake.clock.now())
        return intake.clock.now()

    with fetcher_running(intake, settings, poll_seconds=0.1, clock=clock) as reports:
        # The first turn (two messages, two records) and four more turns.
        wait_until(lambda: reports and len(turns) >= 12, tries=400)
    assert [r.received for r in reports] == [2] and case_count(intake) == 2
    assert state(intake, first).last_uid == 1 and state(intake, second).last_uid == 1


def test_a_file_credential_is_read_only_inside_the_secrets_directory(
        intake: IntakeUnderTest, dovecot: Dovecot, settings: MailInSettings, tmp_path: Path) -> None:
    secrets = tmp_path / "secretos"
    secrets.mkdir()
    (secrets / "imap").write_text(f"{PASSWORD}\n", encoding="utf-8")
    add_mailbox(intake, dovecot, credential=f"file:{secrets / 'imap'}")
    dovecot.append(message(1))

    refused = fetch_once(intake.engine, intake.intake, settings, intake.clock.now)
    assert "PQRS_MAIL_SECRETS_DIR" in refused.errors[ADDRESS] and case_count(intake) == 0

    with_dir = attrs.evolve(settings, secrets_dir=secrets)
    assert fetch_once(intake.engine, intake.intake, with_dir, intake.clock.now).outcomes == {"filed": 1}

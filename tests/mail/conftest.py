"""The mail intake under test: ``MailIntake`` on a real SQLite file (and, for the tests that ask for
``intake_any``, a real PostgreSQL database too), a real local file store, and a frozen clock that
tests move. Messages come from ``corpus/`` (``.eml`` files written for these tests)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import attrs
import pytest
from sqlalchemy import Engine, select

from pqrs_adapters.files.local import LocalFileStore
from pqrs_adapters.mail.intake import Arrival, IntakeResult, IntakeSettings, MailIntake
from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade
from pqrs_adapters.sqlalchemy.tables import mail_intake
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain.case import Case
from pqrs_core.domain.events import DomainEvent
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.services.messagebus import Pqrs

CORPUS = Path(__file__).parent / "corpus"
BOGOTA = ZoneInfo("America/Bogota")
MAILBOX = "pqrs@acme.example"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@attrs.define
class IntakeUnderTest:
    """An intake and what a test reads back: cases, history, the log, the outbox."""

    intake: MailIntake
    pqrs: Pqrs
    engine: Engine
    clock: FrozenClock
    files: LocalFileStore

    def arrival(self, **changes: object) -> Arrival:
        return attrs.evolve(Arrival(received_at=self.clock.now(), mailbox=MAILBOX, source="test"),
                            **changes)

    def receive(self, raw: bytes, **changes: object) -> IntakeResult:
        return self.intake.receive(raw, self.arrival(**changes))

    def case(self, number: str | None) -> Case:
        assert number is not None
        return self.pqrs.case(number)

    def history(self, number: str | None) -> list[DomainEvent]:
        assert number is not None
        return self.pqrs.history(number)

    def notes(self, number: str | None) -> list[str]:
        return [e.text for e in self.history(number) if type(e).__name__ == "NoteAdded"]  # type: ignore[attr-defined]

    def log(self) -> list[dict[str, object]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(mail_intake).order_by(mail_intake.c.id)).mappings()]

    def outbox(self, number: str | None = None) -> list[dict[str, object]]:
        from pqrs_adapters.sqlalchemy.tables import outbox

        stmt = select(outbox).order_by(outbox.c.id)
        if number is not None:
            stmt = stmt.where(outbox.c.filing_number == number)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def advance(self, **delta: float) -> None:
        self.clock.advance(**delta)


def build(engine: Engine, tmp_path: Path, settings: IntakeSettings | None = None, *,
          plugins: Iterable[object] = ()) -> IntakeUnderTest:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    files = LocalFileStore(tmp_path / "files")
    pm = get_plugin_manager(load_entry_points=False, extra=plugins)
    pqrs = bootstrap(uow_factory=sql_uow_factory(engine), clock=clock, plugin_manager=pm, files=files,
                     read_uow_factory=sql_uow_factory(engine, write=False))
    intake = MailIntake(pqrs, engine, settings=settings or IntakeSettings(own_addresses=frozenset({MAILBOX})))
    return IntakeUnderTest(intake, pqrs, engine, clock, files)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'data' / 'pqrs.db'}"
    (tmp_path / "data").mkdir()
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def intake(sqlite_engine: Engine, tmp_path: Path) -> Iterator[IntakeUnderTest]:
    """On a SQLite file."""
    yield build(sqlite_engine, tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def intake_any(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IntakeUnderTest]:
    """On a SQLite file, then on PostgreSQL."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    yield build(engine, tmp_path)




# ------------------------------------------------------------------------------------ outgoing mail
class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 keeping the raw bytes of every message it accepts."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        self.messages.append(bytes(envelope.content))
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        return [cast(EmailMessage, message_from_bytes(m, policy=policy.default)) for m in self.messages]


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


def deliver(it: IntakeUnderTest, smtp: SmtpSink, *, reply_mailbox: str | None = None) -> list[EmailMessage]:
    """Send what the outbox holds to ``smtp``; the messages sent now."""
    from pqrs_adapters.mail.smtp import SmtpMailer
    from pqrs_adapters.mail.worker import DeliveryOptions, deliver_once

    before = len(smtp.messages)
    deliver_once(it.engine, SmtpMailer("127.0.0.1", smtp.port, timeout=60), it.clock.now(),
                 options=DeliveryOptions(mail_from=f"PQRS Acme <{MAILBOX}>", reply_mailbox=reply_mailbox))
    return smtp.parsed()[before:]


def filled(name: str, **values: str) -> bytes:
    """A corpus message with its ``@@NAME@@`` placeholders filled in."""
    raw = corpus(name)
    for key, value in values.items():
        raw = raw.replace(f"@@{key.upper()}@@".encode(), value.encode())
    return raw

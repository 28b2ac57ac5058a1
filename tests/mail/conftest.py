"""The mail intake under test: ``MailIntake`` on a real SQLite file (and, for the tests that ask for
``intake_any``, a real PostgreSQL database too), a real local file store, and a frozen clock that
tests move. Messages come from ``corpus/`` (``.eml`` files written for these tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from sqlalchemy import Engine, select, text

from pqrs_adapters.files.local import LocalFileStore
from pqrs_adapters.mail.intake import Arrival, IntakeResult, IntakeSettings, MailIntake
from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade
from pqrs_adapters.sqlalchemy.tables import ALL_TABLES, mail_intake
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


def _build(engine: Engine, tmp_path: Path, settings: IntakeSettings | None = None) -> IntakeUnderTest:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    files = LocalFileStore(tmp_path / "files")
    pm = get_plugin_manager(load_entry_points=False)
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
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in ALL_TABLES)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


@pytest.fixture
def intake(sqlite_engine: Engine, tmp_path: Path) -> Iterator[IntakeUnderTest]:
    """On a SQLite file."""
    yield _build(sqlite_engine, tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def intake_any(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IntakeUnderTest]:
    """On a SQLite file, then on PostgreSQL."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    yield _build(engine, tmp_path)


@pytest.fixture
def build_intake(sqlite_engine: Engine, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An intake with settings of the test's choosing."""
    def build(settings: IntakeSettings) -> IntakeUnderTest:
        return _build(sqlite_engine, tmp_path, settings)
    return build

"""What only the SQL stores promise: engine settings, the migrated schema, row-level details."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import StatementError

from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory
from pqrs_adapters.sqlalchemy.engine import begin_write, normalize_url
from pqrs_adapters.sqlalchemy.tables import cases, catalog_changes, field_definitions
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.catalog import FieldDefinition, FieldType
from pqrs_core.domain.errors import ConcurrencyConflict, NotFound
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import UnitOfWork
from sql_statements import recorded_statements

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT = Actor("ana", frozenset({"agent"}))


def _file(store: StoreUnderTest | Callable[[], UnitOfWork], **values: Any) -> str:
    if callable(store):
        app = bootstrap(uow_factory=store, clock=FrozenClock(),
                        plugin_manager=get_plugin_manager(load_entry_points=False))
    else:
        app = store.app()
    command = c.FileCase(kind="queja", subject="Demora", description="Sin respuesta", **values)
    case = app.handle(command, AGENT)
    return str(case.filing_number)


@pytest.fixture
def statements(sqlite_engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    with recorded_statements(sqlite_engine) as seen:
        yield seen


def _kinds(statements: list[tuple[str, Any]]) -> list[str]:
    """Each statement's first word, ``BEGIN IMMEDIATE`` told from ``BEGIN``."""
    return [s.split()[0].upper() + (" IMMEDIATE" if "IMMEDIATE" in s else "") for s, _ in statements]


def test_sqlite_engine_settings_and_missing_directory(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'pqrs.db'}")
    try:
        with engine.connect() as conn:
            pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    finally:
        engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000, "synchronous": 1}
    assert (tmp_path / "a" / "b" / "pqrs.db").exists()


def test_sqlite_write_units_of_work_begin_immediate_and_reads_deferred(
        sqlite_engine: Engine, statements: list[tuple[str, Any]]) -> None:
    with sql_uow_factory(sqlite_engine)() as uow:
        uow.cases.count()
        uow.commit()
        uow.cases.count()
    with sql_uow_factory(sqlite_engine, write=False)() as uow:
        uow.cases.count()
    assert [s for s in _kinds(statements) if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE",
                                                                          "BEGIN"]


def test_a_filing_is_one_short_transaction_and_its_catalog_is_not_read_again(
        sqlite_engine: Engine, statements: list[tuple[str, Any]]) -> None:
    """Once the catalog is cached: the revision token, the number, the outbox rows (one statement), the
    snapshot, the legal source of its term unless stored already (``event_texts``, one ``INSERT ... ON
    CONFLICT DO NOTHING``) and the events; the queue's assignment strategy comes from the process's cache
    at the same revision token; the result comes with the catalog the filing ran with."""
    app = bootstrap(uow_factory=sql_uow_factory(sqlite_engine), clock=FrozenClock(),
                    plugin_manager=get_plugin_manager(load_entry_points=False))
    command = c.FileCase(kind="queja", subject="Demora", description="Sin respuesta",
                         requester=Requester(full_name="Marta Gómez", email="marta@example.com"))
    app.handle(command, AGENT)
    statements.clear()

    case, catalog = app.handle_with_catalog(command, AGENT)

    assert _kinds(statements) == ["BEGIN IMMEDIATE", "SELECT", *["INSERT"] * 5]
    assert case.filing_number.sequence == 2 and catalog.workflows == app.catalog().workflows
    assert catalog.guards == app.deps.guards and catalog.calendar == app.deps.settings.calendar


def test_the_catalog_a_unit_of_work_loaded_is_forgotten_once_it_changes(sqlite_engine: Engine) -> None:
    bootstrap(uow_factory=sql_uow_factory(sqlite_engine), clock=FrozenClock(),
              plugin_manager=get_plugin_manager(load_entry_points=False))
    with sql_uow_factory(sqlite_engine)() as uow:
        assert uow.catalog.loaded() is None
        catalog = uow.catalog.load()
        assert uow.catalog.loaded() is catalog
        uow.catalog.put_closure(datetime(2026, 3, 10).date(), "Inventario")
        assert uow.catalog.loaded() is None
        assert uow.catalog.load().closures == (datetime(2026, 3, 10).date(),)


def test_postgres_urls_use_psycopg() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"


def test_datetimes_are_stored_as_utc_instants(sql_store: StoreUnderTest) -> None:
    assert sql_store.engine is not None
    bogota_noon = datetime(2026, 3, 2, 12, 0, 0, 250, tzinfo=timezone(timedelta(hours=-5)))
    with sql_store.engine.begin() as conn:
        conn.execute(catalog_changes.insert().values(actor="a", at=bogota_noon, what="x", data={}))
        stored = conn.execute(select(catalog_changes.c.at)).scalar_one()
        assert stored == bogota_noon and stored.tzinfo is UTC and stored.hour == 17
        with pytest.raises(StatementError, match="naive datetime"):
            naive = datetime(2026, 3, 2)
            conn.execute(catalog_changes.insert().values(actor="a", at=naive, what="x", data={}))


def test_the_snapshot_row_has_query_columns(sql_store: StoreUnderTest) -> None:
    assert sql_store.engine is not None
    number = _file(sql_store, priority="media", typification="PEDIDO_NO_RECIBIDO")
    with sql_store.engine.connect() as conn:
        row = conn.execute(select(cases).where(cases.c.filing_number == number)).mappings().one()
    assert (row["filing_prefix"], row["filing_year"], row["filing_seq"]) == ("PQRS", 2026, 1)
    due = sql_store.app().case(number).resolution_due  # the core's default term
    assert (row["priority_rank"], row["state_category"], row["due_at"]) == (3, "todo", due)
    assert due is not None
    assert row["typification_path"] == "Operaciones › Pedido no recibido"
    assert row["typification_path_codes"] == "|OPERACIONES|PEDIDO_NO_RECIBIDO|"


def test_save_checks_the_version_even_without_new_events(sql_store: StoreUnderTest) -> None:
    number = _file(sql_store)
    with sql_store.uow_factory() as uow:
        case = uow.cases.get(number)
    case.version = 7
    with sql_store.uow_factory() as uow:
        with pytest.raises(ConcurrencyConflict):
            uow.cases.save(case)
        case.id = "no-such-id"
        with pytest.raises(NotFound):
            uow.cases.save(case)


def test_adding_a_filing_number_twice_conflicts(sql_store: StoreUnderTest) -> None:
    number = _file(sql_store)
    with sql_store.uow_factory() as uow:
        case = uow.cases.get(number)
        case.id = "another-id"
        with pytest.raises(ConcurrencyConflict):
            uow.cases.add(case)


def test_field_definitions_keep_their_order_when_updated(sql_store: StoreUnderTest) -> None:
    assert sql_store.engine is not None
    with sql_store.uow_factory() as uow:
        for code in ("b", "a", "c"):
            uow.catalog.put_field(FieldDefinition(code, code.upper()), "p")
        uow.catalog.put_field(FieldDefinition("a", "A2", FieldType.INTEGER), "admin")
        uow.commit()
        assert [(f.code, f.label) for f in uow.catalog.load().fields] == [("b", "B"), ("a", "A2"), ("c", "C")]
    with sql_store.engine.connect() as conn:
        positions = conn.execute(select(field_definitions.c.position).order_by("code")).scalars().all()
    assert positions == [2, 1, 3]


@pytest.mark.postgres
def test_postgres_a_save_waiting_on_anothers_row_lock_conflicts_once_it_commits(
        postgres_engine: Engine) -> None:
    """Truly concurrent units of work: the second UPDATE waits for the first transaction's row lock,
    then finds the version moved on and writes nothing."""
    factory = sql_uow_factory(postgres_engine)
    number = _file(factory)
    now = datetime(2026, 3, 2, 15, tzinfo=UTC)
    outcome: list[BaseException | None] = []
    with factory() as first_uow:
        first = first_uow.cases.get(number)
        first.add_note("primera", public=False, actor=AGENT, now=now)
        first_uow.cases.save(first)  # holds the row lock until commit

        def second_saves() -> None:
            with factory() as uow:
                second = uow.cases.get(number)  # still sees version 1
                second.add_note("segunda", public=False, actor=AGENT, now=now)
                try:
                    uow.cases.save(second)
                    uow.commit()
                    outcome.append(None)
                except ConcurrencyConflict as exc:
                    outcome.append(exc)

        worker = threading.Thread(target=second_saves)
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive(), "the second UPDATE should be waiting for the row lock"
        first_uow.commit()
    worker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ConcurrencyConflict)
    with postgres_engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM cases")).scalars().all()
        notes = conn.execute(text("SELECT count(*) FROM case_events WHERE type = 'NoteAdded'")).scalar_one()
    assert (versions, notes) == ([2], 1)


def test_begin_write_commits_in_an_immediate_transaction(
        sqlite_engine: Engine, statements: list[tuple[str, Any]]) -> None:
    with begin_write(sqlite_engine) as conn:
        conn.execute(catalog_changes.insert().values(actor="a", at=datetime.now(UTC), what="x", data={}))
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(catalog_changes.c.what)).scalars().all() == ["x"]
    assert "BEGIN IMMEDIATE" in _kinds(statements)

"""``pqrs_adapters.open_pqrs``: the library on a real SQLite file and a real PostgreSQL database, and
what a developer reads when the database was never initialised or is out of date."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import text

from pqrs_adapters import StoreNotMigrated, migrate, open_pqrs
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_core import Actor, CaseQuery, FileCase, FrozenClock, RespondCase, StateCategory, TransitionCase

BOGOTA = ZoneInfo("America/Bogota")
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it (no schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.sqlite3'}"
        return
    admin = make_engine(request.getfixturevalue("postgres_url"), isolation_level="AUTOCOMMIT")
    name = f"pqrs_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("empty_database", DATABASES, indirect=True)
def test_a_database_never_initialised_is_reported_with_what_to_run(empty_database: str,
                                                                    tmp_path: Path) -> None:
    with pytest.raises(StoreNotMigrated) as refused:
        open_pqrs(empty_database, files_dir=tmp_path / "files")

    message = str(refused.value)
    assert "no tiene el esquema de pqrs" in message and "pqrs init" in message
    assert "no such table" not in message and "UndefinedTable" not in message
    assert refused.value.current == ()


def test_a_database_with_an_older_schema_is_reported_as_out_of_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    migrate(url)
    command.downgrade(alembic_config(url), "-1")

    with pytest.raises(StoreNotMigrated, match="desactualizado.*pqrs init"):
        open_pqrs(url, files_dir=tmp_path / "files")
    with open_pqrs(url, migrate=True, files_dir=tmp_path / "files") as pqrs:
        assert pqrs.count() == 0


@pytest.mark.parametrize("empty_database", DATABASES, indirect=True)
def test_the_library_files_answers_queries_and_explains_on_the_sql_store(empty_database: str,
                                                                        tmp_path: Path) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    ana = Actor("ana", frozenset({"agent"}))
    migrate(empty_database)

    with open_pqrs(empty_database, clock=clock, files_dir=tmp_path / "files") as pqrs:
        case = pqrs.handle(FileCase(kind="queja", subject="Pedido incompleto",
                                    description="Llegaron 8 de las 10 cajas."), ana)
        number = str(case.filing_number)
        pqrs.handle(TransitionCase(filing_number=number, transition="start"), ana)
        pqrs.handle(RespondCase(filing_number=number, text="Enviamos las 2 cajas.", close=True), ana)
    # Another application on the same database, as a second process would open it.
    with open_pqrs(empty_database, clock=clock, files_dir=tmp_path / "files") as again:
        done = again.cases(CaseQuery(state_categories=(StateCategory.DONE,)), ana).cases
        history = [e.name for e in again.history(number, ana)]
        explanation = again.explain_term(number, ana)

    assert [str(c.filing_number) for c in done] == [number]
    assert history[0] == "CaseFiled" and "CaseResponded" in history and history[-1] == "CaseClosed"
    assert explanation.filing_number == number and explanation.lines[0].startswith("02/03/2026 09:00")

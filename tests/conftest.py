"""Shared test setup: the ``src/`` layout is importable without installing the project, and the real
PostgreSQL server gives each test session fresh, migrated databases (dropped afterwards)."""

from __future__ import annotations

import os
import select
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy import Engine

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


if "faketime" in os.environ.get("LD_PRELOAD", ""):
    # Under libfaketime with monotonic time left real (``make test-clock``), CPython's time.sleep fails
    # with EINVAL, and so does everything built on it (subprocess waits with a timeout, polling loops).
    # select() with only a timeout waits the same way and is unaffected.
    def _sleep(seconds: float) -> None:
        select.select([], [], [], seconds)

    time.sleep = _sleep


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``make test`` runs the tests in several processes (pytest-xdist, ``--dist loadgroup``): each test
    file whole in one process, and the browser tests all in one, in their order, as they share the
    served application of a process (and what its people last chose, such as an inbox's view)."""
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group("e2e" if path.startswith("tests/e2e/") else path))


POSTGRES_ADMIN_URL = os.environ.get("PQRS_TEST_POSTGRES_URL",
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def postgres_unavailable(reason: str) -> None:
    """Under ``CI=true`` a missing PostgreSQL fails the run; elsewhere its tests are skipped."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    pytest.skip(f"PostgreSQL unreachable ({reason})")


def postgres_database(prefix: str, *, migrated: bool = True) -> Iterator[str]:
    """A new PostgreSQL database (with the schema when ``migrated``), dropped afterwards."""
    from sqlalchemy import text

    from pqrs_adapters.sqlalchemy import make_engine, upgrade

    admin = make_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "unreachable"
        admin.dispose()
        postgres_unavailable(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        if migrated:
            upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated database for the store and CLI tests."""
    yield from postgres_database("pqrs_test")


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """An engine on the session database, emptied before the test."""
    from sqlalchemy import text

    from pqrs_adapters.sqlalchemy import make_engine
    from pqrs_adapters.sqlalchemy.tables import ALL_TABLES

    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in ALL_TABLES)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def api_postgres_url() -> Iterator[str]:
    """A fresh, migrated database of its own for the API tests."""
    yield from postgres_database("pqrs_api_test")


@pytest.fixture
def new_postgres_database() -> Iterator[Callable[[str], str]]:
    """Makes empty PostgreSQL databases (no schema) for one test, dropped at its end."""
    made: list[Iterator[str]] = []

    def make(prefix: str) -> str:
        database = postgres_database(prefix, migrated=False)
        made.append(database)
        return next(database)

    yield make
    for database in made:
        for _ in database:  # runs the generator's clean-up
            pass

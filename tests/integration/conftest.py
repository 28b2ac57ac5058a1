"""Stores under test: the in-memory reference store, a real SQLite file and a real PostgreSQL
database (created fresh for the session as ``pqrs_test_<hex>`` and dropped afterwards).

PostgreSQL is looked for at ``PQRS_TEST_POSTGRES_URL`` (default: postgres@127.0.0.1:5432, trust auth).
When it is unreachable its tests are skipped, except on CI (``CI=true``), where they fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from sqlalchemy import Engine

from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.memory import MemoryFileStore, MemoryStore
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import UnitOfWork
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.settings import Settings


@attrs.define
class StoreUnderTest:
    """One store, with what a test needs to build an application over it."""

    name: str
    uow_factory: Callable[[], UnitOfWork]
    read_uow_factory: Callable[[], UnitOfWork]
    url: str | None = None
    engine: Engine | None = None

    def app(self, *, clock: FrozenClock | None = None, plugins: Iterable[Any] = (),
            settings: Settings | None = None, at: datetime | None = None) -> Pqrs:
        pm = get_plugin_manager(load_entry_points=False, extra=plugins)
        return bootstrap(uow_factory=self.uow_factory, clock=clock or FrozenClock(at), settings=settings,
                         plugin_manager=pm, files=MemoryFileStore())


# --------------------------------------------------------------------------------- SQLite
@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'data' / 'pqrs.db'}"
    upgrade(url)
    return url


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


# --------------------------------------------------------------------------------- parametrization
STORES = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _make_store(name: str, request: pytest.FixtureRequest) -> StoreUnderTest:
    if name == "memory":
        memory = MemoryStore()
        return StoreUnderTest(name, memory.unit_of_work, memory.unit_of_work)
    engine: Engine = request.getfixturevalue(f"{name}_engine")
    return StoreUnderTest(name, sql_uow_factory(engine), sql_uow_factory(engine, write=False),
                          url=engine.url.render_as_string(hide_password=False), engine=engine)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> StoreUnderTest:
    """Each contract test runs once per store."""
    return _make_store(request.param, request)


@pytest.fixture(params=SQL_STORES)
def sql_store(request: pytest.FixtureRequest) -> StoreUnderTest:
    """The SQL stores only (schema, engine and multi-process behaviour)."""
    return _make_store(request.param, request)

"""``SqlUnitOfWork``: one connection and one transaction at a time, with the semantics of
``pqrs_core.memory.MemoryUnitOfWork``: nothing is kept unless ``commit()`` is called, leaving the
``with`` block rolls back what was not committed, and the events of the cases added or saved are
handed out by ``collect_new_events()`` only once they are committed. The webhook deliveries of those
events are queued in the same transaction (``webhook_store.queue_deliveries``), the active
subscriptions cached with the catalog's revision token.

The transaction starts with the first statement. On SQLite a write unit of work starts it with
``BEGIN IMMEDIATE`` (it waits, up to the busy timeout, for the other writers to finish); pass
``write=False`` for reads, which then neither wait for nor block writers.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Self

import cattrs
from sqlalchemy import Connection, Engine

from pqrs_core.domain.calendar import BusinessCalendar, organisation_calendar
from pqrs_core.domain.events import DomainEvent

from .assignment_store import SqlAssignmentStore
from .catalog_store import CatalogCache, SqlCatalogStore
from .codec import store_converter
from .engine import WRITE_OPTION
from .numbers import SqlNumberAllocator
from .outbox import SqlOutbox
from .outgoing_store import SqlOutgoingNumbers
from .rate_limits import SqlRateCounter
from .repository import SqlCaseRepository
from .voiding_store import SqlVoidingStore
from .webhook_store import queue_deliveries


class SqlUnitOfWork:
    cases: SqlCaseRepository
    catalog: SqlCatalogStore
    numbers: SqlNumberAllocator
    outgoing: SqlOutgoingNumbers
    outbox: SqlOutbox
    rates: SqlRateCounter
    assignment: SqlAssignmentStore

    def __init__(self, engine: Engine, write: bool = True, converter: cattrs.Converter | None = None,
                 catalog_cache: CatalogCache | None = None, calendar: BusinessCalendar | None = None) -> None:
        self._engine = engine
        self._calendar = calendar
        self._write = write
        self._converter = converter or store_converter()
        self._catalog_cache = catalog_cache
        self._conn: Connection | None = None
        self._published: list[DomainEvent] = []

    @property
    def connection(self) -> Connection:
        """The connection of this unit of work (for adapters that add queries of their own)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open (use it in a with block)")
        return self._conn

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already open")
        conn = self._engine.connect()
        conn.execution_options(**{WRITE_OPTION: self._write})
        self._conn = conn
        self.catalog = SqlCatalogStore(conn, self._converter, self._catalog_cache)
        self.cases = SqlCaseRepository(conn, self._converter, calendar=self._organisation_calendar)
        self.numbers = SqlNumberAllocator(conn)
        self.outgoing = SqlOutgoingNumbers(conn)
        self.outbox = SqlOutbox(conn)
        self.rates = SqlRateCounter(conn)
        self.assignment = SqlAssignmentStore(conn, self.catalog)
        self.voidings = SqlVoidingStore(conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            self.rollback()
        finally:
            self._conn = None
            conn.close()

    def _organisation_calendar(self) -> BusinessCalendar:
        """The settings' calendar with the organisation's stored closure days and working weekdays
        (what the use cases' catalog carries)."""
        stored = self.catalog.load()
        return organisation_calendar(self._calendar or BusinessCalendar(), stored.closures,
                                     stored.working_weekdays)

    def commit(self) -> None:
        queue_deliveries(self.connection, self.cases.seen, self._converter, self.catalog.token)
        self.connection.commit()
        self.catalog.forget()
        for case in self.cases.seen:
            self._published.extend(case.events)
            case.events = []
        self.cases.seen = []

    def rollback(self) -> None:
        self.connection.rollback()
        self.catalog.forget()
        self.cases.forget()
        self.assignment.forget()

    def collect_new_events(self) -> Iterator[DomainEvent]:
        while self._published:
            yield self._published.pop(0)


# One catalog cache per engine, shared by the read and the write units of work of a process.
_CATALOG_CACHES: weakref.WeakKeyDictionary[Engine, CatalogCache] = weakref.WeakKeyDictionary()


def sql_uow_factory(engine: Engine, *, write: bool = True,
                    calendar: BusinessCalendar | None = None) -> Callable[[], SqlUnitOfWork]:
    """A factory for ``bootstrap(uow_factory=...)``; every unit of work shares one converter and the
    engine's catalog cache. ``calendar``: the settings' business calendar (the default one when not
    given), that the stored closure days complete."""
    converter = store_converter()
    cache = _CATALOG_CACHES.setdefault(engine, CatalogCache())

    def factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, write=write, converter=converter, catalog_cache=cache, calendar=calendar)

    return factory

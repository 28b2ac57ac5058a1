"""Engines for the SQL store.

SQLite: WAL journal, foreign keys on, 30 s busy timeout, ``synchronous=NORMAL``; SQLAlchemy, not
pysqlite, emits ``BEGIN`` so that a write unit of work starts with ``BEGIN IMMEDIATE`` (the write lock
is taken up front: two processes filing at once queue up instead of dead-locking on a lock upgrade)
and a read-only one with a deferred ``BEGIN``.

Both write JSON compact (``codec.compact_json``).

PostgreSQL: ``postgresql+psycopg://`` (``postgresql://`` and ``postgres://`` are rewritten to it).

Both hide the values bound to a statement from its errors (``hide_parameters``): they are names,
documents and e-mails, and an error's text ends up in the logs. ``describe_error`` is what a log may
say about a database error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from .codec import compact_json

# Execution option a unit of work sets on its connection when it intends to write.
WRITE_OPTION = "pqrs_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str) -> URL:
    """The URL with PostgreSQL pointed at the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; extra keyword arguments go to ``create_engine``."""
    parsed = normalize_url(url)
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("json_serializer", compact_json)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect if not in_memory else _sqlite_on_connect_memory)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, *, wal: bool) -> None:
    # Take transaction control away from pysqlite: it would otherwise BEGIN (deferred) on its own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, wal=True)


def _sqlite_on_connect_memory(dbapi_connection: Any, _record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, wal=False)


def _sqlite_on_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_sqlite(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


@contextmanager
def begin_write(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success,
    for adapters that write outside a unit of work (accounts, imports)."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            yield conn


def describe_error(exc: DBAPIError) -> str:
    """A database error for the logs, without personal data: the driver's error class and SQLSTATE;
    the server's own words only for the errors of reaching or locking the database ("connection
    refused", "database is locked"). Other messages quote the row at fault (PostgreSQL's
    ``DETAIL: Key (...)=(...)``, a value that did not fit a column) and are left out."""
    original = exc.orig
    name = type(original).__name__ if original is not None else type(exc).__name__
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    described = f"{name} (SQLSTATE {sqlstate})" if sqlstate else name
    if isinstance(exc, OperationalError | InterfaceError) and original is not None:
        first_line = str(original).strip().splitlines()[:1]
        if first_line:
            described += f": {first_line[0][:300]}"
    return described

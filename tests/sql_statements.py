"""The SQL statements an engine or a connection runs, for the tests that read what the store sends
(how many reads, which columns an update writes, the plan of each statement), including those sent past
SQLAlchemy on psycopg's binary cursors (PostgreSQL's answer times, ``report_count_queries``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import Connection, Engine, event


@contextmanager
def recorded_statements(target: Engine | Connection) -> Iterator[list[tuple[str, Any]]]:
    """Each statement ``target`` runs while the block runs, with its parameters, in order."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    execute = psycopg.Cursor.execute

    def binary_execute(cursor: psycopg.Cursor[Any], query: Any, params: Any = None, **kwargs: Any) -> Any:
        if cursor.format == pq.Format.BINARY:
            seen.append((query, params))
        return execute(cursor, query, params, **kwargs)

    event.listen(target, "before_cursor_execute", record)
    psycopg.Cursor.execute = binary_execute  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        psycopg.Cursor.execute = execute  # type: ignore[method-assign]
        event.remove(target, "before_cursor_execute", record)

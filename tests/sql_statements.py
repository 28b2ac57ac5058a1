"""The SQL statements an engine or a connection runs, for the tests that read what the store sends
(how many reads, which columns an update writes, the plan of each statement)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event


@contextmanager
def recorded_statements(target: Engine | Connection) -> Iterator[list[tuple[str, Any]]]:
    """Each statement ``target`` runs while the block runs, with its parameters, in order."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(target, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(target, "before_cursor_execute", record)

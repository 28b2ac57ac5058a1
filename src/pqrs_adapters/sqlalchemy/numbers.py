"""``SqlNumberAllocator``: filing sequences per prefix and year, one upsert per number (the outgoing
numbers' counters, per series and year, are taken the same way: ``next_in``).

``INSERT ... ON CONFLICT (prefix, year) DO UPDATE SET last_value = last_value + 1 RETURNING`` works on
SQLite ≥ 3.35 and PostgreSQL. The row stays locked (PostgreSQL row lock; SQLite's ``BEGIN IMMEDIATE``
write lock) until the transaction ends, so concurrent processes queue up; a rollback gives the number
back, so committed numbers have no gaps.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Connection, Insert, Table, literal
from sqlalchemy.dialects import postgresql, sqlite

from .tables import filing_sequences


@cache
def _next_number(dialect: str, table: Table = filing_sequences) -> Insert:
    """The upsert on ``table`` (its key: a text column and ``year``), built once per dialect
    (SQLAlchemy then compiles it once); the key's values are its parameters."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (insert(table).values(last_value=literal(1))
            .on_conflict_do_update(index_elements=list(table.primary_key.columns),
                                   set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))


def next_in(conn: Connection, table: Table, key: dict[str, object]) -> int:
    """The next value of ``table``'s sequence for ``key`` (its primary key's columns)."""
    return int(conn.execute(_next_number(conn.dialect.name, table), key).scalar_one())


class SqlNumberAllocator:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next(self, prefix: str, year: int) -> int:
        return next_in(self._conn, filing_sequences, {"prefix": prefix, "year": year})

"""``SqlNumberAllocator``: filing sequences per prefix and year, one upsert per number.

``INSERT ... ON CONFLICT (prefix, year) DO UPDATE SET last_value = last_value + 1 RETURNING`` works on
SQLite ≥ 3.35 and PostgreSQL. The row stays locked (PostgreSQL row lock; SQLite's ``BEGIN IMMEDIATE``
write lock) until the transaction ends, so concurrent processes queue up; a rollback gives the number
back, so committed numbers have no gaps.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Connection, Insert, literal
from sqlalchemy.dialects import postgresql, sqlite

from .tables import filing_sequences


@cache
def _next_number(dialect: str) -> Insert:
    """The upsert, built once per dialect (SQLAlchemy then compiles it once); ``prefix`` and ``year``
    are its parameters."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (insert(filing_sequences).values(last_value=literal(1))
            .on_conflict_do_update(index_elements=[filing_sequences.c.prefix, filing_sequences.c.year],
                                   set_={"last_value": filing_sequences.c.last_value + 1})
            .returning(filing_sequences.c.last_value))


class SqlNumberAllocator:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next(self, prefix: str, year: int) -> int:
        stmt = _next_number(self._conn.dialect.name)
        return int(self._conn.execute(stmt, {"prefix": prefix, "year": year}).scalar_one())

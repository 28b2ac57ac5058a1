"""``SqlNumberAllocator``: filing sequences per prefix and year, one upsert per number.

``INSERT ... ON CONFLICT (prefix, year) DO UPDATE SET last_value = last_value + 1 RETURNING`` works on
SQLite ≥ 3.35 and PostgreSQL. The row stays locked (PostgreSQL row lock; SQLite's ``BEGIN IMMEDIATE``
write lock) until the transaction ends, so concurrent processes queue up; a rollback gives the number
back, so committed numbers have no gaps.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from .tables import filing_sequences


class SqlNumberAllocator:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next(self, prefix: str, year: int) -> int:
        insert = postgresql.insert if self._conn.dialect.name == "postgresql" else sqlite.insert
        stmt = (insert(filing_sequences).values(prefix=prefix, year=year, last_value=1)
                .on_conflict_do_update(index_elements=[filing_sequences.c.prefix, filing_sequences.c.year],
                                       set_={"last_value": filing_sequences.c.last_value + 1})
                .returning(filing_sequences.c.last_value))
        return int(self._conn.execute(stmt).scalar_one())

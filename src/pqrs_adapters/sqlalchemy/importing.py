"""``SqlImportSink``: the fast path ``pqrs import`` writes historical cases through.

A batch of cases is one transaction (``BEGIN IMMEDIATE`` on SQLite): a check that none of their filing
numbers is taken, one ``executemany`` of snapshot rows (``case_rows.case_to_row``, the rows the
repository writes), one of event rows (``case_rows.event_rows``), and one upsert per filing sequence
moving it past the batch's numbers. The search text goes in with the row: the FTS5 triggers (SQLite)
and the generated ``tsvector`` column (PostgreSQL) index it as for any other case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cattrs
from sqlalchemy import Connection, Engine, case, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import FilingNumbersTaken

from .case_rows import case_to_row, event_rows
from .codec import store_converter
from .engine import begin_write
from .tables import case_events, cases, filing_sequences, priorities

# Filing numbers looked up per statement when checking which are taken.
LOOKUP_CHUNK = 1000


class SqlImportSink:
    def __init__(self, engine: Engine, converter: cattrs.Converter | None = None) -> None:
        self._engine = engine
        self._converter = converter or store_converter()
        self._ranks: dict[str, int] | None = None

    def sequences(self) -> dict[tuple[str, int], int]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(filing_sequences)).all()
        return {(r.prefix, r.year): r.last_value for r in rows}

    def write(self, batch: Sequence[Case]) -> None:
        if not batch:
            return
        with begin_write(self._engine) as conn:
            taken = self._taken(conn, [str(c.filing_number) for c in batch])
            if taken:
                raise FilingNumbersTaken(taken)
            ranks = self._priority_ranks(conn)
            rows: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            last: dict[tuple[str, int], int] = {}
            for item in batch:
                row = case_to_row(item)
                row.update(version=1, priority_rank=ranks.get(item.priority) if item.priority else None)
                rows.append(row)
                events.extend(event_rows(self._converter, item.id, item.events, first_seq=1))
                number = item.filing_number
                key = (number.prefix, number.year)
                last[key] = max(last.get(key, 0), number.sequence)
            conn.execute(insert(cases), rows)
            if events:
                conn.execute(insert(case_events), events)
            for (prefix, year), value in sorted(last.items()):
                _move_sequence(conn, prefix, year, value)
        for item in batch:
            item.version = 1

    def finish(self) -> None:
        """``ANALYZE`` the two tables the import filled, so that the planner knows their new size
        (PostgreSQL's autovacuum may be off or late; SQLite has no statistics until asked). Only
        those: statistics taken now of a table that is still nearly empty (``users``) would stay and
        mislead the planner once it grows (SQLite then scans ``users`` at every step of a network's
        recursive query)."""
        with self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("ANALYZE cases, case_events"))
            else:
                conn.execute(text("ANALYZE cases"))
                conn.execute(text("ANALYZE case_events"))
            conn.commit()

    # ------------------------------------------------------------------ internals
    def _taken(self, conn: Connection, numbers: list[str]) -> list[str]:
        taken: list[str] = []
        for i in range(0, len(numbers), LOOKUP_CHUNK):
            chunk = numbers[i:i + LOOKUP_CHUNK]
            taken.extend(conn.execute(select(cases.c.filing_number)
                                      .where(cases.c.filing_number.in_(chunk))).scalars())
        return taken

    def _priority_ranks(self, conn: Connection) -> dict[str, int]:
        if self._ranks is None:
            self._ranks = {r.code: r.rank for r in conn.execute(select(priorities.c.code, priorities.c.rank))}
        return self._ranks


def _move_sequence(conn: Connection, prefix: str, year: int, value: int) -> None:
    """``last_value = max(last_value, value)`` for the sequence, created when missing."""
    insert_ = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert_(filing_sequences).values(prefix=prefix, year=year, last_value=value)
    current = filing_sequences.c.last_value
    stmt = stmt.on_conflict_do_update(
        index_elements=[filing_sequences.c.prefix, filing_sequences.c.year],
        set_={"last_value": case((current < stmt.excluded.last_value, stmt.excluded.last_value),
                                 else_=current)})
    conn.execute(stmt)

"""``SqlImportSink``: the fast path ``pqrs import`` writes historical cases through.

A batch of cases is one transaction (``BEGIN IMMEDIATE`` on SQLite): a check that none of their filing
numbers is taken, one ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) of snapshot rows
(``case_rows.case_to_row``, the rows the repository writes), one of event rows
(``event_codec.event_rows``) with the texts they share (``event_codec.write_texts``), and one upsert
per filing sequence moving it past the batch's numbers.
Each statement is made once and its rows go to the driver directly (``bulk_insert.bulk_writer``). The
search text goes in with the row: on PostgreSQL the generated ``tsvector`` column indexes it; on
SQLite the batch's rows get their ``search_rowid`` here, after the largest one stored, and the batch is
indexed in FTS5 by one ``INSERT ... SELECT`` (the insert trigger leaves rows that come with a
``search_rowid`` to their writer; one statement for the batch costs a tenth of the trigger's work row
by row).

The writes go through one connection held for the whole import (``close`` gives it back), set up for
a bulk load without giving up what a resumable import needs (every batch whole or not at all, and
the batches written so far kept when the import stops):

- SQLite: a page cache of ``IMPORT_CACHE_KIB`` for the import's connection (the default 2 MiB holds
  a sliver of the 15 indexes of ``cases``: every batch read the same index pages again), and the WAL
  checkpointed every ``IMPORT_CHECKPOINT_PAGES`` pages instead of after every batch. ``synchronous``
  stays ``NORMAL`` (in WAL mode a commit does not wait for the disk; ``OFF`` could corrupt the file on
  a power cut during a checkpoint).
- PostgreSQL: ``COPY`` (``bulk_insert.BulkCopy``) instead of ``executemany``;
  ``synchronous_commit = off`` for the session (a batch's commit does not wait for its WAL to reach
  the disk; a server crash loses at most the last batches, never half of one, and ``close`` commits
  one last transaction synchronously, so that what the import reports as written is on disk); a
  larger ``gin_pending_list_limit``, so that the search index takes the new rows' words in larger,
  sorted merges, its pending list merged at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import cattrs
from sqlalchemy import Connection, Engine, Integer, case, column, select, table, text
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import FilingNumbersTaken
from pqrs_core.domain.values import FilingNumber
from pqrs_core.field_search import indexed_values

from .bulk_insert import BulkInsert, bulk_writer
from .case_rows import case_to_row
from .codec import store_converter
from .engine import WRITE_OPTION
from .event_codec import EVENT_COLUMNS, event_rows, write_texts
from .report_facts import facts_delta, new_answer_times
from .search_schema import FTS_TABLE
from .tables import case_events, case_field_values, case_report_facts, cases, filing_sequences, priorities

# Filing numbers looked up per statement when checking which are taken.
LOOKUP_CHUNK = 1000
# SQLite: the import connection's page cache (KiB) and WAL checkpoint interval (pages of 4 KiB).
IMPORT_CACHE_KIB = 131_072
IMPORT_CHECKPOINT_PAGES = 16_384
# PostgreSQL: the pending list of the search index's GIN before it is merged into the index.
IMPORT_GIN_PENDING = "64MB"
# Merges the pending lists of the GIN indexes of ``cases`` (the search index) into the indexes.
CLEAN_GIN_PENDING = (
    "SELECT gin_clean_pending_list(i.indexrelid::regclass) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
    "WHERE i.indrelid = 'cases'::regclass AND a.amname = 'gin'")
CASE_COLUMNS = tuple(c.name for c in cases.columns)
# ``cases`` with the column only SQLite has (``search_schema``), for the import's own insert there.
SQLITE_CASES = table("cases", *(column(c.name, c.type) for c in cases.columns),
                     column("search_rowid", Integer()))


class PreparedCase(NamedTuple):
    """A case as the driver's parameters of its rows (``SqlImportSink.prepare``): cheap to send
    between processes, ready for ``executemany``."""

    line: int
    number_given: bool
    filing_number: FilingNumber
    row: Any  # the ``cases`` row without ``search_rowid`` (``BulkInsert.values``)
    events: list[Any]  # its ``case_events`` rows
    facts: Any = None  # its ``case_report_facts`` row (``BulkInsert.values``), if its events make one
    fields: tuple[Any, ...] = ()  # its ``case_field_values`` rows (``BulkInsert.values``)
    texts: tuple[tuple[str, str], ...] = ()  # the shared texts its events name (``event_codec``)

    @property
    def event_count(self) -> int:
        return len(self.events)


class SqlImportSink:
    """Reads the priority ranks when made: ``prepare`` then needs no connection (it may run in a
    forked worker process)."""

    def __init__(self, engine: Engine, converter: cattrs.Converter | None = None,
                 calendar: BusinessCalendar | None = None) -> None:
        self._engine = engine
        self._calendar = calendar or BusinessCalendar()  # the organisation's, for the answer times
        self._converter = converter or store_converter()
        dialect = engine.dialect
        self._sqlite = dialect.name == "sqlite"
        self._cases = bulk_writer(cases, CASE_COLUMNS, dialect)
        self._events = bulk_writer(case_events, EVENT_COLUMNS, dialect)
        self._facts = bulk_writer(case_report_facts, [c.name for c in case_report_facts.c], dialect)
        self._fields = bulk_writer(case_field_values, [c.name for c in case_field_values.c], dialect)
        if self._sqlite:
            # The same statement with ``search_rowid`` last: a prepared row plus its rowid.
            self._cases_sqlite = BulkInsert(SQLITE_CASES, (*CASE_COLUMNS, "search_rowid"), dialect)
            assert isinstance(self._cases, BulkInsert)
            assert self._cases_sqlite.names == [*self._cases.names, "search_rowid"]
        with engine.connect() as conn:
            self._ranks = {r.code: r.rank for r in conn.execute(select(priorities.c.code, priorities.c.rank))}
        self._conn: Connection | None = None
        self._restore: list[str] = []

    def sequences(self) -> dict[tuple[str, int], int]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(filing_sequences)).all()
        return {(r.prefix, r.year): r.last_value for r in rows}

    def prepare(self, line: int, case: Case, number_given: bool) -> PreparedCase:
        row = case_to_row(case)
        row.update(version=1, priority_rank=self._ranks.get(case.priority) if case.priority else None)
        texts: dict[str, str] = {}
        events = [self._events.values(e)
                  for e in event_rows(self._converter, case.id, case.events, first_seq=1, texts=texts)]
        delta = facts_delta(case, case.events, new_answer_times(case, lambda: self._calendar))
        fields = tuple(self._fields.values({"case_id": case.id, "field": v.field, "text_value": v.text,
                                       "number_value": v.number, "date_value": v.day})
                  for v in indexed_values(case.custom_fields))
        return PreparedCase(line, number_given, case.filing_number, self._cases.values(row), events,
                            None if delta is None else self._facts.values(delta), fields,
                            tuple(texts.items()))

    def write(self, batch: Sequence[PreparedCase]) -> None:
        if not batch:
            return
        conn = self._connection()
        with conn.begin():
            taken = self._taken(conn, [str(item.filing_number) for item in batch])
            if taken:
                raise FilingNumbersTaken(taken)
            last: dict[tuple[str, int], int] = {}
            for item in batch:
                number = item.filing_number
                key = (number.prefix, number.year)
                last[key] = max(last.get(key, 0), number.sequence)
            if self._sqlite:
                first = self._next_search_rowid(conn)
                self._cases_sqlite.execute(conn, [(*item.row, first + i) for i, item in enumerate(batch)])
                conn.exec_driver_sql(
                    f"INSERT INTO {FTS_TABLE} (rowid, search_text) "
                    "SELECT search_rowid, search_text FROM cases WHERE search_rowid >= ?", (first,))
            else:
                self._cases.execute(conn, [item.row for item in batch])
            write_texts(conn, dict(text for item in batch for text in item.texts))
            self._events.execute(conn, [event for item in batch for event in item.events])
            self._facts.execute(conn, [item.facts for item in batch if item.facts is not None])
            self._fields.execute(conn, [row for item in batch for row in item.fields])
            for (prefix, year), value in sorted(last.items()):
                _move_sequence(conn, prefix, year, value)

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

    def close(self) -> None:
        """Give back the import's connection, as it was before (a no-op when nothing was written)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            with conn.begin():
                if not self._sqlite:
                    conn.exec_driver_sql(CLEAN_GIN_PENDING)
                for statement in self._restore:
                    conn.exec_driver_sql(statement)
            if not self._sqlite:
                # A transaction with an id, committed synchronously: the WAL of every batch before it
                # reaches the disk first.
                with conn.begin():
                    conn.exec_driver_sql("SELECT txid_current()")
        except BaseException:
            conn.invalidate()  # not back to the pool with the import's settings
            raise
        finally:
            conn.close()

    # ------------------------------------------------------------------ internals
    def _connection(self) -> Connection:
        if self._conn is not None:
            return self._conn
        conn = self._engine.connect()
        with conn.begin():
            if self._sqlite:
                cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
                checkpoint = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
                conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
                conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={IMPORT_CHECKPOINT_PAGES}")
                self._restore = [f"PRAGMA cache_size={int(cache)}",
                                 f"PRAGMA wal_autocheckpoint={int(checkpoint)}"]
            else:
                conn.exec_driver_sql("SET synchronous_commit = off")
                conn.exec_driver_sql(f"SET gin_pending_list_limit = '{IMPORT_GIN_PENDING}'")
                self._restore = ["RESET synchronous_commit", "RESET gin_pending_list_limit"]
        self._conn = conn.execution_options(**{WRITE_OPTION: True})
        return self._conn

    def _taken(self, conn: Connection, numbers: list[str]) -> list[str]:
        taken: list[str] = []
        for i in range(0, len(numbers), LOOKUP_CHUNK):
            chunk = numbers[i:i + LOOKUP_CHUNK]
            taken.extend(conn.execute(select(cases.c.filing_number)
                                      .where(cases.c.filing_number.in_(chunk))).scalars())
        return taken

    @staticmethod
    def _next_search_rowid(conn: Connection) -> int:
        return int(conn.exec_driver_sql("SELECT coalesce(max(search_rowid), 0) + 1 FROM cases").scalar_one())


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

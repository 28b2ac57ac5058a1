"""``SqlImportSink``: the fast path ``pqrs import`` writes historical cases through.

A batch of cases is one transaction (``BEGIN IMMEDIATE`` on SQLite): a check that none of their filing
numbers is taken, one ``executemany`` of snapshot rows (``case_rows.case_to_row``, the rows the
repository writes), one of event rows (``event_codec.event_rows``) with the texts they share
(``event_codec.write_texts``), and one upsert per filing sequence moving it past the batch's numbers.
Both inserts are compiled once and go to the driver directly (``bulk_insert.BulkInsert``). The search
text goes in with the row: on PostgreSQL the generated ``tsvector`` column indexes it; on SQLite the
batch's rows get their ``search_rowid`` here, after the largest one stored, and the batch is indexed in
FTS5 by one ``INSERT ... SELECT`` (the insert trigger leaves rows that come with a ``search_rowid`` to
their writer; one statement for the batch costs a tenth of the trigger's work row by row).
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

from .bulk_insert import BulkInsert
from .case_rows import case_to_row
from .codec import store_converter
from .engine import begin_write
from .event_codec import EVENT_COLUMNS, event_rows, write_texts
from .report_facts import facts_delta, new_answer_times
from .search_schema import FTS_TABLE
from .tables import case_events, case_field_values, case_report_facts, cases, filing_sequences, priorities

# Filing numbers looked up per statement when checking which are taken.
LOOKUP_CHUNK = 1000
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
        self._cases = BulkInsert(cases, CASE_COLUMNS, dialect)
        self._events = BulkInsert(case_events, EVENT_COLUMNS, dialect)
        self._facts = BulkInsert(case_report_facts, [c.name for c in case_report_facts.c], dialect)
        self._fields = BulkInsert(case_field_values, [c.name for c in case_field_values.c], dialect)
        if self._sqlite:
            # The same statement with ``search_rowid`` last: a prepared row plus its rowid.
            self._cases_sqlite = BulkInsert(SQLITE_CASES, (*CASE_COLUMNS, "search_rowid"), dialect)
            assert self._cases_sqlite.names == [*self._cases.names, "search_rowid"]
        with engine.connect() as conn:
            self._ranks = {r.code: r.rank for r in conn.execute(select(priorities.c.code, priorities.c.rank))}

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
        with begin_write(self._engine) as conn:
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

    # ------------------------------------------------------------------ internals
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

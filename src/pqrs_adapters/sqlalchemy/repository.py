"""``SqlCaseRepository``: cases as a snapshot row plus an append-only list of event rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

import attrs
import cattrs
from sqlalchemy import Connection, Insert, Update, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ConcurrencyConflict, NotFound
from pqrs_core.domain.events import DomainEvent
from pqrs_core.ports import CasePage, CaseQuery, CaseSummary
from pqrs_core.serialization import event_from_plain

from .case_queries import list_cases, summarize_cases
from .case_rows import case_to_row, event_rows, row_to_case
from .tables import case_events, cases, priorities

# WAL: a transaction that read an older snapshot than the latest commit cannot write.
SQLITE_BUSY_SNAPSHOT = 517


@attrs.frozen
class _Statements:
    """The snapshot writes, built once per dialect so that SQLAlchemy compiles each only once: the
    columns come as parameters, and ``priority_rank`` is looked up in the same statement from the
    priority code in the ``rank_of`` parameter (for ordering queues)."""

    insert: Insert  # returns no row when the filing number is taken
    update: Update  # where ``id`` is ``case_id`` and ``version`` is ``expected_version``


@cache
def _statements_for(dialect: str) -> _Statements:
    rank = select(priorities.c.rank).where(priorities.c.code == bindparam("rank_of")).scalar_subquery()
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return _Statements(
        insert=upsert(cases).values(priority_rank=rank).on_conflict_do_nothing(
            index_elements=[cases.c.filing_number]).returning(cases.c.id),
        update=update(cases).where(cases.c.id == bindparam("case_id"),
                                   cases.c.version == bindparam("expected_version"))
        .values(priority_rank=rank, version=cases.c.version + 1))


class SqlCaseRepository:
    def __init__(self, conn: Connection, converter: cattrs.Converter) -> None:
        self._conn = conn
        self._converter = converter
        self.seen: list[Case] = []

    def add(self, case: Case) -> None:
        key = str(case.filing_number)
        row = case_to_row(case)
        row.update(version=1, rank_of=case.priority)
        if self._conn.execute(self._statements.insert, row).first() is None:
            existing = self._conn.execute(
                select(cases.c.version).where(cases.c.filing_number == key)).scalar_one_or_none()
            raise ConcurrencyConflict(key, 0, existing)
        self._append_events(case.id, case.events, first_seq=1)
        case.version = 1
        self.seen.append(case)

    def get(self, filing_number: str) -> Case:
        row = self._conn.execute(
            select(cases).where(cases.c.filing_number == filing_number.strip().upper())).mappings().first()
        if row is None:
            raise NotFound("el caso", filing_number)
        return row_to_case(row)

    def save(self, case: Case) -> None:
        key = str(case.filing_number)
        if not case.events:
            actual = self._version(case.id)
            if actual is None:
                raise NotFound("el caso", key)
            if actual != case.version:
                raise ConcurrencyConflict(key, case.version, actual)
            return
        row = case_to_row(case)
        del row["id"], row["version"]
        row.update(case_id=case.id, expected_version=case.version, rank_of=case.priority)
        try:
            matched = self._conn.execute(self._statements.update, row).rowcount
        except OperationalError as exc:
            if getattr(exc.orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT:
                raise ConcurrencyConflict(key, case.version, None) from exc
            raise
        if matched != 1:
            actual = self._version(case.id)
            if actual is None:
                raise NotFound("el caso", key)
            raise ConcurrencyConflict(key, case.version, actual)
        last = self._conn.execute(select(func.coalesce(func.max(case_events.c.seq), 0))
                                  .where(case_events.c.case_id == case.id)).scalar_one()
        self._append_events(case.id, case.events, first_seq=last + 1)
        case.version += 1
        self.seen.append(case)

    def history(self, filing_number: str) -> list[DomainEvent]:
        case_id = self._conn.execute(select(cases.c.id).where(
            cases.c.filing_number == filing_number.strip().upper())).scalar_one_or_none()
        if case_id is None:
            raise NotFound("el caso", filing_number)
        rows = self._conn.execute(select(case_events).where(case_events.c.case_id == case_id)
                                  .order_by(case_events.c.seq)).mappings()
        return [event_from_plain(self._converter, r["type"], dict(r["data"]), case_id=r["case_id"],
                                 actor=r["actor"], occurred_at=r["occurred_at"]) for r in rows]

    def list(self, query: CaseQuery) -> CasePage:
        return list_cases(self._conn, query)

    def due_for_alarm(self, now: datetime, limit: int) -> Sequence[str]:
        rows = self._conn.execute(
            select(cases.c.filing_number).where(cases.c.next_alarm_at <= now)
            .order_by(cases.c.next_alarm_at, cases.c.filing_number).limit(limit))
        return [r.filing_number for r in rows]

    def summary(self, query: CaseQuery) -> CaseSummary:
        return summarize_cases(self._conn, query)

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(cases)
                                      .where(cases.c.deleted_at.is_(None))).scalar_one())

    # ------------------------------------------------------------------ internals
    def _version(self, case_id: str) -> int | None:
        version: int | None = self._conn.execute(
            select(cases.c.version).where(cases.c.id == case_id)).scalar_one_or_none()
        return version

    @property
    def _statements(self) -> _Statements:
        return _statements_for(self._conn.dialect.name)

    def _append_events(self, case_id: str, events: Sequence[DomainEvent], *, first_seq: int) -> None:
        rows = event_rows(self._converter, case_id, events, first_seq=first_seq)
        if rows:
            self._conn.execute(insert(case_events), rows)

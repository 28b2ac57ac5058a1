"""``SqlCaseRepository``: cases as a snapshot row plus an append-only list of event rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

import cattrs
from sqlalchemy import Connection, Dialect, Insert, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ConcurrencyConflict, NotFound
from pqrs_core.domain.events import CaseFiled, CaseTagged, DomainEvent, FieldChanged, ItemsInvolved
from pqrs_core.domain.tags import tag_key
from pqrs_core.field_search import indexed_values
from pqrs_core.ports import CasePage, CaseQuery, CaseSummary
from pqrs_core.query_filters import searchable_parts

from .board_counts import count_by_state_category, count_cases
from .bulk_insert import BulkInsert, BulkUpdate
from .case_queries import list_cases, summarize_cases
from .case_rows import case_to_row, row_to_case
from .event_codec import EVENT_COLUMNS, decode, event_rows, write_texts
from .item_rows import index_rows
from .report_facts import answer_times_changed, facts_delta, new_answer_times, write_facts
from .signed_documents import record_signed
from .tables import case_events, case_field_values, case_items, case_tags, cases, priorities

# WAL: a transaction that read an older snapshot than the latest commit cannot write.
SQLITE_BUSY_SNAPSHOT = 517
# Keys per ``IN (...)`` list (well under SQLite's limit of bound parameters).
IN_LIST_SIZE = 500

_SELECT_BY_NUMBERS = select(cases).where(cases.c.filing_number.in_(bindparam("numbers", expanding=True)))
_LAST_SEQ = (select(func.coalesce(func.max(case_events.c.seq), 0))
             .where(case_events.c.case_id == cases.c.id).scalar_subquery())
_SELECT_VERSIONS = (select(cases.c.id, cases.c.version, _LAST_SEQ.label("last_seq"))
                    .where(cases.c.id.in_(bindparam("ids", expanding=True))).with_for_update())
# The priority's rank, looked up in the statement that writes the row, from the priority code in the
# ``rank_of`` parameter (for ordering queues).
_RANK = select(priorities.c.rank).where(priorities.c.code == bindparam("rank_of")).scalar_subquery()
# The changed columns come as execution parameters (one compiled statement per set of columns).
_UPDATE = (update(cases).where(cases.c.id == bindparam("b_id"), cases.c.version == bindparam("b_version"))
           .values(version=cases.c.version + 1))
_UPDATE_RANKED = _UPDATE.values(priority_rank=_RANK)
_INSERT_TAGS = insert(case_tags)
_DELETE_TAGS = case_tags.delete().where(case_tags.c.case_id.in_(bindparam("ids", expanding=True)))
_INSERT_ITEMS = insert(case_items)
_DELETE_ITEMS = case_items.delete().where(case_items.c.case_id.in_(bindparam("ids", expanding=True)))
_INSERT_FIELDS = insert(case_field_values)
_DELETE_FIELDS = case_field_values.delete().where(
    case_field_values.c.case_id.in_(bindparam("ids", expanding=True)))


@cache
def _insert_for(dialect: str) -> Insert:
    """The snapshot insert, built once per dialect so that SQLAlchemy compiles it once: the columns come
    as parameters with ``rank_of`` (``_RANK``), and a taken filing number returns no row."""
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (upsert(cases).values(priority_rank=_RANK)
            .on_conflict_do_nothing(index_elements=[cases.c.filing_number]).returning(cases.c.id))


# Statements compiled once per database (the processes use one driver per database).
_EVENTS_INSERT: dict[str, BulkInsert] = {}
_BULK_UPDATES: dict[tuple[bool, tuple[str, ...]], BulkUpdate] = {}
_RANK_FROM_V = ("rank_of", "priority",
                "priority_rank = (SELECT priorities.rank FROM priorities WHERE priorities.code = v.rank_of)")


def _insert_events(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """One statement for all of ``rows`` (``event_rows``)."""
    found = _EVENTS_INSERT.get(conn.dialect.name)
    if found is None:
        found = _EVENTS_INSERT[conn.dialect.name] = BulkInsert(case_events, EVENT_COLUMNS, conn.dialect)
    found.insert(conn, rows)


def _bulk_update(dialect: Dialect, ranked: bool, columns: tuple[str, ...]) -> BulkUpdate:
    """PostgreSQL's one ``UPDATE`` of a batch's rows that change ``columns`` (``ranked``: and the
    priority, whose rank it looks up as ``_RANK`` does)."""
    found = _BULK_UPDATES.get((ranked, columns))
    if found is None:
        found = _BULK_UPDATES[(ranked, columns)] = BulkUpdate(
            cases, columns, dialect, key="id", key_name="b_id", version_name="b_version",
            extra=_RANK_FROM_V if ranked else None)
    return found


class SqlCaseRepository:
    def __init__(self, conn: Connection, converter: cattrs.Converter,
                 calendar: Callable[[], BusinessCalendar] | None = None) -> None:
        self._conn = conn
        self._converter = converter
        # The organisation's calendar, for the answer times kept in ``case_report_facts``.
        self._calendar = calendar
        self.seen: list[Case] = []
        # id -> (version, columns, the values its search text was made of) of the rows read or
        # written here, for writing only what changed.
        self._loaded: dict[str, tuple[int, dict[str, Any], tuple[str, ...]]] = {}

    def add(self, case: Case) -> None:
        with _deadlock_is_conflict(str(case.filing_number), 0):
            self._add(case)

    def _add(self, case: Case) -> None:
        key = str(case.filing_number)
        row = case_to_row(case)
        row.update(version=1, rank_of=case.priority)
        if self._conn.execute(_insert_for(self._conn.dialect.name), row).first() is None:
            existing = self._conn.execute(
                select(cases.c.version).where(cases.c.filing_number == key)).scalar_one_or_none()
            raise ConcurrencyConflict(key, 0, existing)
        self._append_events(case.id, case.events, first_seq=1)
        record_signed(self._conn, case.events)
        delta = facts_delta(case, case.events, new_answer_times(case, self._calendar))
        if delta is not None:
            write_facts(self._conn, [delta])
        self._index_tags([case], new=True)
        self._index_items([case], new=True)
        self._index_fields([case], new=True)
        case.version = 1
        self._loaded[case.id] = (1, row, searchable_parts(case))
        self.seen.append(case)

    def get(self, filing_number: str) -> Case:
        row = self._conn.execute(
            select(cases).where(cases.c.filing_number == filing_number.strip().upper())).mappings().first()
        if row is None:
            raise NotFound("el caso", filing_number)
        return self._loaded_case(row)

    def find_external(self, source: str, number: str) -> str | None:
        found: str | None = self._conn.execute(
            select(cases.c.filing_number).where(cases.c.external_source == source,
                                                cases.c.external_number == number)).scalar()
        return found

    def get_many(self, filing_numbers: Sequence[str]) -> list[Case]:
        keys = [n.strip().upper() for n in filing_numbers]
        found: dict[str, Case] = {}
        for part in _chunks(list(dict.fromkeys(keys))):
            for row in self._conn.execute(_SELECT_BY_NUMBERS, {"numbers": part}).mappings():
                found[row["filing_number"]] = self._loaded_case(row)
        return [found[key] for key in keys if key in found]

    def save(self, case: Case) -> None:
        with _deadlock_is_conflict(str(case.filing_number), case.version):
            stored = self._store([case])
        for stale, actual in stored:
            key = str(stale.filing_number)
            if actual is None:
                raise NotFound("el caso", key)
            raise ConcurrencyConflict(key, stale.version, actual)

    def save_many(self, cases: Sequence[Case]) -> list[Case]:
        if not cases:
            return []
        with _deadlock_is_conflict(str(cases[0].filing_number), cases[0].version):
            return [stale for stale, _actual in self._store(cases)]

    def forget(self) -> None:
        """After a rollback: what this transaction wrote or read is no longer known to be stored."""
        self.seen = []
        self._loaded.clear()

    def history(self, filing_number: str) -> list[DomainEvent]:
        case_id = self._conn.execute(select(cases.c.id).where(
            cases.c.filing_number == filing_number.strip().upper())).scalar_one_or_none()
        if case_id is None:
            raise NotFound("el caso", filing_number)
        rows = self._conn.execute(select(case_events).where(case_events.c.case_id == case_id)
                                  .order_by(case_events.c.seq)).mappings()
        return decode(self._conn, self._converter, rows)

    def list(self, query: CaseQuery) -> CasePage:
        return list_cases(self._conn, query)

    def due_for_alarm(self, now: datetime, limit: int) -> Sequence[str]:
        rows = self._conn.execute(
            select(cases.c.filing_number).where(cases.c.next_alarm_at <= now)
            .order_by(cases.c.next_alarm_at, cases.c.filing_number).limit(limit))
        return [r.filing_number for r in rows]

    def summary(self, query: CaseQuery) -> CaseSummary:
        return summarize_cases(self._conn, query)

    def count_by_state_category(self, query: CaseQuery) -> dict[str, int]:
        return count_by_state_category(self._conn, query)

    def count(self, query: CaseQuery | None = None) -> int:
        return count_cases(self._conn, query or CaseQuery())

    # ------------------------------------------------------------------ internals
    def _loaded_case(self, row: Mapping[Any, Any]) -> Case:
        """The case of ``row``; its columns are kept, so that saving it writes only what changed."""
        values = dict(row)
        case = row_to_case(row)
        self._loaded[values["id"]] = (values["version"], values, searchable_parts(case))
        return case

    def _store(self, batch: Sequence[Case]) -> Sequence[tuple[Case, int | None]]:
        """Write the cases whose stored version is still theirs; the others are returned with their
        stored version (``None``: no such case).

        The stored versions are read first, with the rows locked (``FOR UPDATE`` on PostgreSQL; on
        SQLite the writer holds the database), together with the last ``seq`` of each case's events
        (every append of events moves the version, so that ``seq`` holds while the version does).
        Then one ``UPDATE ... WHERE id = ? AND version = ?`` executed for many rows per set of changed
        columns, one ``INSERT`` of every event."""
        current: dict[str, tuple[int, int]] = {}
        for part in _chunks(list(dict.fromkeys(c.id for c in batch))):
            current.update((r.id, (r.version, r.last_seq))
                           for r in self._conn.execute(_SELECT_VERSIONS, {"ids": part}))
        conflicts: list[tuple[Case, int | None]] = []
        updates: dict[tuple[bool, tuple[str, ...]], list[dict[str, Any]]] = {}
        events: list[dict[str, Any]] = []
        texts: dict[str, str] = {}  # the shared texts the events name (``event_codec``)
        saved: list[tuple[Case, dict[str, Any]]] = []
        facts: list[dict[str, Any]] = []
        for case in batch:
            version, last_seq = current.get(case.id, (None, 0))
            if version != case.version:
                conflicts.append((case, version))
                continue
            if not case.events:
                continue
            row = case_to_row(case, self._known_search_text(case))
            del row["id"], row["version"]
            changes = self._changes(case, row)
            ranked = "priority" in changes
            params = {**changes, "b_id": case.id, "b_version": case.version}
            if ranked:
                params["rank_of"] = case.priority
            updates.setdefault((ranked, tuple(sorted(changes))), []).append(params)
            events.extend(event_rows(self._converter, case.id, case.events, first_seq=last_seq + 1,
                                     texts=texts))
            times = new_answer_times(case, self._calendar) if answer_times_changed(changes) else None
            delta = facts_delta(case, case.events, times)
            if delta is not None:
                facts.append(delta)
            current[case.id] = (version + 1, last_seq + len(case.events))
            saved.append((case, row))
        postgresql = self._conn.dialect.name == "postgresql"
        for (ranked, columns), rows in updates.items():
            try:
                if postgresql and len(rows) > 1:  # one statement, not one per row
                    matched = _bulk_update(self._conn.dialect, ranked, columns).execute(self._conn, rows)
                else:
                    matched = self._conn.execute(_UPDATE_RANKED if ranked else _UPDATE, rows).rowcount
            except OperationalError as exc:
                if getattr(exc.orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT:
                    first = saved[0][0]
                    raise ConcurrencyConflict(str(first.filing_number), first.version, None) from exc
                raise
            if matched != len(rows):  # the rows were read locked: only a broken store gets here
                raise ConcurrencyConflict(str(saved[0][0].filing_number), saved[0][0].version, None)
        if events:
            write_texts(self._conn, texts)
            _insert_events(self._conn, events)
        record_signed(self._conn, (e for case, _row in saved for e in case.events))
        write_facts(self._conn, facts)
        self._index_tags([case for case, _row in saved])
        self._index_items([case for case, _row in saved])
        self._index_fields([case for case, _row in saved])
        for case, row in saved:
            case.version += 1
            self._loaded[case.id] = (case.version, row, searchable_parts(case))
            self.seen.append(case)
        return conflicts

    def _known_search_text(self, case: Case) -> str | None:
        """The stored search text of ``case`` when the values it is made of did not change since its
        row was read or written here (``None``: to be made again)."""
        loaded = self._loaded.get(case.id)
        if loaded is None or loaded[0] != case.version or loaded[2] != searchable_parts(case):
            return None
        known: str | None = loaded[1]["search_text"]
        return known

    def _changes(self, case: Case, row: dict[str, Any]) -> dict[str, Any]:
        """The columns of ``row`` that differ from the row ``case`` was read from (all of them when it
        was not read here): an UPDATE that leaves an indexed column out does not touch its index."""
        loaded = self._loaded.get(case.id)
        if loaded is None or loaded[0] != case.version:
            return row
        before = loaded[1]
        changes = {}
        for name, value in row.items():
            stored = before[name]
            if value is stored:  # most often None
                continue
            kind = type(value)
            if kind is type(stored) and value == stored and (kind is not dict and kind is not list
                                                              or _same(value, stored)):
                continue
            changes[name] = value
        return changes

    def _index_tags(self, batch: Sequence[Case], *, new: bool = False) -> None:
        """Rewrite the ``case_tags`` rows of the cases whose new events changed their tags (``new``
        cases have none to remove)."""
        tagged = [case for case in batch if any(isinstance(e, CaseTagged) for e in case.events)]
        if not tagged:
            return
        if not new:
            self._conn.execute(_DELETE_TAGS, {"ids": [c.id for c in tagged]})
        rows = [{"case_id": c.id, "tag_key": tag_key(t), "tag": t} for c in tagged for t in c.tags]
        if rows:
            self._conn.execute(_INSERT_TAGS, rows)

    def _index_items(self, batch: Sequence[Case], *, new: bool = False) -> None:
        """Rewrite the ``case_items`` rows of the cases whose new events changed their items."""
        changed = [case for case in batch if any(isinstance(e, ItemsInvolved) for e in case.events)]
        if not changed:
            return
        if not new:
            self._conn.execute(_DELETE_ITEMS, {"ids": [c.id for c in changed]})
        rows = [row for case in changed for row in index_rows(case)]
        if rows:
            self._conn.execute(_INSERT_ITEMS, rows)
    def _index_fields(self, batch: Sequence[Case], *, new: bool = False) -> None:
        """Rewrite the ``case_field_values`` rows of the cases whose new events set their custom fields
        (``new`` cases have none to remove)."""
        changed = [case for case in batch if any(
            isinstance(e, CaseFiled) or (isinstance(e, FieldChanged) and e.field == "custom_fields")
            for e in case.events)]
        if not changed:
            return
        if not new:
            self._conn.execute(_DELETE_FIELDS, {"ids": [c.id for c in changed]})
        rows = [{"case_id": c.id, "field": v.field, "text_value": v.text, "number_value": v.number,
                 "date_value": v.day} for c in changed for v in indexed_values(c.custom_fields)]
        if rows:
            self._conn.execute(_INSERT_FIELDS, rows)

    def _append_events(self, case_id: str, events: Sequence[DomainEvent], *, first_seq: int) -> None:
        texts: dict[str, str] = {}
        rows = event_rows(self._converter, case_id, events, first_seq=first_seq, texts=texts)
        if rows:
            write_texts(self._conn, texts)
            _insert_events(self._conn, rows)


# PostgreSQL's deadlock and serialisation failures (SQLSTATE): the transaction was chosen to give way.
GIVE_WAY = frozenset({"40P01", "40001"})


@contextmanager
def _deadlock_is_conflict(key: str, version: int) -> Iterator[None]:
    """A write PostgreSQL aborted to break a deadlock (or a serialisation failure) is a
    ``ConcurrencyConflict``: nothing was written, and the caller tries again as after any other
    concurrent change (the report and board counts are rows that writers of the same cells share, and
    a transaction moving several cases, as a sweep batch, takes them case by case)."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) in GIVE_WAY:
            raise ConcurrencyConflict(key, version, None) from exc
        raise


def _chunks(keys: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(keys), IN_LIST_SIZE):
        yield keys[start:start + IN_LIST_SIZE]


def _same(new: Any, stored: Any) -> bool:
    """Whether ``new`` would be stored as ``stored`` is: equal and of the same types throughout (so
    that ``1`` and ``True``, or a tuple and the list JSON gives back, count as changes)."""
    if type(new) is not type(stored) or new != stored:
        return False
    if type(new) is dict:
        return all(_same(value, stored[key]) for key, value in new.items())
    if type(new) is list:
        return all(map(_same, new, stored))
    return True

"""``SqlReportQueries``: the rows reports read (``pqrs_core.services.reports.ReportRow``), one per case,
from ``cases`` and its ``case_report_facts``.

The filters and the visibility are the case listings' own (``case_queries.where_clause``, which
compiles the access predicates with ``visibility_sql``), so a report counts exactly the cases its
reader may list. Only the columns a report uses are read, in one pass, streamed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, Date, Integer, cast, func, literal_column, or_, select

from pqrs_core.ports import CaseQuery
from pqrs_core.services.reports import ANSWERED, FILED_DAY, Counts, ReportRow

from .case_queries import where_clause
from .tables import case_report_facts, cases

_c, _f = cases.c, case_report_facts.c
_COLUMNS = (_c.filing_number, _c.filed_at, _c.kind, _c.channel, _c.requester_kind, _c.typification_path_codes,
            _c.queue, _c.assignee, _c.state_category, _c.due_at, _c.first_responded_at, _c.responded_at,
            _c.closed_at, _c.term_ended_at, _c.first_contact_resolution, _c.paused_left_unit, _f.extensions,
            _f.transfers, _f.withdrawn, _f.incomplete, _f.responder, _f.responder_queue, _f.access_denied)
_FROM = cases.outerjoin(case_report_facts, case_report_facts.c.case_id == cases.c.id)
BATCH = 5000


class SqlReportQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def rows(self, query: CaseQuery) -> Iterator[ReportRow]:
        stmt = select(*_COLUMNS).select_from(_FROM).where(where_clause(self._conn, query))
        result = self._conn.execution_options(yield_per=BATCH).execute(stmt)
        for r in result:
            yield ReportRow(
                filing_number=r.filing_number, filed_at=r.filed_at, kind=r.kind, channel=r.channel,
                requester_kind=r.requester_kind,
                typification_codes=tuple(r.typification_path_codes.strip("|").split("|"))
                if r.typification_path_codes else (),
                queue=r.queue, assignee=r.assignee, state_category=r.state_category, due_at=r.due_at,
                first_responded_at=r.first_responded_at, responded_at=r.responded_at, closed_at=r.closed_at,
                term_ended_at=r.term_ended_at, first_contact=bool(r.first_contact_resolution),
                # Paused: what the term had left is kept while it is stopped (migration 0013); a case
                # waiting for the requester from before it is paused too.
                paused=r.paused_left_unit is not None or r.state_category == "waiting",
                extensions=r.extensions or 0, transfers=r.transfers or 0, withdrawn=bool(r.withdrawn),
                incomplete=bool(r.incomplete), responder=r.responder, responder_queue=r.responder_queue,
                access_denied=bool(r.access_denied))


    def counts(self, query: CaseQuery, fields: Sequence[str], timezone: str) -> Counts:
        """Grouped by the database: one pass over the range's index entries whatever the fields, with
        the case listings' filters and visibility."""
        zone = ZoneInfo(timezone)
        columns: list[ColumnElement[Any]] = []
        day_bucket = False
        for name in fields:
            if name == FILED_DAY:
                column, day_bucket = _local_day(self._conn.dialect.name, query, zone)
                columns.append(column)
            elif name == ANSWERED:
                columns.append(or_(_c.responded_at.is_not(None), _f.responder.is_not(None)))
            elif name == "typification_codes":
                columns.append(_c.typification_path_codes)
            elif name == "first_contact":
                columns.append(_c.first_contact_resolution)
            elif name in _FACT_FIELDS:
                columns.append(_f[name])
            else:
                columns.append(_c[name])
        labelled = [column.label(f"g{i}") for i, column in enumerate(columns)]
        uses_facts = any(name in _FACT_FIELDS or name == ANSWERED for name in fields)
        stmt = (select(*labelled, func.count().label("n")).select_from(_FROM if uses_facts else cases)
                .where(where_clause(self._conn, query)).group_by(*labelled))
        result: Counts = Counter()
        for row in self._conn.execute(stmt):
            values = []
            for name, value in zip(fields, row[:-1], strict=True):
                if name == FILED_DAY:
                    value = _bucket_day(value, zone) if day_bucket else _as_date(value)
                elif name == "typification_codes":
                    value = tuple(value.strip("|").split("|")) if value else ()
                elif name in ("first_contact", ANSWERED):
                    value = bool(value)
                values.append(value)
            result[tuple(values)] += row[-1]
        return result


_FACT_FIELDS = frozenset({"responder", "responder_queue"})


def _local_day(dialect: str, query: CaseQuery, zone: ZoneInfo) -> tuple[ColumnElement[Any], bool]:
    """The local date of filing as the database computes it, and whether it is a UTC quarter hour
    that Python turns into the local date (``_bucket_day``).

    PostgreSQL converts with the zone's own rules. SQLite (naive UTC text) knows no zones: over a
    range where the zone's offset does not change (a zone without daylight saving time, as
    Colombia's) it shifts by that offset; elsewhere it groups by UTC quarter hour, which every zone's
    offset is a multiple of, so that each bucket falls on one local date."""
    if dialect == "postgresql":
        return cast(func.timezone(zone.key, _c.filed_at), Date), False
    offset = _constant_offset(query, zone)
    if offset is not None:
        return func.date(_c.filed_at, literal_column(f"'{offset:+d} minutes'")), False
    quarter = cast(func.strftime("%M", _c.filed_at), Integer) // 15 * 15
    return func.strftime("%Y-%m-%dT%H:", _c.filed_at).op("||")(quarter.self_group()), True


def _constant_offset(query: CaseQuery, zone: ZoneInfo) -> int | None:
    """The zone's UTC offset in minutes over the query's filing range when it is the same at every
    local midnight of it (and the day around), else ``None``."""
    if query.filed_from is None or query.filed_to is None:
        return None
    first = query.filed_from.astimezone(zone).date() - timedelta(days=1)
    last = query.filed_to.astimezone(zone).date() + timedelta(days=1)
    offsets = {datetime.combine(first + timedelta(days=n), time(), zone).utcoffset()
               for n in range((last - first).days + 1)}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds()) // 60


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _bucket_day(value: str, zone: ZoneInfo) -> date:
    hour, minute = value.split(":")
    return datetime.fromisoformat(f"{hour}:{int(minute):02d}+00:00").astimezone(zone).date()


def report_queries(uow: object) -> SqlReportQueries:
    """The report queries of a SQL unit of work (``report_rows``'s ``source``)."""
    from .unit_of_work import SqlUnitOfWork

    assert isinstance(uow, SqlUnitOfWork)
    return SqlReportQueries(uow.connection)

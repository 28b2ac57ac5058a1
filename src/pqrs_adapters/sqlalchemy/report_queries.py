"""``SqlReportQueries``: the rows reports read (``pqrs_core.services.reports.ReportRow``), one per case,
from ``cases`` and its ``case_report_facts``, and the cases counted by some of their values (from the
counts the triggers keep where they answer, ``report_count_queries``, else grouped from the cases).

The filters and the visibility are the case listings' own (``case_queries.where_clause``, which
compiles the access predicates with ``visibility_sql``), so a report counts exactly the cases its
reader may list. Only the columns a report uses are read, in one pass, streamed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Integer,
    Select,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.types import NullType

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.ports import CaseQuery
from pqrs_core.services.reports import (
    ANSWERED,
    DAYS_TO_ANSWER,
    DONE,
    EXTENDED,
    FILED_DAY,
    LATE,
    NO_TERM,
    ON_TIME,
    OPEN_OVERDUE,
    RESPONDED,
    RUNNING,
    TERM_STATUS,
    TRANSFERRED,
    WHO,
    AnswerTimes,
    Counts,
    ReportRow,
    TimedCases,
    answer_times,
    one_timed_case,
)

from . import term_count_schema
from .case_queries import where_clause
from .report_count_queries import PAUSED, kept_answer_times, kept_counts, kept_term_counts
from .tables import case_report_facts, cases

_c, _f = cases.c, case_report_facts.c
# The instants are read as the driver gives them (SQLite: naive UTC text; PostgreSQL: aware) and made
# aware UTC here, once per value, rather than through the column type's result processors.
_INSTANTS = {_c.filed_at, _c.due_at, _c.first_responded_at, _c.responded_at, _c.closed_at, _c.term_ended_at,
             _c.notified_at}
_COLUMNS = [type_coerce(column, NullType()).label(column.name) if column in _INSTANTS else column
            for column in (_c.filing_number, _c.filed_at, _c.kind, _c.channel, _c.requester_kind,
                           _c.typification_path_codes, _c.queue, _c.assignee, _c.state_category, _c.due_at,
                           _c.first_responded_at, _c.responded_at, _c.closed_at, _c.term_ended_at,
                           _c.first_contact_resolution, _c.paused_left_unit, _f.extensions, _f.transfers,
                           _f.withdrawn, _f.incomplete, _f.responder, _f.responder_queue, _f.access_denied,
                           _c.notified_at, _f.first_response_hours, _f.resolution_hours, _f.days_to_answer)]
_FROM = cases.outerjoin(case_report_facts, case_report_facts.c.case_id == cases.c.id)
BATCH = 5000


def _sqlite_instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _aware_instant(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


class SqlReportQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def rows(self, query: CaseQuery) -> Iterator[ReportRow]:
        return self._rows(select(*_COLUMNS).select_from(_FROM).where(where_clause(self._conn, query)))

    def page(self, query: CaseQuery, offset: int, limit: int) -> list[ReportRow]:
        """By ``ix_cases_filed_at``: the range's index entries in order, up to the page's end."""
        stmt = (select(*_COLUMNS).select_from(_FROM).where(where_clause(self._conn, query))
                .order_by(_c.filed_at, _c.filing_number).offset(offset).limit(limit))
        return list(self._rows(stmt))

    def _rows(self, stmt: Select[Any]) -> Iterator[ReportRow]:
        result = self._conn.execution_options(yield_per=BATCH).execute(stmt)
        instant = _sqlite_instant if self._conn.dialect.name == "sqlite" else _aware_instant
        paths: dict[str | None, tuple[str, ...]] = {None: (), "": ()}
        for (number, filed, kind, channel, requester_kind, path, queue, assignee, state_category, due,
             first_responded, responded, closed, term_ended, first_contact, paused_left, extensions,
             transfers, withdrawn, incomplete, responder, responder_queue, access_denied, notified,
             first_hours, resolution_hours, days) in result:
            codes = paths.get(path)
            if codes is None:
                codes = paths[path] = tuple(path.strip("|").split("|"))
            filed_at = instant(filed)
            assert filed_at is not None
            yield ReportRow(
                filing_number=number, filed_at=filed_at, kind=kind, channel=channel,
                requester_kind=requester_kind, typification_codes=codes, queue=queue, assignee=assignee,
                state_category=state_category, due_at=instant(due),
                first_responded_at=instant(first_responded), responded_at=instant(responded),
                closed_at=instant(closed), term_ended_at=instant(term_ended),
                first_contact=bool(first_contact),
                # Paused: what the term had left is kept while it is stopped (migration 0013); a case
                # waiting for the requester from before it is paused too.
                paused=paused_left is not None or state_category == "waiting",
                extensions=extensions or 0, transfers=transfers or 0, withdrawn=bool(withdrawn),
                incomplete=bool(incomplete), responder=responder, responder_queue=responder_queue,
                access_denied=bool(access_denied), notified_at=instant(notified),
                times=_times(first_hours, resolution_hours, days))

    def answer_times(self, query: CaseQuery, calendar: BusinessCalendar) -> Iterator[TimedCases]:
        """The stored answer times of the range's answered cases: from the counts the triggers keep
        where they answer (``report_count_queries.kept_answer_times``), the rest read case by case."""
        kept = kept_answer_times(self._conn, query)
        if kept is None:
            yield from self._answer_times(query, calendar)
            return
        cells, edges = kept
        yield from cells
        for edge in edges:
            yield from self._answer_times(edge, calendar)

    def _answer_times(self, query: CaseQuery, calendar: BusinessCalendar) -> Iterator[TimedCases]:
        """The stored answer times of the range's answered cases, case by case (computed from their
        instants for a case the store has none of)."""
        stmt = (select(_c.typification_path_codes, _c.queue, _f.first_response_hours, _f.resolution_hours,
                       *(type_coerce(c, NullType()) for c in (
                           _c.filed_at, _c.first_responded_at, _c.responded_at)))
                .select_from(_FROM)
                .where(where_clause(self._conn, query), _c.first_responded_at.is_not(None)))
        instant = _sqlite_instant if self._conn.dialect.name == "sqlite" else _aware_instant
        paths: dict[str | None, tuple[str, ...]] = {None: (), "": ()}
        rows = self._conn.execute(stmt).all()  # fetched at once: one row per answered case
        for path, queue, first_hours, resolution_hours, filed, first, responded in rows:
            codes = paths.get(path)
            if codes is None:
                codes = paths[path] = tuple(path.strip("|").split("|"))
            if first_hours is None:  # stored before the times were kept, and not filled since
                filed_at = instant(filed)
                assert filed_at is not None
                times = answer_times(filed_at, instant(first), instant(responded), calendar)
                first_hours, resolution_hours = times.first_response_hours, times.resolution_hours
            yield one_timed_case(codes, queue, first_hours, resolution_hours)

    def counts(self, query: CaseQuery, fields: Sequence[str], timezone: str, now: datetime | None = None,
               calendar: BusinessCalendar | None = None) -> Counts:
        """From the counts the triggers keep where they answer (``report_count_queries``), the rest
        grouped from the cases (for a count by the term's status, the cases whose status the counts
        cannot tell at ``now``)."""
        zone = ZoneInfo(timezone)
        term = kept_term_counts(self._conn, query, fields, zone, now) if now is not None else None
        if term is not None:
            result, cells, unknown, edges = term
            result.update(self._grouped(cells, fields, timezone, now, calendar, running=unknown))
        else:
            kept = kept_counts(self._conn, query, fields, zone)
            if kept is None:
                return self._grouped(query, fields, timezone, now, calendar)
            result, edges = kept
        for edge in edges:
            result.update(self._grouped(edge, fields, timezone, now, calendar))
        return result

    def _grouped(self, query: CaseQuery, fields: Sequence[str], timezone: str, now: datetime | None = None,
                 calendar: BusinessCalendar | None = None, *,
                 running: ColumnElement[bool] | None = None) -> Counts:
        """Grouped by the database: one pass over the range's index entries whatever the fields, with
        the case listings' filters and visibility (``DAYS_TO_ANSWER``: the stored times); with
        ``running``, only the cases whose term runs (``term_count_schema.RUNNING_TERM``) and that meet
        it."""
        zone = ZoneInfo(timezone)
        columns: list[ColumnElement[Any]] = []
        day_bucket = False
        for name in fields:
            if name == FILED_DAY:
                column, day_bucket = _local_day(self._conn.dialect.name, query, zone)
                columns.append(column)
            elif name == TERM_STATUS:
                assert now is not None, "a term's status is counted at an instant"
                columns.append(_term_status(now))
            elif name in _COMPUTED:
                columns.append(_COMPUTED[name])
            elif name == "typification_codes":
                columns.append(_c.typification_path_codes)
            elif name == "first_contact":
                columns.append(_c.first_contact_resolution)
            elif name in _FACT_FIELDS:
                columns.append(_f[name])
            elif name == "due_at":
                columns.append(type_coerce(_c.due_at, NullType()))
            else:
                columns.append(_c[name])
        labelled = [column.label(f"g{i}") for i, column in enumerate(columns)]
        uses_facts = any(name in _FACT_FIELDS or name in _FROM_FACTS for name in fields)
        stmt = (select(*labelled, func.count().label("n")).select_from(_FROM if uses_facts else cases)
                .where(where_clause(self._conn, query)).group_by(*labelled))
        if running is not None:
            stmt = stmt.where(_RUNNING_TERM, running)
        result: Counts = Counter()
        instant = _sqlite_instant if self._conn.dialect.name == "sqlite" else _aware_instant
        for row in self._conn.execute(stmt):
            values = []
            for name, value in zip(fields, row[:-1], strict=True):
                if name == FILED_DAY:
                    value = day_value(value, day_bucket, zone)
                elif name == "typification_codes":
                    value = tuple(value.strip("|").split("|")) if value else ()
                elif name in _BOOLEANS:
                    value = bool(value)
                elif name == "due_at":
                    value = instant(value)
                values.append(value)
            result[tuple(values)] += row[-1]
        return result


_FACT_FIELDS = frozenset({"responder", "responder_queue", DAYS_TO_ANSWER})
# The fields computed from the columns, as ``reports.row_values`` computes them from a row.
_COMPUTED: dict[str, ColumnElement[Any]] = {
    ANSWERED: or_(_c.responded_at.is_not(None), _f.responder.is_not(None)),
    RESPONDED: _c.responded_at.is_not(None),
    WHO: func.coalesce(func.nullif(_f.responder, ""), func.nullif(_c.assignee, ""), ""),
    EXTENDED: func.coalesce(_f.extensions, 0) > 0,
    TRANSFERRED: func.coalesce(_f.transfers, 0) > 0,
    "incomplete": func.coalesce(_f.incomplete, false()),
    "withdrawn": func.coalesce(_f.withdrawn, false()),
    "access_denied": func.coalesce(_f.access_denied, false()),
    DONE: _c.state_category == "done",
    "paused": PAUSED,
}
# The cases whose term's status depends on the instant, as the partial index ``ix_cases_running_term``
# states them (so that the planners use it).
_RUNNING_TERM = text(term_count_schema.running_term(cases.name))
_FROM_FACTS = frozenset({ANSWERED, WHO, EXTENDED, TRANSFERRED, "incomplete", "withdrawn", "access_denied"})
_BOOLEANS = frozenset({"first_contact", ANSWERED, RESPONDED, EXTENDED, TRANSFERRED, "incomplete", "withdrawn",
                       "access_denied", DONE, "paused"})


def _term_status(now: datetime) -> ColumnElement[Any]:
    """``report_figures.term_status`` at ``now``, as the database computes it from the columns (the
    instants compare as the store keeps them: SQLite's text is in one fixed format)."""
    at = literal(now, _c.due_at.type)
    ended = func.coalesce(_c.notified_at, _c.term_ended_at, _c.responded_at)
    return case(
        (_c.due_at.is_(None), NO_TERM),
        (ended.is_not(None), case((ended <= _c.due_at, ON_TIME), else_=LATE)),
        (_c.state_category == "done", case((func.coalesce(_c.closed_at, at) <= _c.due_at, ON_TIME),
                                           else_=LATE)),
        (PAUSED, RUNNING),
        (_c.due_at < at, OPEN_OVERDUE),
        else_=RUNNING)


def _times(first_hours: float | None, resolution_hours: float | None, days: int | None) -> AnswerTimes | None:
    if first_hours is None and resolution_hours is None and days is None:
        return None
    return AnswerTimes(first_hours, resolution_hours, days)


def _local_day(dialect: str, query: CaseQuery, zone: ZoneInfo) -> tuple[ColumnElement[Any], bool]:
    """The local date of filing (``local_day``)."""
    return local_day(dialect, _c.filed_at, query.filed_from, query.filed_to, zone)


def local_day(dialect: str, column: ColumnElement[Any], start: datetime | None, end: datetime | None,
              zone: ZoneInfo) -> tuple[ColumnElement[Any], bool]:
    """The local date of the instants of ``column`` (between ``start`` and ``end``) as the database
    computes it, and whether it is a UTC quarter hour that Python turns into the local date
    (``day_value``).

    PostgreSQL converts with the zone's own rules. SQLite (naive UTC text) knows no zones: over a
    range where the zone's offset does not change (a zone without daylight saving time, as
    Colombia's) it shifts by that offset; elsewhere it groups by UTC quarter hour, which every zone's
    offset is a multiple of, so that each bucket falls on one local date."""
    if dialect == "postgresql":
        return cast(func.timezone(zone.key, column), Date), False
    offset = _constant_offset(start, end, zone)
    if offset is not None:
        return func.date(column, literal_column(f"'{offset:+d} minutes'")), False
    quarter = cast(func.strftime("%M", column), Integer) // 15 * 15
    return func.strftime("%Y-%m-%dT%H:", column).op("||")(quarter.self_group()), True


def day_value(value: Any, bucket: bool, zone: ZoneInfo) -> date:
    """The local date ``local_day`` selected."""
    return _bucket_day(value, zone) if bucket else _as_date(value)


def _constant_offset(start: datetime | None, end: datetime | None, zone: ZoneInfo) -> int | None:
    """The zone's UTC offset in minutes between ``start`` and ``end`` when it is the same at every
    local midnight of that range (and the day around), else ``None``."""
    if start is None or end is None:
        return None
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
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

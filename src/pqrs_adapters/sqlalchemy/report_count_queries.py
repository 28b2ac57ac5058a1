"""Report counts read from the counts the triggers keep (``report_count_schema``) where they answer
exactly, and what is left for the cases themselves.

The counts answer a query of a reader who sees every case, filtered by nothing but filing dates,
kinds, queues, channels and a typification subtree (the filters of ``ReportFilter``), counted by fields
the counts hold: ``FILED_DAY`` with kinds, channels and queues from the days (when the zone's offset is
the counts' over the whole range: its local days are then theirs), the rest from the months (any zone).
The cells wholly inside the filing range are read here; the parts of cells at its edges (none for a
range of whole months in Colombia) are left to the caller, to group from the cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from sqlalchemy import ColumnElement, Connection, Table, func, select

from pqrs_core.domain.access import Everything
from pqrs_core.ports import CaseQuery
from pqrs_core.services.reports import ANSWERED, FILED_DAY, Counts

from .case_rows import path_codes_text
from .report_count_schema import OFFSET_MINUTES
from .tables import case_report_day_counts, case_report_month_counts

_day, _month = case_report_day_counts.c, case_report_month_counts.c
DAY_FIELDS = {FILED_DAY: _day.day, "kind": _day.kind, "channel": _day.channel, "queue": _day.queue}
MONTH_FIELDS = {"kind": _month.kind, "channel": _month.channel,
                "typification_codes": _month.typification_path_codes, "queue": _month.queue,
                "requester_kind": _month.requester_kind,
                "first_contact": _month.first_contact_resolution, ANSWERED: _month.answered,
                "responder_queue": _month.responder_queue}
_SHIFT = timedelta(minutes=OFFSET_MINUTES)


def kept_counts(conn: Connection, query: CaseQuery, fields: Sequence[str],
                zone: ZoneInfo) -> tuple[Counts, list[CaseQuery]] | None:
    """The counts of the cells wholly inside ``query``'s filing range, and the queries of the parts
    at its edges (for the cases themselves); ``None`` when the counts cannot answer ``query``."""
    if not _counted_filters(query) or query.filed_from is None or query.filed_to is None:
        return None
    by_day = FILED_DAY in fields
    columns = DAY_FIELDS if by_day else MONTH_FIELDS
    if not set(fields) <= columns.keys():
        return None
    if by_day and (query.typification is not None or not _same_offset(query, zone)):
        return None
    table = case_report_day_counts if by_day else case_report_month_counts
    cells = _whole_cells(query.filed_from, query.filed_to, by_day)
    if cells is None:
        return None
    first, end = cells
    counts = _read(conn, table, query, [columns[name] for name in fields], fields, first, end, by_day)
    edges = []
    if query.filed_from < first:
        edges.append(attrs.evolve(query, filed_to=first))
    if end < query.filed_to:
        edges.append(attrs.evolve(query, filed_from=end))
    return counts, edges


def _counted_filters(query: CaseQuery) -> bool:
    visible = query.visible is None or isinstance(query.visible, Everything)
    # What a query may filter by and still be answered from the counts (besides the filing range).
    others = attrs.evolve(query, kinds=(), queues=(), channels=(), typification=None, filed_from=None,
                          filed_to=None, visible=None, limit=50, sort="newest", after=None, now=None,
                          calendar=None)
    return visible and others == CaseQuery()


def _same_offset(query: CaseQuery, zone: ZoneInfo) -> bool:
    """Whether ``zone``'s offset is the counts' at every instant of the range (and a day around)."""
    assert query.filed_from is not None and query.filed_to is not None
    instant, stop = query.filed_from - timedelta(days=1), query.filed_to + timedelta(days=1)
    while instant < stop:  # a zone changes its offset at most a few times a year, never within 12 hours
        if instant.astimezone(zone).utcoffset() != _SHIFT:
            return False
        instant += timedelta(hours=12)
    return stop.astimezone(zone).utcoffset() == _SHIFT


def _whole_cells(start: datetime, stop: datetime, by_day: bool) -> tuple[datetime, datetime] | None:
    """The first and the end (UTC) of the counts' days or months wholly inside ``[start, stop)``, or
    ``None`` when there is none."""
    first = _cell_start((start.astimezone(UTC) + _SHIFT).replace(tzinfo=None), by_day)
    if first < (start.astimezone(UTC) + _SHIFT).replace(tzinfo=None):
        first = _next_cell(first, by_day)
    end = _cell_start((stop.astimezone(UTC) + _SHIFT).replace(tzinfo=None), by_day)
    if first >= end:
        return None
    return (first - _SHIFT).replace(tzinfo=UTC), (end - _SHIFT).replace(tzinfo=UTC)


def _cell_start(local: datetime, by_day: bool) -> datetime:
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if by_day else day.replace(day=1)


def _next_cell(start: datetime, by_day: bool) -> datetime:
    if by_day:
        return start + timedelta(days=1)
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def _label(instant: datetime, by_day: bool) -> str:
    local = (instant.astimezone(UTC) + _SHIFT).replace(tzinfo=None)
    return f"{local:%Y-%m-%d}" if by_day else f"{local:%Y-%m}"


def _read(conn: Connection, table: Table, query: CaseQuery, columns: list[ColumnElement[Any]],
          fields: Sequence[str], first: datetime, end: datetime, by_day: bool) -> Counts:
    c = table.c
    unit = c.day if by_day else c.month
    where = [unit >= _label(first, by_day), unit < _label(end, by_day)]
    for column, values in ((c.kind, query.kinds), (c.queue, query.queues), (c.channel, query.channels)):
        if values:
            where.append(column.in_(values))
    if query.typification is not None:
        subtree = path_codes_text((query.typification,))
        where.append(c.typification_path_codes.contains(subtree, autoescape=True))
    total = func.sum(c.cases)
    stmt = select(*columns, total).where(*where).group_by(*columns).having(total > 0)
    converters = [_converter(name) for name in fields]
    result: Counts = Counter()
    for row in conn.execute(stmt).all():
        result[tuple(convert(value) for convert, value in zip(converters, row[:-1], strict=True))] += row[-1]
    return result


def _converter(name: str) -> Callable[[Any], Any]:
    """How a stored value of ``name`` reads as ``ReportQueries.counts`` gives it ('' is NULL)."""
    if name == FILED_DAY:
        return date.fromisoformat
    if name == "typification_codes":
        paths: dict[str, tuple[str, ...]] = {"": ()}

        def codes(value: str) -> tuple[str, ...]:
            found = paths.get(value)
            if found is None:
                found = paths[value] = tuple(value.strip("|").split("|"))
            return found
        return codes
    if name in ("first_contact", ANSWERED):
        return bool
    return _or_none


def _or_none(value: str) -> str | None:
    return value or None

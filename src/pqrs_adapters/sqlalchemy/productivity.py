"""The productivity report (seed 002), read from the event log: per person, and per day, how many cases
they filed, typified, answered and closed, and the handling times the forms measured (filing: from
opening the new-case form; answering: from opening the response form), against the targets, with the
share of times that met them and the days a person reached the daily target of solutions.

Days are the organisation's (``timezone``). The events of the period, over the cases the query selects
(its filters and visibility), are counted by the database. When the query selects every case for a
reader who sees them all, and the zone's days are the counts' (UTC−5, Colombia's), the days wholly inside
the period are read from the counts the triggers keep (``event_count_schema``), less the events of the
voided cases; only the parts of days at its edges are grouped from the events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    SelectBase,
    Table,
    func,
    literal_column,
    select,
    text,
)

from pqrs_core.ports import CaseQuery
from pqrs_core.services.quality_figures import DayFigures, PersonFigures, ProductivityReport, Targets

from . import event_count_schema as event_counts
from .case_queries import where_clause
from .event_count_schema import COUNTED
from .report_count_queries import day_label, every_case, whole_days
from .report_queries import day_value, local_day
from .tables import case_event_day_counts, case_event_time_counts, case_events, cases

ACTIVITIES = dict(zip(COUNTED, ("filed", "typified", "answered", "closed"), strict=True))

# The events by (kind, person, local day), and the measured handling times by (kind, person, seconds).
Figures = tuple[Counter[tuple[str, str, date]], Counter[tuple[str, str, int]]]


def productivity_report(conn: Connection, query: CaseQuery, start: datetime, end: datetime, timezone: str,
                        targets: Targets | None = None) -> ProductivityReport:
    """The figures of the events recorded in [``start``, ``end``) on the cases ``query`` selects,
    counted by the database: the events by kind, person and local day, and the measured handling
    times by kind, person and value (a person's median needs every value, not every event)."""
    zone = ZoneInfo(timezone)
    selected = where_clause(conn, query)
    days = whole_days(start, end, zone) if every_case(query) else None
    if days is None:
        return _report(_grouped(conn, _WITH_CASES, selected, start, end, zone), targets)
    first, stop = days
    by_day, times = _kept(conn, first, stop)
    # The few voided cases from ``ix_cases_voided``, then their events (not the period's every event).
    voided = case_events.c.case_id.in_(_voided_ids(conn.dialect.name))
    voided_days, voided_times = _grouped(conn, case_events, voided, first, stop, zone)
    by_day.subtract(voided_days)
    times.subtract(voided_times)
    for edge_start, edge_end in ((start, first), (stop, end)):
        if edge_start < edge_end:
            edge_days, edge_times = _grouped(conn, _WITH_CASES, selected, edge_start, edge_end, zone)
            by_day.update(edge_days)
            times.update(edge_times)
    return _report((by_day, times), targets)


_WITH_CASES = case_events.join(cases, cases.c.id == case_events.c.case_id)
# SQLite names the index: a store with no voided case has no statistics for it (``ANALYZE`` leaves an
# empty index out), and SQLite then scanned a covering index of every case to find none (10 ms a
# statement at 100,000 cases, twice a report). PostgreSQL estimates the condition from the column.
_VOIDED_IDS_SQLITE = text("SELECT id FROM cases INDEXED BY ix_cases_voided WHERE deleted_at IS NOT NULL"
                          ).columns(cases.c.id)


def _voided_ids(dialect: str) -> SelectBase:
    """The ids of the voided cases, read from ``ix_cases_voided``."""
    if dialect == "sqlite":
        return _VOIDED_IDS_SQLITE
    return select(cases.c.id).where(cases.c.deleted_at.is_not(None))


def _grouped(conn: Connection, source: FromClause, selected: ColumnElement[bool], start: datetime,
             end: datetime, zone: ZoneInfo) -> Figures:
    """The figures of the events of [``start``, ``end``) of ``source`` (the events, with their cases or
    not) that are ``selected``, grouped from the events."""
    e = case_events.c
    day, bucket = local_day(conn.dialect.name, e.occurred_at, start, end, zone)
    where = (selected, e.type.in_(COUNTED), e.occurred_at >= start, e.occurred_at < end)
    by_day: Counter[tuple[str, str, date]] = Counter()
    for kind, actor, value, count in conn.execute(
            select(e.type, e.actor, day.label("day"), func.count()).select_from(source)
            .where(*where).group_by(e.type, e.actor, day)):
        by_day[kind, actor, day_value(value, bucket, zone)] += count
    # The triggers' own test and value (``event_count_schema``), so that both count the same events.
    seconds: ColumnElement[Any] = literal_column(event_counts.seconds(conn.dialect.name, "case_events"))
    timed = text(event_counts.timed(conn.dialect.name, "case_events"))
    times: Counter[tuple[str, str, int]] = Counter()
    for kind, actor, value, count in conn.execute(
            select(e.type, e.actor, seconds, func.count()).select_from(source)
            .where(*where, timed).group_by(e.type, e.actor, seconds)):
        times[kind, actor, value] += count
    return by_day, times


def _kept(conn: Connection, first: datetime, end: datetime) -> Figures:
    """The figures of every event of the counts' days [``first``, ``end``), from the counts."""
    by_day = Counter({(kind, actor, date.fromisoformat(day)): count for kind, actor, day, count
                      in _summed(conn, case_event_day_counts, "day", first, end)})
    times = Counter({(kind, actor, seconds): count for kind, actor, seconds, count
                     in _summed(conn, case_event_time_counts, "seconds", first, end)})
    return by_day, times


def _summed(conn: Connection, table: Table, column: str, first: datetime,
            end: datetime) -> Sequence[tuple[str, str, Any, int]]:
    """The counts of ``table`` of the days [``first``, ``end``) summed by kind, person and ``column``."""
    c = table.c
    total = func.sum(c.events)
    rows = conn.execute(select(c.type, c.actor, c[column], total)
                        .where(c.day >= day_label(first), c.day < day_label(end))
                        .group_by(c.type, c.actor, c[column]).having(total > 0))
    return [(kind, actor, value, count) for kind, actor, value, count in rows]


def _report(counts: Figures, targets: Targets | None) -> ProductivityReport:
    """The report of the counted figures (cells at zero or below, after the voided cases are taken
    away, are none)."""
    targets = targets or Targets()
    counted, times = counts
    people: dict[str, PersonFigures] = {}
    total = PersonFigures("", targets=targets)
    by_day: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTIVITIES.values(), 0))
    for (kind, actor, local), count in counted.items():
        if count <= 0:
            continue
        activity = ACTIVITIES[kind]
        by_day[local][activity] += count
        person = people.get(actor)
        if person is None:
            person = people[actor] = PersonFigures(actor, targets=targets)
        for figures in (person, total):
            setattr(figures, activity, getattr(figures, activity) + count)
            if activity == "answered":
                figures.answered_by_day[local] = figures.answered_by_day.get(local, 0) + count
    for (kind, actor, value), count in sorted(times.items()):  # each person's times in one order
        if count <= 0:
            continue
        for figures in (people[actor], total):
            (figures.filing_times if kind == "CaseFiled" else figures.response_times).extend([value] * count)
    ordered = sorted(people.values(), key=lambda p: (-p.answered, -p.filed, p.person))
    days = tuple(DayFigures(day, **counts) for day, counts in sorted(by_day.items()))
    return ProductivityReport(people=tuple(ordered), days=days, total=total)

"""The productivity report (seed 002), read from the event log: per person, and per day, how many cases
they filed, typified, answered and closed, and the handling times the forms measured (filing: from
opening the new-case form; answering: from opening the response form), against the targets, with the
share of times that met them and the days a person reached the daily target of solutions.

Days are the organisation's (``timezone``). The events of the period, over the cases the query selects
(its filters and visibility), are counted by the database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, and_, func, select

from pqrs_core.ports import CaseQuery
from pqrs_core.services.quality_figures import DayFigures, PersonFigures, ProductivityReport, Targets

from .case_queries import where_clause
from .report_queries import day_value, local_day
from .tables import case_events, cases

ACTIVITIES = {"CaseFiled": "filed", "CaseTypified": "typified", "CaseResponded": "answered",
              "CaseClosed": "closed"}


def productivity_report(conn: Connection, query: CaseQuery, start: datetime, end: datetime, timezone: str,
                        targets: Targets | None = None) -> ProductivityReport:
    """The figures of the events recorded in [``start``, ``end``) on the cases ``query`` selects,
    grouped by the database: the events by kind, person and local day, and the measured handling
    times by kind, person and value (a person's median needs every value, not every event)."""
    targets = targets or Targets()
    zone = ZoneInfo(timezone)
    e = case_events.c
    day, bucket = local_day(conn.dialect.name, e.occurred_at, start, end, zone)
    source = case_events.join(cases, cases.c.id == e.case_id)
    where = (where_clause(conn, query), e.type.in_(list(ACTIVITIES)), e.occurred_at >= start,
             e.occurred_at < end)
    by_day_rows = conn.execute(select(e.type, e.actor, day.label("day"), func.count()).select_from(source)
                               .where(*where).group_by(e.type, e.actor, day))
    seconds = e.data["handling_seconds"].as_integer()
    timed = (e.type.in_(TIMED), _whole_number(conn.dialect.name, e.data))
    time_rows = conn.execute(select(e.type, e.actor, seconds, func.count()).select_from(source)
                             .where(*where, *timed).group_by(e.type, e.actor, seconds))
    people: dict[str, PersonFigures] = {}
    total = PersonFigures("", targets=targets)
    by_day: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTIVITIES.values(), 0))
    for kind, actor, value, count in by_day_rows:
        activity = ACTIVITIES[kind]
        local = day_value(value, bucket, zone)
        by_day[local][activity] += count
        for figures in (people.setdefault(actor, PersonFigures(actor, targets=targets)), total):
            setattr(figures, activity, getattr(figures, activity) + count)
            if activity == "answered":
                figures.answered_by_day[local] = figures.answered_by_day.get(local, 0) + count
    for kind, actor, value, count in time_rows:
        for figures in (people[actor], total):
            (figures.filing_times if kind == "CaseFiled" else figures.response_times).extend([value] * count)
    ordered = sorted(people.values(), key=lambda p: (-p.answered, -p.filed, p.person))
    days = tuple(DayFigures(day, **counts) for day, counts in sorted(by_day.items()))
    return ProductivityReport(people=tuple(ordered), days=days, total=total)


TIMED = ("CaseFiled", "CaseResponded")  # the events whose forms measure how long they took


def _whole_number(dialect: str, data: Any) -> ColumnElement[bool]:
    """Whether the event's ``handling_seconds`` is a whole number (what the forms record)."""
    if dialect == "postgresql":
        value = data["handling_seconds"]
        return and_(func.jsonb_typeof(value) == "number",
                    value.as_float() == func.trunc(value.as_float()))
    return func.json_type(data, "$.handling_seconds") == "integer"

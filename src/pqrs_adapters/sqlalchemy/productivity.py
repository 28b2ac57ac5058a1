"""The productivity report (seed 002), read from the event log: per person, and per day, how many cases
they filed, typified, answered and closed, and the handling times the forms measured (filing: from
opening the new-case form; answering: from opening the response form), against the targets, with the
share of times that met them and the days a person reached the daily target of solutions.

Days are the organisation's (``timezone``). The events are read for the period, over the cases the query
selects (its filters and visibility), and counted here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from pqrs_core.ports import CaseQuery
from pqrs_core.services.quality_figures import DayFigures, PersonFigures, ProductivityReport, Targets

from .case_queries import where_clause
from .tables import case_events, cases

ACTIVITIES = {"CaseFiled": "filed", "CaseTypified": "typified", "CaseResponded": "answered",
              "CaseClosed": "closed"}


def productivity_report(conn: Connection, query: CaseQuery, start: datetime, end: datetime, timezone: str,
                        targets: Targets | None = None) -> ProductivityReport:
    """The figures of the events recorded in [``start``, ``end``) on the cases ``query`` selects."""
    targets = targets or Targets()
    zone = ZoneInfo(timezone)
    e = case_events.c
    rows = conn.execute(select(e.type, e.actor, e.occurred_at, e.data)
                        .select_from(case_events.join(cases, cases.c.id == e.case_id))
                        .where(where_clause(conn, query), e.type.in_(list(ACTIVITIES)),
                               e.occurred_at >= start, e.occurred_at < end))
    people: dict[str, PersonFigures] = {}
    total = PersonFigures("", targets=targets)
    by_day: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTIVITIES.values(), 0))
    for kind, actor, at, data in rows:
        activity = ACTIVITIES[kind]
        day = at.astimezone(zone).date()
        by_day[day][activity] += 1
        for figures in (people.setdefault(actor, PersonFigures(actor, targets=targets)), total):
            _count(figures, activity, day, data)
    ordered = sorted(people.values(), key=lambda p: (-p.answered, -p.filed, p.person))
    days = tuple(DayFigures(day, **counts) for day, counts in sorted(by_day.items()))
    return ProductivityReport(people=tuple(ordered), days=days, total=total)


def _count(figures: PersonFigures, activity: str, day: date, data: dict[str, Any] | None) -> None:
    setattr(figures, activity, getattr(figures, activity) + 1)
    seconds = (data or {}).get("handling_seconds")
    if activity == "filed" and isinstance(seconds, int):
        figures.filing_times.append(seconds)
    if activity == "answered":
        figures.answered_by_day[day] = figures.answered_by_day.get(day, 0) + 1
        if isinstance(seconds, int):
            figures.response_times.append(seconds)

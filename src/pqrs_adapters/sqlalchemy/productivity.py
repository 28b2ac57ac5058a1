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
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from sqlalchemy import Connection, select

from pqrs_core.ports import CaseQuery

from .case_queries import where_clause
from .tables import case_events, cases

ACTIVITIES = {"CaseFiled": "filed", "CaseTypified": "typified", "CaseResponded": "answered",
              "CaseClosed": "closed"}


@attrs.frozen
class Targets:
    filing_seconds: int = 120
    response_seconds: int = 270
    solutions_per_day: int = 55


@attrs.define
class PersonFigures:
    person: str
    filed: int = 0
    typified: int = 0
    answered: int = 0
    closed: int = 0
    filing_times: list[int] = attrs.field(factory=list)
    response_times: list[int] = attrs.field(factory=list)
    answered_by_day: dict[date, int] = attrs.field(factory=dict)
    targets: Targets = attrs.field(factory=Targets)

    @property
    def days(self) -> int:
        """Days on which the person answered at least one case."""
        return len(self.answered_by_day)

    @property
    def answered_per_day(self) -> float | None:
        return self.answered / self.days if self.days else None

    @property
    def days_on_target(self) -> int:
        return sum(1 for n in self.answered_by_day.values() if n >= self.targets.solutions_per_day)

    @property
    def filing_median(self) -> float | None:
        return median(self.filing_times) if self.filing_times else None

    @property
    def response_median(self) -> float | None:
        return median(self.response_times) if self.response_times else None

    @property
    def filing_on_target(self) -> float | None:
        return _share(self.filing_times, self.targets.filing_seconds)

    @property
    def response_on_target(self) -> float | None:
        return _share(self.response_times, self.targets.response_seconds)


def _share(times: list[int], target: int) -> float | None:
    return sum(1 for t in times if t <= target) / len(times) if times else None


@attrs.frozen
class DayFigures:
    day: date
    filed: int
    typified: int
    answered: int
    closed: int


@attrs.frozen
class ProductivityReport:
    people: tuple[PersonFigures, ...]  # most answers first
    days: tuple[DayFigures, ...]  # every day of the period with activity, in order
    total: PersonFigures


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


def teams(report: ProductivityReport, team_of: dict[str, str]) -> list[PersonFigures]:
    """The report's people added up by team (``team_of``: person → team; others under «»)."""
    found: dict[str, PersonFigures] = {}
    for person in report.people:
        name = team_of.get(person.person, "")
        team = found.setdefault(name, PersonFigures(name, targets=person.targets))
        _merge(team, person)
    return sorted(found.values(), key=lambda t: (-t.answered, t.person))


def _merge(into: PersonFigures, other: PersonFigures) -> None:
    for name in ("filed", "typified", "answered", "closed"):
        setattr(into, name, getattr(into, name) + getattr(other, name))
    into.filing_times.extend(other.filing_times)
    into.response_times.extend(other.response_times)
    for day, n in other.answered_by_day.items():
        into.answered_by_day[day] = into.answered_by_day.get(day, 0) + n


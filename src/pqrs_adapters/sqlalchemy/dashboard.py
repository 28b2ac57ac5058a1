"""The figures of the supervisor's dashboard and of the agent's strip, counted by the database over the
cases a query selects (visibility included): open cases overdue, each person's open cases, cases filed
and closed in a day, and the month's compliance (cases whose term ended in the month, and how many
ended by their deadline)."""

from __future__ import annotations

from datetime import datetime

import attrs
from sqlalchemy import Connection, and_, case, func, select

from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from .board_counts import count_by
from .case_queries import where_clause
from .tables import case_events, cases

OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
# The open categories whose term runs: a case waiting for the requester has its term paused, and a paused
# term reads as paused or overdue, never at risk (``sla.read_term``), and is not counted overdue here.
RUNNING = (StateCategory.TODO, StateCategory.DOING)


@attrs.frozen
class Compliance:
    ended: int
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.ended if self.ended else None


def _open(query: CaseQuery) -> CaseQuery:
    return attrs.evolve(query, state_categories=OPEN, limit=0)


def overdue_count(conn: Connection, query: CaseQuery, now: datetime) -> int:
    """Open cases past their deadline (a case waiting for the requester is not counted: its term
    is paused). Asked by category, so that the database reads ``ix_cases_open_category_due`` for each
    (SQLite read the open cases by deadline and each one's row to test its category: 100 ms at a
    million cases, 3 ms now)."""
    running = attrs.evolve(query, state_categories=RUNNING, limit=0)
    return int(conn.execute(select(func.count()).where(where_clause(conn, running), cases.c.due_at < now))
               .scalar_one())


def load_by_person(conn: Connection, query: CaseQuery) -> dict[str | None, int]:
    """Open cases per assignee (``None``: nobody), from the counts kept for the board where they
    answer (``board_counts``)."""
    return {assignee: count for (assignee,), count in count_by(conn, _open(query), ("assignee",)).items()}


def count_between(conn: Connection, query: CaseQuery, instant: str, start: datetime, end: datetime) -> int:
    """Cases whose ``instant`` (``filed_at``, ``closed_at``) falls in [start, end): each widget asks for its
    own, and a page without one of them runs no statement for it."""
    column = cases.c[instant]
    where = where_clause(conn, query)
    return int(conn.execute(select(func.count()).where(where, column >= start, column < end)).scalar_one())


def compliance(conn: Connection, query: CaseQuery, start: datetime, end: datetime) -> Compliance:
    """Of the cases whose term ended (response or closing) in [start, end) and had a deadline, how
    many ended by it."""
    c = cases.c
    ended = and_(c.term_ended_at >= start, c.term_ended_at < end, c.due_at.is_not(None))
    row = conn.execute(select(func.count(), func.coalesce(func.sum(case((c.term_ended_at <= c.due_at, 1),
                                                                       else_=0)), 0))
                       .where(where_clause(conn, query), ended)).one()
    return Compliance(ended=int(row[0]), on_time=int(row[1]))


def answered_by(conn: Connection, username: str, start: datetime, end: datetime) -> int:
    """Responses ``username`` sent in [start, end) (their «solutions» of the day)."""
    e = case_events.c
    return int(conn.execute(select(func.count()).where(
        e.type == "CaseResponded", e.actor == username, e.occurred_at >= start, e.occurred_at < end))
        .scalar_one())

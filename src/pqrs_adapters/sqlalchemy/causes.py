"""The causes report: the cases resolved in a period by root cause, by area responsible and by
typification (for Pareto charts), and the corrective actions still open (or all of them).

A case counts in the period in which it was resolved (``term_ended_at``: when it entered a done state),
with the root cause recorded for that resolution; resolved cases without a recorded cause are counted
apart («sin causa registrada»), so the share of resolutions analysed is visible too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.services.quality_figures import CausesReport, CorrectiveAction, ordered_counts

from .case_queries import where_clause
from .tables import cases


def _resolved(conn: Connection, query: CaseQuery, start: datetime | None,
              end: datetime | None) -> list[ColumnElement[bool]]:
    c = cases.c
    parts = [where_clause(conn, query), c.state_category == StateCategory.DONE.value,
             c.term_ended_at.is_not(None)]
    if start is not None:
        parts.append(c.term_ended_at >= start)
    if end is not None:
        parts.append(c.term_ended_at < end)
    return parts


def causes_report(conn: Connection, query: CaseQuery, start: datetime | None,
                  end: datetime | None) -> CausesReport:
    """The figures of the cases ``query`` selects (filters and visibility) resolved in [start, end): one
    pass grouped by cause, area and typification, which ``ix_cases_resolved`` covers for a reader who
    sees every case (migration 0044), and the three tallies summed from it."""
    c = cases.c
    columns = (c.root_cause, c.cause_area, c.typification_code)
    groups = conn.execute(select(*columns, func.count()).where(*_resolved(conn, query, start, end))
                          .group_by(*columns))
    by_cause: dict[str | None, int] = {}
    by_area: dict[str | None, int] = {}
    by_typification: dict[str | None, int] = {}
    cause_by_area: dict[tuple[str, str | None], int] = {}
    resolved = 0
    for cause, area, code, count in groups:
        resolved += count
        by_typification[code] = by_typification.get(code, 0) + count
        if cause is None:
            continue
        by_cause[cause] = by_cause.get(cause, 0) + count
        by_area[area] = by_area.get(area, 0) + count
        cause_by_area[(cause, area)] = cause_by_area.get((cause, area), 0) + count
    return CausesReport(resolved=resolved, with_cause=sum(by_cause.values()),
                        by_cause=ordered_counts(by_cause), by_area=ordered_counts(by_area),
                        by_typification=ordered_counts(by_typification), cause_by_area=cause_by_area)


def open_corrective_actions(conn: Connection, query: CaseQuery, today: date) -> tuple[int, int]:
    """How many corrective actions of the cases ``query`` selects are open, and how many of those are
    past their due date on ``today`` (``CorrectiveAction.overdue``), read from the partial index
    ``ix_cases_corrective_actions``."""
    late = func.coalesce(func.sum(case((cases.c.action_due < today, 1), else_=0)), 0)
    stmt = select(func.count(), late).where(*_actions(conn, query, open_only=True))
    opened, overdue = conn.execute(stmt).one()
    return int(opened), int(overdue)


def _actions(conn: Connection, query: CaseQuery, *, open_only: bool) -> list[ColumnElement[bool]]:
    """The cases ``query`` selects that have a corrective action (still open when ``open_only``): the
    condition of the partial index ``ix_cases_corrective_actions`` and its first column."""
    c = cases.c
    parts = [where_clause(conn, query), c.corrective_action.is_not(None)]
    if open_only:
        parts.append(c.action_done_at.is_(None))
    return parts


def corrective_actions(conn: Connection, query: CaseQuery, *, open_only: bool = True,
                       limit: int = 200) -> list[CorrectiveAction]:
    """The corrective actions of the cases ``query`` selects: the open ones first by due date (or every
    one, the latest due first, when not ``open_only``)."""
    c = cases.c
    order: tuple[ColumnElement[Any], ...]
    if open_only:
        order = (c.action_due.asc(), c.filing_year.asc(), c.filing_seq.asc())
    else:
        order = (c.action_due.desc(), c.filing_year.desc(), c.filing_seq.desc())
    rows = conn.execute(select(c.filing_number, c.subject, c.root_cause, c.cause_area, c.corrective_action,
                               c.action_owner, c.action_due, c.action_done_at)
                        .where(*_actions(conn, query, open_only=open_only)).order_by(*order).limit(limit))
    return [CorrectiveAction(*row) for row in rows]

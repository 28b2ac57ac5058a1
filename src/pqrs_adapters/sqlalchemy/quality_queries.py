"""``SqlQualityQueries``: the figures of the quality and productivity reports
(``pqrs_core.services.quality_reports.QualityQueries``), computed by the queries of ``satisfaction``,
``causes`` and ``productivity`` on a unit of work's connection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from pqrs_core.ports import CaseQuery
from pqrs_core.services.quality_figures import (
    CausesReport,
    CorrectiveAction,
    ProductivityReport,
    SatisfactionReport,
    Targets,
)

from . import causes, productivity, satisfaction


class SqlQualityQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def satisfaction(self, query: CaseQuery, start: datetime | None, end: datetime | None,
                     by: str) -> SatisfactionReport:
        return satisfaction.satisfaction_report(self._conn, query, start, end, by=by)

    def causes(self, query: CaseQuery, start: datetime | None, end: datetime | None) -> CausesReport:
        return causes.causes_report(self._conn, query, start, end)

    def corrective_actions(self, query: CaseQuery, *, open_only: bool) -> list[CorrectiveAction]:
        return causes.corrective_actions(self._conn, query, open_only=open_only)

    def productivity(self, query: CaseQuery, start: datetime, end: datetime, timezone: str,
                     targets: Targets) -> ProductivityReport:
        return productivity.productivity_report(self._conn, query, start, end, timezone, targets)


def quality_queries(uow: object) -> SqlQualityQueries:
    """The quality report queries of a SQL unit of work (``quality_reports``'s ``source``)."""
    from .unit_of_work import SqlUnitOfWork

    assert isinstance(uow, SqlUnitOfWork)
    return SqlQualityQueries(uow.connection)

"""The quality and productivity reports as use cases: the port that computes their figures in the store
(``QualityQueries``) and the calls that apply the reader's visibility to it in one unit of work, as
``reports.report_rows`` does for the others.

Each report selects the cases of a ``ReportFilter`` (kind, typification, queue, channel), whatever their
filing date, and reads its own date in the filter's days (in the organisation's zone): when the survey
was answered or the quality review recorded, when the case was resolved, when the work was done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

import attrs

from ..domain.values import Actor
from ..ports import CaseQuery, UnitOfWork
from .quality_figures import CausesReport, CorrectiveAction, ProductivityReport, SatisfactionReport, Targets
from .reports import ReportFilter, check_reader

if TYPE_CHECKING:
    from .messagebus import Pqrs

T = TypeVar("T")


class QualityQueries(Protocol):
    """The store's figures for the quality and productivity reports, over the cases ``query`` selects
    (its filters and visibility; not its filing dates)."""

    def satisfaction(self, query: CaseQuery, start: datetime | None, end: datetime | None,
                     by: str) -> SatisfactionReport:
        """The survey's answers given in [``start``, ``end``) and the quality reviews recorded then,
        by ``by`` ("person", "area", "typification" or "kind")."""
        ...

    def causes(self, query: CaseQuery, start: datetime | None, end: datetime | None) -> CausesReport:
        """The cases resolved in [``start``, ``end``) by root cause, area and typification."""
        ...

    def corrective_actions(self, query: CaseQuery, *, open_only: bool) -> list[CorrectiveAction]:
        """The corrective actions: the open ones by due date, or every one, the latest due first."""
        ...

    def productivity(self, query: CaseQuery, start: datetime, end: datetime, timezone: str,
                     targets: Targets) -> ProductivityReport:
        """Each person's work recorded in [``start``, ``end``), by day in ``timezone``."""
        ...


Source = Callable[[UnitOfWork], QualityQueries]


def _read(app: Pqrs, source: Source, spec: ReportFilter | None, actor: Actor | None,
          compute: Callable[[QualityQueries, CaseQuery, datetime | None, datetime | None], T]) -> T:
    """``compute`` over the cases ``spec`` selects that ``actor`` may see (every case for ``None``; no
    filter and no period without ``spec``), in one unit of work. ``PermissionDenied`` when the actor's
    roles do not grant ``reports.view``."""
    timezone = app.deps.settings.timezone
    dated = spec.case_query(timezone) if spec is not None else CaseQuery(limit=0)
    with app.read_uow_factory() as uow:
        check_reader(app.deps.catalog(uow), actor)
        query = app.restrict(uow, attrs.evolve(dated, filed_from=None, filed_to=None), actor)
        return compute(source(uow), query, dated.filed_from, dated.filed_to)


def satisfaction_report(app: Pqrs, source: Source, spec: ReportFilter, actor: Actor | None,
                        by: str) -> SatisfactionReport:
    """The satisfaction survey and the quality reviews of ``spec``'s days, by ``by``."""
    return _read(app, source, spec, actor, lambda q, query, start, end: q.satisfaction(query, start, end, by))


def causes_report(app: Pqrs, source: Source, spec: ReportFilter, actor: Actor | None) -> CausesReport:
    """The cases resolved in ``spec``'s days by root cause, area and typification."""
    return _read(app, source, spec, actor, lambda q, query, start, end: q.causes(query, start, end))


def corrective_actions(app: Pqrs, source: Source, actor: Actor | None, *,
                       open_only: bool) -> list[CorrectiveAction]:
    """The corrective actions of the cases ``actor`` may see (a work list, not a period's figures)."""
    return _read(app, source, None, actor,
                 lambda q, query, _start, _end: q.corrective_actions(query, open_only=open_only))


def productivity_report(app: Pqrs, source: Source, spec: ReportFilter, actor: Actor | None,
                        targets: Targets) -> ProductivityReport:
    """Each person's work in ``spec``'s days against ``targets``."""
    timezone = app.deps.settings.timezone

    def compute(q: QualityQueries, query: CaseQuery, start: datetime | None,
                end: datetime | None) -> ProductivityReport:
        assert start is not None and end is not None  # a filter always has its days
        return q.productivity(query, start, end, timezone, targets)

    return _read(app, source, spec, actor, compute)

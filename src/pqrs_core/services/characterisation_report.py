"""The characterisation report as a use case: how many requesters of the cases filed in a report's days
gave each answer to each question, by period, over the cases the reader may see.

Only counts leave this module, and the page shows them through ``characterisation.suppressed`` (no cell
of fewer than ``MIN_CELL`` people). Cases filed without characterisation are counted apart
(``without_answers``), never as «Prefiero no responder».
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import attrs

from ..domain.characterisation import tally
from ..domain.values import Actor
from ..ports import CaseQuery, UnitOfWork
from .reports import ReportFilter, check_reader, period_start

if TYPE_CHECKING:
    from .messagebus import Pqrs

Counts = dict[str, dict[str, int]]  # question -> option -> people


class CharacterisationQueries(Protocol):
    def answers(self, query: CaseQuery) -> Iterable[tuple[datetime, Mapping[str, str | None]]]:
        """The filing instant and the characterisation answers of every case ``query`` selects that has
        them (its filters, visibility and filing dates)."""
        ...

    def count(self, query: CaseQuery) -> int:
        """How many cases ``query`` selects."""
        ...


Source = Callable[[UnitOfWork], CharacterisationQueries]


@attrs.frozen
class CharacterisationReport:
    total: Counts
    by_period: dict[date, Counts]  # the first day of each period -> its counts
    people: int  # cases with characterisation
    cases: int  # cases filed in the range


def characterisation_report(app: Pqrs, source: Source, spec: ReportFilter,
                            actor: Actor | None) -> CharacterisationReport:
    """The answers of the requesters of the cases ``spec`` selects that ``actor`` may see, in total and
    by ``spec.period`` (of their filing date in the organisation's zone). ``PermissionDenied`` when the
    actor's roles do not grant ``reports.view``."""
    zone = ZoneInfo(app.deps.settings.timezone)
    with app.read_uow_factory() as uow:
        check_reader(app.deps.catalog(uow), actor)
        query = app.restrict(uow, spec.case_query(zone.key), actor)
        queries = source(uow)
        rows = list(queries.answers(query))
        cases = queries.count(query)
    periods: dict[date, list[Mapping[str, str | None]]] = {}
    for filed_at, answers in rows:
        periods.setdefault(period_start(filed_at.astimezone(zone).date(), spec.period), []).append(answers)
    return CharacterisationReport(total=tally(a for _at, a in rows),
                                  by_period={start: tally(periods[start]) for start in sorted(periods)},
                                  people=len(rows), cases=cases)

"""The plan a supervisor previews in Distribución before confirming it: who would receive each of the
selected cases, by turns or least load among the people they marked, or by each case's queue strategy.
The cases are read in one go, the people and what they hold in one query per queue; nothing is
assigned here (``AssignCase`` does it when the supervisor confirms, and ``record_turns`` moves the
queues' round-robin pointers so that the next turns go on from there)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs

from ..domain.access import Permission, matches
from ..domain.assignment import Agent, Choice, QueuePolicy, Strategy, plan
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import PermissionDenied
from ..domain.values import Actor
from ..ports import UnitOfWork
from .assignment import assignable, traits_of, work_day


@attrs.frozen
class PlannedCase:
    case: Case
    choice: Choice | None  # None: nobody may take it (absent, full, manual queue)


def plan_distribution(uow: UnitOfWork, catalog: Catalog, numbers: Sequence[str], actor: Actor, now: datetime,
                      *, timezone: str, strategy: Strategy | None,
                      people: Sequence[str] | None = None) -> list[PlannedCase]:
    """Who would receive each of ``numbers`` (the open cases without a person that ``actor`` sees):
    among ``people`` by ``strategy``, or — ``people`` ``None`` — with each queue's own people and
    strategy (``strategy`` ``None``) or with ``strategy`` over each queue's people."""
    if Permission.ASSIGN not in catalog.permissions(actor):
        raise PermissionDenied(Permission.ASSIGN)
    visible = catalog.visibility(actor)
    cases = [c for c in uow.cases.get_many(numbers)
             if c.deleted_at is None and matches(visible, c) and c.is_open and c.assignee is None
             and c.queue is not None]
    queues = sorted({c.queue for c in cases if c.queue is not None})
    stored = uow.assignment.policies()
    policies: dict[str, QueuePolicy] = {q: stored.get(q, QueuePolicy(q)) for q in queues}
    agents: dict[str, Sequence[Agent]]
    if people is not None:
        marked = uow.assignment.agents(list(people))
        agents = dict.fromkeys(queues, marked)
    else:
        agents = {q: assignable(uow.assignment.staff(q), catalog) for q in queues}
    everyone = sorted({a.username for group in agents.values() for a in group})
    holdings = uow.assignment.holdings(everyone, now)
    day, weekdays = work_day(catalog, now, timezone)
    kinds = {k.code: k.label for k in catalog.kinds}
    chosen, _moved = plan([(str(c.filing_number), c.queue or "", traits_of(c, catalog)) for c in cases],
                          policies, agents, holdings, day=day, organisation_weekdays=weekdays,
                          strategy=strategy, kind_labels=kinds)
    by_number = dict(chosen)
    return [PlannedCase(c, by_number[str(c.filing_number)]) for c in cases]


def record_turns(uow: UnitOfWork, catalog: Catalog, actor: Actor, last: Mapping[str, str]) -> None:
    """Move the round-robin pointer of each queue of ``last`` to the person who received its last case
    by turns in a confirmed distribution."""
    if Permission.ASSIGN not in catalog.permissions(actor):
        raise PermissionDenied(Permission.ASSIGN)
    for queue, username in sorted(last.items()):  # always in one order: no two lock each other
        uow.assignment.policy(queue, lock=True)
        uow.assignment.advance(queue, username)
    uow.commit()

"""The automatic assignment step: when a case is filed or changes queue and nobody holds it, the
queue's strategy (or the one a caller names, e.g. a typification's) picks the person
(``pqrs_core.domain.assignment``); the assignment is recorded as an ordinary ``CaseAssigned`` event naming
the strategy and why. It runs inside the caller's unit of work, after whatever set the case's queue
(defaults of the typification, rules), before the case is stored.

The queue's policy is read locked (``AssignmentStore.policy(lock=True)``): on PostgreSQL two filings into
the same queue take turns one after the other, so the round-robin pointer and the caps count what the
other one did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs

from ..domain.access import Permission as P
from ..domain.assignment import Agent, CaseTraits, Choice, Holding, QueuePolicy, Strategy, choose
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import NotFound
from ..domain.routing_defaults import assignment_strategy_for
from ..domain.values import Actor
from ..domain.workflow import StateCategory
from ..ports import StaffMember, UnitOfWork

LANGUAGE_FIELD = "idioma"  # the custom field that holds a case's language, when the organisation has one


EVERY_DAY = frozenset(range(7))


def work_day(catalog: Catalog, now: datetime, timezone: str) -> tuple[date, frozenset[int]]:
    """The day whose availability counts for a case assigned at ``now`` — the organisation's date, or
    its next business day when ``now`` falls on a closed day (a case filed on Sunday goes to someone
    who works on Monday) — and the organisation's working weekdays."""
    calendar = catalog.calendar
    if calendar is None:
        return now.astimezone(ZoneInfo(timezone)).date(), EVERY_DAY
    return calendar.business_day_on_or_after(calendar.local_date(now)), calendar.working_weekdays


def assignable(staff: Sequence[StaffMember], catalog: Catalog) -> list[Agent]:
    """The people strategies may hand cases to: those who work cases and do not distribute them
    (supervisors and administrators hand cases out; they are not in the turns)."""
    found = []
    for member in staff:
        granted = catalog.permissions(Actor(member.agent.username, member.roles))
        if P.WORK in granted and P.ASSIGN not in granted:
            found.append(member.agent)
    return found


def traits_of(case: Case, catalog: Catalog) -> CaseTraits:
    typ = case.typification
    rank = None
    if case.priority:
        try:
            rank = catalog.priority(case.priority).rank
        except NotFound:
            rank = None
    language = case.custom_fields.get(LANGUAGE_FIELD)
    return CaseTraits(kind=case.kind, path_codes=typ.path_codes if typ else (),
                      path_labels=typ.path if typ else (),
                      language=str(language).strip().casefold() or None if language else None,
                      priority_rank=rank)


def _kind_label(catalog: Catalog, code: str) -> str:
    return next((k.label for k in catalog.kinds if k.code == code), code)


@attrs.frozen
class Candidates:
    """What a strategy chooses among for one queue: its policy, people and what they hold."""

    policy: QueuePolicy
    agents: tuple[Agent, ...]
    holdings: dict[str, Holding]


def candidates(uow: UnitOfWork, catalog: Catalog, queue: str, now: datetime, *, lock: bool) -> Candidates:
    policy = uow.assignment.policy(queue, lock=lock)
    agents = tuple(assignable(uow.assignment.staff(queue), catalog))
    return Candidates(policy, agents, uow.assignment.holdings([a.username for a in agents], now))


def typification_strategy(catalog: Catalog, case: Case) -> Strategy | None:
    """The strategy the case's typification names (its defaults, ``routing_defaults``), overriding its
    queue's; ``None`` when it names none or one this version does not know."""
    code = assignment_strategy_for(catalog, case)
    try:
        return Strategy(code) if code else None
    except ValueError:
        return None


def auto_assign(case: Case, uow: UnitOfWork, catalog: Catalog, now: datetime, *, timezone: str,
                strategy: Strategy | None = None) -> Choice | None:
    """Give ``case`` to the person its queue's strategy (or ``strategy``, which overrides it) picks, when
    it is open, in a queue and held by nobody; ``None`` when it stays without a person (the strategy is
    manual, or nobody is available or below their cap: supervisors see it in Distribución)."""
    if case.assignee is not None or case.queue is None or case.state_category is StateCategory.DONE:
        return None
    if strategy is None and uow.assignment.strategy(case.queue) is Strategy.MANUAL:
        return None  # nothing to lock or count
    found = candidates(uow, catalog, case.queue, now, lock=True)
    day, weekdays = work_day(catalog, now, timezone)
    choice = choose(found.policy, found.agents, found.holdings, traits_of(case, catalog),
                    day=day, organisation_weekdays=weekdays,
                    strategy=strategy, kind_label=_kind_label(catalog, case.kind))
    if choice is None:
        return None
    case.assign(choice.username, queue=None, catalog=catalog, actor=Actor.system(), now=now,
                strategy=choice.strategy.value, reason=choice.reason)
    if choice.strategy is Strategy.ROUND_ROBIN:
        uow.assignment.advance(case.queue, choice.username)
    return choice

"""The sweep (``pqrs sweep``, and periodically inside ``pqrs worker``): raise the alarms whose time
has come and escalate missed terms. It reads the indexed ``next_alarm_at`` of the store, so its cost
follows the number of alarms due, not the number of open cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from ..domain.errors import ConcurrencyConflict
from ..domain.events import CaseEscalated, TermAlarmRaised
from ..ports import UnitOfWork
from ..signals import publish
from .handlers import Deps, _notify


@attrs.frozen
class SweepReport:
    cases: int
    alarms: int
    escalations: int
    conflicts: int


def sweep(uow_factory: Callable[[], UnitOfWork], deps: Deps, *, now: datetime | None = None,
          batch: int = 200) -> SweepReport:
    """Process every case due for an alarm at ``now``, ``batch`` cases per transaction. A case another
    user changed meanwhile is left for the next sweep (counted in ``conflicts``)."""
    now = now or deps.clock.now()
    cases = alarms = escalations = conflicts = 0
    skipped: set[str] = set()
    while True:
        with uow_factory() as uow:
            numbers = [n for n in uow.cases.due_for_alarm(now, batch + len(skipped)) if n not in skipped]
            if not numbers:
                break
            catalog = deps.catalog(uow)
            for number in numbers[:batch]:
                case = uow.cases.get(number)
                case.raise_due_alarms(catalog=catalog, now=now)
                if not case.events:
                    skipped.add(number)  # nothing to do after all (e.g. stale index): do not loop
                    continue
                alarms += sum(isinstance(e, TermAlarmRaised) for e in case.events)
                escalations += sum(isinstance(e, CaseEscalated) for e in case.events)
                _notify(uow, deps, case, now)
                try:
                    uow.cases.save(case)
                except ConcurrencyConflict:
                    conflicts += 1
                    skipped.add(number)
                    continue
                cases += 1
            uow.commit()
            for event in uow.collect_new_events():
                publish(event, sender=uow)
    return SweepReport(cases, alarms, escalations, conflicts)

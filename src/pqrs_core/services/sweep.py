"""The sweep (``pqrs sweep``, and periodically inside ``pqrs worker``): raise the alarms whose time
has come and escalate missed terms. It reads the indexed ``next_alarm_at`` of the store, so its cost
follows the number of alarms due, not the number of open cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from ..domain.errors import ConcurrencyConflict
from ..domain.events import CaseEscalated, TermAlarmRaised
from ..domain.notifications import notifications_for
from ..ports import UnitOfWork
from ..signals import publish
from .assignment import auto_assign
from .handlers import Deps


@attrs.frozen
class SweepReport:
    cases: int
    alarms: int
    escalations: int
    conflicts: int


def sweep(uow_factory: Callable[[], UnitOfWork], deps: Deps, *, now: datetime | None = None,
          batch: int = 200) -> SweepReport:
    """Process every case due for an alarm at ``now``, ``batch`` cases per transaction: loaded in one
    go, saved in one go with the notifications of the cases saved. A case another user changed
    meanwhile is left for the next sweep (counted in ``conflicts``), and so are its notifications."""
    now = now or deps.clock.now()
    cases = alarms = escalations = conflicts = 0
    skipped: set[str] = set()
    while True:
        with uow_factory() as uow:
            numbers = [n for n in uow.cases.due_for_alarm(now, batch + len(skipped)) if n not in skipped]
            if not numbers:
                break
            numbers = numbers[:batch]
            skipped.update(numbers)  # until saved: nothing to do after all (e.g. stale index), gone
            catalog = deps.catalog(uow)
            changed = []
            for case in uow.cases.get_many(numbers):
                queue = case.queue
                case.raise_due_alarms(catalog=catalog, now=now)
                if case.queue != queue:  # escalated to a queue: its strategy may give it a person
                    auto_assign(case, uow, catalog, now, timezone=deps.settings.timezone)
                if case.events:
                    changed.append(case)
            try:
                stale = uow.cases.save_many(changed)
            except ConcurrencyConflict:
                conflicts += len(changed)  # the store could not tell which: all left for next time
                continue
            conflicts += len(stale)
            left = {id(case) for case in stale}
            saved = [case for case in changed if id(case) not in left]
            uow.outbox.add(*[n for case in saved
                                 for n in notifications_for(case, case.events, deps.new_id, now)])
            for case in saved:
                skipped.discard(str(case.filing_number))
                alarms += sum(isinstance(e, TermAlarmRaised) for e in case.events)
                escalations += sum(isinstance(e, CaseEscalated) for e in case.events)
            cases += len(saved)
            uow.commit()
            for event in uow.collect_new_events():
                publish(event, sender=uow)
    return SweepReport(cases, alarms, escalations, conflicts)

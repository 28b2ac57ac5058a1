"""The routing step of the use cases: after a command changed a case (filing, re-typification, a
requester's message, the sweep's alarms), apply the typification's defaults and the rules, in the
same unit of work. A rule that fails is switched off and the administrators are told; the command
itself always goes through.

The assignment strategies run after this step (it sets the queue they choose an agent from), in the
same unit of work: ``ROUTING_STEPS`` lists what runs after a command, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

import attrs

from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.notifications import Notification
from ..domain.routing import RoutingOutcome, RuleFailure, route
from ..domain.rules import Trigger
from ..domain.values import SYSTEM_ACTOR
from ..ports import UnitOfWork

RULES_SOURCE_FAILED = "Se desactivó porque falló al aplicarse"
ADMINS = "role:admin"


@attrs.frozen
class RoutingContext:
    """What a routing step receives besides the case."""

    uow: UnitOfWork
    catalog: Catalog
    now: datetime
    trigger: Trigger
    new_id: Callable[[], str]
    keep: Collection[str] = ()
    fraction: float | None = None


def rules_step(case: Case, ctx: RoutingContext) -> RoutingOutcome:
    """Apply the typification's defaults and the rules for ``ctx.trigger`` to ``case``; switch off
    every rule that failed and tell the administrators (in the application and by e-mail)."""
    outcome = route(case, ctx.trigger, catalog=ctx.catalog, now=ctx.now, keep=ctx.keep, fraction=ctx.fraction)
    for failure in outcome.failures:
        disable_failed_rule(ctx, case, failure)
    return outcome


def disable_failed_rule(ctx: RoutingContext, case: Case, failure: RuleFailure) -> None:
    reason = f"{RULES_SOURCE_FAILED} al caso {case.filing_number}: {failure.error}"[:1000]
    ctx.uow.catalog.set_rule_enabled(failure.rule.code, False, reason=reason)
    ctx.uow.catalog.record_change(SYSTEM_ACTOR, ctx.now, "rules.disable",
                                  {"code": failure.rule.code, "reason": reason})
    ctx.uow.outbox.add(Notification(
        key=ctx.new_id(), template="rule_disabled", recipient=ADMINS, case_id=case.id,
        filing_number=str(case.filing_number), created_at=ctx.now,
        context={"rule": failure.rule.code, "rule_name": failure.rule.name,
                 "rule_version": failure.rule.version, "error": failure.error[:500],
                 "filing_number": str(case.filing_number), "subject": case.subject}))


# What runs after a command changed a case, in order. The assignment step (strategies per queue)
# goes after ``rules_step``, so that it chooses an agent of the queue the rules chose.
ROUTING_STEPS: tuple[Callable[[Case, RoutingContext], object], ...] = (rules_step,)


def run_routing(case: Case, ctx: RoutingContext) -> None:
    """Run every routing step on ``case``."""
    for step in ROUTING_STEPS:
        step(case, ctx)

"""Escalation policy: who receives a case's escalations and at which shares of its term.

A policy belongs to a queue or to a term policy (the queue's wins). Without one, a case escalates
when its term is missed, to the queue of the next tier (seed 003: queues by tier), and with no tier
above it stays where it is and the supervisors are told. A policy may instead send it to a named
queue, tell a group (a role: its members) or an e-mail address, and escalate earlier (at 80 % of the
term, say) as well as or instead of at the deadline.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from . import events as ev
from .errors import Problems
from .values import MAX_SHORT_TEXT, check_text

if TYPE_CHECKING:
    from .case import Case
    from .catalog import Catalog

QUEUE_SCOPE = "queue:"
TERM_SCOPE = "term:"
MISSED_TERM = "Venció el término sin respuesta"


class EscalationTarget(enum.StrEnum):
    NEXT_TIER = "next_tier"
    QUEUE = "queue"
    GROUP = "group"  # a role: every member is told
    EMAIL = "email"


TARGET_LABELS = {EscalationTarget.NEXT_TIER: "la cola del nivel siguiente",
                 EscalationTarget.QUEUE: "una cola", EscalationTarget.GROUP: "un grupo (rol)",
                 EscalationTarget.EMAIL: "un correo electrónico"}


@attrs.frozen
class EscalationPolicy:
    target: EscalationTarget = attrs.field(default=EscalationTarget.NEXT_TIER, converter=EscalationTarget)
    value: str = ""  # the queue code, the role code or the e-mail address
    fractions: tuple[float, ...] = (1.0,)


DEFAULT_POLICY = EscalationPolicy()


def policy_for(catalog: Catalog, case: Case) -> EscalationPolicy:
    """The escalation policy of the case's queue, else of its term policy, else the default."""
    policies = catalog.escalation_policies
    if case.queue and f"{QUEUE_SCOPE}{case.queue}" in policies:
        return policies[f"{QUEUE_SCOPE}{case.queue}"]
    if case.term_policy and f"{TERM_SCOPE}{case.term_policy}" in policies:
        return policies[f"{TERM_SCOPE}{case.term_policy}"]
    return DEFAULT_POLICY


def escalates_at(policy: EscalationPolicy, fraction: float) -> bool:
    return any(abs(f - fraction) < 1e-6 for f in policy.fractions)


def escalation(case: Case, catalog: Catalog, actor: str, now: datetime, reason: str) -> ev.CaseEscalated:
    """The ``CaseEscalated`` event the case's policy calls for now."""
    policy = policy_for(catalog, case)
    queue_after, recipient = case.queue, None
    if policy.target is EscalationTarget.NEXT_TIER:
        upper = catalog.next_queue(case.queue) if case.queue else None
        queue_after = upper.code if upper else case.queue
    elif policy.target is EscalationTarget.QUEUE:
        active = {q.code for q in catalog.queues if q.active}
        queue_after = policy.value if policy.value in active else case.queue
    elif policy.target is EscalationTarget.GROUP:
        recipient = f"role:{policy.value}"
    else:
        recipient = f"external:{policy.value}"
    return ev.CaseEscalated(case_id=case.id, actor=actor, occurred_at=now, queue_before=case.queue,
                            queue_after=queue_after, reason=reason, recipient=recipient)


def check_policy(policy: EscalationPolicy, catalog: Catalog) -> None:
    problems = Problems()
    if policy.target is EscalationTarget.QUEUE:
        catalog.check_queue(problems, policy.value)
        if not policy.value:
            problems.add("value", "elija la cola")
    elif policy.target is EscalationTarget.GROUP:
        if policy.value not in {r.code for r in catalog.roles}:
            problems.add("value", "elija un grupo (rol) de la lista")
    elif policy.target is EscalationTarget.EMAIL:
        check_text(problems, "value", policy.value, max_length=MAX_SHORT_TEXT, required=True)
        if "@" not in policy.value.strip("@") or " " in policy.value.strip():
            problems.add("value", "escriba un correo electrónico válido")
    if not policy.fractions:
        problems.add("fractions", "elija al menos un momento del término")
    for i, fraction in enumerate(policy.fractions):
        if not 0 < fraction <= 1:
            problems.add(f"fractions.{i}", "debe ser una parte del término entre 1 % y 100 %")
    problems.raise_if_any()


"""Routing a case: its typification's defaults, then the rules that fire, applied as events.

``route`` is pure: it changes the case it is given through the aggregate's own commands (so each
change is validated and recorded like a person's), and returns which rules failed. It never raises
for a rule: a rule whose actions fail leaves the case as it was before that rule, is reported in
``RoutingOutcome.failures`` (the use case switches it off and tells the administrators), and the
other rules go on. Rules that change the typification trigger the ``retypified`` rules again, up to
``MAX_CHAIN`` rounds; then the chain stops with an internal note.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from . import events as ev
from .errors import DomainError
from .escalation import escalation
from .routing_defaults import describe, inherited
from .rules import Action, ActionKind, Reading, Rule, Trigger, action_sentence, applies, ordered
from .values import SYSTEM_ACTOR, Actor

if TYPE_CHECKING:
    from .case import Case
    from .catalog import Catalog

# How many rounds of rules one change may cause (a rule that re-typifies triggers the «cambia la
# tipificación» rules, which may re-typify again...).
MAX_CHAIN = 3
CHAIN_STOPPED = ("Las reglas se detuvieron: una cadena de reglas cambió la tipificación más de "
                 f"{MAX_CHAIN} veces seguidas. Revise las reglas que tipifican.")


@attrs.frozen
class RuleFailure:
    rule: Rule
    error: str


@attrs.frozen
class RoutingOutcome:
    fired: tuple[Rule, ...] = ()
    failures: tuple[RuleFailure, ...] = ()


def rules_actor(catalog: Catalog) -> Actor:
    """Who the rules act as: the system, allowed every transition an administrator configured."""
    return Actor(SYSTEM_ACTOR, frozenset({"system", *(r.code for r in catalog.roles)}))


def apply_defaults(case: Case, catalog: Catalog, now: datetime, *, keep: Collection[str] = ()) -> None:
    """Apply the defaults of the case's typification (queue, priority; the term policy is applied by
    the term clock), except the fields in ``keep`` (chosen by the person who filed it)."""
    if case.typification is None:
        return
    found = {f: v for f, v in inherited(catalog, case.typification.code).items() if f not in keep}
    if not found:
        return
    actor = Actor.system()
    queue = found.get("queue")
    priority = found.get("priority")
    changes = queue is not None and queue.value != case.queue or (
        priority is not None and priority.value != case.priority)
    shown = {f: v for f, v in found.items()
             if f in ("queue", "priority", "term_policy", "assignment_strategy")}
    if not changes and "term_policy" not in shown and "assignment_strategy" not in shown:
        return
    case.record_routing(ev.TypificationDefaultsApplied(
        case_id=case.id, actor=actor.username, occurred_at=now, typification=case.typification.code,
        typification_label=str(case.typification), applied=tuple(describe(shown, catalog)),
        origins=tuple(v.origin for v in shown.values())))
    if queue is not None and queue.value != case.queue:
        case.assign(None, queue=str(queue.value), catalog=catalog, actor=actor, now=now)
    if priority is not None and priority.value != case.priority:
        case.change_fields({"priority": priority.value}, catalog=catalog, actor=actor, now=now)


def route(case: Case, trigger: Trigger, *, catalog: Catalog, now: datetime, keep: Collection[str] = (),
          fraction: float | None = None, rules: tuple[Rule, ...] | None = None,
          defaults: bool = True) -> RoutingOutcome:
    """Apply the typification's defaults (on filing and re-typification) and the rules that fire for
    ``trigger`` (``fraction``: the share of the term reached, for ``TERM_FRACTION``). ``rules``
    replaces the catalog's and ``defaults=False`` leaves the typification's out (a dry run)."""
    candidates = ordered(catalog.rules if rules is None else rules)
    fired: list[Rule] = []
    failures: list[RuleFailure] = []
    failed: set[str] = set()
    if defaults and trigger in (Trigger.FILED, Trigger.RETYPIFIED):
        _safely(case, lambda trial: apply_defaults(trial, catalog, now, keep=keep))
    current: Trigger | None = trigger
    rounds = 0
    while current is not None:
        rounds += 1
        if rounds > MAX_CHAIN:
            case.add_note(CHAIN_STOPPED, public=False, actor=Actor.system(), now=now)
            break
        this_round, current = current, None
        reading = Reading(case)
        for rule in candidates:
            if rule.code in failed or not applies(rule, reading, this_round):
                continue
            if this_round is Trigger.TERM_FRACTION and (
                    fraction is None or abs(rule.fraction - fraction) > 1e-6):
                continue
            before = case.typification
            error = _safely(case, functools.partial(_apply, rule=rule, trigger=this_round, catalog=catalog,
                                                    now=now))
            if error is not None:
                failures.append(RuleFailure(rule, error))
                failed.add(rule.code)
                continue
            fired.append(rule)
            reading = Reading(case)  # the rule changed the case: what the next ones read is new
            if case.typification != before:
                if defaults:
                    _safely(case, lambda trial: apply_defaults(trial, catalog, now))
                current = Trigger.RETYPIFIED  # another round, once this one ends
            if rule.stop:
                break
    return RoutingOutcome(tuple(fired), tuple(failures))


def _safely(case: Case, change: Callable[[Case], None]) -> str | None:
    """Run ``change`` on a copy of ``case``; keep the copy's state if it succeeds, else say why."""
    trial = _copy(case)
    try:
        change(trial)
    except (DomainError, ValueError, LookupError, TypeError) as exc:
        return str(exc) or type(exc).__name__
    for field in attrs.fields(type(case)):
        setattr(case, field.name, getattr(trial, field.name))
    return None


def _copy(case: Case) -> Case:
    return attrs.evolve(case, custom_fields=dict(case.custom_fields), events=list(case.events))


def _apply(case: Case, *, rule: Rule, trigger: Trigger, catalog: Catalog, now: datetime) -> None:
    actor = rules_actor(catalog)
    notify = tuple(a.value.strip() for a in rule.actions if a.kind is ActionKind.NOTIFY)
    case.record_routing(ev.RuleApplied(case_id=case.id, actor=actor.username, occurred_at=now, rule=rule.code,
                                rule_name=rule.name, rule_version=rule.version, trigger=trigger.value,
                                actions=tuple(action_sentence(a, catalog) for a in rule.actions),
                                notify=notify))
    for action in rule.actions:
        _act(case, action, catalog, actor, now)


def _act(case: Case, action: Action, catalog: Catalog, actor: Actor, now: datetime) -> None:
    value = action.value.strip()
    match action.kind:
        case ActionKind.SET_QUEUE:
            if value != case.queue:
                case.assign(None, queue=value, catalog=catalog, actor=actor, now=now)
        case ActionKind.SET_ASSIGNEE:
            case.assign(value, queue=None, catalog=catalog, actor=actor, now=now)
        case ActionKind.SET_PRIORITY:
            case.change_fields({"priority": value}, catalog=catalog, actor=actor, now=now)
        case ActionKind.SET_TYPIFICATION:
            case.typify(value, catalog=catalog, actor=actor, now=now)
        case ActionKind.ADD_TAG:
            case.tag([value], actor=actor, now=now)
        case ActionKind.ADD_NOTE:
            case.add_note(value, public=False, actor=actor, now=now)
        case ActionKind.TRANSITION:
            case.apply_transition(value, catalog=catalog, actor=actor, now=now)
        case ActionKind.ESCALATE:
            case.record_routing(escalation(case, catalog, actor.username, now,
                                    "Escalado por una regla de enrutamiento"))
        case ActionKind.NOTIFY:
            pass  # in the ``RuleApplied`` event: the notifications are derived from it

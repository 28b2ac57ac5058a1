"""Administration of routing: rules (versioned, ordered, switched on and off, tried on recent cases
before they are switched on), typification defaults and escalation policies. Each change is recorded
in the catalog's audit log, like every catalog change (``CatalogAdmin``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime

import attrs

from ..domain.access import Permission
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import NotFound
from ..domain.escalation import QUEUE_SCOPE, TERM_SCOPE, EscalationPolicy, check_policy
from ..domain.routing import route
from ..domain.routing_defaults import TypificationDefaults, check_defaults
from ..domain.rules import Rule, problems_of
from ..domain.text import slug
from ..domain.values import MAX_CODE, Actor, check_text
from ..ports import CaseQuery, UnitOfWork
from .catalog_admin import CatalogAdmin
from .catalog_sync import ADMIN_SOURCE
from .handlers import Deps

MAX_DRY_RUN = 500
# What a dry run compares before and after a rule, with how a person reads it.
_COMPARED = {"queue": "cola", "priority": "prioridad", "assignee": "responsable",
             "typification": "tipificación", "state": "etapa", "tags": "etiquetas"}


@attrs.frozen
class DryRunCase:
    """What a rule would have done to one case: ``changes`` in Spanish («cola: Front → Back office»)."""

    filing_number: str
    subject: str
    matched: bool
    changes: tuple[str, ...] = ()
    error: str = ""


@attrs.frozen
class DryRun:
    rule: Rule
    cases: tuple[DryRunCase, ...]

    @property
    def matched(self) -> int:
        return sum(c.matched for c in self.cases)


class RoutingAdmin(CatalogAdmin):
    def __init__(self, uow_factory: Callable[[], UnitOfWork], deps: Deps) -> None:
        super().__init__(uow_factory, deps.clock)
        self._deps = deps

    # --- rules ------------------------------------------------------------------------------------
    def save_rule(self, rule: Rule, actor: Actor) -> Rule:
        """Add a rule or edit one (``rule.code`` empty: a new one, its code from its name). An edit
        that changes what the rule says makes a new version; the older ones are kept. A new rule goes
        last in the order and starts switched off, unless it says otherwise."""
        stored: list[Rule] = []

        def change(uow: UnitOfWork) -> None:
            catalog = self._deps.complete(uow.catalog.load())
            current = {r.code: r for r in catalog.rules}
            code = rule.code or _new_code(rule.name, set(current))
            problems = problems_of(rule, catalog)
            check_text(problems, "code", code, max_length=MAX_CODE, required=True)
            problems.raise_if_any()
            before = current.get(code)
            if before is None:
                position = rule.position or max((r.position for r in current.values()), default=0) + 1
                saved = attrs.evolve(rule, code=code, version=1, position=position, disabled_reason="")
            else:
                same = _definition(before) == _definition(attrs.evolve(rule, code=code))
                saved = attrs.evolve(rule, code=code, version=before.version if same else before.version + 1,
                                     position=rule.position or before.position,
                                     disabled_reason="" if rule.enabled else before.disabled_reason)
            uow.catalog.put_rule(saved, ADMIN_SOURCE, actor.username, self._clock.now())
            stored.append(saved)

        self._run(actor, "rules.put", {"code": rule.code or slug(rule.name), "name": rule.name}, change)
        return stored[0]

    def set_rule_enabled(self, code: str, enabled: bool, actor: Actor) -> None:
        def change(uow: UnitOfWork) -> None:
            _rule(uow.catalog.load(), code)
            uow.catalog.set_rule_enabled(code, enabled)

        self._run(actor, "rules.enable" if enabled else "rules.disable", {"code": code}, change)

    def move_rule(self, code: str, offset: int, actor: Actor) -> None:
        """Move a rule ``offset`` places up (negative) or down the order."""
        def change(uow: UnitOfWork) -> None:
            rules = sorted(uow.catalog.load().rules, key=lambda r: (r.position, r.code))
            index = next((i for i, r in enumerate(rules) if r.code == code), None)
            if index is None:
                raise NotFound("la regla", code)
            moved = rules.pop(index)
            rules.insert(max(0, min(len(rules), index + offset)), moved)
            for position, rule in enumerate(rules, start=1):
                if rule.position != position:
                    uow.catalog.put_rule(attrs.evolve(rule, position=position), ADMIN_SOURCE,
                                         actor.username, self._clock.now())

        self._run(actor, "rules.move", {"code": code, "offset": offset}, change)

    def rule_versions(self, code: str, actor: Actor) -> list[tuple[Rule, str, datetime]]:
        with self._uow_factory() as uow:
            self.allow(uow, actor, Permission.CATALOG)
            _rule(uow.catalog.load(), code)
            return uow.catalog.rule_versions(code)

    def dry_run(self, rule: Rule, actor: Actor, *, limit: int = 100) -> DryRun:
        """What ``rule`` (as given, switched on, alone) would do to the ``limit`` most recent cases:
        which it matches and what it would change. Nothing is stored."""
        limit = max(1, min(limit, MAX_DRY_RUN))
        with self._uow_factory() as uow:
            self.allow(uow, actor, Permission.CATALOG)
            catalog = self._deps.complete(uow.catalog.load())
            problems = problems_of(rule, catalog)
            problems.raise_if_any()
            trial = attrs.evolve(rule, enabled=True)
            found: list[DryRunCase] = []
            page = uow.cases.list(CaseQuery(limit=limit))
            now = self._clock.now()
            for case in page.cases:
                found.append(_try(trial, case, catalog, now))
            return DryRun(trial, tuple(found))

    # --- typification defaults and escalation -------------------------------------------------------
    def set_typification_defaults(self, code: str, defaults: TypificationDefaults, actor: Actor) -> None:
        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            if code not in catalog.typifications:
                raise NotFound("la tipificación", code)
            check_defaults(defaults, catalog)
            uow.catalog.put_typification_defaults(code, defaults)

        self._run(actor, "typifications.defaults", {"code": code, **attrs.asdict(defaults)}, change)

    def set_escalation_policy(self, scope: str, policy: EscalationPolicy | None, actor: Actor) -> None:
        """The escalation policy of a queue (``queue:<code>``) or a term policy (``term:<code>``);
        ``None`` returns it to the default (the next tier, when the term is missed)."""
        def change(uow: UnitOfWork) -> None:
            catalog = uow.catalog.load()
            kind, _, code = scope.partition(":")
            known = ({q.code for q in catalog.queues} if f"{kind}:" == QUEUE_SCOPE else
                     {p.code for p in catalog.term_policies} if f"{kind}:" == TERM_SCOPE else set())
            if code not in known:
                raise NotFound("la cola o política", scope)
            if policy is not None:
                check_policy(policy, catalog)
            uow.catalog.put_escalation_policy(scope, policy)

        data = {"scope": scope, **(attrs.asdict(policy) if policy else {})}
        self._run(actor, "escalation.put", data, change)


def _definition(rule: Rule) -> Rule:
    """What a version holds: the rule without its state (place, switch, version)."""
    return attrs.evolve(rule, position=0, enabled=False, version=1, disabled_reason="")


def _rule(catalog: Catalog, code: str) -> Rule:
    for rule in catalog.rules:
        if rule.code == code:
            return rule
    raise NotFound("la regla", code)


def _new_code(name: str, taken: set[str]) -> str:
    base = (slug(name) or "REGLA")[:MAX_CODE - 4]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def _snapshot(case: Case) -> dict[str, str]:
    return {"queue": case.queue or "—", "priority": case.priority or "—", "assignee": case.assignee or "—",
            "typification": str(case.typification) if case.typification else "—", "state": case.state,
            "tags": ", ".join(case.tags) or "—"}


def _try(rule: Rule, stored: Case, catalog: Catalog, now: datetime) -> DryRunCase:
    case = copy.deepcopy(stored)  # a rehearsal: the case as stored is never touched
    before = _snapshot(case)
    seen = len(case.events)
    outcome = route(case, rule.trigger, catalog=catalog, now=now, fraction=rule.fraction, rules=(rule,),
                    defaults=False)
    number, subject = str(case.filing_number), case.subject
    if outcome.failures:
        return DryRunCase(number, subject, True, error=outcome.failures[0].error)
    if not outcome.fired:
        return DryRunCase(number, subject, False)
    after = _snapshot(case)
    changes = [f"{_COMPARED[k]}: {before[k]} → {after[k]}" for k in _COMPARED if before[k] != after[k]]
    notes = [e for e in case.events[seen:] if e.name == "NoteAdded"]
    if notes:
        changes.append("nota interna")
    return DryRunCase(number, subject, True, tuple(changes))



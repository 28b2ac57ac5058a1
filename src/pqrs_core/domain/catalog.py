"""Configuration as data: kinds, reasons, priorities, channels, queues, custom fields, workflows.

A ``Catalog`` is a read-only snapshot loaded from the catalog store (which the administrator edits at
run time and plugins extend through hooks). Use cases validate every command against it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from .access import Predicate as VisibilityPredicate
from .access import Role, permissions_of, visibility_for
from .calendar import BusinessCalendar
from .errors import NotFound, Problems, ValidationError
from .escalation import EscalationPolicy
from .fields import FieldDefinition as FieldDefinition
from .fields import FieldType as FieldType
from .fields import is_empty, missing_for_transition, missing_required
from .retention import RetentionRule
from .routing_defaults import TypificationDefaults
from .rules import Rule
from .sla import TermPolicy
from .typification import TypificationTree
from .values import Actor
from .workflow import Guard, Transition, Workflow

# The simple lists every catalog holds, by name.
LIST_NAMES = ("kinds", "reasons", "channels", "document_types", "tags", "root_causes")


@attrs.frozen
class CatalogEntry:
    """One entry of a simple list (a kind, a reason, a channel, a document type)."""

    code: str
    label: str
    description: str = ""
    position: int = 0
    active: bool = True


@attrs.frozen
class Priority:
    """An ordered priority; ``rank`` 1 is the most urgent. ``important``/``urgent`` place it in the
    Eisenhower matrix of seed 003 (6.3.4) so that a priority can be derived from the two answers."""

    code: str
    label: str
    rank: int
    important: bool | None = None
    urgent: bool | None = None
    active: bool = True


@attrs.frozen
class Queue:
    """A routing target; ``tier`` 1 is the front line, higher tiers receive escalations."""

    code: str
    label: str
    tier: int = 1
    description: str = ""
    active: bool = True


@attrs.frozen
class Catalog:
    """Everything a case is validated against, as the store holds it now."""

    kinds: tuple[CatalogEntry, ...] = ()
    reasons: tuple[CatalogEntry, ...] = ()
    channels: tuple[CatalogEntry, ...] = ()
    document_types: tuple[CatalogEntry, ...] = ()
    # The organisation's catalogued tags (``tags``): offered when tagging a case; free tags are allowed too.
    tags: tuple[CatalogEntry, ...] = ()
    # Root causes a closed case is attributed to (seed 000's 5M: método, mano de obra...).
    root_causes: tuple[CatalogEntry, ...] = ()
    priorities: tuple[Priority, ...] = ()
    queues: tuple[Queue, ...] = ()
    fields: tuple[FieldDefinition, ...] = ()
    roles: tuple[Role, ...] = ()
    term_policies: tuple[TermPolicy, ...] = ()
    closures: tuple[date, ...] = ()  # organisation closure days: not business days
    # The weekdays the organisation works (0 = Monday), as it chose them (``working_days``); ``None``
    # until it chooses, and then the settings' calendar decides.
    working_weekdays: frozenset[int] | None = None
    workflows: tuple[Workflow, ...] = ()
    # The earlier versions of the workflows above: the cases filed under them move by them.
    workflow_versions: tuple[Workflow, ...] = ()
    typifications: TypificationTree = attrs.field(factory=TypificationTree)
    guards: Mapping[str, Guard] = attrs.field(factory=dict)
    # The business calendar with the closures above; set by the use cases (it is configuration, not
    # stored data). ``None``: deadlines are not computed.
    calendar: BusinessCalendar | None = None
    # Shares of a term at which alarms fire (``Settings.alarm_fractions``), set with the calendar.
    alarm_fractions: tuple[float, ...] = ()
    # Whether the organisation is a public authority or a private party performing public functions
    # (``Settings.public_functions``): some term rules apply only to those.
    public_functions: bool = False
    # What each typification node sets for its cases (``routing_defaults``), by node code.
    typification_defaults: Mapping[str, TypificationDefaults] = attrs.field(factory=dict)
    # The routing rules (``rules``), enabled or not, each at its current version.
    rules: tuple[Rule, ...] = ()
    # Who receives escalations and when (``escalation``), by ``queue:<code>`` or ``term:<code>``.
    escalation_policies: Mapping[str, EscalationPolicy] = attrs.field(factory=dict)
    # Retention-table rules (``retention``), by ``kind:<code>`` or ``typification:<code>``.
    retention: Mapping[str, RetentionRule] = attrs.field(factory=dict)
    default_workflow: str = "generic"
    # workflow used for a case kind when it is not the default one
    kind_workflows: Mapping[str, str] = attrs.field(factory=dict)
    # ``active_codes`` of each list, kept once asked (the catalog never changes; validating a case asks
    # for the same lists several times, and an import does it for every line).
    _active_codes: dict[str, frozenset[str]] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    # --- look-ups ---------------------------------------------------------------------------------
    def entries(self, name: str) -> tuple[CatalogEntry, ...]:
        if name not in LIST_NAMES:
            raise NotFound("la lista", name)
        entries: tuple[CatalogEntry, ...] = getattr(self, name)
        return entries

    def active_codes(self, name: str) -> frozenset[str]:
        found = self._active_codes.get(name)
        if found is None:
            found = self._active_codes[name] = frozenset(e.code for e in self.entries(name) if e.active)
        return found

    def priority(self, code: str) -> Priority:
        for p in self.priorities:
            if p.code == code:
                return p
        raise NotFound("la prioridad", code)

    def queue(self, code: str) -> Queue:
        for q in self.queues:
            if q.code == code:
                return q
        raise NotFound("la cola", code)

    def workflow(self, code: str, version: int | None = None) -> Workflow:
        """The workflow ``code`` at ``version`` (``None``: its current version). A version the catalog
        does not keep (a store that never versioned the workflow) is the current one."""
        for w in self.workflows:
            if w.code == code:
                if version is None or version == w.version:
                    return w
                return next((old for old in self.workflow_versions
                             if old.code == code and old.version == version), w)
        raise NotFound("el flujo de trabajo", code)

    def workflow_for(self, kind: str) -> Workflow:
        return self.workflow(self.kind_workflows.get(kind, self.default_workflow))

    def role(self, code: str) -> Role:
        for r in self.roles:
            if r.code == code:
                return r
        raise NotFound("el rol", code)

    def permissions(self, actor: Actor) -> frozenset[str]:
        return permissions_of(actor, self.roles)

    def visibility(self, actor: Actor) -> VisibilityPredicate:
        return visibility_for(actor, self.roles)

    def default_queue(self) -> Queue | None:
        """Where a case goes when filed without a queue: the first active queue of the lowest tier."""
        active = sorted((q for q in self.queues if q.active), key=lambda q: (q.tier, q.code))
        return active[0] if active else None

    def next_queue(self, code: str) -> Queue | None:
        """The queue of the next tier up (for escalation), if any."""
        tier = self.queue(code).tier
        higher = sorted((q for q in self.queues if q.active and q.tier > tier), key=lambda q: q.tier)
        return higher[0] if higher else None

    def derive_priority(self, important: bool, urgent: bool) -> Priority:
        """Seed 003 (6.3.4): the priority whose matrix cell is (important, urgent)."""
        for p in sorted(self.priorities, key=lambda p: p.rank):
            if p.active and p.important is important and p.urgent is urgent:
                return p
        raise ValidationError({"priority": "ninguna prioridad corresponde a esa importancia y urgencia"})

    # --- validation -------------------------------------------------------------------------------
    def check_code(self, problems: Problems, field: str, name: str, code: str | None,
                   *, required: bool = False) -> None:
        if code is None or code == "":
            if required:
                problems.add(field, "es obligatorio")
            return
        if code not in self.active_codes(name):
            problems.add(field, f"«{code}» no es un valor válido")

    def check_priority(self, problems: Problems, code: str | None) -> None:
        if code and code not in {p.code for p in self.priorities if p.active}:
            problems.add("priority", f"«{code}» no es una prioridad válida")

    def check_queue(self, problems: Problems, code: str | None) -> None:
        if code and code not in {q.code for q in self.queues if q.active}:
            problems.add("queue", f"«{code}» no es una cola válida")

    def clean_custom_fields(self, kind: str, values: Mapping[str, Any],
                            previous: Mapping[str, Any] | None = None,
                            typification_path: Sequence[str] = (), *,
                            public_only: bool = False) -> dict[str, Any]:
        """Validate custom field values against their definitions; unknown fields are rejected, and
        the fields required for ``kind`` (and the typification, root first) must have a value.
        ``public_only``: a requester files, who sees (and must fill in) only the public fields."""
        problems = Problems()
        definitions = {d.code: d for d in self.fields
                       if d.active and d.applies_to(kind) and (d.public or not public_only)}
        cleaned: dict[str, Any] = dict(previous or {})
        for code, value in values.items():
            definition = definitions.get(code)
            if definition is None:
                problems.add(f"custom_fields.{code}", "no es un campo definido para este tipo de caso")
                continue
            if is_empty(value):
                cleaned.pop(code, None)
                continue
            try:
                cleaned[code] = definition.clean(value)
            except ValueError as exc:
                problems.add(f"custom_fields.{code}", str(exc))
        for definition in missing_required(definitions.values(), kind, typification_path, cleaned):
            problems.add(f"custom_fields.{definition.code}", "es obligatorio")
        problems.raise_if_any()
        return cleaned

    def public_custom_fields(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The custom field ``values`` the requester may see: those of public definitions."""
        public = {d.code for d in self.fields if d.public}
        return {code: value for code, value in values.items() if code in public}

    def missing_before(self, transition: Transition, kind: str,
                       values: Mapping[str, Any]) -> list[FieldDefinition]:
        """The custom fields a case of ``kind`` holding ``values`` lacks before ``transition``: the
        active fields applying to ``kind`` that the transition (``required_fields``) or the field's
        definition (``required_for_transitions``) requires before it."""
        return missing_for_transition(self.fields, transition.name, transition.required_fields, kind, values)

    def check_before(self, transition: Transition, kind: str, values: Mapping[str, Any]) -> None:
        """``ValidationError`` naming each custom field ``missing_before`` ``transition``."""
        missing = self.missing_before(transition, kind, values)
        if missing:
            raise ValidationError({f"custom_fields.{d.code}": f"es obligatorio antes de «{transition.label}»"
                                   for d in missing})

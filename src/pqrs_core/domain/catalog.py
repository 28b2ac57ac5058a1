"""Configuration as data: kinds, reasons, priorities, channels, queues, custom fields, workflows.

A ``Catalog`` is a read-only snapshot loaded from the catalog store (which the administrator edits at
run time and plugins extend through hooks). Use cases validate every command against it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .access import Predicate as VisibilityPredicate
from .access import Role, permissions_of, visibility_for
from .calendar import BusinessCalendar
from .errors import NotFound, Problems, ValidationError
from .escalation import EscalationPolicy
from .retention import RetentionRule
from .routing_defaults import TypificationDefaults
from .rules import Rule
from .sla import TermPolicy
from .text import forbidden_characters
from .typification import TypificationTree
from .values import MAX_SUBJECT, Actor
from .workflow import Guard, Workflow

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


class FieldType(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@attrs.frozen
class FieldDefinition:
    """A custom field (seed 000: "el módulo Estudio permite agregar más campos")."""

    code: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 500
    kinds: tuple[str, ...] = ()  # empty: applies to every kind
    active: bool = True

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def clean(self, value: Any) -> Any:
        """The value in its canonical JSON-friendly form, or ``ValueError`` with a Spanish message."""
        if self.type is FieldType.TEXT:
            if not isinstance(value, str):
                raise ValueError("debe ser texto")
            if len(value) > self.max_length:
                raise ValueError(f"admite como máximo {self.max_length} caracteres")
            why = forbidden_characters(value, multiline=self.max_length > MAX_SUBJECT)
            if why is not None:
                raise ValueError(why)
            return value
        if self.type is FieldType.INTEGER:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError("debe ser un número entero")
            try:
                return int(value)
            except ValueError:
                raise ValueError("debe ser un número entero") from None
        if self.type is FieldType.DECIMAL:
            if isinstance(value, bool):
                raise ValueError("debe ser un número")
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                raise ValueError("debe ser un número") from None
            if not number.is_finite():
                raise ValueError("debe ser un número finito")
            return str(number)
        if self.type is FieldType.DATE:
            try:
                return date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise ValueError("debe ser una fecha AAAA-MM-DD") from None
        if self.type is FieldType.BOOLEAN:
            if not isinstance(value, bool):
                raise ValueError("debe ser verdadero o falso")
            return value
        if value not in self.choices:
            raise ValueError(f"debe ser uno de: {', '.join(self.choices)}")
        return value


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

    # --- look-ups ---------------------------------------------------------------------------------
    def entries(self, name: str) -> tuple[CatalogEntry, ...]:
        if name not in LIST_NAMES:
            raise NotFound("la lista", name)
        entries: tuple[CatalogEntry, ...] = getattr(self, name)
        return entries

    def active_codes(self, name: str) -> frozenset[str]:
        return frozenset(e.code for e in self.entries(name) if e.active)

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

    def workflow(self, code: str) -> Workflow:
        for w in self.workflows:
            if w.code == code:
                return w
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
                            previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validate custom field values against their definitions; unknown fields are rejected."""
        problems = Problems()
        definitions = {d.code: d for d in self.fields if d.active and d.applies_to(kind)}
        cleaned: dict[str, Any] = dict(previous or {})
        for code, value in values.items():
            definition = definitions.get(code)
            if definition is None:
                problems.add(f"custom_fields.{code}", "no es un campo definido para este tipo de caso")
                continue
            if value is None or value == "":
                cleaned.pop(code, None)
                continue
            try:
                cleaned[code] = definition.clean(value)
            except ValueError as exc:
                problems.add(f"custom_fields.{code}", str(exc))
        for code, definition in definitions.items():
            if definition.required and cleaned.get(code) in (None, ""):
                problems.add(f"custom_fields.{code}", "es obligatorio")
        problems.raise_if_any()
        return cleaned


"""What a typification says about the cases classified under it (seed 003: the typification
determines criticality and who handles the case).

Every node of the tree may carry defaults: the queue, the priority (or the importance and urgency it
is derived from, seed 003 6.3.4), the term policy, the name of the assignment strategy its queue uses,
and the fields a case must have before it is closed. A node inherits what its ancestors set and
overrides it: the nearest node that sets a value wins. They apply when a case is filed and when it is
re-typified, and the history names the node each value came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .errors import NotFound, Problems, ValidationError
from .values import MAX_CODE, check_text

if TYPE_CHECKING:
    from .case import Case
    from .catalog import Catalog

DEFAULT_FIELDS = ("queue", "priority", "term_policy", "assignment_strategy", "required_fields")
DEFAULT_FIELD_LABELS = {"queue": "cola", "priority": "prioridad", "term_policy": "política de términos",
                        "assignment_strategy": "estrategia de asignación",
                        "required_fields": "campos obligatorios antes de cerrar"}
# Case fields (besides custom fields) a typification may require before the case is closed.
REQUIRABLE_FIELDS = {"reason": "motivo", "priority": "prioridad", "assignee": "responsable",
                     "solution": "solución", "channel": "canal"}


@attrs.frozen
class TypificationDefaults:
    """What one node sets (``None``: inherited from its parent)."""

    queue: str | None = None
    priority: str | None = None
    important: bool | None = None
    urgent: bool | None = None
    term_policy: str | None = None
    assignment_strategy: str | None = None
    required_fields: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self == TypificationDefaults()


@attrs.frozen
class Inherited:
    """One default in force for a node: its ``value`` and the node it comes from."""

    value: Any
    origin: str  # the node's code
    origin_label: str


def inherited(catalog: Catalog, code: str | None) -> dict[str, Inherited]:
    """The defaults in force for the node ``code``, by field (only the fields some node sets)."""
    if not code or code not in catalog.typifications:
        return {}
    found: dict[str, Inherited] = {}
    for node in catalog.typifications.ancestors(code):  # root first: the nearest node wins
        own = catalog.typification_defaults.get(node.code)
        if own is None:
            continue
        priority = own.priority
        if priority is None and own.important is not None and own.urgent is not None:
            try:
                priority = catalog.derive_priority(own.important, own.urgent).code
            except ValidationError:
                priority = None
        for field, value in (("queue", own.queue), ("priority", priority), ("term_policy", own.term_policy),
                             ("assignment_strategy", own.assignment_strategy),
                             ("required_fields", own.required_fields or None)):
            if value is not None:
                found[field] = Inherited(value, node.code, node.label)
    return found


def term_policy_for(catalog: Catalog, case: Case) -> str | None:
    """The term policy the case's typification names (it must exist and be active), if any."""
    chosen = inherited(catalog, case.typification.code if case.typification else None).get("term_policy")
    if chosen is None or not any(p.code == chosen.value and p.active for p in catalog.term_policies):
        return None
    return str(chosen.value)


def assignment_strategy_for(catalog: Catalog, case: Case) -> str | None:
    """The name of the assignment strategy the case's typification asks for, if any (read by the
    assignment step that runs after the rules)."""
    chosen = inherited(catalog, case.typification.code if case.typification else None).get(
        "assignment_strategy")
    return str(chosen.value) if chosen is not None else None


def required_before_closing(catalog: Catalog, typification: str | None) -> Inherited | None:
    """The fields the typification's defaults (its own or an ancestor's) require before a case of it is
    closed, with where they come from; ``None`` when none do."""
    return inherited(catalog, typification).get("required_fields")


def missing_before_closing(catalog: Catalog, case: Case) -> dict[str, str]:
    """The fields the case's typification requires that it does not have, as problems by field."""
    chosen = required_before_closing(catalog, case.typification.code if case.typification else None)
    if chosen is None:
        return {}
    missing: dict[str, str] = {}
    for field in chosen.value:
        if field in REQUIRABLE_FIELDS:
            value = getattr(case, field)
            key = field
        else:
            value = case.custom_fields.get(field)
            key = f"custom_fields.{field}"
        if value is None or value == "":
            missing[key] = (f"es obligatorio antes de cerrar un caso de la tipificación "
                            f"«{chosen.origin_label}»")
    return missing


def check_defaults(defaults: TypificationDefaults, catalog: Catalog) -> None:
    """``ValidationError`` naming every field of ``defaults`` the catalog does not know."""
    problems = Problems()
    catalog.check_queue(problems, defaults.queue)
    catalog.check_priority(problems, defaults.priority)
    if (defaults.important is None) != (defaults.urgent is None):
        problems.add("important", "indique importancia y urgencia, o ninguna de las dos")
    elif defaults.important is not None and defaults.urgent is not None:
        try:
            catalog.derive_priority(defaults.important, defaults.urgent)
        except ValidationError as exc:
            problems.extend(exc.errors)
    if defaults.term_policy and defaults.term_policy not in {p.code for p in catalog.term_policies}:
        problems.add("term_policy", f"«{defaults.term_policy}» no es una política de términos")
    check_text(problems, "assignment_strategy", defaults.assignment_strategy, max_length=MAX_CODE)
    custom = {f.code for f in catalog.fields}
    for i, field in enumerate(defaults.required_fields):
        if field not in REQUIRABLE_FIELDS and field not in custom:
            problems.add(f"required_fields.{i}", f"«{field}» no es un campo del caso")
    problems.raise_if_any()


def defaults_of(catalog: Catalog, code: str) -> TypificationDefaults:
    if code not in catalog.typifications:
        raise NotFound("la tipificación", code)
    return catalog.typification_defaults.get(code, TypificationDefaults())


def describe(found: Mapping[str, Inherited], catalog: Catalog) -> list[str]:
    """Spanish phrases for the defaults, for the history («cola Back office»)."""
    phrases = []
    for field, item in found.items():
        value = item.value
        if field == "queue":
            value = next((q.label for q in catalog.queues if q.code == value), value)
        elif field == "priority":
            value = next((p.label for p in catalog.priorities if p.code == value), value)
        elif field == "required_fields":
            value = ", ".join(value)
        phrases.append(f"{DEFAULT_FIELD_LABELS[field]} {value}")
    return phrases

"""Routing rules in plain language (seed 004: "reglas de negocio en lenguaje natural").

A rule is data an administrator edits: *when* something happens to a case (its trigger), *if* every
condition holds, *then* its actions are applied in order. Rules are evaluated in their ``position``
order; a rule with ``stop`` ends the evaluation when it fires («no evaluar más reglas»). Evaluating is a
pure function of the case, the catalog and the trigger; applying the actions is ``routing.py``'s.

Each edit of a rule makes a new ``version``; the history of a case names the rule and the version
that fired, so what a rule did stays explainable after it changes.
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .errors import NotFound, Problems, ValidationError
from .text import fold
from .values import MAX_LONG_TEXT, MAX_SHORT_TEXT, RequesterKind, check_text

if TYPE_CHECKING:
    from .case import Case
    from .catalog import Catalog

MAX_CONDITIONS = 20
MAX_ACTIONS = 20


class Trigger(enum.StrEnum):
    """When a rule is evaluated."""

    FILED = "filed"
    RETYPIFIED = "retypified"
    TERM_FRACTION = "term_fraction"  # the case reached the share of its term the rule names (80 %)
    REQUESTER_MESSAGE = "requester_message"


TRIGGER_PHRASES = {
    Trigger.FILED: "se radica un caso",
    Trigger.RETYPIFIED: "cambia la tipificación de un caso",
    Trigger.TERM_FRACTION: "un caso llega al {p} de su término",
    Trigger.REQUESTER_MESSAGE: "el peticionario escribe en un caso",
}


class Operator(enum.StrEnum):
    IS = "is"
    IS_NOT = "is_not"
    IN = "in"
    CONTAINS = "contains"  # words or a phrase, accent- and case-insensitive
    NOT_CONTAINS = "not_contains"
    UNDER = "under"  # the typification is the node or one of its descendants
    EMPTY = "empty"
    NOT_EMPTY = "not_empty"
    GREATER = "greater"
    LESS = "less"


OPERATOR_PHRASES = {
    Operator.IS: "es", Operator.IS_NOT: "no es", Operator.IN: "es uno de",
    Operator.CONTAINS: "contiene", Operator.NOT_CONTAINS: "no contiene", Operator.UNDER: "está bajo",
    Operator.EMPTY: "está vacío", Operator.NOT_EMPTY: "tiene valor", Operator.GREATER: "es mayor que",
    Operator.LESS: "es menor que",
}
_UNARY = frozenset({Operator.EMPTY, Operator.NOT_EMPTY})

# The case fields a condition may test (custom fields as ``custom:<code>``), with what they read as.
FIELDS = {
    "kind": "el tipo", "channel": "el canal", "priority": "la prioridad", "queue": "la cola",
    "reason": "el motivo", "assignee": "el responsable", "state": "la etapa",
    "typification": "la tipificación", "requester_kind": "el peticionario", "subject": "el asunto",
    "description": "la descripción", "text": "el asunto o la descripción", "tags": "las etiquetas",
}
CUSTOM_PREFIX = "custom:"
_TEXT_FIELDS = frozenset({"subject", "description", "text"})
_OPERATORS_BY_FIELD: dict[str, frozenset[Operator]] = {
    **{f: frozenset({Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.EMPTY, Operator.NOT_EMPTY})
       for f in _TEXT_FIELDS},
    "typification": frozenset({Operator.IS, Operator.IS_NOT, Operator.UNDER, Operator.EMPTY,
                               Operator.NOT_EMPTY}),
    "tags": frozenset({Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.EMPTY, Operator.NOT_EMPTY}),
}
_CODE_OPERATORS = frozenset({Operator.IS, Operator.IS_NOT, Operator.IN, Operator.EMPTY, Operator.NOT_EMPTY})
REQUESTER_KIND_LABELS = {RequesterKind.CUSTOMER.value: "un cliente", RequesterKind.LEAD.value: "un prospecto",
                         RequesterKind.PERSON.value: "una persona sin registro en el CRM"}


class ActionKind(enum.StrEnum):
    SET_QUEUE = "set_queue"
    SET_PRIORITY = "set_priority"
    SET_ASSIGNEE = "set_assignee"
    SET_TYPIFICATION = "set_typification"
    ADD_TAG = "add_tag"
    ADD_NOTE = "add_note"
    NOTIFY = "notify"  # value: ``user:<name>``, ``queue:<code>``, ``role:<code>`` or an e-mail address
    TRANSITION = "transition"
    ESCALATE = "escalate"  # value ignored: the case's escalation policy says where


ACTION_PHRASES = {
    ActionKind.SET_QUEUE: "pasarlo a la cola {v}", ActionKind.SET_PRIORITY: "poner prioridad {v}",
    ActionKind.SET_ASSIGNEE: "asignarlo a {v}", ActionKind.SET_TYPIFICATION: "tipificarlo como {v}",
    ActionKind.ADD_TAG: "etiquetarlo «{v}»", ActionKind.ADD_NOTE: "agregar la nota interna «{v}»",
    ActionKind.NOTIFY: "avisar a {v}", ActionKind.TRANSITION: "aplicar la transición {v}",
    ActionKind.ESCALATE: "escalarlo",
}


@attrs.frozen
class Condition:
    field: str
    operator: Operator = attrs.field(converter=Operator)
    value: str = ""

    def values(self) -> list[str]:
        """The comma-separated alternatives of an ``in`` condition (else the value alone)."""
        if self.operator is Operator.IN:
            return [v.strip() for v in self.value.split(",") if v.strip()]
        return [self.value]


@attrs.frozen
class Action:
    kind: ActionKind = attrs.field(converter=ActionKind)
    value: str = ""


@attrs.frozen
class Rule:
    code: str
    name: str
    trigger: Trigger = attrs.field(converter=Trigger)
    conditions: tuple[Condition, ...] = ()
    actions: tuple[Action, ...] = ()
    position: int = 0
    stop: bool = False  # «no evaluar más reglas» once this one fires
    enabled: bool = False
    version: int = 1
    fraction: float = 0.8  # for ``TERM_FRACTION``: the share of the term that fires it
    # Why the rule was switched off by the system (it raised while being applied), if it was.
    disabled_reason: str = ""


class Reading:
    """What conditions read of one case, each value computed once (folded texts above all): a rule
    set is evaluated against one reading until a rule changes the case."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self._values: dict[str, Any] = {}
        self._folded: dict[str, str] = {}

    def value(self, field: str) -> Any:
        if field not in self._values:
            self._values[field] = _field_value(self.case, field)
        return self._values[field]

    def folded(self, field: str) -> str:
        if field not in self._folded:
            self._folded[field] = fold(str(self.value(field) or ""))
        return self._folded[field]


def _field_value(case: Case, field: str) -> Any:
    if field.startswith(CUSTOM_PREFIX):
        return case.custom_fields.get(field[len(CUSTOM_PREFIX):])
    if field == "requester_kind":
        return case.requester.kind.value
    if field == "typification":
        return case.typification.code if case.typification else None
    if field == "text":
        return f"{case.subject}\n{case.description}"
    if field == "tags":
        return tuple(fold(tag) for tag in case.tags)
    return getattr(case, field)


@functools.lru_cache(maxsize=4096)
def _needle(value: str) -> str:
    """A condition's words as they are compared (folded); conditions repeat, so this is cached."""
    return fold(value.strip())


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _contains(reading: Reading, field: str, needle: str) -> bool:
    value = reading.value(field)
    if isinstance(value, tuple):  # tags, already folded
        return _needle(needle) in value
    return _needle(needle) in reading.folded(field)


def condition_holds(condition: Condition, case: Case | Reading) -> bool:
    """Whether ``condition`` holds on ``case`` (or on a ``Reading`` of it)."""
    reading = case if isinstance(case, Reading) else Reading(case)
    value = reading.value(condition.field)
    op = condition.operator
    empty = value is None or value == "" or value == ()
    if op is Operator.EMPTY:
        return empty
    if op is Operator.NOT_EMPTY:
        return not empty
    if op is Operator.CONTAINS:
        return not empty and _contains(reading, condition.field, condition.value)
    if op is Operator.NOT_CONTAINS:
        return empty or not _contains(reading, condition.field, condition.value)
    if op is Operator.UNDER:
        typification = reading.case.typification
        return typification is not None and condition.value in typification.path_codes
    if op in (Operator.GREATER, Operator.LESS):
        here, there = _number(value), _number(condition.value)
        if here is None or there is None:
            return False
        return here > there if op is Operator.GREATER else here < there
    text = "" if value is None else str(value).casefold() if isinstance(value, bool) else str(value)
    if op is Operator.IN:
        return text in condition.values()
    same = text == (condition.value.casefold() if isinstance(value, bool) else condition.value)
    return same if op is Operator.IS else not same


# Fields whose value is a code (or ``None``): ``is`` compares it as it is.
_CODE_VALUED = frozenset({"kind", "channel", "priority", "queue", "reason", "assignee", "state",
                          "typification", "requester_kind"})


@functools.lru_cache(maxsize=8192)
def _check(condition: Condition) -> Callable[[Reading], bool]:
    """``condition_holds`` for ``condition``, prepared once (rules are evaluated on every filing):
    the commonest comparisons as direct tests, the rest through ``condition_holds``."""
    field, op, value = condition.field, condition.operator, condition.value
    if op is Operator.IS and field in _CODE_VALUED and value:
        return lambda r: bool(r.value(field) == value)
    if op is Operator.IN and field in _CODE_VALUED:
        choices = frozenset(condition.values())
        return lambda r: r.value(field) in choices
    if op is Operator.CONTAINS and field in _TEXT_FIELDS and _needle(value):
        needle = _needle(value)
        return lambda r: needle in r.folded(field)
    if op is Operator.UNDER:
        def under(r: Reading) -> bool:
            typification = r.case.typification
            return typification is not None and value in typification.path_codes
        return under
    return lambda r: condition_holds(condition, r)


def applies(rule: Rule, case: Case | Reading, trigger: Trigger) -> bool:
    """Whether ``rule`` fires on ``case`` for ``trigger``: enabled, same trigger, every condition."""
    if not rule.enabled or rule.trigger is not trigger:
        return False
    reading = case if isinstance(case, Reading) else Reading(case)
    for condition in rule.conditions:
        if not _check(condition)(reading):
            return False
    return True


def evaluate(rules: Iterable[Rule], case: Case, trigger: Trigger) -> list[Rule]:
    """The rules that fire on ``case`` for ``trigger``, in order, up to the first that stops."""
    fired: list[Rule] = []
    reading = Reading(case)
    for rule in ordered(rules):
        if applies(rule, reading, trigger):
            fired.append(rule)
            if rule.stop:
                break
    return fired


def ordered(rules: Iterable[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (r.position, r.code))


# ---------------------------------------------------------------------------------------------- checks
def operators_for(field: str) -> frozenset[Operator]:
    if field in _OPERATORS_BY_FIELD:
        return _OPERATORS_BY_FIELD[field]
    if field.startswith(CUSTOM_PREFIX):
        return frozenset(Operator) - {Operator.UNDER}
    return _CODE_OPERATORS


def problems_of(rule: Rule, catalog: Catalog) -> Problems:
    """What is wrong with ``rule`` against ``catalog``, by field (``conditions.0.value`` ...)."""
    problems = Problems()
    check_text(problems, "name", rule.name, max_length=MAX_SHORT_TEXT, required=True)
    if not rule.actions:
        problems.add("actions", "indique al menos una acción")
    if len(rule.conditions) > MAX_CONDITIONS:
        problems.add("conditions", f"admite como máximo {MAX_CONDITIONS} condiciones")
    if len(rule.actions) > MAX_ACTIONS:
        problems.add("actions", f"admite como máximo {MAX_ACTIONS} acciones")
    term_rule = rule.trigger is Trigger.TERM_FRACTION
    if not math.isfinite(rule.fraction) or (term_rule and not 0 < rule.fraction < 1):
        problems.add("fraction", "debe ser una parte del término entre 1 % y 99 %")
    fields = {f.code for f in catalog.fields}
    for i, cond in enumerate(rule.conditions):
        at = f"conditions.{i}"
        custom = cond.field.startswith(CUSTOM_PREFIX)
        if cond.field not in FIELDS and not (custom and cond.field[len(CUSTOM_PREFIX):] in fields):
            problems.add(f"{at}.field", f"«{cond.field}» no es un campo del caso")
            continue
        if cond.operator not in operators_for(cond.field):
            problems.add(f"{at}.operator", f"«{OPERATOR_PHRASES[cond.operator]}» no aplica a "
                                           f"{FIELDS.get(cond.field, 'ese campo')}")
            continue
        if cond.operator in _UNARY:
            continue
        check_text(problems, f"{at}.value", cond.value, max_length=MAX_LONG_TEXT, required=True)
        for value in cond.values():
            known = _known_codes(cond.field, catalog)
            if known is not None and value and value not in known:
                problems.add(f"{at}.value", f"«{value}» no es un valor de {FIELDS[cond.field]}")
        if cond.operator in (Operator.GREATER, Operator.LESS) and _number(cond.value) is None:
            problems.add(f"{at}.value", "debe ser un número")
    for i, action in enumerate(rule.actions):
        _action_problems(problems, f"actions.{i}.value", action, catalog)
    return problems


def _known_codes(field: str, catalog: Catalog) -> frozenset[str] | None:
    match field:
        case "kind" | "channel" | "reason":
            return frozenset(e.code for e in catalog.entries({"kind": "kinds", "channel": "channels",
                                                               "reason": "reasons"}[field]))
        case "priority":
            return frozenset(p.code for p in catalog.priorities)
        case "queue":
            return frozenset(q.code for q in catalog.queues)
        case "typification":
            return frozenset(n.code for n in catalog.typifications)
        case "requester_kind":
            return frozenset(REQUESTER_KIND_LABELS)
        case "state":
            return frozenset(s.code for w in catalog.workflows for s in w.states)
    return None


def _action_problems(problems: Problems, at: str, action: Action, catalog: Catalog) -> None:
    value = action.value.strip()
    if action.kind is ActionKind.ESCALATE:
        return
    if not value:
        problems.add(at, "es obligatorio")
        return
    match action.kind:
        case ActionKind.SET_QUEUE:
            _renamed(problems, at, lambda p: catalog.check_queue(p, value))
        case ActionKind.SET_PRIORITY:
            _renamed(problems, at, lambda p: catalog.check_priority(p, value))
        case ActionKind.SET_TYPIFICATION if value not in catalog.typifications:
            problems.add(at, f"«{value}» no es una tipificación conocida")
        case ActionKind.TRANSITION if not any(t.name == value for w in catalog.workflows
                                              for t in w.transitions):
            problems.add(at, f"«{value}» no es una transición de ningún flujo")
        case ActionKind.NOTIFY if not _recipient_ok(value):
            problems.add(at, "indique user:<usuario>, queue:<cola>, role:<rol> o un correo electrónico")
        case _:
            check_text(problems, at, value, max_length=MAX_LONG_TEXT if action.kind is ActionKind.ADD_NOTE
                       else MAX_SHORT_TEXT, required=True)


def _recipient_ok(value: str) -> bool:
    prefix, _, rest = value.partition(":")
    if prefix in ("user", "queue", "role"):
        return bool(rest.strip())
    return "@" in value and " " not in value and not value.startswith("@") and not value.endswith("@")


def _renamed(problems: Problems, field: str, check: Callable[[Problems], None]) -> None:
    """Run one of the catalog's checks (which name their own field) and report under ``field``."""
    found = Problems()
    check(found)
    try:
        found.raise_if_any()
    except ValidationError as exc:
        for message in exc.errors.values():
            problems.add(field, message)


# ------------------------------------------------------------------------------------------- sentences
def _label(catalog: Catalog, field: str, code: str) -> str:
    try:
        match field:
            case "kind" | "channel" | "reason":
                name = {"kind": "kinds", "channel": "channels", "reason": "reasons"}[field]
                return next(e.label for e in catalog.entries(name) if e.code == code)
            case "priority":
                return catalog.priority(code).label
            case "queue":
                return catalog.queue(code).label
            case "typification":
                return catalog.typifications.get(code).label
            case "requester_kind":
                return REQUESTER_KIND_LABELS[code]
    except (StopIteration, KeyError, NotFound):
        pass
    return code


def field_phrase(field: str, catalog: Catalog) -> str:
    if field.startswith(CUSTOM_PREFIX):
        code = field[len(CUSTOM_PREFIX):]
        label = next((f.label for f in catalog.fields if f.code == code), code)
        return f"el campo «{label}»"
    return FIELDS.get(field, field)


def condition_sentence(cond: Condition, catalog: Catalog) -> str:
    subject = field_phrase(cond.field, catalog)
    verb = OPERATOR_PHRASES[cond.operator]
    if cond.operator in _UNARY:
        return f"{subject} {verb}"
    if cond.operator in (Operator.CONTAINS, Operator.NOT_CONTAINS):
        return f"{subject} {verb} «{cond.value}»"
    shown = [_label(catalog, cond.field, v) for v in cond.values()]
    if cond.field == "requester_kind" and cond.operator is not Operator.IN:
        return f"{subject} {'no ' if cond.operator is Operator.IS_NOT else ''}es {shown[0]}"
    return f"{subject} {verb} {_join(shown, 'o')}"


def action_sentence(action: Action, catalog: Catalog) -> str:
    value = action.value
    match action.kind:
        case ActionKind.SET_QUEUE:
            value = _label(catalog, "queue", value)
        case ActionKind.SET_PRIORITY:
            value = _label(catalog, "priority", value)
        case ActionKind.SET_TYPIFICATION:
            value = _label(catalog, "typification", value)
        case ActionKind.NOTIFY:
            value = _recipient_phrase(value, catalog)
    return ACTION_PHRASES[action.kind].format(v=value).replace(" a el ", " al ")  # «avisar al grupo»


def _recipient_phrase(value: str, catalog: Catalog) -> str:
    prefix, _, rest = value.partition(":")
    match prefix:
        case "user":
            return rest
        case "queue":
            return f"la cola {_label(catalog, 'queue', rest)}"
        case "role":
            label = next((r.label for r in catalog.roles if r.code == rest), rest)
            return f"el grupo {label}"
    return value


def sentence(rule: Rule, catalog: Catalog) -> str:
    """The rule read back in Spanish: «Cuando se radica un caso, si el tipo es Reclamo y el asunto
    contiene «cobro doble», entonces pasarlo a la cola Back office y poner prioridad Alta»."""
    when = TRIGGER_PHRASES[rule.trigger].format(p=f"{round(rule.fraction * 100)} %")
    parts = [f"Cuando {when}"]
    if rule.conditions:
        parts.append("si " + _join([condition_sentence(c, catalog) for c in rule.conditions], "y"))
    then = _join([action_sentence(a, catalog) for a in rule.actions], "y") or "no hacer nada"
    text = ", ".join(parts) + f", entonces {then}"
    if rule.stop:
        text += "; y no evaluar más reglas"
    return text


def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} {items[-1]}"

"""Workflows as data: states grouped in categories and named transitions between them."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .errors import InvalidTransition, Problems, TransitionNotPermitted, ValidationError
from .values import Actor

if TYPE_CHECKING:
    from .case import Case


class StateCategory(enum.StrEnum):
    """Kanban columns of seed 003 (6.3.3), plus *waiting*: the requester owes us something."""

    TODO = "todo"
    DOING = "doing"
    WAITING = "waiting"
    DONE = "done"


@attrs.frozen
class State:
    code: str
    label: str
    category: StateCategory

    @property
    def is_open(self) -> bool:
        return self.category is not StateCategory.DONE

    @property
    def pauses_clock(self) -> bool:
        """While in a waiting state the term does not run (the requester owes information)."""
        return self.category is StateCategory.WAITING


@attrs.frozen
class Transition:
    """A named move between states. Empty ``roles`` means any role may fire it."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str] = frozenset()
    guard: str | None = None
    # Codes of custom fields that must be filled on the case before the transition can fire.
    required_fields: tuple[str, ...] = ()


@attrs.frozen
class GuardContext:
    """What a guard may look at besides the case: the instant and the organisation settings."""

    now: Any
    settings: Mapping[str, Any] = attrs.field(factory=dict)


Guard = Callable[["Case", GuardContext], "str | None"]
"""A guard returns ``None`` to allow the transition or a reason (Spanish) to refuse it."""


@attrs.frozen
class Workflow:
    code: str
    label: str
    initial_state: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    description: str = ""
    # The term policy (its code) of the new term a reopened case gets, counted from the reopening;
    # ``None``: the policy the case's kind, typification, priority and channel select, as at filing.
    reopen_term_policy: str | None = None
    # Each saved change of a workflow is a new version; a case keeps the version it was filed under.
    version: int = 1

    def __attrs_post_init__(self) -> None:
        codes = [s.code for s in self.states]
        problems: dict[str, str] = {}
        if len(set(codes)) != len(codes):
            problems["states"] = "hay estados repetidos"
        if self.initial_state not in codes:
            problems["initial_state"] = f"«{self.initial_state}» no es un estado del flujo"
        names = [t.name for t in self.transitions]
        if len(set(names)) != len(names):
            problems["transitions"] = "hay transiciones repetidas"
        for t in self.transitions:
            for code in (*t.sources, t.target):
                if code not in codes:
                    problems[f"transitions.{t.name}"] = f"«{code}» no es un estado del flujo"
        if problems:
            raise ValidationError({f"workflow.{self.code}.{k}": v for k, v in problems.items()})

    def state(self, code: str) -> State:
        for state in self.states:
            if state.code == code:
                return state
        raise ValidationError({"state": f"«{code}» no es un estado del flujo «{self.code}»"})

    def has_state(self, code: str) -> bool:
        return any(s.code == code for s in self.states)

    def transition(self, name: str) -> Transition | None:
        for t in self.transitions:
            if t.name == name:
                return t
        return None

    def available(self, state: str) -> list[Transition]:
        """Transitions that leave ``state`` (whoever may fire them)."""
        return [t for t in self.transitions if state in t.sources]

    def allowed_for(self, state: str, actor: Actor) -> list[Transition]:
        """Transitions that leave ``state`` and that ``actor`` may fire (guards not evaluated)."""
        return [t for t in self.available(state) if not t.roles or actor.has_any(t.roles)]

    def resolve(self, name: str, state: str, actor: Actor, *, case: Case | None = None,
                guards: Mapping[str, Guard] | None = None,
                context: GuardContext | None = None) -> Transition:
        """The transition ``name`` if it can fire now, otherwise a typed error naming the allowed ones."""
        transition = self.transition(name)
        if transition is None or state not in transition.sources:
            raise InvalidTransition(name, state, (t.name for t in self.allowed_for(state, actor)))
        if transition.roles and not actor.has_any(transition.roles):
            roles = ", ".join(sorted(transition.roles))
            raise TransitionNotPermitted(name, f"requiere uno de los roles: {roles}")
        reason = guard_refusal(transition, case, guards, context)
        if reason:
            raise TransitionNotPermitted(name, reason)
        return transition

    def states_in(self, categories: Iterable[StateCategory]) -> list[str]:
        wanted = set(categories)
        return [s.code for s in self.states if s.category in wanted]


def next_version(stored: Workflow | None, workflow: Workflow) -> Workflow:
    """``workflow`` numbered as it is saved over ``stored``: the same version when nothing changed,
    the next one when something did (version 1 for a new workflow)."""
    if stored is None:
        return attrs.evolve(workflow, version=1)
    if attrs.evolve(workflow, version=stored.version) == stored:
        return stored
    return attrs.evolve(workflow, version=stored.version + 1)


def structure_problems(workflow: Workflow) -> Problems:
    """What makes ``workflow`` unusable for cases: no state of category *done* (a case could never
    end), or a state no transition leads to from the initial state (a case could never be in it)."""
    problems = Problems()
    if not workflow.states_in([StateCategory.DONE]):
        problems.add("states", "el flujo necesita al menos un estado de la categoría «terminado»")
    reached, pending = {workflow.initial_state}, [workflow.initial_state]
    while pending:
        state = pending.pop()
        for transition in workflow.available(state):
            if transition.target not in reached:
                reached.add(transition.target)
                pending.append(transition.target)
    for unreached in workflow.states:
        if unreached.code not in reached:
            problems.add(f"states.{unreached.code}",
                         f"ninguna transición lleva al estado «{unreached.label}» desde el estado inicial")
    return problems


def guard_refusal(transition: Transition, case: Case | None, guards: Mapping[str, Guard] | None,
                  context: GuardContext | None) -> str | None:
    """Why ``transition``'s guard refuses (Spanish), or ``None`` when it has no guard or allows it.
    An unregistered guard always refuses; without a case or context only registration is checked."""
    if transition.guard is None:
        return None
    guard = (guards or {}).get(transition.guard)
    if guard is None:
        return f"la condición «{transition.guard}» no está registrada"
    if case is None or context is None:
        return None
    return guard(case, context) or None


# Transitions fired by a command of their own (which records what they need), not by name.
DEDICATED_TRANSITIONS = {
    "request_information": "solicitar información",
    "requester_replied": "registrar respuesta del peticionario",
    "respond": "responder",
    "close": "cerrar",
    "reopen": "reabrir",
    "return_for_retypification": "devolver para re-tipificar",
    "resolve_at_first_contact": "radicar resuelto en primer contacto",
    "assign": "asignar",
    "withdraw": "declarar desistimiento tácito",
    "transfer": "trasladar por competencia",
}

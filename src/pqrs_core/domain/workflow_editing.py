"""Editing a workflow as data: copying one as the start of another, adding states (each with the
transition that leads to it) and transitions, and the checks a workflow passes before it is saved."""

from __future__ import annotations

import re

import attrs

from .catalog import Catalog
from .errors import Problems, ValidationError
from .values import MAX_CODE, MAX_SHORT_TEXT, check_text
from .workflow import DEDICATED_TRANSITIONS, State, Transition, Workflow, structure_problems

CODE = re.compile(r"[a-z][a-z0-9_]*")


def check_code(problems: Problems, field: str, code: str) -> None:
    """A code machines read: lower-case letters, digits and ``_``, starting with a letter."""
    check_text(problems, field, code, max_length=MAX_CODE, required=True)
    if code and not CODE.fullmatch(code):
        problems.add(field, "use solo minúsculas sin tildes, números y «_», empezando por una letra")


def _check_label(problems: Problems, field: str, label: str) -> None:
    check_text(problems, field, label, max_length=MAX_SHORT_TEXT, required=True)


def copy_workflow(source: Workflow, code: str, label: str) -> Workflow:
    """A new workflow ``code`` with ``source``'s states and transitions, to change from there."""
    problems = Problems()
    check_code(problems, "code", code)
    _check_label(problems, "label", label)
    problems.raise_if_any()
    return attrs.evolve(source, code=code, label=label.strip(), version=1)


def add_state(workflow: Workflow, state: State, entry: Transition) -> Workflow:
    """``workflow`` with ``state`` and ``entry``, the transition that leads to it (a state nothing
    leads to could never be reached)."""
    problems = Problems()
    check_code(problems, "state.code", state.code)
    _check_label(problems, "state.label", state.label)
    if workflow.has_state(state.code):
        problems.add("state.code", f"el flujo ya tiene el estado «{state.code}»")
    _transition_problems(problems, workflow, entry)
    if entry.target != state.code:
        problems.add("transition.target", f"la transición debe llevar al estado «{state.code}»")
    problems.raise_if_any()
    return _rebuilt(workflow, states=(*workflow.states, state), transitions=(*workflow.transitions, entry))


def add_transition(workflow: Workflow, transition: Transition) -> Workflow:
    problems = Problems()
    _transition_problems(problems, workflow, transition)
    if not workflow.has_state(transition.target):
        problems.add("transition.target", f"«{transition.target}» no es un estado del flujo")
    problems.raise_if_any()
    return _rebuilt(workflow, transitions=(*workflow.transitions, transition))


def _transition_problems(problems: Problems, workflow: Workflow, transition: Transition) -> None:
    check_code(problems, "transition.name", transition.name)
    _check_label(problems, "transition.label", transition.label)
    if workflow.transition(transition.name) is not None:
        problems.add("transition.name", f"el flujo ya tiene la transición «{transition.name}»")
    elif transition.name in DEDICATED_TRANSITIONS:
        problems.add("transition.name", f"«{transition.name}» es el código de una acción propia "
                                        f"({DEDICATED_TRANSITIONS[transition.name]}): elija otro")
    if not transition.sources:
        problems.add("transition.sources", "elija al menos un estado de origen")
    for source in transition.sources:
        if not workflow.has_state(source):
            problems.add("transition.sources", f"«{source}» no es un estado del flujo")


def _rebuilt(workflow: Workflow, **changes: object) -> Workflow:
    """``attrs.evolve`` with the workflow's own checks reported on the editor's fields."""
    try:
        return attrs.evolve(workflow, **changes)  # type: ignore[arg-type]
    except ValidationError as exc:
        prefix = f"workflow.{workflow.code}."
        raise ValidationError({key.removeprefix(prefix): message
                               for key, message in exc.errors.items()}) from None


def check_workflow(workflow: Workflow, catalog: Catalog) -> None:
    """Refuse a workflow cases could not follow: no *done* state, a state no transition reaches, a
    transition for a role or requiring a custom field the catalog does not have."""
    problems = Problems()
    check_code(problems, "code", workflow.code)
    _check_label(problems, "label", workflow.label)
    try:
        structure_problems(workflow).raise_if_any()
    except ValidationError as exc:
        problems.extend(exc.errors)
    roles = {r.code for r in catalog.roles}
    fields = {f.code for f in catalog.fields}
    for t in workflow.transitions:
        unknown = sorted(set(t.roles) - roles)
        if unknown:
            problems.add(f"transitions.{t.name}.roles", f"roles desconocidos: {', '.join(unknown)}")
        unknown = sorted(set(t.required_fields) - fields)
        if unknown:
            problems.add(f"transitions.{t.name}.required_fields",
                         f"campos personalizados desconocidos: {', '.join(unknown)}")
    problems.raise_if_any()

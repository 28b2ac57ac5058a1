"""``/catalog/workflows``: the workflow editor for catalog administrators (a workflow copied from
another, states, transitions, the kinds that follow it; each change a new version that only new cases
take), and ``/catalog/term-policies``: term policies with their scope. A workflow cases could not follow
(a state nothing leads to, no done state) is a 422 problem naming the state."""

from __future__ import annotations

from typing import Any

from flask import Response

from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.term_scopes import scoped_policy
from pqrs_core.domain.terms import Term, TermUnit
from pqrs_core.domain.workflow import State, StateCategory, Transition
from pqrs_core.domain.workflow_editing import add_state, add_transition

from .catalog import _admin, _admin_operation, _code, catalog_data
from .inputs import json_body
from .responses import json_response, pqrs
from .routing import api_route
from .schemas.catalog import WorkflowSchema
from .schemas.workflows import (
    StateCreateSchema,
    TermPolicyInputSchema,
    TermPolicySchema,
    TransitionCreateSchema,
    WorkflowCreateSchema,
    WorkflowKindsSchema,
)

_CREATE, _STATE, _TRANSITION = WorkflowCreateSchema(), StateCreateSchema(), TransitionCreateSchema()
_KINDS, _POLICY = WorkflowKindsSchema(), TermPolicyInputSchema()


def _workflow(code: str) -> dict[str, Any]:
    listed: list[dict[str, Any]] = catalog_data(pqrs().catalog())["workflows"]
    return next(w for w in listed if w["code"] == code)


@api_route("/catalog/workflows", "POST", _admin_operation(
    "Crear un flujo de trabajo", WorkflowCreateSchema, WorkflowSchema, 201,
    description="Empieza como copia de los estados y transiciones de otro flujo, sin tipos de caso."))
def create_workflow() -> Response:
    actor = _admin()
    data = json_body(_CREATE)
    pqrs().catalog_admin.create_workflow(_code(data["code"]), data["label"], data["copy_of"], actor)
    return json_response(_workflow(data["code"]), 201)


@api_route("/catalog/workflows/<code>/states", "POST", _admin_operation(
    "Agregar un estado a un flujo", StateCreateSchema, WorkflowSchema, 201,
    description="Con la transición que lleva a él. Guarda una versión nueva del flujo: los casos "
                "radicados antes siguen la suya."))
def add_workflow_state(code: str) -> Response:
    actor = _admin()
    data = json_body(_STATE)
    entry = data["entry"]
    state = State(data["code"], data["label"], StateCategory(data["category"]))
    transition = Transition(entry["name"], entry["label"], tuple(entry["sources"]), data["code"],
                            roles=frozenset(entry["roles"]))
    pqrs().catalog_admin.edit_workflow(_code(code), lambda w: add_state(w, state, transition), actor,
                                       "add_state", {"state": state.code, "transition": transition.name})
    return json_response(_workflow(code), 201)


@api_route("/catalog/workflows/<code>/transitions", "POST", _admin_operation(
    "Agregar una transición a un flujo", TransitionCreateSchema, WorkflowSchema, 201,
    description="Quién puede aplicarla (roles) y los campos personalizados que deben estar "
                "diligenciados antes. Guarda una versión nueva del flujo."))
def add_workflow_transition(code: str) -> Response:
    actor = _admin()
    data = json_body(_TRANSITION)
    transition = Transition(data["name"], data["label"], tuple(data["sources"]), data["target"],
                            roles=frozenset(data["roles"]), required_fields=tuple(data["required_fields"]))
    pqrs().catalog_admin.edit_workflow(_code(code), lambda w: add_transition(w, transition), actor,
                                       "add_transition", {"transition": transition.name})
    return json_response(_workflow(code), 201)


@api_route("/catalog/workflows/<code>/kinds", "PUT", _admin_operation(
    "Elegir los tipos de caso que siguen un flujo", WorkflowKindsSchema, WorkflowSchema,
    description="Cada tipo sigue un solo flujo: el que lo tenía lo deja. Los casos nuevos lo siguen."))
def bind_workflow_kinds(code: str) -> Response:
    actor = _admin()
    data = json_body(_KINDS)
    pqrs().catalog_admin.bind_kinds(_code(code), data["kinds"], actor)
    return json_response(_workflow(code))


def policy_data(policy: TermPolicy) -> dict[str, Any]:
    rule = policy.resolution[-1]
    return {"code": policy.code, "label": policy.label, "kinds": list(policy.kinds),
            "typifications": list(policy.typifications), "priorities": list(policy.priorities),
            "channels": list(policy.channels), "amount": rule.term.amount, "unit": rule.term.unit.value,
            "extension_allowed": rule.extension is None or rule.extension.allowed,
            "source": rule.source or policy.source, "active": policy.active}


@api_route("/catalog/term-policies/<code>", "PUT", _admin_operation(
    "Crear o reemplazar una política de términos", TermPolicyInputSchema, TermPolicySchema,
    description="Qué casos cubre (tipos, tipificaciones, prioridades, canales; vacío: todos) y su término. "
                "Los casos nuevos la toman desde ya; dos políticas activas no pueden cubrir exactamente "
                "los mismos casos."))
def put_term_policy(code: str) -> Response:
    actor = _admin()
    data = json_body(_POLICY)
    policy = scoped_policy(_code(code), data["label"], Term(data["amount"], TermUnit(data["unit"])), data,
                           extension_allowed=data["extension_allowed"], source=data["source"],
                           active=data["active"])
    pqrs().catalog_admin.put_term_policy(policy, actor)
    return json_response(policy_data(policy))

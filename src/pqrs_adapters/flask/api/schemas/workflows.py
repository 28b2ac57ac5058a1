"""Schemas of the workflow editor and of new term policies in the API: a workflow copied from another,
a state with the transition that leads to it, a transition, the kinds bound to a workflow, and a term
policy with its scope."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.domain.terms import TermUnit
from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT
from pqrs_core.domain.workflow import StateCategory

from .common import ApiSchema, choice, required_text
from .common import code as code_field
from .common import text as text_field


def _codes(max_items: int = 200, **kwargs: object) -> fields.List[str]:
    return fields.List(code_field(allow_none=False), validate=validate.Length(
        max=max_items, error=f"admite como máximo {max_items}"), **kwargs)  # type: ignore[arg-type]


class WorkflowCreateSchema(ApiSchema):
    code = code_field(required=True, allow_none=False)
    label = required_text(MAX_SHORT_TEXT)
    copy_of = code_field(required=True, allow_none=False,
                         metadata={"description": "El flujo cuyos estados y transiciones copia"})


class EntryTransitionSchema(ApiSchema):
    name = code_field(required=True, allow_none=False)
    label = required_text(MAX_SHORT_TEXT)
    sources = _codes(required=True, metadata={"description": "Estados desde los que se llega"})
    roles = _codes(load_default=list, metadata={"description": "Vacío: cualquier rol"})


class StateCreateSchema(ApiSchema):
    code = code_field(required=True, allow_none=False)
    label = required_text(MAX_SHORT_TEXT)
    category = choice([c.value for c in StateCategory], required=True)
    entry = fields.Nested(EntryTransitionSchema, required=True,
                          metadata={"description": "La transición que lleva al estado nuevo"})


class TransitionCreateSchema(ApiSchema):
    name = code_field(required=True, allow_none=False)
    label = required_text(MAX_SHORT_TEXT)
    sources = _codes(required=True)
    target = code_field(required=True, allow_none=False)
    roles = _codes(load_default=list, metadata={"description": "Vacío: cualquier rol"})
    required_fields = _codes(load_default=list, metadata={
        "description": "Campos personalizados que deben estar diligenciados para aplicarla"})


class WorkflowKindsSchema(ApiSchema):
    kinds = _codes(required=True, metadata={"description": "Tipos de caso que siguen el flujo"})


class TermPolicyInputSchema(ApiSchema):
    label = required_text(MAX_SHORT_TEXT)
    kinds = _codes(load_default=list)
    typifications = _codes(load_default=list, metadata={"description": "Cada una cubre sus subcategorías"})
    priorities = _codes(load_default=list)
    channels = _codes(load_default=list)
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(
        min=1, max=999, error="debe estar entre 1 y 999"))
    unit = choice([u.value for u in TermUnit], required=True)
    extension_allowed = fields.Boolean(load_default=True, metadata={"description": "Admite prórroga"})
    source = text_field(MAX_LONG_TEXT, allow_none=False, load_default="")
    active = fields.Boolean(load_default=True)


class TermPolicySchema(TermPolicyInputSchema):
    code = fields.String(required=True)

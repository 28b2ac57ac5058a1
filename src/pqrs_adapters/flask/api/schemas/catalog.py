"""Schemas of the catalog: what ``GET /catalog`` returns and what the administration endpoints take."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from pqrs_core.domain.access import Permission, Scope
from pqrs_core.domain.catalog import FieldType
from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT
from pqrs_core.domain.workflow import StateCategory

from .common import ApiSchema, choice, required_text
from .common import code as code_field
from .common import text as text_field


def _codes(max_items: int = 200) -> fields.List[str]:
    return fields.List(code_field(allow_none=False), load_default=list,
                       validate=validate.Length(max=max_items, error=f"admite como máximo {max_items}"))


def _int(low: int, high: int, **kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(
        min=low, max=high, error=f"debe estar entre {low} y {high}"), **kwargs)


# ------------------------------------------------------------------------------------------ output
class CatalogEntrySchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    description = fields.String(required=True)
    position = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class PrioritySchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    rank = fields.Integer(required=True, metadata={"description": "1 es la más urgente"})
    important = fields.Boolean(required=True, allow_none=True)
    urgent = fields.Boolean(required=True, allow_none=True)
    active = fields.Boolean(required=True)


class QueueSchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    tier = fields.Integer(required=True, metadata={"description": "1 es el primer nivel"})
    description = fields.String(required=True)
    active = fields.Boolean(required=True)


class TypificationNodeSchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    parent = fields.String(required=True, allow_none=True)
    description = fields.String(required=True)
    version = fields.Integer(required=True)
    active = fields.Boolean(required=True)
    position = fields.Integer(required=True)


class FieldDefinitionSchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in FieldType]))
    required = fields.Boolean(required=True, metadata={
        "description": "Obligatorio en los casos de sus tipos (y de sus tipificaciones, si tiene)"})
    choices = fields.List(fields.String(), required=True, metadata={
        "description": "Los códigos de las opciones (listas de opciones): lo que guardan los casos"})
    choice_labels = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "La etiqueta que se lee de cada opción, por código (sin etiqueta: el código)"})
    max_length = fields.Integer(required=True)
    kinds = fields.List(fields.String(), required=True, metadata={"description": "Vacío: todos los tipos"})
    active = fields.Boolean(required=True)
    pattern = fields.String(required=True, metadata={
        "description": "Expresión regular que el texto completo debe cumplir (vacío: ninguna)"})
    pattern_message = fields.String(required=True)
    minimum = fields.String(required=True, allow_none=True, metadata={"description": "Número decimal"})
    maximum = fields.String(required=True, allow_none=True, metadata={"description": "Número decimal"})
    public = fields.Boolean(required=True, metadata={
        "description": "Lo ve y lo diligencia el peticionario (formulario público y portal)"})
    typifications = fields.List(fields.String(), required=True, metadata={
        "description": "Si tiene alguna, solo es obligatorio en los casos tipificados bajo ellas"})
    required_for_transitions = fields.List(fields.String(), required=True, metadata={
        "description": "Transiciones del flujo que no se pueden hacer sin un valor"})
    help = fields.String(required=True)


class RoleSchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    permissions = fields.List(fields.String(), required=True)
    scopes = fields.List(fields.String(), required=True)
    kinds = fields.List(fields.String(), required=True)
    typifications = fields.List(fields.String(), required=True)
    active = fields.Boolean(required=True)


class StateSchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    category = fields.String(required=True, validate=validate.OneOf([c.value for c in StateCategory]))


class TransitionDefinitionSchema(ApiSchema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    sources = fields.List(fields.String(), required=True)
    target = fields.String(required=True)
    roles = fields.List(fields.String(), required=True, metadata={"description": "Vacío: cualquier rol"})
    guard = fields.String(required=True, allow_none=True)
    required_fields = fields.List(fields.String(), required=True, metadata={
        "description": "Campos personalizados que deben estar diligenciados para aplicarla"})


class WorkflowSchema(ApiSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    description = fields.String(required=True)
    version = fields.Integer(required=True, metadata={
        "description": "Versión vigente; cada caso sigue la versión con la que se radicó"})
    initial_state = fields.String(required=True)
    kinds = fields.List(fields.String(), required=True, metadata={"description": "Tipos que lo usan"})
    states = fields.List(fields.Nested(StateSchema), required=True)
    transitions = fields.List(fields.Nested(TransitionDefinitionSchema), required=True)


class CatalogSchema(ApiSchema):
    kinds = fields.List(fields.Nested(CatalogEntrySchema), required=True)
    reasons = fields.List(fields.Nested(CatalogEntrySchema), required=True)
    channels = fields.List(fields.Nested(CatalogEntrySchema), required=True)
    document_types = fields.List(fields.Nested(CatalogEntrySchema), required=True)
    tags = fields.List(fields.Nested(CatalogEntrySchema), required=True,
                       metadata={"description": "Etiquetas del catálogo (también se admiten libres)"})
    root_causes = fields.List(fields.Nested(CatalogEntrySchema), required=True, metadata={
        "description": "Causas raíz a las que se atribuye un caso cerrado (las 5M y las que se agreguen)"})
    priorities = fields.List(fields.Nested(PrioritySchema), required=True)
    queues = fields.List(fields.Nested(QueueSchema), required=True)
    typifications = fields.List(fields.Nested(TypificationNodeSchema), required=True, metadata={
        "description": "El árbol como lista: cada nodo nombra a su padre (null en las raíces)"})
    fields_ = fields.List(fields.Nested(FieldDefinitionSchema), required=True, data_key="fields")
    roles = fields.List(fields.Nested(RoleSchema), required=True)
    workflows = fields.List(fields.Nested(WorkflowSchema), required=True)
    default_workflow = fields.String(required=True)


# ------------------------------------------------------------------------------------------- input
class EntryInputSchema(ApiSchema):
    label = required_text(MAX_SHORT_TEXT)
    description = text_field(MAX_LONG_TEXT, allow_none=False, load_default="")
    position = _int(0, 100_000, load_default=0)
    active = fields.Boolean(load_default=True)


class PriorityInputSchema(ApiSchema):
    label = required_text(MAX_SHORT_TEXT)
    rank = _int(1, 1000, required=True)
    important = fields.Boolean(allow_none=True, load_default=None)
    urgent = fields.Boolean(allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)


class QueueInputSchema(ApiSchema):
    label = required_text(MAX_SHORT_TEXT)
    tier = _int(1, 100, load_default=1)
    description = text_field(MAX_LONG_TEXT, allow_none=False, load_default="")
    active = fields.Boolean(load_default=True)


class TypificationCreateSchema(ApiSchema):
    code = code_field(required=True, allow_none=False)
    label = required_text(MAX_SHORT_TEXT)
    parent = code_field(load_default=None)
    description = text_field(MAX_LONG_TEXT, allow_none=False, load_default="")


class TypificationPatchSchema(ApiSchema):
    """Send only what changes: ``label``/``description`` rename, ``parent`` moves (null: to the root),
    ``active`` activates or deactivates."""

    label = text_field(MAX_SHORT_TEXT, allow_none=False)
    description = text_field(MAX_LONG_TEXT, allow_none=False)
    parent = code_field()
    active = fields.Boolean()


class RoleInputSchema(ApiSchema):
    label = required_text(MAX_SHORT_TEXT)
    permissions = fields.List(choice([p.value for p in Permission]), load_default=list)
    scopes = fields.List(choice([s.value for s in Scope]), load_default=list)
    kinds = _codes()
    typifications = _codes()
    active = fields.Boolean(load_default=True)


class FieldInputSchema(ApiSchema):
    """A custom field as ``POST /catalog/fields`` creates it; ``PATCH`` takes any part of it but the
    code and the type."""

    code = code_field(required=True, allow_none=False)
    label = required_text(MAX_SHORT_TEXT)
    type = choice([t.value for t in FieldType], required=True)
    required = fields.Boolean(load_default=False)
    choices = _codes()
    choice_labels = fields.Dict(keys=fields.String(validate=validate.Length(max=64)),
                                values=text_field(MAX_SHORT_TEXT, allow_none=False), load_default=dict)
    max_length = _int(1, MAX_LONG_TEXT, load_default=None)
    kinds = _codes()
    active = fields.Boolean(load_default=True)
    pattern = text_field(200, allow_none=False, load_default="")
    pattern_message = text_field(MAX_SHORT_TEXT, allow_none=False, load_default="")
    minimum = fields.Decimal(allow_none=True, load_default=None, allow_nan=False)
    maximum = fields.Decimal(allow_none=True, load_default=None, allow_nan=False)
    public = fields.Boolean(load_default=False)
    typifications = _codes()
    required_for_transitions = _codes()
    help = text_field(MAX_SHORT_TEXT, allow_none=False, load_default="")


class FieldPatchSchema(FieldInputSchema):
    """Send only what changes (loaded with ``partial=True``): the code and the type stay."""

    class Meta:
        exclude = ("code", "type")

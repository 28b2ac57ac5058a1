"""Schemas of the canned answers (``/answers``): what the API returns, what it takes to write one, and
an answer rendered for a case."""

from __future__ import annotations

from marshmallow import fields

from pqrs_core.domain.answers import MAX_BODY, MAX_TITLE

from .common import ApiSchema, code, text

_BODY = ("Texto con variables entre dobles llaves ({{ peticionario.nombre }}, {{ radicado }}, {{ vence }}, "
         "{{ campos.CODIGO }}…), que se llena en un entorno aislado (sandbox) con los datos del caso")
_TYPIFICATIONS = ("Códigos de tipificación: la respuesta se sugiere primero en los casos de esos nodos o de "
                  "sus subcategorías; vacío, en todos después de las específicas")


class MacroSchema(ApiSchema):
    priority = code(metadata={"description": "Prioridad que se asigna"})
    typification = code(metadata={"description": "Tipificación que se asigna"})
    queue = code(metadata={"description": "Cola a la que pasa el caso"})
    transition = code(metadata={"description": "Acción del flujo que se dispara después de responder "
                                               "(close: cerrar el caso con la respuesta)"})


class AnswerSchema(ApiSchema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True, metadata={"description": _BODY})
    typifications = fields.List(fields.String(), required=True, metadata={"description": _TYPIFICATIONS})
    kinds = fields.List(fields.String(), required=True,
                        metadata={"description": "Tipos de caso; vacío: todos"})
    personal = fields.Boolean(required=True, metadata={"description": "Solo de su dueño (owner)"})
    owner = fields.String(required=True, allow_none=True)
    active = fields.Boolean(required=True)
    macro = fields.Nested(MacroSchema, required=True, allow_none=True,
                          metadata={"description": "Lo que además cambia en el caso; null si no es macro"})
    usage_count = fields.Integer(required=True)
    suggested = fields.Boolean(metadata={"description": "Con ?case=: si es de la tipificación del caso"})
    updated_at = fields.DateTime(required=True, allow_none=True)


class AnswerListSchema(ApiSchema):
    items = fields.List(fields.Nested(AnswerSchema), required=True)


class AnswerQuerySchema(ApiSchema):
    q = text(200, metadata={"description": "Palabras del título o del texto (sin importar tildes)"})
    case = text(40, metadata={"description": "Radicado: las respuestas que sirven para ese caso, las de su "
                                             "tipificación primero (suggested=true)"})


class AnswerPatchSchema(ApiSchema):
    """Every field optional: what is sent is changed, the rest is kept."""

    title = text(MAX_TITLE, allow_none=False)
    body = text(MAX_BODY, allow_none=False, metadata={"description": _BODY})
    typifications = fields.List(code(allow_none=False), metadata={"description": _TYPIFICATIONS})
    kinds = fields.List(code(allow_none=False))
    personal = fields.Boolean()
    active = fields.Boolean()
    macro = fields.Nested(MacroSchema, allow_none=True)


class AnswerCreateSchema(AnswerPatchSchema):
    title = text(MAX_TITLE, required=True, allow_none=False)
    body = text(MAX_BODY, required=True, allow_none=False, metadata={"description": _BODY})


class RenderRequestSchema(ApiSchema):
    case = text(40, required=True, allow_none=False, metadata={"description": "Radicado del caso"})


class RenderedAnswerSchema(ApiSchema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "El texto con los datos del caso"})
    macro = fields.Nested(MacroSchema, required=True, allow_none=True)

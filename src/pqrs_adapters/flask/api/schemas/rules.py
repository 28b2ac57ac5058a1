"""Schemas of the routing rules (``/rules``): a rule as the API returns it (with the Spanish sentence
it reads as), what it takes to create or change one, and the result of a dry run."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.domain.rules import MAX_ACTIONS, MAX_CONDITIONS, ActionKind, Operator, Trigger
from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT

from .common import ApiSchema, required_text, text

_TRIGGERS = [t.value for t in Trigger]
_TRIGGER_HELP = ("filed: se radica un caso; retypified: cambia su tipificación; term_fraction: llega a "
                 "«fraction» de su término; requester_message: el peticionario escribe")
_FIELD_HELP = ("kind, channel, priority, queue, reason, assignee, state, typification, requester_kind, "
               "subject, description, text (asunto o descripción), tags, o custom:<código> de un campo "
               "personalizado")


class ConditionSchema(ApiSchema):
    field = required_text(100, metadata={"description": _FIELD_HELP})
    operator = fields.String(required=True, validate=validate.OneOf([o.value for o in Operator],
                                                                    error="no es una comparación válida"))
    value = text(MAX_LONG_TEXT, allow_none=False, load_default="")


class ActionSchema(ApiSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ActionKind],
                                                                error="no es una acción válida"))
    value = text(MAX_LONG_TEXT, allow_none=False, load_default="",
                 metadata={"description": "Código de la cola, prioridad, tipificación o transición; usuario; "
                                          "etiqueta; texto de la nota; o destinatario (user:, queue:, role:, "
                                          "correo) según la acción"})


class RuleInputSchema(ApiSchema):
    name = required_text(MAX_SHORT_TEXT)
    trigger = fields.String(required=True,
                            validate=validate.OneOf(_TRIGGERS, error="no es un momento válido"),
                            metadata={"description": _TRIGGER_HELP})
    conditions = fields.List(fields.Nested(ConditionSchema), load_default=list,
                             validate=validate.Length(max=MAX_CONDITIONS,
                                                      error=f"admite como máximo {MAX_CONDITIONS}"))
    actions = fields.List(fields.Nested(ActionSchema), required=True,
                          validate=validate.Length(min=1, max=MAX_ACTIONS,
                                                   error=f"debe tener entre 1 y {MAX_ACTIONS} acciones"))
    stop = fields.Boolean(load_default=False, metadata={"description": "No evaluar más reglas si esta actúa"})
    enabled = fields.Boolean(load_default=False)
    fraction = fields.Float(load_default=0.8, validate=validate.Range(min=0.01, max=0.99,
                                                                      error="debe estar entre 0.01 y 0.99"))
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000,
                                                                      error="debe estar entre 0 y 100000"),
                              metadata={"description": "Lugar en el orden; 0: al final (o donde estaba)"})


class RuleSchema(ApiSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    trigger = fields.String(required=True)
    conditions = fields.List(fields.Nested(ConditionSchema), required=True)
    actions = fields.List(fields.Nested(ActionSchema), required=True)
    stop = fields.Boolean(required=True)
    enabled = fields.Boolean(required=True)
    fraction = fields.Float(required=True)
    position = fields.Integer(required=True)
    version = fields.Integer(required=True)
    disabled_reason = fields.String(required=True,
                                    metadata={"description": "Por qué el sistema la desactivó"})
    sentence = fields.String(required=True, metadata={"description": "La regla leída en español"})
    source = fields.String(required=True)


class RuleListSchema(ApiSchema):
    items = fields.List(fields.Nested(RuleSchema), required=True)


class RuleVersionSchema(ApiSchema):
    version = fields.Integer(required=True)
    sentence = fields.String(required=True)
    changed_by = fields.String(required=True)
    changed_at = fields.DateTime(required=True)


class RuleDetailSchema(RuleSchema):
    versions = fields.List(fields.Nested(RuleVersionSchema), required=True)


class DryRunInputSchema(RuleInputSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500,
                                                                    error="debe estar entre 1 y 500"))


class DryRunCaseSchema(ApiSchema):
    filing_number = fields.String(required=True)
    subject = fields.String(required=True)
    matched = fields.Boolean(required=True)
    changes = fields.List(fields.String(), required=True)
    error = fields.String(required=True)


class DryRunSchema(ApiSchema):
    sentence = fields.String(required=True)
    matched = fields.Integer(required=True)
    cases = fields.List(fields.Nested(DryRunCaseSchema), required=True)


class RuleEnabledSchema(ApiSchema):
    enabled = fields.Boolean(required=True)

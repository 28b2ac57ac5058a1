"""Schemas of a case's history and of the report figures."""

from __future__ import annotations

from marshmallow import fields

from .common import ApiSchema


class EventSchema(ApiSchema):
    type = fields.String(required=True, metadata={"description": "CaseFiled, CaseAssigned, NoteAdded..."})
    actor = fields.String(required=True)
    occurred_at = fields.DateTime(required=True)
    data = fields.Dict(required=True, metadata={"description": "Datos del evento (dependen del tipo)"})


class HistorySchema(ApiSchema):
    items = fields.List(fields.Nested(EventSchema), required=True)


def _counts(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                       metadata={"description": description})


class SummarySchema(ApiSchema):
    total = fields.Integer(required=True)
    by_state_category = _counts("Casos por categoría de estado")
    by_state = _counts("Casos por estado")
    by_kind = _counts("Casos por tipo")
    by_priority = _counts("Casos por prioridad (\"\" sin prioridad)")
    by_channel = _counts("Casos por canal (\"\" sin canal)")
    by_typification = _counts("Casos por tipificación hoja («Sin tipificar»: sin tipificación)")
    by_category = _counts("Casos por categoría raíz de tipificación («Sin tipificar»: sin "
                          "tipificación)")
    first_contact_resolutions = fields.Integer(required=True)

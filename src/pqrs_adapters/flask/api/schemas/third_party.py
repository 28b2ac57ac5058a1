"""Request bodies and output of the escalation of a case to a third party («con tercero»)."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT

from .common import ApiSchema, check_year, required_text, text_list, version_field


class ThirdPartyEscalationSchema(ApiSchema):
    address = required_text(254, metadata={"description": "Correo del tercero (proveedor, fabricante...)",
                                           "example": "soporte@proveedor.example.co"})
    name = required_text(MAX_SHORT_TEXT, metadata={"description": "Quién es el tercero",
                                                   "example": "Mind de Colombia"})
    message = required_text(MAX_LONG_TEXT, metadata={"description": "Lo que se le pide al tercero"})
    note_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, error="debe ser 1 o más")),
        load_default=list, validate=validate.Length(max=50, error="admite como máximo 50 elementos"),
        metadata={"description": "Notas que se envían: su posición (desde 1) entre los eventos de "
                                 "GET /cases/{number}/history"})
    attachment_ids = text_list(load_default=list, metadata={
        "description": "Adjuntos del caso que se envían (su «id»)"})
    version = version_field()


class ThirdPartyReplySchema(ApiSchema):
    message = required_text(MAX_LONG_TEXT)
    sender = required_text(254, metadata={"description": "Correo de quien escribió"})
    received_at = fields.AwareDateTime(format="iso", allow_none=True, load_default=None, validate=check_year,
                                       metadata={"description": "Cuándo llegó, con zona horaria (por "
                                                                "defecto, ahora)"})
    version = version_field()


class ThirdPartySchema(ApiSchema):
    """The third party holding the case now (only for the staff)."""

    address = fields.String(required=True)
    name = fields.String(required=True)
    since = fields.DateTime(required=True)
    escalated_by = fields.String(required=True)
    pauses_term = fields.Boolean(required=True, metadata={
        "description": "Si el término está detenido mientras el tercero tiene el caso (según la política "
                       "de términos; por defecto sigue corriendo)"})

"""Request bodies and output of internal requests (solicitudes internas) to other areas."""

from __future__ import annotations

from marshmallow import fields

from pqrs_core.domain.values import MAX_LONG_TEXT

from .common import ApiSchema, required_text, version_field


class InternalRequestInputSchema(ApiSchema):
    queue = required_text(64, metadata={"description": "El área (código de cola) a la que se pide",
                                        "example": "back_office"})
    text = required_text(MAX_LONG_TEXT, metadata={"description": "Qué se necesita"})
    due = fields.Date(required=True, metadata={
        "description": "Fecha interna de respuesta (aaaa-mm-dd), dentro del término legal del caso",
        "example": "2026-03-05"})
    version = version_field()


class InternalAnswerInputSchema(ApiSchema):
    answer = required_text(MAX_LONG_TEXT, metadata={"description": "La respuesta del área"})
    version = version_field()


class InternalRequestSchema(ApiSchema):
    """One internal request and its state (only for the staff)."""

    id = fields.String(required=True)
    queue = fields.String(required=True)
    text = fields.String(required=True)
    due = fields.Date(required=True)
    state = fields.String(required=True, metadata={"description": "pending, answered u overdue"})
    requested_by = fields.String(required=True)
    requested_at = fields.DateTime(required=True)
    answer = fields.String(allow_none=True)
    answered_by = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


class PendingInternalRequestSchema(InternalRequestSchema):
    filing_number = fields.String(required=True)
    subject = fields.String(required=True)


class PendingInternalRequestsSchema(ApiSchema):
    items = fields.List(fields.Nested(PendingInternalRequestSchema), required=True)


class AnsweredInternalRequestSchema(ApiSchema):
    filing_number = fields.String(required=True)
    internal_request = fields.Nested(InternalRequestSchema, required=True)

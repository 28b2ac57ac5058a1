"""Request bodies, query and output of voidings (anulaciones)."""

from __future__ import annotations

from marshmallow import fields

from pqrs_core.domain.voiding import MAX_REASON, TargetKind, VoidingStatus

from .common import ApiSchema, choice, required_text, text

KINDS = [k.value for k in TargetKind]
STATUSES = [s.value for s in VoidingStatus]


class VoidingRequestInputSchema(ApiSchema):
    target_kind = choice(KINDS, load_default="case", metadata={
        "description": "Qué se anula: «case» (un caso) u «outgoing_number» (un radicado de salida)"})
    target = required_text(64, metadata={"description": "El radicado", "example": "PQRS-2026-000123"})
    reason = required_text(MAX_REASON, metadata={"description": "Por qué se anula"})


class VoidingRejectInputSchema(ApiSchema):
    note = text(MAX_REASON, load_default="", allow_none=False,
                metadata={"description": "Por qué se rechaza"})


class VoidingListQuerySchema(ApiSchema):
    status = choice(STATUSES, load_default=None, metadata={
        "description": "pending, approved o rejected (todas si no se indica)"})
    target = text(64, load_default=None, metadata={"description": "Solo las de este radicado"})


class VoidingSchema(ApiSchema):
    """A voiding request and, once approved, its voiding record's number."""

    id = fields.String(required=True)
    number = fields.String(allow_none=True, metadata={
        "description": "El número del registro de anulación (AN-año-número), cuando fue aprobada"})
    target_kind = fields.String(required=True)
    target = fields.String(required=True)
    reason = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "pending, approved o rejected"})
    requested_by = fields.String(required=True)
    requested_at = fields.DateTime(required=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    note = fields.String(required=True)


class VoidingListSchema(ApiSchema):
    items = fields.List(fields.Nested(VoidingSchema), required=True)

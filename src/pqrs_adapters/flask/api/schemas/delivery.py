"""Request bodies and output of the proof of notification (``pqrs_core.domain.delivery``)."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.domain.delivery import COMMUNICATIONS, COURIER_STATUSES
from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT

from .common import ApiSchema, required_text, version_field

_COMMUNICATION = fields.String(load_default="response", validate=validate.OneOf(
    COMMUNICATIONS, error="debe ser una de: " + ", ".join(COMMUNICATIONS)), metadata={
    "description": "La comunicación entregada: response (la respuesta, por defecto), information_request, "
                   "extension"})


class CourierDeliverySchema(ApiSchema):
    company = required_text(MAX_SHORT_TEXT, metadata={"description": "Empresa de mensajería",
                                                      "example": "Servicios Postales Nacionales 4-72"})
    guide = required_text(MAX_SHORT_TEXT, metadata={"description": "Número de guía",
                                                    "example": "RA123456789CO"})
    status = fields.String(required=True, validate=validate.OneOf(
        COURIER_STATUSES, error="debe ser una de: " + ", ".join(COURIER_STATUSES)), metadata={
        "description": "dispatched (despachado), delivered (entregado: notifica) o returned (devuelto)"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_LONG_TEXT),
                           metadata={"description": "Motivo de la devolución (obligatorio si returned)"})
    proof = fields.String(load_default=None, allow_none=True, metadata={
        "description": "El soporte: «id» de un adjunto del caso (súbalo antes en "
                       "/cases/{number}/attachments)"})
    communication = _COMMUNICATION
    version = version_field()


class InPersonDeliverySchema(ApiSchema):
    received_by = required_text(MAX_SHORT_TEXT, metadata={"description": "Quién recibió la comunicación"})
    receipt = required_text(MAX_SHORT_TEXT, metadata={
        "description": "El recibido firmado: «id» de un adjunto del caso"})
    communication = _COMMUNICATION
    version = version_field()


class DeliveryStepSchema(ApiSchema):
    communication = fields.String(required=True)
    channel = fields.String(required=True, metadata={
        "description": "email, portal, in_person, courier o aviso"})
    status = fields.String(required=True, metadata={
        "description": "sent, bounced, read, delivered, dispatched, returned o published"})
    at = fields.DateTime(required=True)
    detail = fields.String(required=True, allow_none=True)
    notifies_at = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "Desde cuándo cuenta como notificación (null: en camino o fallida)"})
    until = fields.Date(required=True, allow_none=True, metadata={
        "description": "Un aviso: último día hábil de publicación"})


class NotificationSchema(ApiSchema):
    notified_at = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "Cuándo quedó notificada la respuesta (CPACA arts. 56, 67-69); null si aún no"})
    in_time = fields.Boolean(required=True, allow_none=True, metadata={
        "description": "Si se notificó dentro del término; null sin término o sin notificar"})
    failed = fields.Boolean(required=True, metadata={
        "description": "La respuesta no pudo notificarse (rebote, devolución, sin datos de contacto): "
                       "procede el aviso (POST /cases/{number}/notification/aviso)"})
    steps = fields.List(fields.Nested(DeliveryStepSchema), required=True)

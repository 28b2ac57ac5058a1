"""Schemas of the webhooks (``/webhooks``): subscriptions, what it takes to create or change one, and
the log of their deliveries. The secret is returned only when it is made (creation, rotation)."""

from __future__ import annotations

from marshmallow import fields, validate

from ....webhooks.addresses import MAX_URL
from ....webhooks.events import WEBHOOK_TYPES
from ....webhooks.subscriptions import MAX_DESCRIPTION
from .common import ApiSchema, text

_TYPES = list(WEBHOOK_TYPES)
_EVENT_TYPES = ("Los tipos de evento que recibe (case.filed, case.assigned…; ver la documentación de "
                "webhooks); null para todos")
_URL = ("https://… (o http://) que recibe los eventos por POST. Las direcciones privadas o locales se "
        "rechazan salvo que PQRS_WEBHOOK_ALLOW las incluya.")


def _event_types() -> fields.List[str]:
    return fields.List(
        fields.String(validate=validate.OneOf(_TYPES, error="no es un tipo de evento conocido")),
        allow_none=True, validate=validate.Length(min=1, max=len(_TYPES), error="elija al menos uno"),
        metadata={"description": _EVENT_TYPES})


class WebhookSchema(ApiSchema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    description = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True, allow_none=True,
                              metadata={"description": _EVENT_TYPES})
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    disabled_at = fields.DateTime(required=True, allow_none=True)
    disabled_reason = fields.String(required=True, allow_none=True,
                                    metadata={"description": "Por qué se desactivó solo (null si no)"})


class WebhookWithSecretSchema(WebhookSchema):
    secret = fields.String(required=True, metadata={
        "description": "Secreto de firma (whsec_…, formato Standard Webhooks). Solo se muestra al crearlo o "
                       "rotarlo: guárdelo."})


class WebhookListSchema(ApiSchema):
    items = fields.List(fields.Nested(WebhookSchema), required=True)


class WebhookPatchSchema(ApiSchema):
    """Every field optional: what is sent is changed, the rest is kept."""

    url = text(MAX_URL, allow_none=False, metadata={"description": _URL})
    description = text(MAX_DESCRIPTION, allow_none=False)
    event_types = _event_types()
    active = fields.Boolean()


class WebhookCreateSchema(WebhookPatchSchema):
    url = text(MAX_URL, required=True, allow_none=False, metadata={"description": _URL})


class DeliverySchema(ApiSchema):
    id = fields.Integer(required=True)
    message_id = fields.String(required=True, metadata={"description": "El encabezado webhook-id"})
    event_type = fields.String(required=True)
    filing_number = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["pending", "delivered", "failed"]),
                           metadata={"description": "pending (por enviar o reintentar), delivered o "
                                                    "failed (agotó los reintentos)"})
    created_at = fields.DateTime(required=True)
    attempts = fields.Integer(required=True)
    last_attempt_at = fields.DateTime(required=True, allow_none=True)
    next_attempt_at = fields.DateTime(required=True, allow_none=True)
    delivered_at = fields.DateTime(required=True, allow_none=True)
    last_status = fields.Integer(required=True, allow_none=True,
                                 metadata={"description": "Código HTTP de la última respuesta"})
    last_response = fields.String(required=True, allow_none=True,
                                  metadata={"description": "Comienzo de la última respuesta"})
    last_error = fields.String(required=True, allow_none=True)
    payload = fields.Dict(required=True, metadata={"description": "El cuerpo enviado"})


class DeliveryListSchema(ApiSchema):
    items = fields.List(fields.Nested(DeliverySchema), required=True)

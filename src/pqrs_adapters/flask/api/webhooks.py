"""``/webhooks``: the subscriptions to the domain events, for administrators (``catalog.admin``).
Create, read, change (including ``active``), delete, rotate the secret, read the delivery log and
«reenviar» a delivery. A URL that cannot be called (private or local without ``PQRS_WEBHOOK_ALLOW``, not
http(s), unresolvable) is a 422 problem naming ``url``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
from flask import Response, current_app, url_for
from sqlalchemy import Engine

from ...sqlalchemy.webhook_store import (
    Delivery,
    create_subscription,
    delete_subscription,
    get_delivery,
    get_subscription,
    list_deliveries,
    list_subscriptions,
    resend,
    rotate_secret,
    update_subscription,
)
from ...webhooks.subscriptions import Subscription, SubscriptionSettings, WebhookError
from .catalog import _admin
from .inputs import json_body
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.webhooks import (
    DeliveryListSchema,
    DeliverySchema,
    WebhookCreateSchema,
    WebhookListSchema,
    WebhookPatchSchema,
    WebhookSchema,
    WebhookWithSecretSchema,
)

MAX_ID = 2**31 - 1
_CREATE, _PATCH = WebhookCreateSchema(), WebhookPatchSchema()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def webhook_data(subscription: Subscription, *, secret: bool = False) -> dict[str, Any]:
    s = subscription.settings
    data = {"id": subscription.id, "url": s.url, "description": s.description,
            "event_types": list(s.event_types) if s.event_types is not None else None, "active": s.active,
            "created_at": _iso(subscription.created_at), "updated_at": _iso(subscription.updated_at),
            "disabled_at": _iso(subscription.disabled_at), "disabled_reason": subscription.disabled_reason}
    return {**data, "secret": subscription.secret} if secret else data


def delivery_data(delivery: Delivery) -> dict[str, Any]:
    return {"id": delivery.id, "message_id": delivery.message_id, "event_type": delivery.event_type,
            "filing_number": delivery.filing_number, "status": delivery.status,
            "created_at": _iso(delivery.created_at), "attempts": delivery.attempts,
            "last_attempt_at": _iso(delivery.last_attempt_at),
            "next_attempt_at": _iso(delivery.next_attempt_at),
            "delivered_at": _iso(delivery.delivered_at), "last_status": delivery.last_status,
            "last_response": delivery.last_response, "last_error": delivery.last_error,
            "payload": json.loads(delivery.body)}


def _engine() -> Engine:
    engine: Engine = current_app.extensions["pqrs.engine"]
    return engine


def _now() -> datetime:
    return pqrs().deps.clock.now()


def _found(webhook_id: int) -> Subscription:
    found = get_subscription(_engine(), webhook_id) if webhook_id <= MAX_ID else None
    if found is None:
        raise ApiProblem("not-found", f"No existe el webhook {webhook_id}.")
    return found


def _validated(settings: SubscriptionSettings) -> SubscriptionSettings:
    try:
        return settings.validated(current_app.extensions["pqrs.config"].webhook_allow)
    except WebhookError as exc:
        raise ApiProblem("validation-error", exc.message, errors={exc.field: exc.message}) from None


def _operation(summary: str, reply: Reply, *, body: type[Any] | None = None, status: int = 200,
               description: str = "", problems: tuple[int, ...] = (403,)) -> Operation:
    return Operation(summary=summary, tag="webhooks", body=body, description=description,
                     replies={status: reply}, problems=problems)


@api_route("/webhooks", "GET", _operation(
    "Los webhooks", Reply("Las suscripciones, por número", WebhookListSchema)))
def list_webhooks_view() -> Response:
    _admin()
    return json_response({"items": [webhook_data(s) for s in list_subscriptions(_engine())]})


@api_route("/webhooks", "POST", _operation(
    "Crear un webhook", Reply("El webhook creado, con su secreto", WebhookWithSecretSchema,
                              headers=("Location",)),
    body=WebhookCreateSchema, status=201,
    description="El secreto de firma se genera y se devuelve solo aquí (y al rotarlo). Cada evento se envía "
                "por POST firmado según Standard Webhooks (webhook-id, webhook-timestamp, "
                "webhook-signature)."))
def create_webhook_view() -> Response:
    actor = _admin()
    data = json_body(_CREATE)
    settings = _validated(SubscriptionSettings(**data))
    created = create_subscription(_engine(), settings, _now(), actor=actor.username)
    return json_response(webhook_data(created, secret=True), 201,
                         {"Location": url_for("api.get_webhook_view", webhook_id=created.id)})


@api_route("/webhooks/<int:webhook_id>", "GET", _operation(
    "Un webhook", Reply("El webhook (sin su secreto)", WebhookSchema)))
def get_webhook_view(webhook_id: int) -> Response:
    _admin()
    return json_response(webhook_data(_found(webhook_id)))


@api_route("/webhooks/<int:webhook_id>", "PATCH", _operation(
    "Cambiar un webhook", Reply("El webhook como quedó", WebhookSchema), body=WebhookPatchSchema,
    description="Solo cambian los campos enviados (p. ej. {\"active\": false} lo desactiva). Activarlo "
                "envía los eventos que quedaron pendientes."))
def change_webhook_view(webhook_id: int) -> Response:
    actor = _admin()
    current = _found(webhook_id)
    settings = _validated(attrs.evolve(current.settings, **json_body(_PATCH)))
    return json_response(webhook_data(update_subscription(_engine(), webhook_id, settings, _now(),
                                                          actor=actor.username)))


@api_route("/webhooks/<int:webhook_id>", "DELETE", _operation(
    "Eliminar un webhook", Reply("Eliminado, con sus entregas", None, media_type=""), status=204))
def delete_webhook_view(webhook_id: int) -> Response:
    actor = _admin()
    delete_subscription(_engine(), _found(webhook_id).id, _now(), actor=actor.username)
    return Response(status=204)


@api_route("/webhooks/<int:webhook_id>/secret", "POST", _operation(
    "Rotar el secreto de un webhook", Reply("El webhook con su secreto nuevo", WebhookWithSecretSchema),
    description="Desde ahora las entregas se firman con el secreto nuevo; el anterior deja de valer."))
def rotate_webhook_secret_view(webhook_id: int) -> Response:
    actor = _admin()
    rotated = rotate_secret(_engine(), _found(webhook_id).id, _now(), actor=actor.username)
    return json_response(webhook_data(rotated, secret=True))


@api_route("/webhooks/<int:webhook_id>/deliveries", "GET", _operation(
    "Las entregas de un webhook", Reply("Las últimas 50 entregas, la más reciente primero",
                                        DeliveryListSchema)))
def list_webhook_deliveries_view(webhook_id: int) -> Response:
    _admin()
    deliveries = list_deliveries(_engine(), _found(webhook_id).id)
    return json_response({"items": [delivery_data(d) for d in deliveries]})


@api_route("/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/resend", "POST", _operation(
    "Reenviar una entrega", Reply("La entrega, otra vez pendiente", DeliverySchema),
    description="La entrega vuelve a la cola con el mismo webhook-id y el mismo cuerpo, y una nueva ronda "
                "de reintentos; el trabajador la envía en su próxima vuelta (si el webhook está activo)."))
def resend_webhook_delivery_view(webhook_id: int, delivery_id: int) -> Response:
    _admin()
    subscription = _found(webhook_id)
    if delivery_id > MAX_ID or get_delivery(_engine(), subscription.id, delivery_id) is None:
        raise ApiProblem("not-found", f"No existe la entrega {delivery_id} del webhook {webhook_id}.")
    return json_response(delivery_data(resend(_engine(), subscription.id, delivery_id, _now())))

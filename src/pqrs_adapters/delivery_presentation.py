"""The proof of notification as people read it: labels of channels and statuses, one sentence per
event for the history, and what the case page shows (``notification_view``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pqrs_core.domain import delivery
from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case

COMMUNICATIONS = {delivery.RESPONSE: "la respuesta", "information_request": "la solicitud de información",
                  "extension": "el aviso de prórroga"}
CHANNELS = {delivery.EMAIL: "Correo electrónico", delivery.PORTAL: "Portal", delivery.IN_PERSON: "Personal",
            delivery.COURIER: "Correo certificado", delivery.AVISO: "Aviso en la página web"}
STATUSES = {delivery.SENT: "enviado", delivery.BOUNCED: "rebotado", delivery.READ: "leído",
            delivery.DELIVERED: "entregado", delivery.DISPATCHED: "despachado",
            delivery.RETURNED: "devuelto", delivery.PUBLISHED: "publicado"}
DELIVERY_EVENTS = (ev.EmailDeliveryRecorded, ev.ReadInPortal, ev.DeliveredInPerson,
                   ev.CourierDeliveryRecorded, ev.NoticePublished)


def describe(event: ev.DomainEvent) -> str:
    """One Spanish sentence for the history."""
    what = COMMUNICATIONS.get(getattr(event, "communication", ""), "la comunicación")
    match event:
        case ev.EmailDeliveryRecorded(status=delivery.SENT):
            return f"Se envió por correo electrónico {what} a {event.address or 'el peticionario'}."
        case ev.EmailDeliveryRecorded():
            return f"El correo con {what} rebotó: {event.reason or 'sin diagnóstico'}."
        case ev.ReadInPortal():
            return f"El peticionario leyó {what} en el portal."
        case ev.DeliveredInPerson():
            return (f"Notificó personalmente {what}; la recibió {event.received_by} "
                    "(recibido firmado adjunto).")
        case ev.CourierDeliveryRecorded():
            text = f"Envío de {what} por {event.company}, guía {event.guide}: {STATUSES[event.status]}"
            return text + (f" ({event.reason})." if event.reason else ".")
        case ev.NoticePublished():
            return (f"Publicó el aviso de {what} en la página web del {event.published_from:%d/%m/%Y} al "
                    f"{event.published_until:%d/%m/%Y} (CPACA art. 69).")
    raise ValueError(event.name)


def notification_view(case: Case, local: Any) -> dict[str, Any]:
    """What the case page shows of the answer's notification (``local`` formats an instant)."""
    instant: datetime | None = delivery.notified_at(case.deliveries)
    in_time = delivery.notified_in_time(case)
    steps = [{"communication": COMMUNICATIONS.get(d.communication, d.communication),
              "channel": CHANNELS.get(d.channel, d.channel), "status": STATUSES.get(d.status, d.status),
              "at": local(d.at), "detail": d.detail} for d in case.deliveries]
    return {"notified_at": local(instant) if instant else None, "in_time": in_time,
            "failed": delivery.failed(case), "steps": steps, "answered": case.responded_at is not None}

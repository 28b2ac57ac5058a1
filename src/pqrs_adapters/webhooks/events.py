"""The events a webhook can subscribe to, and the versioned payload each delivery carries.

Every domain event (``pqrs_core.domain.events``) is published as ``case.<name>``: ``CaseFiled`` is
``case.filed``, ``NoteAdded`` is ``case.note_added``. The payload is::

    {"type": "case.filed", "version": 1, "timestamp": "2026-12-06T15:04:05+00:00",
     "data": {"case_id": …, "filing_number": …, "actor": …, <the event's own fields>}}

``version`` changes only when a field is removed or changes meaning; new fields may appear at any
time (receivers ignore what they do not know).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import cattrs

from pqrs_core.domain.events import EVENT_TYPES, DomainEvent
from pqrs_core.serialization import event_to_plain

PAYLOAD_VERSION = 1
PREFIX = "case."


def webhook_type(event_name: str) -> str:
    """``CaseFiled`` → ``case.filed``; ``NoteAdded`` → ``case.note_added``."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", event_name).lower()
    return PREFIX + snake.removeprefix("case_")


# Every type a subscription may name, in the order of the domain's list.
WEBHOOK_TYPES: dict[str, str] = {webhook_type(name): name for name in EVENT_TYPES}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def payload(converter: cattrs.Converter, event: DomainEvent, filing_number: str) -> dict[str, Any]:
    """The payload of ``event`` of the case ``filing_number``."""
    name, data = event_to_plain(converter, event)
    return {"type": webhook_type(name), "version": PAYLOAD_VERSION,
            "timestamp": event.occurred_at.astimezone(UTC).isoformat(),
            "data": {"case_id": event.case_id, "filing_number": filing_number, "actor": event.actor, **data}}


def body(content: Mapping[str, Any]) -> str:
    """The JSON text sent (and signed): compact, UTF-8."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_plain)


# What each type says happened, in Spanish (the administration's choices and the documentation).
DESCRIPTIONS: dict[str, str] = {
    "case.filed": "Se radicó un caso",
    "case.typified": "Se tipificó (o se cambió la tipificación de) un caso",
    "case.assigned": "Se asignó un caso a una cola o a una persona",
    "case.transitioned": "Un caso cambió de estado",
    "case.note_added": "Se agregó una nota a un caso",
    "case.information_requested": "Se pidió información al peticionario",
    "case.requester_replied": "El peticionario respondió",
    "case.responded": "Se respondió al peticionario",
    "case.closed": "Se cerró un caso",
    "case.reopened": "Se reabrió un caso",
    "case.returned_for_retypification": "Se devolvió un caso para tipificarlo de nuevo",
    "case.field_changed": "Cambió un dato de un caso",
    "case.attachment_added": "Se adjuntó un archivo a un caso",
    "case.term_started": "Empezó a correr el término de un caso",
    "case.term_paused": "Se pausó el término de un caso",
    "case.term_resumed": "Se reanudó el término de un caso",
    "case.term_extended": "Se prorrogó el término de un caso",
    "case.term_alarm_raised": "Se levantó una alarma del término de un caso",
    "case.term_ended": "Terminó el término de un caso",
    "case.escalated": "Se escaló un caso",
    "case.completion_requested": "Se pidió completar la petición (art. 17)",
    "case.completion_time_extended": "Se amplió el plazo para completar la petición",
    "case.completion_received": "El peticionario completó la petición",
    "case.petition_withdrawn": "Se tuvo por desistida la petición",
    "case.transferred": "Se trasladó un caso por competencia",
    "case.quality_reviewed": "Se revisó la calidad de la respuesta de un caso",
    "case.root_cause_recorded": "Se registró la causa raíz de un caso",
    "case.corrective_action_completed": "Se completó la acción correctiva de un caso",
    "case.deleted": "Se eliminó un caso",
    "case.term_suspended": "Se suspendió el término de un caso",
    "case.voiding_requested": "Se pidió anular un caso o un radicado de salida (espera la decisión de otra "
                              "persona)",
    "case.voiding_rejected": "Se rechazó la solicitud de anular un caso o un radicado de salida",
    "case.voided": "Se anuló un caso, con su acta numerada",
    "case.outgoing_number_voided": "Se anuló un radicado de salida del caso, con su acta numerada",
    "case.escalated_to_third_party": "Se envió un caso a un tercero",
    "case.third_party_replied": "El tercero respondió",
    "case.third_party_escalation_ended": "Terminó la gestión con el tercero",
    "case.internal_request_sent": "Se envió una solicitud interna",
    "case.internal_request_answered": "Se respondió una solicitud interna",
    "case.internal_request_alarm_raised": "Una solicitud interna vence pronto o venció",
    "case.typification_defaults_applied": "Se aplicaron los valores por defecto de la tipificación",
    "case.rule_applied": "Una regla de enrutamiento actuó en un caso",
    "case.tagged": "Cambiaron las etiquetas de un caso",
    "case.response_drafted": "Se redactó una respuesta (para aprobar)",
    "case.response_approved": "Se aprobó una respuesta",
    "case.response_returned": "Se devolvió una respuesta a quien la redactó",
    "case.items_involved": "Cambiaron los ítems de factura involucrados en un caso",
    "case.letter_signed": "Se firmó la carta de respuesta con el certificado de la organización",
    "case.email_delivery_recorded": "Se registró el envío o el rebote del correo de una comunicación",
    "case.read_in_portal": "El peticionario leyó una comunicación en el portal",
    "case.delivered_in_person": "Se notificó una comunicación personalmente, con la constancia firmada",
    "case.courier_delivery_recorded": "Se registró un paso de la entrega por correo certificado",
    "case.notice_published": "Se publicó el aviso de una comunicación en la página web (CPACA art. 69)",
}

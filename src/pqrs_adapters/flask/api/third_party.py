"""Escalation of a case to a third party («con tercero»: a software vendor, a supplier): send it with
chosen notes and attachments, record what the third party answered, take the case back. For the
staff who work cases; the requester never sees any of it."""

from __future__ import annotations

from flask import Response

from pqrs_core.domain import commands as c

from .case_actions import _act, _operation
from .routing import api_route
from .schemas.terms import VersionOnlySchema
from .schemas.third_party import ThirdPartyEscalationSchema, ThirdPartyReplySchema

_ESCALATION, _REPLY, _VERSION = ThirdPartyEscalationSchema(), ThirdPartyReplySchema(), VersionOnlySchema()


@api_route("/cases/<number>/third-party-escalations", "POST", _operation(
    "Escalar a un tercero", ThirdPartyEscalationSchema,
    "Envía el caso por correo al tercero (mensaje, notas y adjuntos elegidos, con el radicado en el asunto "
    "para que su respuesta vuelva al caso) y lo deja «con tercero». El término sigue corriendo salvo que "
    "la política de términos del caso diga lo contrario. Un caso que ya está con un tercero es 409."))
def escalate_to_third_party(number: str) -> Response:
    return _act(number, _ESCALATION, lambda key, d, v: c.EscalateToThirdParty(
        filing_number=key, address=d["address"], name=d["name"], message=d["message"],
        note_ids=tuple(d["note_ids"]), attachment_ids=tuple(d["attachment_ids"]), expected_version=v))


@api_route("/cases/<number>/third-party-replies", "POST", _operation(
    "Registrar la respuesta del tercero", ThirdPartyReplySchema,
    "Lo que escribió el tercero; si viene de la dirección a la que se escaló, el caso vuelve a gestión. "
    "Solo lo ve el equipo de servicio."))
def record_third_party_reply(number: str) -> Response:
    return _act(number, _REPLY, lambda key, d, v: c.RecordThirdPartyReply(
        filing_number=key, message=d["message"], sender=d["sender"], received_at=d.get("received_at"),
        expected_version=v))


@api_route("/cases/<number>/third-party-resumption", "POST", _operation(
    "Retomar el caso del tercero", VersionOnlySchema,
    "El caso vuelve a gestión sin esperar la respuesta del tercero."))
def resume_from_third_party(number: str) -> Response:
    return _act(number, _VERSION,
                lambda key, d, v: c.ResumeFromThirdParty(filing_number=key, expected_version=v))

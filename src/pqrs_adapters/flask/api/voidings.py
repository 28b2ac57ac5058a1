"""``/voidings``: voiding (anulación) instead of deleting. A case is never deleted: an administrator asks
for its voiding with a reason, and a second person holding another role approves (a numbered voiding
record, ``AN-2026-000001``) or rejects it. A voided case leaves every listing and report; ``GET
/cases?include_voided=true`` lists it again for those who may audit. An outgoing number
(``target_kind`` ``outgoing_number``) is voided the same way: it stays used, shown as voided."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import InvalidOperation, NotFound
from pqrs_core.domain.voiding import SamePerson, SameRole, Voiding, VoidingStatus

from .auth import current_actor
from .inputs import json_body, query_args
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.voidings import (
    VoidingListQuerySchema,
    VoidingListSchema,
    VoidingRejectInputSchema,
    VoidingRequestInputSchema,
    VoidingSchema,
)

_REQUEST, _REJECT, _LIST = VoidingRequestInputSchema(), VoidingRejectInputSchema(), VoidingListQuerySchema()
_ONE, _MANY = VoidingSchema(), VoidingListSchema()


def voiding_data(v: Voiding) -> dict[str, Any]:
    return {"id": v.id, "number": v.number, "target_kind": str(v.target_kind), "target": v.target,
            "reason": v.reason, "status": str(v.status), "requested_by": v.requested_by,
            "requested_at": v.requested_at, "decided_by": v.decided_by, "decided_at": v.decided_at,
            "note": v.note}


@api_route("/voidings", "POST", Operation(
    summary="Pedir la anulación de un caso o de un radicado de salida", tag="voidings",
    body=VoidingRequestInputSchema,
    description="Nada se borra: la solicitud queda pendiente hasta que otra persona, con un rol distinto "
                "al de quien la pide, la apruebe o rechace (se le avisa en la campana). Solo quien tiene "
                "el permiso «case.delete» (administradores) la pide. Con «target_kind» «outgoing_number», "
                "«target» es el radicado de salida: al aprobarse queda marcado como anulado y nunca se "
                "vuelve a asignar. Un radicado que no existe es 404; uno ya anulado, o una segunda "
                "solicitud pendiente para el mismo, 409.",
    replies={201: Reply("La solicitud, pendiente", VoidingSchema)}, problems=(403, 404, 409)))
def request_voiding() -> Response:
    data = json_body(_REQUEST)
    try:
        voiding = pqrs().handle(c.RequestVoiding(target_kind=data["target_kind"], target=data["target"],
                                                 reason=data["reason"]), current_actor())
    except NotFound as exc:
        raise ApiProblem("not-found", str(exc), errors={"target": str(exc)}) from None
    except InvalidOperation as exc:
        raise ApiProblem("invalid-operation", str(exc), errors={"target": str(exc)}) from None
    return json_response(_ONE.dump(voiding_data(voiding)), 201)


@api_route("/voidings", "GET", Operation(
    summary="Listar las anulaciones", tag="voidings", query=VoidingListQuerySchema,
    description="Las solicitudes de anulación, la más reciente primero: para quien las pide, las decide o "
                "audita.",
    replies={200: Reply("Las solicitudes", VoidingListSchema)}, problems=(403,)))
def list_voidings() -> Response:
    args = query_args(_LIST)
    status = VoidingStatus(args["status"]) if args.get("status") else None
    found = pqrs().voidings(current_actor(), status, target=args.get("target") or None)
    return json_response(_MANY.dump({"items": [voiding_data(v) for v in found]}))


def _decide(command: c.ApproveVoiding | c.RejectVoiding) -> Response:
    try:
        voiding = pqrs().handle(command, current_actor())
    except (SamePerson, SameRole) as exc:
        # Separation of duties: the person at fault is the one deciding.
        raise ApiProblem("forbidden", str(exc), errors={"actor": str(exc)}) from None
    return json_response(_ONE.dump(voiding_data(voiding)))


@api_route("/voidings/<voiding_id>/approve", "POST", Operation(
    summary="Aprobar una anulación", tag="voidings", body_required=False,
    description="La anulación queda como registro numerado (AN-año-número) y el caso sale de bandejas, "
                "búsquedas y reportes; se conserva para auditoría. Quien la pidió, o alguien sin otro rol "
                "aprobador que los suyos, recibe 403; una ya decidida, 409.",
    replies={200: Reply("La anulación aprobada", VoidingSchema)}, problems=(403, 409)))
def approve_voiding(voiding_id: str) -> Response:
    return _decide(c.ApproveVoiding(voiding_id=voiding_id[:64]))


@api_route("/voidings/<voiding_id>/reject", "POST", Operation(
    summary="Rechazar una anulación", tag="voidings", body=VoidingRejectInputSchema, body_required=False,
    description="El caso queda como estaba; el rechazo y su motivo quedan en su historia.",
    replies={200: Reply("La anulación rechazada", VoidingSchema)}, problems=(403, 409)))
def reject_voiding(voiding_id: str) -> Response:
    data = json_body(_REJECT) if request.get_data(cache=True) else {}  # the note is optional
    return _decide(c.RejectVoiding(voiding_id=voiding_id[:64], note=data.get("note") or ""))

"""Internal requests (solicitudes internas): a case asks another area for something, by an internal due
date inside its legal term; the area lists what it owes and answers. For the staff who work cases; the
requester never sees any of it."""

from __future__ import annotations

from typing import Any

from flask import Response

from pqrs_core.domain import commands as c
from pqrs_core.domain.internal_requests import find
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from .auth import current_actor
from .case_actions import _act, _operation
from .case_json import request_data
from .inputs import expected_version, filing_number, json_body
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.internal_requests import (
    AnsweredInternalRequestSchema,
    InternalAnswerInputSchema,
    InternalRequestInputSchema,
    PendingInternalRequestsSchema,
)

_ASK, _ANSWER = InternalRequestInputSchema(), InternalAnswerInputSchema()
_PENDING, _ANSWERED = PendingInternalRequestsSchema(), AnsweredInternalRequestSchema()
OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
MAX_LISTED = 200


@api_route("/cases/<number>/internal-requests", "POST", _operation(
    "Pedir algo a otra área (solicitud interna)", InternalRequestInputSchema,
    "El área (cola) la ve en sus pendientes y la responde. La fecha interna debe caer dentro del término "
    "legal del caso y no antes de hoy (si no, 422 en «due»). Las fechas internas avisan al área el día "
    "hábil anterior y cuando vencen."))
def request_internal(number: str) -> Response:
    return _act(number, _ASK, lambda key, d, v: c.RequestInternal(
        filing_number=key, queue=d["queue"], text=d["text"], due=d["due"], expected_version=v))


@api_route("/cases/<number>/internal-requests/<request_id>/answer", "POST", Operation(
    summary="Responder una solicitud interna", tag="actions", body=InternalAnswerInputSchema,
    description="Solo responden las personas del área a la que se pidió (aunque el caso no esté en su "
                "bandeja). Responde la solicitud, no el caso.",
    request_headers=("If-Match",), problems=(403, 409),
    replies={200: Reply("La solicitud respondida", AnsweredInternalRequestSchema)}))
def answer_internal(number: str, request_id: str) -> Response:
    actor = current_actor()
    key = filing_number(number)
    data = json_body(_ANSWER)
    version = expected_version(data.pop("version", None))
    app = pqrs()
    case = app.handle(c.AnswerInternal(filing_number=key, request_id=request_id[:100], answer=data["answer"],
                                       expected_version=version), actor)
    item = find(case.internal_requests, request_id)
    return json_response(_ANSWERED.dump({"filing_number": key,
                                         "internal_request": request_data(item, app.deps.clock.now())}))


@api_route("/internal-requests", "GET", Operation(
    summary="Solicitudes internas pendientes de mis áreas", tag="actions",
    description="Lo que los casos abiertos piden a las colas de quien consulta y no tiene respuesta, lo más "
                "próximo a vencer primero.",
    replies={200: Reply("Las solicitudes pendientes", PendingInternalRequestsSchema)}))
def pending_internal_requests() -> Response:
    actor = current_actor()
    app = pqrs()
    if "case.work" not in app.catalog().permissions(actor):
        raise ApiProblem("forbidden", "Las solicitudes internas son del equipo de atención.")
    now = app.deps.clock.now()
    items: list[dict[str, Any]] = []
    for queue in sorted(actor.queues):
        page = app.cases(CaseQuery(pending_request_queue=queue, state_categories=OPEN, limit=MAX_LISTED))
        for case in page.cases:
            items.extend({**request_data(r, now), "filing_number": str(case.filing_number),
                          "subject": case.subject}
                         for r in case.internal_requests if r.queue == queue and r.answered_at is None)
    items.sort(key=lambda i: (i["due"], i["filing_number"]))
    return json_response(_PENDING.dump({"items": items}))

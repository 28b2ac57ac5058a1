"""``GET /cases/{n}/history``: the case's events, oldest first, as plain data."""

from __future__ import annotations

from typing import Any

from flask import Response

from pqrs_core.domain import events as ev
from pqrs_core.serialization import event_to_plain, make_converter

from .auth import current_actor
from .inputs import filing_number
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.history import HistorySchema

_HISTORY = HistorySchema()


def _plain(event: ev.DomainEvent, converter: Any) -> dict[str, Any]:
    name, data = event_to_plain(converter, event)
    # Where the bytes are stored is nobody's business.
    for attachment in (data.get("attachment"), *(data.get("attachments") or ())):
        if isinstance(attachment, dict):
            attachment.pop("storage_key", None)
    return {"type": name, "actor": event.actor, "occurred_at": event.occurred_at, "data": data}


@api_route("/cases/<number>/history", "GET", Operation(
    summary="Historia del caso", tag="cases",
    description="Todos los eventos del caso (quién, cuándo, qué). Quien no lleva registro de trabajo "
                "(peticionarios, consultores) no ve las notas internas.",
    replies={200: Reply("Los eventos, del más antiguo al más reciente", HistorySchema)}))
def case_history(number: str) -> Response:
    actor = current_actor()
    app = pqrs()
    events = app.history(filing_number(number), actor=actor)  # internal notes only for staff
    converter = make_converter()
    items = [_plain(e, converter) for e in events]
    return json_response(_HISTORY.dump({"items": items}))

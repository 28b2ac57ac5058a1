"""``GET /reports/summary``: counts over the cases the caller may see."""

from __future__ import annotations

import attrs
from flask import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import ValidationError

from .auth import current_actor
from .filters import case_query, query_problem
from .inputs import query_args
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.history import SummarySchema
from .schemas.queries import SummaryQuerySchema

_QUERY = SummaryQuerySchema()
_SUMMARY = SummarySchema()


@api_route("/reports/summary", "GET", Operation(
    summary="Cifras de los casos", tag="reports", query=SummaryQuerySchema,
    description="Cuántos casos hay por categoría de estado, estado, tipo, prioridad, canal y "
                "tipificación, entre los que quien consulta puede ver. Requiere el permiso reports.view.",
    replies={200: Reply("Las cifras", SummarySchema)}, problems=(403,)))
def report_summary() -> Response:
    actor = current_actor()
    app = pqrs()
    if Permission.REPORTS not in app.catalog().permissions(actor):
        raise ApiProblem("forbidden", "Su rol no le permite ver reportes (permiso reports.view).")
    args = query_args(_QUERY)
    query = case_query({**args, "sort": "newest", "limit": 0}, app.deps.settings.timezone)
    try:
        summary = app.summary(query, actor=actor)
    except ValidationError as exc:
        raise query_problem(exc) from None
    return json_response(_SUMMARY.dump(attrs.asdict(summary)))

"""``GET /reports/satisfaction`` (and the other quality reports): figures over the cases the caller may
see, for a period of days in the organisation's time zone."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask import Response, current_app
from marshmallow import Schema

from pqrs_core.domain.access import Permission
from pqrs_core.domain.values import Actor
from pqrs_core.services.quality_figures import PersonFigures, SatisfactionFigures, Targets
from pqrs_core.services.quality_reports import (
    causes_report,
    corrective_actions,
    productivity_report,
    satisfaction_report,
)
from pqrs_core.services.reports import ReportFilter

from ...config import Config
from ...sqlalchemy.quality_queries import quality_queries
from .auth import current_actor
from .inputs import query_args
from .problems import ApiProblem
from .reports import read_report_filter
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.quality_reports import (
    CausesReportSchema,
    CorrectiveActionsQuerySchema,
    CorrectiveActionsSchema,
    ProductivityReportSchema,
    QualityQuerySchema,
    SatisfactionQuerySchema,
    SatisfactionReportSchema,
)

_SATISFACTION_QUERY = SatisfactionQuerySchema()
_SATISFACTION = SatisfactionReportSchema()
_REPORT_QUERY = QualityQuerySchema()
_CAUSES = CausesReportSchema()
_ACTIONS_QUERY = CorrectiveActionsQuerySchema()
_ACTIONS = CorrectiveActionsSchema()
_PRODUCTIVITY = ProductivityReportSchema()


def reports_actor() -> Actor:
    actor = current_actor()
    if Permission.REPORTS not in pqrs().catalog().permissions(actor):
        raise ApiProblem("forbidden", "Su rol no le permite ver reportes (permiso reports.view).")
    return actor


def period_request(schema: Schema) -> tuple[Actor, dict[str, Any], ReportFilter]:
    """What a report's request asks for, once the caller may read reports: who asks, its arguments and
    the filter (read as every report's, ``reports.read_report_filter``)."""
    actor = reports_actor()
    return actor, query_args(schema), read_report_filter(schema)


def _figures(figures: SatisfactionFigures) -> dict[str, Any]:
    return {"key": figures.key, "answers": figures.answers, "average": figures.average,
            "satisfied": figures.satisfied, "satisfied_share": figures.satisfied_share,
            "nps_answers": figures.nps_answers, "promoters": figures.promoters,
            "detractors": figures.detractors, "nps": figures.nps, "reviews": figures.reviews,
            "review_average": figures.review_average}


@api_route("/reports/satisfaction", "GET", Operation(
    summary="Satisfacción y calidad", tag="reports", query=SatisfactionQuerySchema,
    description="Respuestas a la encuesta de satisfacción (calificación 1 a 5, NPS) y revisiones de "
                "calidad registradas en el periodo, en total y por área, persona que respondió, "
                "tipificación o tipo, entre los casos que quien consulta puede ver. Requiere el permiso "
                "reports.view.",
    replies={200: Reply("Las cifras", SatisfactionReportSchema)}, problems=(400, 403, 422)))
def satisfaction() -> Response:
    actor, args, filters = period_request(_SATISFACTION_QUERY)
    report = satisfaction_report(pqrs(), quality_queries, filters, actor, args["group_by"])
    return json_response(_SATISFACTION.dump({
        "start": filters.start, "end": filters.end, "group_by": args["group_by"],
        "total": _figures(report.total),
        "groups": [_figures(g) for g in report.groups],
        "distribution": {str(score): count for score, count in report.distribution.items()}}))


def _counts(counts: Any) -> list[dict[str, Any]]:
    return [{"key": count.key, "cases": count.cases} for count in counts]


@api_route("/reports/causes", "GET", Operation(
    summary="Causas raíz", tag="reports", query=QualityQuerySchema,
    description="Casos resueltos en el periodo por causa raíz, por área responsable y por tipificación "
                "(para diagramas de Pareto), entre los casos que quien consulta puede ver. Requiere el "
                "permiso reports.view.",
    replies={200: Reply("Las cifras", CausesReportSchema)}, problems=(400, 403, 422)))
def causes() -> Response:
    actor, _args, filters = period_request(_REPORT_QUERY)
    report = causes_report(pqrs(), quality_queries, filters, actor)
    return json_response(_CAUSES.dump({
        "start": filters.start, "end": filters.end, "resolved": report.resolved,
        "with_cause": report.with_cause, "by_cause": _counts(report.by_cause),
        "by_area": _counts(report.by_area), "by_typification": _counts(report.by_typification)}))


@api_route("/reports/corrective-actions", "GET", Operation(
    summary="Acciones correctivas", tag="reports", query=CorrectiveActionsQuerySchema,
    description="Las acciones correctivas de las causas raíz: las abiertas por fecha límite (vencidas "
                "marcadas), o todas. Requiere el permiso reports.view.",
    replies={200: Reply("Las acciones", CorrectiveActionsSchema)}, problems=(400, 403)))
def open_corrective_actions() -> Response:
    actor = reports_actor()
    args = query_args(_ACTIONS_QUERY)
    app = pqrs()
    today = app.deps.clock.now().astimezone(ZoneInfo(app.deps.settings.timezone)).date()
    found = corrective_actions(app, quality_queries, actor, open_only=args["state"] == "open")
    return json_response(_ACTIONS.dump({"items": [
        {"filing_number": a.filing_number, "cause": a.cause, "area": a.area, "action": a.action,
         "owner": a.owner, "due": a.due, "done_at": a.done_at, "overdue": a.overdue(today)} for a in found]}))


def _person(p: PersonFigures) -> dict[str, Any]:
    return {"person": p.person, "filed": p.filed, "typified": p.typified, "answered": p.answered,
            "closed": p.closed, "days": p.days, "answered_per_day": p.answered_per_day,
            "days_on_target": p.days_on_target, "filing_median_seconds": p.filing_median,
            "filing_on_target": p.filing_on_target, "response_median_seconds": p.response_median,
            "response_on_target": p.response_on_target}


@api_route("/reports/productivity", "GET", Operation(
    summary="Productividad", tag="reports", query=QualityQuerySchema,
    description="Por persona: casos radicados, tipificados, respondidos y cerrados en el periodo, y los "
                "tiempos de radicación y de respuesta medidos por los formularios frente a las metas "
                "(PQRS_TARGET_*), entre los casos que quien consulta puede ver. Requiere el permiso "
                "reports.view.",
    replies={200: Reply("Las cifras", ProductivityReportSchema)}, problems=(400, 403, 422)))
def productivity() -> Response:
    actor, _args, filters = period_request(_REPORT_QUERY)
    quality = current_config().quality
    targets = Targets(filing_seconds=quality.target_filing_seconds,
                      response_seconds=quality.target_response_seconds,
                      solutions_per_day=quality.target_solutions_per_day)
    report = productivity_report(pqrs(), quality_queries, filters, actor, targets)
    return json_response(_PRODUCTIVITY.dump({
        "start": filters.start, "end": filters.end, "targets": attrs.asdict(targets),
        "total": _person(report.total), "people": [_person(p) for p in report.people]}))


def current_config() -> Config:
    found: Config = current_app.extensions["pqrs.config"]
    return found

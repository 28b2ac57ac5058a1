"""``GET /reports/summary``: counts over the cases the caller may see; ``/reports/volume``,
``/reports/timeliness``, ``/reports/resolution-levels`` and ``/reports/regulatory``: the figures of the
reports of ``/reportes`` (``pqrs_core.services.report_figures``), with the same filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from flask import Response, request
from marshmallow import Schema

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import PermissionDenied, ValidationError
from pqrs_core.services import report_figures as rf
from pqrs_core.services.reports import (
    CountsInput,
    Period,
    ReportFilter,
    report_counts,
)
from pqrs_core.services.reports import report_regulatory as read_regulatory
from pqrs_core.services.reports import report_timeliness as read_timeliness

from ...presentation import Labels
from ...sqlalchemy.report_queries import report_queries
from ..web.reports.filters import API_NAMES, local_today, parse_filters
from .auth import current_actor
from .filters import case_query, query_problem
from .inputs import query_args
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.history import SummarySchema
from .schemas.queries import SummaryQuerySchema
from .schemas.reports import (
    LevelsSchema,
    RegulatoryQuerySchema,
    RegulatorySchema,
    ReportQuerySchema,
    TimelinessSchema,
    VolumeSchema,
)

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


# ------------------------------------------------------------------------ the reports (read models)
_REPORT_QUERY = ReportQuerySchema()
_REGULATORY_QUERY = RegulatoryQuerySchema()
_DESCRIPTION = ("Sobre los casos radicados entre «start» y «end» (fechas de la organización, ambas "
                "incluidas; por omisión los últimos 30 días) que quien consulta puede ver, con los filtros "
                "kind, typification (un subárbol), queue y channel. Requiere el permiso reports.view.")


def read_report_filter(schema: Schema = _REPORT_QUERY, periods: tuple[Period, ...] = tuple(Period),
                       default: Period = Period.WEEK) -> ReportFilter:
    """The report's filter from the query string (checked against ``schema``, which may add a report's
    own parameters): unknown or malformed parameters are a 400 naming them; well-formed values the
    report cannot take (a code not in the catalog, an end before the start, more than 366 days, a period
    the report does not group by) a 422 naming them."""
    query_args(schema)
    app = pqrs()
    catalog = app.catalog()
    today = local_today(catalog, app.deps.clock.now(), app.deps.settings.timezone)
    parsed = parse_filters(request.args, catalog, today, names=API_NAMES, periods=periods,
                           default_period=default)
    if parsed.spec is None:
        wrong = ", ".join(sorted(parsed.errors))
        raise ApiProblem("validation-error", f"Parámetros de consulta inválidos: {wrong}.",
                         errors=parsed.errors)
    return parsed.spec


def _read_counts(spec: ReportFilter, groupings: Sequence[Sequence[str]],
                 previous: Sequence[Sequence[str]] = ()) -> tuple[CountsInput, Labels]:
    """The range's cases counted by the store (the reports that need counts only)."""
    try:
        data = report_counts(pqrs(), report_queries, spec, current_actor(), groupings, previous)
    except PermissionDenied:
        raise _forbidden() from None
    return data, Labels(data.catalog, data.timezone)


def _forbidden() -> ApiProblem:
    return ApiProblem("forbidden", "Su rol no le permite ver reportes (permiso reports.view).")


def _range(spec: ReportFilter) -> dict[str, Any]:
    return {"start": spec.start, "end": spec.end, "period": spec.period.value}


def _label(labels: Labels, dimension: str, key: str) -> str:
    tree = labels.catalog.typifications
    if dimension == "kind":
        return labels.kind(key)
    if dimension == "channel":
        return labels.channel(key) if key else ""
    if dimension == "queue":
        return labels.queue(key) if key else ""
    if dimension == "typification":
        return str(tree.get(key).label) if key in tree else key
    if dimension == "level":
        return rf.LEVEL_LABELS.get(key, key)
    return key


def _count(count: rf.Count, label: str) -> dict[str, Any]:
    return {"key": count.key, "label": label, "count": count.count, "previous": count.previous,
            "change": count.change}


def _forbidden_or_invalid() -> tuple[int, ...]:
    return (400, 403, 422)


@api_route("/reports/volume", "GET", Operation(
    summary="Volumen de casos recibidos", tag="reports", query=ReportQuerySchema,
    description="Casos recibidos por periodo (day, week, month, quarter, semester) y por tipo, canal, "
                "tipificación, cola y tipo de peticionario, frente al rango anterior de igual duración. "
                + _DESCRIPTION,
    replies={200: Reply("Las cifras", VolumeSchema)}, problems=_forbidden_or_invalid()))
def report_volume() -> Response:
    spec = read_report_filter()
    data, labels = _read_counts(spec, rf.VOLUME_GROUPINGS, rf.VOLUME_PREVIOUS)
    report = rf.volume_counted(data, spec)
    body = {**_range(spec), "total": report.total, "previous_total": report.previous_total,
            "change": report.change, "periods": [_count(p, p.key) for p in report.periods],
            "by": {dimension: [_count(c, _label(labels, dimension, c.key)) for c in counts]
                   for dimension, counts in report.by.items()}}
    return json_response(VolumeSchema().dump(body))


@api_route("/reports/timeliness", "GET", Operation(
    summary="Oportunidad de las respuestas", tag="reports", query=ReportQuerySchema,
    description="A tiempo frente a vencidos por tipo, tipificación, cola y persona; abiertos por antigüedad "
                "y por tiempo hábil restante; tiempos de primera respuesta y de resolución en horas hábiles "
                "(mediana, percentil 90, promedio); prórrogas, traslados, peticiones incompletas y "
                "desistimientos. " + _DESCRIPTION,
    replies={200: Reply("Las cifras", TimelinessSchema)}, problems=_forbidden_or_invalid()))
def report_timeliness() -> Response:
    spec = read_report_filter()
    try:
        data = read_timeliness(pqrs(), report_queries, spec, current_actor())
    except PermissionDenied:
        raise _forbidden() from None
    labels = Labels(data.catalog, data.timezone)
    report = rf.timeliness_counted(data, spec)

    def compliance(dimension: str, c: rf.Compliance) -> dict[str, Any]:
        label = labels.user(c.key) if dimension == "assignee" and c.key else _label(labels, dimension, c.key)
        return {"key": c.key, "label": label, "on_time": c.on_time, "overdue": c.overdue,
                "running": c.running, "share": c.share}

    def durations(stats: dict[str, list[rf.DurationStats]]) -> dict[str, list[dict[str, Any]]]:
        return {group: [{**attrs.asdict(s), "label": _label(labels, group, s.key)} for s in items]
                for group, items in stats.items()}

    body = {**_range(spec), "overall": compliance("total", report.overall),
            "by": {d: [compliance(d, c) for c in items] for d, items in report.by.items()},
            "open_by_age": [_count(c, c.key) for c in report.open_by_age],
            "open_by_time_left": [_count(c, c.key) for c in report.open_by_time_left],
            "first_response_hours": durations(report.first_response_hours),
            "resolution_hours": durations(report.resolution_hours),
            "extensions": report.extensions, "transfers": report.transfers, "incomplete": report.incomplete,
            "withdrawals": report.withdrawals}
    return json_response(TimelinessSchema().dump(body))


@api_route("/reports/resolution-levels", "GET", Operation(
    summary="Quién resolvió", tag="reports", query=ReportQuerySchema,
    description="Casos respondidos por el nivel que respondió: primer contacto, primera línea, back office "
                "(segundo nivel) o especialistas, según la cola en que estaba el caso al responderse. "
                + _DESCRIPTION,
    replies={200: Reply("Las cifras", LevelsSchema)}, problems=_forbidden_or_invalid()))
def report_resolution_levels() -> Response:
    spec = read_report_filter()
    data, labels = _read_counts(spec, rf.LEVEL_GROUPINGS)
    report = rf.resolution_levels_counted(data, spec)
    body = {**_range(spec), "answered": report.answered, "pending": report.pending,
            "by_level": [_count(c, _label(labels, "level", c.key)) for c in report.by_level],
            "by_kind": {kind: [_count(c, _label(labels, "level", c.key)) for c in counts]
                        for kind, counts in report.by_kind.items()}}
    return json_response(LevelsSchema().dump(body))


@api_route("/reports/regulatory", "GET", Operation(
    summary="Informe de PQRSD", tag="reports", query=RegulatoryQuerySchema,
    description="El informe de solicitudes que publican los sujetos obligados (Ley 1712 de 2014 art. 11 "
                "lit. h; Decreto 103 de 2015 art. 52) y el informe semestral de la Ley 1474 de 2011 art. 76, "
                "por trimestre (period=quarter, por omisión) o semestre (semester) y tipo: recibidas, "
                "trasladadas, respondidas a tiempo y tarde, pendientes, con acceso negado, y el tiempo de "
                "respuesta de cada solicitud, por páginas (offset, limit). " + _DESCRIPTION,
    replies={200: Reply("Las cifras", RegulatorySchema)}, problems=_forbidden_or_invalid()))
def report_regulatory() -> Response:
    spec = read_report_filter(_REGULATORY_QUERY, periods=(Period.QUARTER, Period.SEMESTER),
                              default=Period.QUARTER)
    page = query_args(_REGULATORY_QUERY)
    try:
        data = read_regulatory(pqrs(), report_queries, spec, current_actor(), offset=page["offset"],
                               limit=page["limit"])
    except PermissionDenied:
        raise _forbidden() from None
    report = rf.regulatory_counted(data, spec)
    body = {**_range(spec), "lines": [attrs.asdict(x) for x in report.lines],
            "totals": attrs.asdict(report.totals), "cases": [attrs.asdict(x) for x in report.cases],
            "offset": page["offset"], "limit": page["limit"]}
    return json_response(RegulatorySchema().dump(body))

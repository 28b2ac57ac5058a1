"""``/reportes/satisfaccion``: what requesters answered to the survey sent with the response, and the
quality reviews of the same period, by person (who responded), area, typification or kind; the
distribution of the scores and the latest comments. Figures over the cases the reader may see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission

from ....sqlalchemy.satisfaction import SatisfactionReport, satisfaction_report
from ..auth import login_required
from ..common import config, engine, labels, require
from . import charts
from .filters import ReportFilters
from .page import (
    GROUP_NAMES,
    decimal,
    download,
    export_requested,
    filter_choices,
    group_label,
    page_filters,
    share,
    visible,
)

bp = Blueprint("reportes_satisfaccion", __name__)
SCORE_LABELS = {1: "Muy insatisfecho", 2: "Insatisfecho", 3: "Neutral", 4: "Satisfecho", 5: "Muy satisfecho"}


def report_for(filters: ReportFilters, by: str) -> SatisfactionReport:
    start, end = filters.instants(config().timezone)
    with engine().connect() as conn:
        return satisfaction_report(conn, filters.case_query(visible()), start, end, by=by)


def columns() -> list[str]:
    return [_("Grupo"), _("Respuestas"), _("Promedio (1 a 5)"), _("Satisfechos (4 y 5)"), _("NPS"),
            _("Respuestas NPS"), _("Revisiones de calidad"), _("Promedio de calidad")]


def table(report: SatisfactionReport, by: str) -> list[list[Any]]:
    names = labels([g.key for g in report.groups] if by == "person" else [])
    return [[group_label(by, g.key, names), g.answers, decimal(g.average), share(g.satisfied_share),
             decimal(g.nps, 0), g.nps_answers, g.reviews, decimal(g.review_average)] for g in report.groups]


@bp.get("/reportes/satisfaccion")
@login_required
@require(Permission.REPORTS)
def index() -> ResponseReturnValue:
    filters, errors = page_filters()
    grouping = request.args.get("agrupar", "area")
    if grouping not in GROUP_NAMES:
        errors["agrupar"] = _("Elija una opción de la lista.")
        grouping = "area"
    by = GROUP_NAMES[grouping]
    report = report_for(filters, by)
    rows = table(report, by)
    fmt = export_requested()
    if fmt is not None:
        return download("satisfaccion", filters, columns(), rows, fmt)
    distribution = charts.bar_chart(_("Calificaciones de la encuesta"),
                                    [f"{score} · {_(SCORE_LABELS[score])}" for score in report.distribution],
                                    {_("Respuestas"): list(report.distribution.values())})
    averages = charts.bar_chart(_("Calificación promedio por grupo"), [r[0] for r in rows],
                                {_("Encuesta"): [g.average or 0 for g in report.groups],
                                 _("Calidad"): [g.review_average or 0 for g in report.groups]},
                                horizontal=True) if rows else None
    return render_template("reports/satisfaction.html", filters=filters, errors=errors, grouping=grouping,
                           report=report, rows=rows, columns=columns(), distribution=distribution,
                           averages=averages, score_labels=SCORE_LABELS, share=share, decimal=decimal,
                           labels=labels(), export_args={**filters.args(), "agrupar": grouping},
                           groupings=[("area", _("Área")), ("persona", _("Persona que respondió")),
                                      ("tipificacion", _("Tipificación")), ("tipo", _("Tipo"))],
                           **filter_choices())

"""``/reportes/causas``: the cases resolved in a period by root cause (Pareto), by area responsible and
by typification (Pareto), with the share of resolutions whose cause was recorded; and
``/reportes/acciones-correctivas``, the corrective actions still open (or all), overdue ones marked."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission

from ....sqlalchemy.causes import CausesReport, causes_report, corrective_actions
from ..auth import login_required
from ..common import config, engine, labels, require
from . import charts
from .filters import ReportFilters
from .page import decimal, download, export_requested, filter_choices, group_label, page_filters, share, today
from .page import visible as visible_to_reader

bp = Blueprint("reportes_causas", __name__)


def report_for(filters: ReportFilters) -> CausesReport:
    start, end = filters.instants(config().timezone)
    with engine().connect() as conn:
        return causes_report(conn, filters.case_query(visible_to_reader()), start, end)


def cause_rows(report: CausesReport) -> list[list[Any]]:
    """Cause, cases, share of the cases with a cause, cumulative share (the Pareto table)."""
    names = labels()
    rows, running = [], 0
    for count in report.by_cause:
        running += count.cases
        rows.append([names.root_cause(count.key), count.cases, share(count.cases / report.with_cause),
                     share(running / report.with_cause)])
    return rows


@bp.get("/reportes/causas")
@login_required
@require(Permission.REPORTS)
def index() -> ResponseReturnValue:
    filters, errors = page_filters()
    report = report_for(filters)
    names = labels()
    rows = cause_rows(report)
    columns = [_("Causa raíz"), _("Casos"), _("% de los casos con causa"), _("% acumulado")]
    fmt = export_requested()
    if fmt is not None:
        return download("causas", filters, columns, rows, fmt)
    typification_rows: list[tuple[str, int]] = [(group_label("typification", t.key, names), t.cases)
                                                for t in report.by_typification]
    area_rows = [(group_label("area", a.key, names), a.cases) for a in report.by_area]
    by_cause = charts.pareto_chart(_("Casos por causa raíz"), [r[0] for r in rows],
                                   [r[1] for r in rows]) if rows else None
    top = typification_rows[:15]
    by_typification = charts.pareto_chart(_("Casos resueltos por tipificación"),
                                          [r[0].rsplit(" › ", 1)[-1] for r in top],
                                          [r[1] for r in top]) if top else None
    return render_template("reports/causes.html", filters=filters, errors=errors, report=report, rows=rows,
                           columns=columns, area_rows=area_rows, typification_rows=typification_rows,
                           by_cause=by_cause, by_typification=by_typification,
                           analysed=share(report.with_cause / report.resolved) if report.resolved else "—",
                           export_args=filters.args(), labels=names, decimal=decimal, **filter_choices())


@bp.get("/reportes/acciones-correctivas")
@login_required
@require(Permission.REPORTS)
def actions() -> ResponseReturnValue:
    filters, errors = page_filters()
    open_only = request.args.get("estado", "abiertas") != "todas"
    with engine().connect() as conn:
        found = corrective_actions(conn, filters.case_query(visible_to_reader()), open_only=open_only)
    names = labels([a.owner for a in found])
    day = today()
    columns = [_("Radicado"), _("Causa raíz"), _("Área"), _("Acción correctiva"), _("Responsable"),
               _("Fecha límite"), _("Estado")]
    rows = [[a.filing_number, names.root_cause(a.cause), names.queue(a.area), a.action, names.user(a.owner),
             a.due.strftime("%d/%m/%Y") if a.due else "",
             _("Completada") if a.done_at else (_("Vencida") if a.overdue(day) else _("Abierta"))]
            for a in found]
    fmt = export_requested()
    if fmt is not None:
        return download("acciones-correctivas", filters, columns, rows, fmt)
    return render_template("reports/corrective_actions.html", actions=found, rows=rows, columns=columns,
                           open_only=open_only, today=day, filters=filters, errors=errors,
                           export_args={"estado": "abiertas" if open_only else "todas"})

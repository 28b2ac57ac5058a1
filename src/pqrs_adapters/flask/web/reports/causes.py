"""``/reportes/causas``: the cases resolved in a period by root cause (Pareto), by area responsible and
by typification (Pareto), with the share of resolutions whose cause was recorded; and
``/reportes/acciones-correctivas``, the corrective actions still open (or all), overdue ones marked."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pqrs_core.domain.access import Permission
from pqrs_core.services.quality_figures import CausesReport
from pqrs_core.services.quality_reports import causes_report, corrective_actions
from pqrs_core.services.reports import ReportFilter

from ....sqlalchemy.quality_queries import quality_queries
from ..auth import login_required
from ..common import actor, labels, pqrs, require
from . import bp
from .charts import pareto_chart
from .exports import FORMATS, table_response
from .page import group_label, share, today
from .pages import REPORT_PAGES, Figure, Section, add_report_page, read_filters, render_report

INTRO = _l("Casos resueltos en el rango, de los que usted puede ver, por la causa raíz registrada al "
           "resolverlos (método, mano de obra, material, máquina, medio ambiente, medición), por el área "
           "responsable y por tipificación.")


def report_for(spec: ReportFilter) -> CausesReport:
    return causes_report(pqrs(), quality_queries, spec, actor())


def cause_rows(report: CausesReport) -> list[list[Any]]:
    """Cause, cases, share of the cases with a cause, cumulative share (the Pareto table)."""
    names = labels()
    rows, running = [], 0
    for count in report.by_cause:
        running += count.cases
        rows.append([names.root_cause(count.key), count.cases, share(count.cases / report.with_cause),
                     share(running / report.with_cause)])
    return rows


@bp.get("/causas")
@login_required
@require(Permission.REPORTS)
def causes() -> ResponseReturnValue:
    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = report_for(spec)
        names = labels()
        rows = cause_rows(report)
        typifications = [(group_label("typification", t.key, names), t.cases) for t in report.by_typification]
        areas = [(group_label("area", a.key, names), a.cases) for a in report.by_area]
        top = typifications[:15]
        figures = [Figure(_("Casos resueltos"), str(report.resolved)),
                   Figure(_("Con causa registrada"), str(report.with_cause),
                          _("%(share)s de los resueltos",
                            share=share(report.with_cause / report.resolved) if report.resolved else "—"))]
        sections = [
            Section("causas", _("Pareto por causa raíz"),
                    [_("Causa raíz"), _("Casos"), _("% de los casos con causa"), _("% acumulado")], rows,
                    pareto_chart(_("Casos por causa raíz"), [r[0] for r in rows], [r[1] for r in rows]),
                    note=_("Las acciones correctivas de cada causa se siguen en «Acciones correctivas».")),
            Section("areas", _("Por área responsable"), [_("Área"), _("Casos")], areas),
            Section("tipificaciones", _("Pareto por tipificación"), [_("Tipificación"), _("Casos")],
                    typifications,
                    pareto_chart(_("Casos resueltos por tipificación"),
                                 [r[0].rsplit(" › ", 1)[-1] for r in top], [r[1] for r in top]))]
        return figures, sections

    return render_report("reports.causes", _("Causas raíz de los casos resueltos"), read_filters(), build,
                         periods=(), intro=INTRO, scope=_("Casos resueltos en el rango."))


@bp.get("/acciones-correctivas")
@login_required
@require(Permission.REPORTS)
def corrective_actions_list() -> ResponseReturnValue:
    """The work list of corrective actions (not a period's figures: every open one, whenever filed)."""
    open_only = request.args.get("estado", "abiertas") != "todas"
    found = corrective_actions(pqrs(), quality_queries, actor(), open_only=open_only)
    names = labels([a.owner for a in found if a.owner])
    day = today()
    columns = [_("Radicado"), _("Causa raíz"), _("Área"), _("Acción correctiva"), _("Responsable"),
               _("Fecha límite"), _("Estado")]
    rows = [[a.filing_number, names.root_cause(a.cause), names.queue(a.area), a.action, names.user(a.owner),
             a.due.strftime("%d/%m/%Y") if a.due else "",
             _("Completada") if a.done_at else (_("Vencida") if a.overdue(day) else _("Abierta"))]
            for a in found]
    state = "abiertas" if open_only else "todas"
    fmt = request.args.get("formato")
    if fmt in FORMATS:
        return table_response("acciones-correctivas", columns, rows, fmt,
                              [(_("Reporte"), _("Acciones correctivas")),
                               (_("Acciones"), _("Abiertas") if open_only else _("Todas"))])
    return render_template("reports/corrective_actions.html", actions=found, rows=rows, columns=columns,
                           open_only=open_only, today=day, pages=REPORT_PAGES,
                           endpoint="reports.corrective_actions_list",
                           download=lambda f: url_for("reports.corrective_actions_list", estado=state,
                                                      formato=f))


add_report_page("reports.causes", "Causas raíz", "Pareto de los casos resueltos por causa raíz (las 5M y "
                "las que defina la organización), por área responsable y por tipificación.")
add_report_page("reports.corrective_actions_list", "Acciones correctivas", "Las acciones correctivas de "
                "las causas raíz por completar, por fecha límite, con las vencidas marcadas.")

"""``/reportes/productividad`` (seed 002): per person, per team (the person's first queue) and per day,
the cases filed, typified, answered and closed in a period, and the handling times measured by the
forms against the targets (``PQRS_TARGET_*``: 2 minutes to file, 4 min 30 s to answer, 55 solutions a
day), with the share that met them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission

from ....accounts import list_users
from ....sqlalchemy.productivity import PersonFigures, ProductivityReport, Targets, productivity_report, teams
from ..auth import login_required
from ..common import config, engine, labels, require
from . import charts
from .filters import ReportFilters
from .page import decimal, download, export_requested, filter_choices, page_filters, share, visible

bp = Blueprint("reportes_productividad", __name__)


def targets() -> Targets:
    quality = config().quality
    return Targets(filing_seconds=quality.target_filing_seconds,
                   response_seconds=quality.target_response_seconds,
                   solutions_per_day=quality.target_solutions_per_day)


def report_for(filters: ReportFilters) -> ProductivityReport:
    start, end = filters.instants(config().timezone)
    with engine().connect() as conn:
        return productivity_report(conn, filters.case_query(visible()), start, end, config().timezone,
                                   targets())


def duration(seconds: float | None) -> str:
    """«2 min 05 s», «45 s», «—»."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def columns() -> list[str]:
    t = targets()
    return [_("Persona"), _("Radicados"), _("Tipificados"), _("Respondidos"), _("Cerrados"),
            _("Días con respuestas"), _("Respuestas por día"),
            _("Días con %(n)s o más", n=t.solutions_per_day),
            _("Tiempo de radicación (mediana)"),
            _("Radicaciones en %(t)s o menos", t=duration(t.filing_seconds)),
            _("Tiempo de respuesta (mediana)"),
            _("Respuestas en %(t)s o menos", t=duration(t.response_seconds))]


def row(name: str, p: PersonFigures) -> list[Any]:
    return [name, p.filed, p.typified, p.answered, p.closed, p.days, decimal(p.answered_per_day),
            p.days_on_target, duration(p.filing_median), share(p.filing_on_target),
            duration(p.response_median), share(p.response_on_target)]


@bp.get("/reportes/productividad")
@login_required
@require(Permission.REPORTS)
def index() -> ResponseReturnValue:
    filters, errors = page_filters()
    by_team = request.args.get("agrupar") == "equipo"
    report = report_for(filters)
    names = labels([p.person for p in report.people])
    if by_team:
        team_of = {u.username: u.queues[0] for u in list_users(engine()) if u.queues}
        rows = [row(names.queue(t.person) if t.person else _("Sin equipo"), t)
                for t in teams(report, team_of)]
    else:
        rows = [row(names.user(p.person), p) for p in report.people]
    fmt = export_requested()
    if fmt is not None:
        return download("productividad", filters, columns(), rows, fmt)
    top = rows[:20]
    chart = charts.bar_chart(_("Casos por persona"), [r[0] for r in top],
                             {_("Radicados"): [r[1] for r in top], _("Respondidos"): [r[3] for r in top],
                              _("Cerrados"): [r[4] for r in top]}, horizontal=True) if top else None
    daily: Any = charts.line_chart(_("Actividad por día"), [d.day.strftime("%d/%m") for d in report.days],
                              {_("Radicados"): [d.filed for d in report.days],
                               _("Respondidos"): [d.answered for d in report.days],
                               _("Cerrados"): [d.closed for d in report.days]})
    daily = daily if len(report.days) > 1 else None
    return render_template("reports/productivity.html", filters=filters, errors=errors, report=report,
                           rows=rows, columns=columns(), chart=chart, daily=daily, by_team=by_team,
                           total=row(_("Total"), report.total), targets=targets(), duration=duration,
                           labels=names,
                           export_args={**filters.args(), "agrupar": "equipo" if by_team else ""},
                           **filter_choices())

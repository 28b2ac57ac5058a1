"""``/reportes/productividad`` (seed 002): per person, per team (the person's first queue) and per day,
the cases filed, typified, answered and closed in a period, and the handling times measured by the
forms against the targets (``PQRS_TARGET_*``: 2 minutes to file, 4 min 30 s to answer, 55 solutions a
day), with the share that met them."""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pqrs_core.domain.access import Permission
from pqrs_core.services.quality_figures import PersonFigures, ProductivityReport, Targets, teams
from pqrs_core.services.quality_reports import productivity_report
from pqrs_core.services.reports import ReportFilter

from ....accounts import list_users
from ....sqlalchemy.quality_queries import quality_queries
from ..auth import login_required
from ..common import actor, config, engine, labels, pqrs, require
from . import bp
from .charts import bar_chart, line_chart
from .page import decimal, share
from .pages import Figure, Section, add_report_page, read_choice, read_filters, render_report

INTRO = _l("Lo que cada persona radicó, tipificó, respondió y cerró en el rango, en los casos que usted "
           "puede ver. Los tiempos se miden desde que se abre el formulario de radicación o de respuesta "
           "hasta que se envía.")


def targets() -> Targets:
    quality = config().quality
    return Targets(filing_seconds=quality.target_filing_seconds,
                   response_seconds=quality.target_response_seconds,
                   solutions_per_day=quality.target_solutions_per_day)


def report_for(spec: ReportFilter) -> ProductivityReport:
    return productivity_report(pqrs(), quality_queries, spec, actor(), targets())


def duration(seconds: float | None) -> str:
    """«2 min 05 s», «45 s», «—»."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def columns(first: str) -> list[str]:
    t = targets()
    return [first, _("Radicados"), _("Tipificados"), _("Respondidos"), _("Cerrados"),
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


@bp.get("/productividad")
@login_required
@require(Permission.REPORTS)
def productivity() -> ResponseReturnValue:
    parsed = read_filters()
    view = read_choice("agrupar", _("Ver por"), [("persona", _("Persona")), ("equipo", _("Equipo"))],
                       parsed.errors)
    by_team = view.value == "equipo"

    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = report_for(spec)
        names = labels([p.person for p in report.people])
        if by_team:
            team_of = {u.username: u.queues[0] for u in list_users(engine()) if u.queues}
            rows = [row(names.queue(t.person) if t.person else _("Sin equipo"), t)
                    for t in teams(report, team_of)]
        else:
            rows = [row(names.user(p.person), p) for p in report.people]
        total = row(_("Total"), report.total)
        t = targets()
        figures = [Figure(_("Radicados"), str(report.total.filed)),
                   Figure(_("Respondidos"), str(report.total.answered)),
                   Figure(_("Cerrados"), str(report.total.closed)),
                   Figure(_("Radicaciones a tiempo"), total[9],
                          _("meta: %(t)s", t=duration(t.filing_seconds))),
                   Figure(_("Respuestas a tiempo"), total[11],
                          _("meta: %(t)s", t=duration(t.response_seconds)))]
        top = rows[:20]
        days = report.days
        unit = _("Equipo") if by_team else _("Persona")
        activity: dict[str, list[float]] = {
            _("Radicados"): [d.filed for d in days], _("Respondidos"): [d.answered for d in days],
            _("Cerrados"): [d.closed for d in days]}
        sections = [
            Section("equipos" if by_team else "personas", _("Por equipo") if by_team else _("Por persona"),
                    columns(unit), [*rows, total] if rows else [],
                    bar_chart(_("Casos por %(unit)s", unit=unit.lower()), [r[0] for r in top],
                              {_("Radicados"): [r[1] for r in top], _("Respondidos"): [r[3] for r in top],
                               _("Cerrados"): [r[4] for r in top]}, horizontal=True)),
            Section("dias", _("Por día"), [_("Día"), _("Radicados"), _("Tipificados"), _("Respondidos"),
                                           _("Cerrados")],
                    [(d.day.strftime("%d/%m/%Y"), d.filed, d.typified, d.answered, d.closed) for d in days],
                    line_chart(_("Actividad por día"), [d.day.strftime("%d/%m") for d in days], activity)
                    if len(days) > 1 else None)]
        return figures, sections

    return render_report("reports.productivity", _("Productividad y tiempos de gestión"), parsed, build,
                         periods=(), intro=INTRO, choices=[view],
                         scope=_("Trabajo hecho en el rango."))


add_report_page("reports.productivity", "Productividad", "Por persona y equipo: casos radicados, "
                "tipificados, respondidos y cerrados, y los tiempos de radicación y de respuesta frente a "
                "las metas.")

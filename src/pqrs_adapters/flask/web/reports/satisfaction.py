"""``/reportes/satisfaccion``: what requesters answered to the survey sent with the response, and the
quality reviews of the same period, by person (who responded), area, typification or kind; the
distribution of the scores and the latest comments. Figures over the cases the reader may see."""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pqrs_core.domain.access import Permission
from pqrs_core.services.quality_figures import SatisfactionReport
from pqrs_core.services.quality_reports import satisfaction_report
from pqrs_core.services.reports import ReportFilter

from ....sqlalchemy.quality_queries import quality_queries
from ..auth import login_required
from ..common import actor, labels, pqrs, require
from . import bp
from .charts import bar_chart
from .page import GROUP_NAMES, GROUPINGS, decimal, group_label, share
from .pages import Figure, Section, add_report_page, read_choice, read_filters, render_report

SCORE_LABELS = {1: "Muy insatisfecho", 2: "Insatisfecho", 3: "Neutral", 4: "Satisfecho", 5: "Muy satisfecho"}
INTRO = _l("Respuestas a la encuesta enviada con la respuesta de cada caso y revisiones de calidad "
           "registradas en el rango, de los casos que usted puede ver. La calificación va de 1 (muy "
           "insatisfecho) a 5 (muy satisfecho); el NPS resta al porcentaje que recomendaría (9 y 10) el "
           "porcentaje que no (0 a 6).")


def report_for(spec: ReportFilter, by: str) -> SatisfactionReport:
    return satisfaction_report(pqrs(), quality_queries, spec, actor(), by)


def columns() -> list[str]:
    return [_("Grupo"), _("Respuestas"), _("Promedio (1 a 5)"), _("Satisfechos (4 y 5)"), _("NPS"),
            _("Respuestas NPS"), _("Revisiones de calidad"), _("Promedio de calidad")]


def table(report: SatisfactionReport, by: str) -> list[list[Any]]:
    names = labels([g.key for g in report.groups if g.key] if by == "person" else [])
    return [[group_label(by, g.key, names), g.answers, decimal(g.average), share(g.satisfied_share),
             decimal(g.nps, 0), g.nps_answers, g.reviews, decimal(g.review_average)] for g in report.groups]


def _score(score: int) -> str:
    return f"{score} · {_(SCORE_LABELS[score])}"


@bp.get("/satisfaccion")
@login_required
@require(Permission.REPORTS)
def satisfaction() -> ResponseReturnValue:
    parsed = read_filters()
    grouping = read_choice("agrupar", _("Agrupar por"), [(code, _(label)) for code, label in GROUPINGS],
                           parsed.errors)
    by = GROUP_NAMES[grouping.value]

    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = report_for(spec, by)
        total = report.total
        names = labels()
        figures = [
            Figure(_("Encuestas respondidas"), str(total.answers)),
            Figure(_("Calificación promedio"),
                   decimal(total.average) + (" / 5" if total.average is not None else ""),
                   _("de 1 a 5")),
            Figure(_("Satisfechos"), share(total.satisfied_share), _("calificaron 4 o 5")),
            Figure(_("NPS"), decimal(total.nps, 0), _("de %(n)s respuestas", n=total.nps_answers)),
            Figure(_("Revisiones de calidad"), str(total.reviews),
                   _("promedio: %(avg)s de 5", avg=decimal(total.review_average)))]
        scores = [(_score(score), count) for score, count in report.distribution.items()]
        rows = table(report, by)
        top = rows[:15]
        comments = [(names.local(a.answered_at), _score(a.score), a.comment) for a in report.comments]
        sections = [
            Section("calificaciones", _("Distribución de las calificaciones"), [_("Calificación"),
                                                                                _("Respuestas")], scores,
                    bar_chart(_("Calificaciones de la encuesta"), [s[0] for s in scores],
                              {_("Respuestas"): [s[1] for s in scores]}) if total.answers else None),
            Section("grupos", _("Encuesta y calidad por %(what)s", what=grouping_label(grouping.value)),
                    columns(), rows,
                    bar_chart(_("Calificación promedio por grupo"), [r[0] for r in top],
                              {_("Encuesta"): [g.average or 0 for g in report.groups[:15]],
                               _("Calidad"): [g.review_average or 0 for g in report.groups[:15]]},
                              horizontal=True)),
            Section("comentarios", _("Comentarios recientes"), [_("Respondida el"), _("Calificación"),
                                                                _("Comentario")], comments)]
        return figures, sections

    return render_report("reports.satisfaction", _("Satisfacción de los peticionarios y calidad"), parsed,
                         build, periods=(), intro=INTRO, choices=[grouping],
                         scope=_("Encuestas respondidas y revisiones registradas en el rango."))


def grouping_label(code: str) -> str:
    return str(_(dict(GROUPINGS)[code])).lower()


add_report_page("reports.satisfaction", "Satisfacción y calidad", "La encuesta de satisfacción (1 a 5 y "
                "NPS) y las revisiones de calidad, por área, persona, tipificación o tipo, con los "
                "comentarios recientes.")

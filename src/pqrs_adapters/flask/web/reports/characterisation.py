"""``/reportes/caracterizacion``: who the requesters of the cases filed in the range are, by the answers
they chose to give (age range, sex, gender identity, ethnic group, disability, zone, stratum), per
period and in total, over the cases the reader may see.

Only counts are shown, and a count of fewer than ``MIN_CELL`` people reads «<5» (with a second cell of
its row when one hidden cell could be worked out from the total): the downloads carry the same
suppressed figures, so that no one can be singled out (Ley 1581 de 2012, datos sensibles).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pqrs_core.domain.access import Permission
from pqrs_core.domain.characterisation import MIN_CELL, QUESTIONS, Question, suppressed
from pqrs_core.services.characterisation_report import CharacterisationReport, characterisation_report
from pqrs_core.services.reports import Period, ReportFilter, period_label

from ....sqlalchemy.characterisation import characterisation_queries
from ..auth import login_required
from ..common import actor, pqrs, require
from . import bp
from .charts import bar_chart
from .page import share
from .pages import Figure, Section, add_report_page, read_filters, render_report

HIDDEN = f"<{MIN_CELL}"
INTRO = _l("Respuestas de caracterización que dieron, con su autorización, los peticionarios de los casos "
           "radicados en el rango que usted puede ver. Responder es opcional: los casos sin respuestas no "
           "se cuentan aquí. Para que nadie pueda ser identificado, las cifras de menos de %(n)s personas "
           "se muestran como «%(hidden)s», también en las descargas.", n=MIN_CELL, hidden=HIDDEN)


def _cells(counts: Mapping[str, int]) -> list[int | str]:
    shown = suppressed(counts)
    total = sum(counts.values())
    cells: list[int | str] = [HIDDEN if value is None else value for value in shown.values()]
    return [*cells, HIDDEN if 0 < total < MIN_CELL else total]


def _rows(report: CharacterisationReport, q: Question, period: Period) -> list[list[int | str]]:
    rows: list[list[int | str]] = []
    for start, counts in report.by_period.items():
        rows.append([period_label(start, period), *_cells(counts[q.code])])
    if len(report.by_period) != 1:
        rows.append([_("Total"), *_cells(report.total[q.code])])
    return rows


def _section(report: CharacterisationReport, q: Question, period: Period) -> Section:
    labels = [_(label) for _code, label in q.options]
    shown = suppressed(report.total[q.code])
    chart = None
    if report.people:
        chart = bar_chart(_(q.label), labels, {_("Personas"): [v or 0 for v in shown.values()]},
                          horizontal=True)
    return Section(q.code, _(q.label), [_("Periodo"), *labels, _("Total")], _rows(report, q, period), chart,
                   note=_("Las barras omiten las cifras ocultas (menos de %(n)s personas).", n=MIN_CELL))


@bp.get("/caracterizacion")
@login_required
@require(Permission.REPORTS)
def characterisation() -> ResponseReturnValue:
    parsed = read_filters(default_period=Period.MONTH)

    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = characterisation_report(pqrs(), characterisation_queries, spec, actor())
        people = HIDDEN if 0 < report.people < MIN_CELL else str(report.people)
        figures = [Figure(_("Casos radicados"), str(report.cases)),
                   Figure(_("Con caracterización"), people,
                          _("%(s)s de los casos", s=share(report.people / report.cases if report.cases
                                                          else None)))]
        return figures, [_section(report, q, spec.period) for q in QUESTIONS]

    return render_report("reports.characterisation", _("Caracterización de los peticionarios"), parsed,
                         build, intro=INTRO)



add_report_page("reports.characterisation", "Caracterización", "Quiénes son los peticionarios: rango de "
                "edad, sexo, identidad de género, grupo étnico, discapacidad, zona y estrato, por periodo, "
                "sin cifras de menos de 5 personas.")

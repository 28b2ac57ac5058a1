"""The report pages: the list (``/reportes/``), volume, timeliness, who resolved and the regulatory
report. Each reads its rows once (``report_rows``: the reader's visibility applies), computes its
figures in the core (``report_figures``) and lays them out as sections."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pqrs_adapters.sqlalchemy.report_queries import report_queries
from pqrs_core.domain.access import Permission
from pqrs_core.ports import UNTYPIFIED
from pqrs_core.services import report_figures as rf
from pqrs_core.services.reports import (
    CountsInput,
    Period,
    ReportFilter,
    report_counts,
    report_regulatory,
    report_timeliness,
)

from ....presentation import Labels
from ..auth import login_required
from ..common import actor, catalog, labels, pqrs, require
from . import bp
from .charts import bar_chart, line_chart
from .pages import REPORT_PAGES, Figure, Section, add_report_page, read_filters, render_report

REQUESTER_KINDS = {"customer": "Cliente", "lead": "Prospecto", "person": "Persona (sin CRM)",
                   "anonymous": "Anónimo"}
DIMENSION_TITLES = {"kind": "Tipo", "channel": "Canal", "typification": "Tipificación", "queue": "Cola",
                    "requester_kind": "Tipo de peticionario"}
QUARTERS = (Period.QUARTER, Period.SEMESTER)
VOLUME_INTRO = _l(
    "Casos radicados en el rango, por periodo y por tipo, canal, tipificación, cola y tipo de "
    "peticionario, frente al rango anterior de igual duración. Elija una tipificación para ver el "
    "detalle dentro de ella.")
TIMELINESS_INTRO = _l(
    "Cumplimiento de los términos de respuesta de los casos radicados en el rango: a tiempo "
    "(respondidos dentro del término), vencidos (respondidos tarde o abiertos con el término "
    "vencido) y en término; casos abiertos por antigüedad y tiempo restante; tiempos de primera "
    "respuesta y de resolución en horas hábiles.")
LEVELS_INTRO = _l(
    "Nivel que respondió cada caso radicado en el rango: primer contacto, primera línea, back office "
    "(segundo nivel) o especialistas, según la cola desde la que se envió la respuesta (la del caso si "
    "quien respondió trabaja en ella; si no, la de más alto nivel de quien respondió), no donde está "
    "el caso ahora.")
REGULATORY_INTRO = _l(
    "Informe de solicitudes de acceso a la información y de PQRSD que los sujetos obligados "
    "publican (Ley 1712 de 2014 art. 11 lit. h; Decreto 103 de 2015 art. 52: solicitudes "
    "recibidas, trasladadas a otra entidad, tiempo de respuesta de cada una y solicitudes en que "
    "se negó el acceso a la información) y el informe semestral de la oficina de control interno "
    "(Ley 1474 de 2011 art. 76), por trimestre o semestre.")


def _read_counts(spec: ReportFilter, groupings: Sequence[Sequence[str]],
                 previous: Sequence[Sequence[str]] = ()) -> CountsInput:
    """The range's cases counted by the store (the reports that need counts only)."""
    return report_counts(pqrs(), report_queries, spec, actor(), groupings, previous)


def namer(names: Labels) -> Callable[[str, str], str]:
    """``(dimension, code) -> label`` for the keys of the figures."""
    tree = catalog().typifications

    def name(dimension: str, code: str) -> str:
        if dimension in ("queue", "channel") and not code:
            return str(_("Sin cola") if dimension == "queue" else _("Sin canal"))
        if dimension == "kind":
            return names.kind(code)
        if dimension == "channel":
            return names.channel(code)
        if dimension == "queue":
            return names.queue(code)
        if dimension == "typification":
            return code if code == UNTYPIFIED or code not in tree else str(tree.get(code).label)
        if dimension == "requester_kind":
            return REQUESTER_KINDS.get(code, code)
        if dimension == "assignee":
            return names.user(code) if code else _("Sin responsable")
        if dimension == "level":
            return rf.LEVEL_LABELS.get(code, code)
        return code
    return name


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %".replace(".", ",")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


@bp.get("/")
@login_required
@require(Permission.REPORTS)
def index() -> ResponseReturnValue:
    return render_template("reports/index.html", pages=REPORT_PAGES)


# -------------------------------------------------------------------------------------------- volume
@bp.get("/volumen")
@login_required
@require(Permission.REPORTS)
def volume() -> ResponseReturnValue:
    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = rf.volume_counted(_read_counts(spec, rf.VOLUME_GROUPINGS, rf.VOLUME_PREVIOUS), spec)
        name = namer(labels())
        previous = spec.previous()
        figures = [Figure(_("Casos recibidos"), str(report.total)),
                   Figure(_("Periodo anterior"), str(report.previous_total),
                          f"{previous.start.isoformat()} a {previous.end.isoformat()}"),
                   Figure(_("Variación"), _pct(report.change))]
        periods = [p.key for p in report.periods]
        sections = [Section("periodos", _("Casos recibidos por periodo"), [_("Periodo"), _("Casos")],
                            [(p.key, p.count) for p in report.periods],
                            line_chart(_("Casos recibidos por periodo"), periods,
                                       {_("Casos"): [p.count for p in report.periods]}))]
        for dimension, counts in report.by.items():
            title = _("Por %(what)s", what=DIMENSION_TITLES[dimension].lower())
            if dimension == "typification" and spec.typification:
                node = name("typification", spec.typification)
                title = _("Por tipificación, dentro de «%(node)s»", node=node)
            shown = [(name(dimension, c.key), c.count, c.previous, _pct(c.change)) for c in counts]
            chart = bar_chart(title, [s[0] for s in shown[:15]],
                              {_("Este periodo"): [s[1] for s in shown[:15]],
                               _("Periodo anterior"): [s[2] for s in shown[:15]]}, horizontal=True)
            sections.append(Section(dimension, title, [DIMENSION_TITLES[dimension], _("Casos"),
                                                       _("Periodo anterior"), _("Variación")], shown, chart))
        return figures, sections

    return render_report("reports.volume", _("Volumen de casos recibidos"), read_filters(), build,
                         intro=VOLUME_INTRO)


# ---------------------------------------------------------------------------------------- timeliness
@bp.get("/oportunidad")
@login_required
@require(Permission.REPORTS)
def timeliness() -> ResponseReturnValue:
    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = rf.timeliness_counted(report_timeliness(pqrs(), report_queries, spec, actor()), spec)
        name = namer(labels({c.key for c in report.by["assignee"]}))
        overall = report.overall
        figures = [Figure(_("A tiempo"), _pct(overall.share),
                          _("%(on)d a tiempo, %(late)d vencidos", on=overall.on_time, late=overall.overdue)),
                   Figure(_("En término"), str(overall.running), _("abiertos sin vencer")),
                   Figure(_("Prórrogas"), str(report.extensions)),
                   Figure(_("Traslados"), str(report.transfers)),
                   Figure(_("Peticiones incompletas"), str(report.incomplete)),
                   Figure(_("Desistimientos"), str(report.withdrawals))]
        sections: list[Section] = []
        for dimension, title in (("kind", _("Por tipo")), ("typification", _("Por tipificación")),
                                 ("queue", _("Por cola (área)")), ("assignee", _("Por persona"))):
            rows = [(name(dimension, c.key), c.on_time, c.overdue, c.running, _pct(c.share))
                    for c in report.by[dimension]]
            top = rows[:15]
            chart = bar_chart(_("A tiempo y vencidos, %(what)s", what=title.lower()), [r[0] for r in top],
                              {_("A tiempo"): [r[1] for r in top], _("Vencidos"): [r[2] for r in top]},
                              horizontal=True)
            sections.append(Section(
                f"cumplimiento_{dimension}", _("Cumplimiento %(what)s", what=title.lower()),
                [DIMENSION_TITLES.get(dimension, _("Persona")), _("A tiempo"), _("Vencidos"), _("En término"),
                 _("% a tiempo")], rows, chart))
        for key, title, counts in (("edad", _("Casos abiertos por antigüedad"), report.open_by_age),
                                   ("restante", _("Casos abiertos por tiempo hábil restante"),
                                    report.open_by_time_left)):
            chart = bar_chart(title, [c.key for c in counts], {_("Casos"): [c.count for c in counts]})
            sections.append(Section(key, title, [_("Rango"), _("Casos")], [(c.key, c.count) for c in counts],
                                    chart))
        sections += _durations("primera_respuesta", _("Tiempo de primera respuesta (horas hábiles)"),
                               report.first_response_hours, name)
        sections += _durations("resolucion", _("Tiempo de resolución (horas hábiles)"),
                               report.resolution_hours, name)
        return figures, sections

    return render_report("reports.timeliness", _("Oportunidad de las respuestas"), read_filters(), build,
                         intro=TIMELINESS_INTRO)


def _stat(stats: rf.DurationStats) -> tuple[int, str, str, str]:
    return stats.count, _num(stats.median), _num(stats.p90), _num(stats.mean)


def _durations(key: str, title: str, stats: dict[str, list[rf.DurationStats]],
               name: Callable[[str, str], str]) -> list[Section]:
    """Median, 90th percentile and mean of a business-hours duration, by typification and by queue."""
    columns = [_("Casos"), _("Mediana"), _("Percentil 90"), _("Promedio")]
    by_typification = [("total", _("Todos")),
                       *((s.key, name("typification", s.key)) for s in stats["typification"])]
    found = {s.key: s for s in (*stats["total"], *stats["typification"])}
    top = by_typification[:15]
    chart = bar_chart(_("%(what)s: mediana y percentil 90", what=title), [label for _k, label in top],
                      {_("Mediana"): [found[k].median or 0 for k, _l in top],
                       _("Percentil 90"): [found[k].p90 or 0 for k, _l in top]}, horizontal=True)
    return [Section(f"{key}_tipificacion", _("%(what)s, por tipificación", what=title),
                    [_("Tipificación"), *columns],
                    [(label, *_stat(found[k])) for k, label in by_typification],
                    chart if stats["total"][0].count else None),
            Section(f"{key}_cola", _("%(what)s, por cola (área)", what=title), [_("Cola"), *columns],
                    [(name("queue", s.key), *_stat(s)) for s in stats["queue"]])]


# ------------------------------------------------------------------------------------ who resolved
@bp.get("/niveles")
@login_required
@require(Permission.REPORTS)
def levels() -> ResponseReturnValue:
    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        report = rf.resolution_levels_counted(_read_counts(spec, rf.LEVEL_GROUPINGS), spec)
        name = namer(labels())
        answered = report.answered or 1
        rows = [(name("level", c.key), c.count, _pct(c.count / answered if report.answered else None))
                for c in report.by_level]
        figures = [Figure(_("Casos respondidos"), str(report.answered)),
                   Figure(_("Sin respuesta"), str(report.pending))]
        first = next((c.count for c in report.by_level if c.key == rf.FIRST_CONTACT), 0)
        figures.append(Figure(_("Resueltos en primer contacto"),
                              _pct(first / answered if report.answered else None)))
        levels_order = [c.key for c in report.by_level]
        per_kind = {name("kind", kind): {c.key: c.count for c in counts}
                    for kind, counts in report.by_kind.items()}
        by_kind = [(kind, *(counts.get(lv, 0) for lv in levels_order)) for kind, counts in per_kind.items()]
        sections = [Section("niveles", _("Casos respondidos por nivel"),
                            [_("Nivel"), _("Casos"), _("Porcentaje")],
                            rows, bar_chart(_("Casos respondidos por nivel"), [r[0] for r in rows],
                                            {_("Casos"): [r[1] for r in rows]})),
                    Section("niveles_tipo", _("Nivel que respondió, por tipo"),
                            [_("Tipo"), *(name("level", lv) for lv in levels_order)], by_kind,
                            bar_chart(_("Nivel que respondió, por tipo"), list(per_kind),
                                      {name("level", lv): [float(n.get(lv, 0)) for n in per_kind.values()]
                                       for lv in levels_order}))]
        return figures, sections

    return render_report("reports.levels", _("Quién resolvió"), read_filters(), build,
                         intro=LEVELS_INTRO)


# --------------------------------------------------------------------------------------- regulatory
@bp.get("/regulatorio")
@login_required
@require(Permission.REPORTS)
def regulatory() -> ResponseReturnValue:
    def build(spec: ReportFilter) -> tuple[list[Figure], list[Section]]:
        # The list of every case is downloaded (CSV or Excel), not shown: only its export reads it.
        listing = request.args.get("tabla") == "solicitudes"
        report = rf.regulatory_counted(report_regulatory(pqrs(), report_queries, spec, actor(),
                                                         limit=None if listing else 0), spec)
        name = namer(labels())
        totals = report.totals
        figures = [Figure(_("Solicitudes recibidas"), str(totals.received)),
                   Figure(_("Trasladadas a otra entidad"), str(totals.transferred)),
                   Figure(_("Respondidas"), str(totals.answered),
                          _("%(late)d fuera de término", late=totals.answered_late)),
                   Figure(_("Acceso a la información negado"), str(totals.access_denied)),
                   Figure(_("Días hábiles promedio de respuesta"), _num(totals.mean_days_to_answer))]
        columns = [_("Periodo"), _("Tipo"), _("Recibidas"), _("Trasladadas"), _("Respondidas"),
                   _("A tiempo"), _("Fuera de término"), _("Pendientes"), _("Acceso negado"),
                   _("Días hábiles promedio")]
        lines = [(x.period, name("kind", x.kind), x.received, x.transferred, x.answered, x.answered_on_time,
                  x.answered_late, x.pending, x.access_denied, _num(x.mean_days_to_answer))
                 for x in report.lines]
        lines.append((_("Total"), "", totals.received, totals.transferred, totals.answered,
                      totals.answered_on_time, totals.answered_late, totals.pending, totals.access_denied,
                      _num(totals.mean_days_to_answer)))
        kinds = sorted({x.kind for x in report.lines})
        received = {x.kind: x.received for x in report.lines}
        detail = [(x.filing_number, x.period, name("kind", x.kind), x.filed_at, x.responded_at,
                   x.days_to_answer, x.transferred, x.access_denied) for x in report.cases]
        sections = [
            Section("resumen", _("Informe de solicitudes por periodo y tipo"), columns, lines,
                    bar_chart(_("Solicitudes recibidas por tipo"), [name("kind", k) for k in kinds],
                              {_("Recibidas"): [received.get(k, 0) for k in kinds]}, horizontal=True)),
            Section("solicitudes", _("Tiempo de respuesta de cada solicitud"),
                    [_("Radicado"), _("Periodo"), _("Tipo"), _("Radicado el"), _("Respondido el"),
                     _("Días hábiles"), _("Trasladada"), _("Acceso negado")], detail,
                    note=_("%(n)d solicitudes: el detalle de cada una se descarga en CSV o Excel.",
                           n=totals.received), table=False),
        ]
        return figures, sections

    parsed = read_filters(periods=QUARTERS, default_period=Period.QUARTER)
    return render_report("reports.regulatory", _("Informe de PQRSD (Ley 1712 de 2014 y Ley 1474 de 2011)"),
                         parsed, build, periods=QUARTERS, printable=True,
                         intro=REGULATORY_INTRO)


add_report_page("reports.volume", "Volumen", "Casos recibidos por día, semana o mes, por tipo, canal, "
                "tipificación, cola y tipo de peticionario, frente al periodo anterior.")
add_report_page("reports.timeliness", "Oportunidad", "A tiempo y vencidos por tipo, tipificación, área y "
                "persona; abiertos por antigüedad y tiempo restante; tiempos de respuesta en horas hábiles.")
add_report_page("reports.levels", "Quién resolvió", "Primer contacto, primera línea, back office y "
                "especialistas, por el nivel que respondió.")
add_report_page("reports.regulatory", "Informe de PQRSD", "Informe de ley por trimestre o semestre: "
                "recibidas, trasladadas, tiempos de respuesta y acceso negado. Imprimible, Excel y CSV.")

"""What every report page is made of, and the list of reports the layout shows.

A report page is a list of ``Section``\\ s (a title, an optional chart, a table); ``render_report``
draws them in the shared layout with the filters, and answers a download of one section's table
(``?tabla=<key>&formato=csv|xlsx``) instead when asked. A report adds itself to the list with
``add_report_page``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from pqrs_core.services.reports import Period, ReportFilter

from ..common import catalog, config, labels, now
from .exports import FORMATS, table_response
from .filters import PERIOD_NAMES, WEB_PERIODS, ParsedFilters, local_today, parse_filters


@attrs.frozen
class ReportPage:
    endpoint: str
    title: str
    description: str


REPORT_PAGES: list[ReportPage] = []


def add_report_page(endpoint: str, title: str, description: str) -> None:
    """List a report in the navigation of ``/reportes`` (once per endpoint, in the order added)."""
    if all(page.endpoint != endpoint for page in REPORT_PAGES):
        REPORT_PAGES.append(ReportPage(endpoint, title, description))


@attrs.frozen
class Section:
    """One part of a report: its figures as a table (``columns``, ``rows``), a chart of them, a note."""

    key: str  # the name of its download (``?tabla=``), unique in the report
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    chart: Markup | None = None
    note: str = ""
    export: bool = True
    table: bool = True  # False: too long for the page, only downloaded


@attrs.frozen
class Choice:
    """A report's own control in the filter form (how to group it, which items to list): a list of
    ``(value, label)`` options, kept in the report's downloads."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]
    value: str


def read_choice(name: str, label: str, options: Sequence[tuple[str, str]],
                errors: dict[str, str]) -> Choice:
    """The option of ``name`` the query string chose (the first when none); an unknown one is named in
    ``errors`` and the first is used."""
    value = (request.args.get(name) or "").strip()
    if value and value not in {code for code, _label in options}:
        errors[name] = _("Elija una opción de la lista.")
        value = ""
    return Choice(name, label, options, value or options[0][0])


@attrs.frozen
class Figure:
    """A headline number of a report (total, share on time...)."""

    label: str
    value: str
    detail: str = ""


def filter_options() -> dict[str, Any]:
    """The choices of the common filters: kinds, queues, channels, every typification node (so that
    any subtree may be chosen, the categories included) and the periods."""
    cat = catalog()
    tree = cat.typifications

    def nodes(code: str | None, path: tuple[str, ...]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for node in sorted(tree.children(code), key=lambda n: (n.position, n.label)):
            label = " › ".join((*path, node.label))
            found.append((node.code, label))
            found.extend(nodes(node.code, (*path, node.label)))
        return found

    return {"kinds": [(e.code, e.label) for e in cat.entries("kinds")],
            "queues": [(q.code, q.label) for q in cat.queues],
            "channels": [(e.code, e.label) for e in cat.entries("channels")],
            "typifications": nodes(None, ()),
            "periods": list(PERIOD_NAMES.items())}


def read_filters(periods: Sequence[Period] = tuple(Period),
                 default_period: Period = Period.WEEK) -> ParsedFilters:
    today = local_today(catalog(), now(), config().timezone)
    return parse_filters(request.args, catalog(), today, periods=periods, default_period=default_period)


def render_report(endpoint: str, title: str, parsed: ParsedFilters,
                  build: Callable[[ReportFilter], tuple[list[Figure], list[Section]]], *,
                  periods: Sequence[Period] = tuple(Period), intro: str | LazyString = "",
                  printable: bool = False, choices: Sequence[Choice] = (),
                  scope: str | LazyString = "") -> ResponseReturnValue:
    """The report page, or the download of one of its sections. ``periods`` empty: the report does not
    group by period (no such field in the form); ``choices``: the report's own controls; ``scope``: what
    the figures count when it is not the cases filed in the range."""
    figures: list[Figure] = []
    sections: list[Section] = []
    if parsed.spec is not None:
        figures, sections = build(parsed.spec)
    wanted = request.args.get("tabla")
    if wanted is not None and parsed.spec is not None:
        fmt = request.args.get("formato", "xlsx")
        section = next((s for s in sections if s.key == wanted and s.export), None)
        if section is None or fmt not in FORMATS:
            return render_template("error.html", code=400,
                                   message=_("Ese cuadro o formato no existe en este reporte.")), 400
        stem = f"{endpoint.rsplit('.', 1)[-1]}-{section.key}"
        about = [(_("Reporte"), title), (_("Cuadro"), section.title),
                 (_("Periodo") if scope else _("Radicados entre"),
                  f"{parsed.spec.start.isoformat()} y {parsed.spec.end.isoformat()}"),
                 *((choice.label, dict(choice.options)[choice.value]) for choice in choices)]
        return table_response(stem, section.columns, section.rows, fmt, about)
    args: dict[str, Any] = {k: v for k, v in parsed.values.items() if v and (periods or k != "periodo")}
    args.update({choice.name: choice.value for choice in choices})
    allowed = {k: v for k, v in PERIOD_NAMES.items() if WEB_PERIODS[k] in periods}
    options = filter_options()
    options["periods"] = list(allowed.items())
    return render_template(
        "reports/report.html", title=title, intro=intro, endpoint=endpoint, filters=parsed, options=options,
        figures=figures, sections=sections, pages=REPORT_PAGES, printable=printable, choices=choices,
        scope=scope,
        download=lambda key, fmt: url_for(endpoint, **args, tabla=key, formato=fmt), labels=labels())

"""What every report page of quality and productivity needs: the filters read from the query string
with the organisation's today, the choices of the filter form, the label of a group's code, and the
download of the page's table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, request
from flask_babel import gettext as _

from pqrs_core.domain.access import Predicate

from ....presentation import Labels
from ..common import actor, catalog, config, now
from .exports import table_response
from .filters import ReportFilters, read_filters

FORMATS = ("csv", "xlsx")
GROUP_NAMES = {"persona": "person", "area": "area", "tipificacion": "typification", "tipo": "kind"}


def today() -> date:
    """The organisation's date now, by the application's clock."""
    return now().astimezone(ZoneInfo(config().timezone)).date()


def page_filters() -> tuple[ReportFilters, dict[str, str]]:
    return read_filters(request.args, catalog(), today())


def visible() -> Predicate:
    """What the person reading may see: the figures count only those cases."""
    return catalog().visibility(actor())


def filter_choices() -> dict[str, Any]:
    cat = catalog()
    return {"kind_options": [(e.code, e.label) for e in cat.entries("kinds") if e.active],
            "queue_options": [(q.code, q.label) for q in cat.queues if q.active],
            "channel_options": [(e.code, e.label) for e in cat.entries("channels") if e.active],
            "typification_options": typification_options()}


def typification_options() -> list[tuple[str, str]]:
    """Every active typification node, categories included (a category selects what hangs below it),
    as ``(code, path)`` in the tree's order."""
    tree = catalog().typifications
    options: list[tuple[str, str]] = []

    def walk(parent: str | None, path: tuple[str, ...]) -> None:
        active = (n for n in tree.children(parent) if n.active)
        for node in sorted(active, key=lambda n: (n.position, n.label)):
            options.append((node.code, " › ".join((*path, node.label))))
            walk(node.code, (*path, node.label))

    walk(None, ())
    return options


def group_label(by: str, key: str | None, labels: Labels) -> str:
    """The name of a group's code: a person's display name, an area, a kind, a typification's path."""
    if key is None or key == "":
        blank: dict[str, str] = {"person": _("Sin responsable"), "area": _("Sin área"),
                                 "typification": _("Sin tipificar"), "kind": _("Sin tipo")}
        return blank[by]
    if by == "person":
        return labels.user(key)
    if by == "area":
        return labels.queue(key)
    if by == "kind":
        return labels.kind(key)
    tree = catalog().typifications
    if key not in tree:
        return key
    return " › ".join(node.label for node in tree.ancestors(key))


def export_requested() -> str | None:
    fmt = request.args.get("formato", "")
    return fmt if fmt in FORMATS else None


def download(stem: str, filters: ReportFilters, columns: Sequence[str],
             rows: Sequence[Sequence[Any]], fmt: str) -> Response:
    return table_response(f"{stem}-{filters.start.isoformat()}-{filters.end.isoformat()}", columns, rows, fmt)


def share(value: float | None) -> str:
    """«80 %» (es-CO writes a space before the sign), «—» without data."""
    return "—" if value is None else f"{round(100 * value)} %"


def decimal(value: float | None, digits: int = 1) -> str:
    """«3,5» (decimal comma), «—» without data."""
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")

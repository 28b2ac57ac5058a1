"""What the quality and productivity reports add to the reports' pages (``pages``): the organisation's
date, the label of a group's code and how figures are written."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ....presentation import Labels
from ..common import catalog, config, now

GROUPINGS = (("area", "Área"), ("persona", "Persona que respondió"), ("tipificacion", "Tipificación"),
             ("tipo", "Tipo"))
GROUP_NAMES = {"persona": "person", "area": "area", "tipificacion": "typification", "tipo": "kind"}


def today() -> date:
    """The organisation's date now, by the application's clock."""
    return now().astimezone(ZoneInfo(config().timezone)).date()


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


def share(value: float | None) -> str:
    """«80 %» (es-CO writes a space before the sign), «—» without data."""
    return "—" if value is None else f"{round(100 * value)} %"


def decimal(value: float | None, digits: int = 1) -> str:
    """«3,5» (decimal comma), «—» without data."""
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")

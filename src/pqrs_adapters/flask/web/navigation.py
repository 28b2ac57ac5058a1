"""The main menu: the pages a person may open, by what their roles allow."""

from __future__ import annotations

import attrs
from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from pqrs_core.domain.access import Permission

from .auth import current_actor
from .common import actor, can, staff
from .distribution import unassigned_count


@attrs.frozen
class NavItem:
    label: str
    url: str
    current: bool
    count: int | None = None  # shown beside the label (what waits there)
    count_label: str = ""  # what the count counts, for screen readers ("casos sin asignar")


def _counts(endpoint: str) -> tuple[int | None, str]:
    """What waits behind a menu entry: the cases to hand out behind «Distribución»."""
    if endpoint == "supervision.distribution":
        found = unassigned_count(actor())
        return found, ngettext("caso sin asignar", "casos sin asignar", found)
    return None, ""


def navigation() -> list[NavItem]:
    """The menu for the logged-in person (empty for the public)."""
    if current_actor() is None:
        return []
    works = can(Permission.WORK) or can(Permission.NOTE) or can(Permission.ASSIGN)
    items: list[tuple[str, str, bool]] = [
        (_("Panel"), "panel.index", can(Permission.ASSIGN) or can(Permission.REPORTS)),
        (_("Bandeja"), "inbox.index", staff() or not _has_portal()),
        (_("Tablero"), "board.index", can(Permission.WORK) or can(Permission.ASSIGN)),  # cases in motion
        (_("Nuevo caso"), "filing.new_case", can(Permission.FILE) and works),
        (_("Distribución"), "supervision.distribution", can(Permission.ASSIGN)),
        (_("Calidad"), "supervision.quality", can(Permission.QUALITY)),
        (_("Solicitudes internas"), "internal_requests.index", can(Permission.WORK)),
        (_("Portal"), "portal.index", not staff()),
        (_("Reportes"), "reports.index", can(Permission.REPORTS)),
        (_("Administración"), "admin.index", can(Permission.CATALOG) or can(Permission.USERS)),
        # Supervisors read the mail intake log without the rest of the administration.
        (_("Correo recibido"), "admin.mail_intake",
         can(Permission.ASSIGN) and not (can(Permission.CATALOG) or can(Permission.USERS))),
        # Supervisors write canned answers and knowledge-base articles too (the page's tabs lead to both).
        (_("Respuestas tipo"), "admin.answers",
         can(Permission.ASSIGN) and not (can(Permission.CATALOG) or can(Permission.USERS))),
        # Who approves or audits voidings without the rest of the administration.
        (_("Anulaciones"), "admin.voidings",
         (can(Permission.APPROVE_VOIDING) or can(Permission.AUDIT))
         and not (can(Permission.CATALOG) or can(Permission.USERS))),
    ]
    path = request.path
    result = []
    for label, endpoint, visible in items:
        if not visible:
            continue
        try:
            url = url_for(endpoint)
        except Exception:  # an area whose page is not there (a blueprint without that view)
            continue
        count, count_label = _counts(endpoint)
        result.append(NavItem(label, url, path == url or (url != "/" and path.startswith(url)), count,
                              count_label))
    return result


def _has_portal() -> bool:
    """Whether customers have a portal of their own (then the inbox is for the staff only)."""
    return "portal.index" in current_app.view_functions

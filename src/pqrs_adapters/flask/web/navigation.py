"""The main menu: the pages a person may open, by what their roles allow."""

from __future__ import annotations

import attrs
from flask import request, url_for
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission

from .auth import current_actor
from .common import can


@attrs.frozen
class NavItem:
    label: str
    url: str
    current: bool


def navigation() -> list[NavItem]:
    """The menu for the logged-in person (empty for the public)."""
    if current_actor() is None:
        return []
    staff = can(Permission.WORK) or can(Permission.NOTE) or can(Permission.ASSIGN)
    items: list[tuple[str, str, bool]] = [
        (_("Bandeja"), "inbox.index", True),
        (_("Tablero"), "board.index", staff),
        (_("Nuevo caso"), "filing.new_case", can(Permission.FILE) and staff),
        (_("Distribución"), "supervision.distribution", can(Permission.ASSIGN)),
        (_("Calidad"), "supervision.quality", can(Permission.QUALITY)),
        (_("Portal"), "portal.index", not staff),
        (_("Administración"), "admin.index", can(Permission.CATALOG) or can(Permission.USERS)),
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
        result.append(NavItem(label, url, path == url or (url != "/" and path.startswith(url))))
    return result

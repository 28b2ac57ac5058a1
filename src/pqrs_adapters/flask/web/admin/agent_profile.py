"""A person's assignment profile (``/admin/usuarios/<user>/asignacion``): the skills the «por
habilidades» strategy looks at (typification nodes, each covering its subtree; kinds; languages), the
weekdays they work when they differ from the organisation's, and their cap of open cases. Their
absences are on «Ausencias» (``/ausencias?persona=<user>``)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.assignment import Agent

from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .queue_assignment import read_cap
from .support import attempt, bp, chosen, tabs, text
from .users import _user

WEEKDAYS = ("Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo")
FIELDS = {"typifications": "typifications", "kinds": "kinds", "languages": "languages",
          "working_weekdays": "working_weekdays", "cap": "cap"}


def _values(agent: Agent) -> dict[str, Any]:
    return {"typifications": sorted(agent.skills.typifications), "kinds": sorted(agent.skills.kinds),
            "languages": ", ".join(sorted(agent.skills.languages)),
            "working_weekdays": [str(d) for d in sorted(agent.working_weekdays or ())],
            "cap": "" if agent.cap is None else str(agent.cap)}


def _choices() -> dict[str, Any]:
    cat = catalog()
    tree = cat.typifications
    nodes = sorted((str(tree.classify(n.code)), n.code) for n in tree if n.active)
    return {"typifications": [(code, path) for path, code in nodes],
            "kinds": [(k.code, k.label) for k in cat.kinds if k.active],
            "weekdays": [(str(i), _(name)) for i, name in enumerate(WEEKDAYS)]}


@bp.route("/usuarios/<username>/asignacion", methods=["GET", "POST"])
@login_required
@require(Permission.USERS)
def agent_profile(username: str) -> Response | tuple[str, int]:
    user = _user(username)
    errors: dict[str, str] = {}
    admin = pqrs().assignment_admin
    if request.method == "GET":
        values = _values(admin.agent(username))
    else:
        values = {"typifications": chosen("typifications"), "kinds": chosen("kinds"),
                  "languages": text("languages", 200), "working_weekdays": chosen("working_weekdays"),
                  "cap": text("cap", 20)}
        cap = read_cap(errors)
        days = [int(d) for d in values["working_weekdays"] if d.isdecimal() and len(d) == 1]
        languages = [part for part in values["languages"].replace(";", ",").split(",") if part.strip()]
        if not errors and attempt(lambda: admin.set_profile(
                username, typifications=values["typifications"], kinds=values["kinds"], languages=languages,
                working_weekdays=days or None, cap=cap, actor=actor()), errors, FIELDS):
            flash(_("Se guardó el perfil de asignación de «%(name)s».", name=username), "success")
            return redirect(url_for("admin.user_edit", username=username))
    page = render_template("admin/agent_profile.html", user=user, values=values, errors=errors,
                           choices=_choices(), tabs=tabs())
    return page, 422 if errors else 200

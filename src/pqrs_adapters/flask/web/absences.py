"""«Mis ausencias»: each staff member records when they will be away (vacations, leave); nobody assigns
them cases automatically on those days, and supervisors see their open cases in Distribución to hand
them to someone else. A users administrator manages anyone's (``?persona=<user name>``).

- ``GET /ausencias``: the person's absences, and a form to add one.
- ``POST /ausencias``: add one (from, to, both included; a note).
- ``POST /ausencias/<id>/quitar``: remove one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import DomainError, NotFound, ValidationError

from ...accounts import get_user
from .admin.support import sentence
from .auth import login_required
from .common import actor, can, engine, form_text, labels, pqrs, staff_pages

bp = Blueprint("absences", __name__)
staff_pages(bp, {})
FIELDS = {"starts": "desde", "ends": "hasta", "note": "nota"}


def _person() -> str:
    """Whose absences the page shows: one's own, or anyone's for a users administrator."""
    who = actor()
    wanted = form_text(request.values, "persona", 100) or who.username
    if wanted != who.username and not can(Permission.USERS):
        abort(403)
    if get_user(engine(), wanted) is None:
        abort(404)
    return wanted


def _date(errors: dict[str, str], name: str) -> date | None:
    raw = form_text(request.form, name, 20)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Escriba una fecha válida (aaaa-mm-dd).")
        return None


def _page(person: str, errors: dict[str, str], values: dict[str, Any], status: int) -> ResponseReturnValue:
    agent = pqrs().assignment_admin.agent(person)
    own = person == actor().username
    html = render_template("web/absences.html", absences=agent.absences, person=person, own=own,
                           name=labels([person]).user(person), errors=errors, values=values)
    return html, status


@bp.get("/ausencias")
@login_required
def index() -> ResponseReturnValue:
    return _page(_person(), {}, {}, 200)


@bp.post("/ausencias")
@login_required
def add() -> ResponseReturnValue:
    person = _person()
    errors: dict[str, str] = {}
    starts, ends = _date(errors, "desde"), _date(errors, "hasta")
    note = form_text(request.form, "nota", 500)
    if not errors:
        try:
            pqrs().assignment_admin.add_absence(person, starts, ends, note, actor())
        except ValidationError as exc:
            errors.update({FIELDS.get(k, k): sentence(v) for k, v in exc.errors.items()})
    if errors:
        values = {name: form_text(request.form, name, 500) for name in ("desde", "hasta", "nota")}
        return _page(person, errors, values, 422)
    flash(_("Se registró la ausencia: nadie le asignará casos automáticamente esos días."), "success")
    return redirect(url_for("absences.index", persona=None if person == actor().username else person))


@bp.post("/ausencias/<absence_id>/quitar")
@login_required
def remove(absence_id: str) -> ResponseReturnValue:
    person = _person()
    try:
        pqrs().assignment_admin.remove_absence(person, absence_id, actor())
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Se quitó la ausencia."), "success")
    return redirect(url_for("absences.index", persona=None if person == actor().username else person))

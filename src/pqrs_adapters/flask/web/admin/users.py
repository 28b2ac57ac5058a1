"""Users: the list of accounts; creating one (with a generated initial password shown once, or one
typed), editing name, e-mail, roles, queues and sponsor, resetting the password, deactivating and
reactivating. Every change is recorded in the administration log (never a password)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission, permissions_of
from pqrs_core.domain.values import Actor, is_valid_email

from ....accounts import AccountError, User, generate_password, get_user, list_users, save_user
from ..auth import MIN_PASSWORD_LENGTH, begin_session, login_required
from ..common import actor, catalog, engine, labels, now, require
from .support import bp, checked, chosen, tabs, text


def _user(username: str) -> User:
    user = get_user(engine(), username)
    if user is None:
        abort(404)
    return user


def _choices() -> dict[str, Any]:
    cat = catalog()
    return {"roles": [(r.code, r.label + ("" if r.active else " " + _("(inactivo)"))) for r in cat.roles],
            "queues": [(q.code, q.label + ("" if q.active else " " + _("(inactiva)"))) for q in cat.queues]}


@bp.get("/usuarios")
@login_required
@require(Permission.USERS)
def users() -> str:
    people = list_users(engine())
    return render_template("admin/users.html", users=people, labels=labels(u.username for u in people),
                           role_labels={r.code: r.label for r in catalog().roles}, tabs=tabs())


def _read(errors: dict[str, str], *, editing: User | None) -> dict[str, Any]:
    """The user the form describes; ``errors`` gets what is wrong with it."""
    cat = catalog()
    values: dict[str, Any] = {
        "display_name": text("display_name", 200), "email": text("email", 254),
        "job_title": text("job_title", 200), "roles": chosen("roles"),
        "queues": chosen("queues"), "sponsor": text("sponsor", 100)}
    if editing is None:
        values["username"] = text("username", 100)
        if not values["username"]:
            errors["username"] = _("Escriba el nombre de usuario.")
        elif get_user(engine(), values["username"]) is not None:
            errors["username"] = _("Ya existe el usuario «%(name)s».", name=values["username"])
    if not values["display_name"]:
        errors["display_name"] = _("Escriba el nombre de la persona.")
    if values["email"] and not is_valid_email(values["email"]):
        errors["email"] = _("Escriba un correo electrónico válido, p. ej. nombre@empresa.com.")
    known_roles = {r.code for r in cat.roles}
    if set(values["roles"]) - known_roles:
        errors["roles"] = _("Elija roles de la lista.")
    if set(values["queues"]) - {q.code for q in cat.queues}:
        errors["queues"] = _("Elija colas de la lista.")
    who = actor()
    if editing is not None and editing.username == who.username and Permission.USERS not in permissions_of(
            Actor(who.username, frozenset(values["roles"])), cat.roles):
        errors["roles"] = _("No puede quitarse a sí mismo el permiso de administrar usuarios.")
    if values["sponsor"] and get_user(engine(), values["sponsor"]) is None:
        errors["sponsor"] = _("Elija un patrocinador de la lista.")
    return values


def _password(errors: dict[str, str]) -> tuple[str, bool]:
    """The password typed in the form, or a generated one (``True`` when generated)."""
    typed = request.form.get("password", "")[:1000]
    if not typed:
        return generate_password(), True
    if len(typed) < MIN_PASSWORD_LENGTH:
        errors["password"] = _("La contraseña debe tener al menos %(n)d caracteres.", n=MIN_PASSWORD_LENGTH)
    return typed, False


def _save(errors: dict[str, str], username: str, **fields: Any) -> bool:
    try:
        save_user(engine(), username, changed_by=actor().username, now=now(), **fields)
    except AccountError as exc:
        errors["sponsor" if "patrocinador" in str(exc) else "username"] = str(exc)
        return False
    return True


def _form(user: User | None, values: dict[str, Any], errors: dict[str, str], status: int) -> tuple[str, int]:
    people = [u for u in list_users(engine()) if user is None or u.username != user.username]
    page = render_template("admin/user_form.html", user=user, values=values, errors=errors,
                           sponsors=[(u.username, f"{u.display_name} ({u.username})") for u in people],
                           choices=_choices(), tabs=tabs(), min_password=MIN_PASSWORD_LENGTH)
    return page, status


def _shown_once(user: User, password: str, created: bool) -> Response:
    """The page that shows a generated password, the only time it is shown (never cached)."""
    response = make_response(render_template("admin/user_password.html", user=user, password=password,
                                             created=created, tabs=tabs()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/usuarios/nuevo", methods=["GET", "POST"])
@login_required
@require(Permission.USERS)
def user_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _form(None, {"roles": [], "queues": []}, {}, 200)
    errors: dict[str, str] = {}
    values = _read(errors, editing=None)
    password, generated = _password(errors)
    if not errors and _save(errors, values["username"], display_name=values["display_name"],
                            email=values["email"], job_title=values["job_title"], roles=values["roles"],
                            queues=values["queues"],
                            sponsor=values["sponsor"], password=password, active=True):
        user = _user(values["username"])
        if generated:
            return _shown_once(user, password, created=True)
        flash(_("Se creó el usuario «%(name)s» con la contraseña que escribió.", name=user.username),
              "success")
        return redirect(url_for("admin.users"))
    return _form(None, values, errors, 422)


@bp.route("/usuarios/<username>", methods=["GET", "POST"])
@login_required
@require(Permission.USERS)
def user_edit(username: str) -> Response | tuple[str, int]:
    user = _user(username)
    if request.method == "GET":
        values = {"display_name": user.display_name, "email": user.email or "",
                  "job_title": user.job_title or "", "roles": list(user.roles),
                  "queues": list(user.queues), "sponsor": user.sponsor or ""}
        return _form(user, values, {}, 200)
    errors: dict[str, str] = {}
    values = _read(errors, editing=user)
    if not errors and _save(errors, username, display_name=values["display_name"], email=values["email"],
                            job_title=values["job_title"], roles=values["roles"], queues=values["queues"],
                            sponsor=values["sponsor"]):
        flash(_("Se guardaron los datos de «%(name)s». Sus permisos cambian desde su próxima página.",
                name=username), "success")
        return redirect(url_for("admin.users"))
    return _form(user, values, errors, 422)


@bp.post("/usuarios/<username>/contrasena")
@login_required
@require(Permission.USERS)
def user_password(username: str) -> Response | tuple[str, int]:
    user = _user(username)
    errors: dict[str, str] = {}
    password, generated = _password(errors)
    if not errors and _save(errors, username, password=password):
        if username == actor().username:
            begin_session(username)  # the new password ended every session, this one included
        if generated:
            return _shown_once(user, password, created=False)
        flash(_("Se cambió la contraseña de «%(name)s».", name=username), "success")
        return redirect(url_for("admin.user_edit", username=username))
    values = {"display_name": user.display_name, "email": user.email or "", "roles": list(user.roles),
              "queues": list(user.queues), "sponsor": user.sponsor or ""}
    return _form(user, values, errors, 422)


@bp.post("/usuarios/<username>/activo")
@login_required
@require(Permission.USERS)
def user_toggle(username: str) -> Response:
    user = _user(username)
    active = checked("active")
    errors: dict[str, str] = {}
    if not active and username == actor().username:
        flash(_("No puede desactivar su propia cuenta."), "error")
    elif _save(errors, username, active=active):
        flash(_("Se reactivó la cuenta de «%(name)s».", name=user.username) if active else
              _("Se desactivó la cuenta de «%(name)s»: ya no puede ingresar ni usar sus tokens; sus casos "
                "y su historia se conservan.", name=user.username), "success")
    for message in errors.values():
        flash(message, "error")
    return redirect(url_for("admin.users"))


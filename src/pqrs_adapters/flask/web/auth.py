"""Sessions for people (Flask-Login): log in, log out, change one's password, and the actor behind
each request.

The session holds only the user name; roles, queues and network are loaded from the user directory on
every request, so a change of role or a deactivation applies at once. Every form carries a CSRF token
(Flask-WTF's ``CSRFProtect``, set up in ``pqrs_adapters.flask.web``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from pqrs_core.domain.values import Actor

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
MIN_PASSWORD_LENGTH = 10


class WebUser:
    """What Flask-Login keeps for a logged-in person: the ``Actor`` (roles, queues, network) and the
    name to greet them by."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, actor: Actor, display_name: str) -> None:
        self.actor = actor
        self.display_name = display_name

    @property
    def username(self) -> str:
        return self.actor.username

    def get_id(self) -> str:
        return self.actor.username


def _load_user(username: str) -> WebUser | None:
    from ...accounts import display_names, load_actor

    engine = current_app.extensions["pqrs.engine"]
    actor = load_actor(engine, username)
    if actor is None:
        return None
    return WebUser(actor, display_names(engine, [username]).get(username, username))


def init_login(app: Any) -> LoginManager:
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = _("Ingrese para continuar.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(_load_user)

    manager.init_app(app)
    return manager


def current_actor() -> Actor | None:
    """The logged-in person as an ``Actor``, or ``None``."""
    user = current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    actor: Actor = user.actor
    return actor


def login_required(view: F) -> F:
    """A page for logged-in people: anyone else is sent to the login form, and back afterwards."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_actor() is None:
            return redirect(url_for("auth.login", siguiente=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return cast(F, wrapper)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another host) to go to after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


@bp.route("/ingresar", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    error = None
    username = ""
    if request.method == "POST":
        from ...accounts import authenticate

        username = request.form.get("usuario", "")[:200]
        password = request.form.get("contrasena", "")[:1000]
        user = authenticate(current_app.extensions["pqrs.engine"], username, password)
        if user is not None:
            session.clear()
            web_user = _load_user(user.username)
            if web_user is not None:
                login_user(web_user, remember=False)
                session.permanent = True
                return redirect(_safe_next(request.args.get("siguiente")))
        error = _("Usuario o contraseña incorrectos.")
    page = render_template("login.html", error=error, username=username)
    return (page, 401) if error else page


@bp.post("/salir")
def logout() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/cuenta/contrasena", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int]:
    from ...accounts import authenticate, save_user

    errors: dict[str, str] = {}
    if request.method == "POST":
        engine = current_app.extensions["pqrs.engine"]
        actor = current_actor()
        assert actor is not None
        current = request.form.get("actual", "")[:1000]
        new = request.form.get("nueva", "")[:1000]
        again = request.form.get("confirmacion", "")[:1000]
        if authenticate(engine, actor.username, current) is None:
            errors["actual"] = _("La contraseña actual no es correcta.")
        if len(new) < MIN_PASSWORD_LENGTH:
            errors["nueva"] = _("La nueva contraseña debe tener al menos %(n)d caracteres.",
                                n=MIN_PASSWORD_LENGTH)
        elif new == current:
            errors["nueva"] = _("La nueva contraseña debe ser distinta de la actual.")
        if new != again:
            errors["confirmacion"] = _("Las dos contraseñas no coinciden.")
        if not errors:
            save_user(engine, actor.username, password=new)
            flash(_("Su contraseña fue cambiada."), "success")
            return redirect(url_for("web.home"))
    page = render_template("web/password.html", errors=errors)
    return (page, 422) if errors else page

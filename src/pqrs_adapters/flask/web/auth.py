"""Sessions for people (Flask-Login): log in, log out, change one's password, end one's other
sessions, and the actor behind each request.

The session cookie holds only the token of a session kept on the server (``pqrs_adapters.accounts.sessions``):
logging out, a password change or a deactivation ends it there, so a copy of an old cookie is worth
nothing. Roles, queues and network are loaded from the user directory on every request, so a change of
role applies at once. Every form carries a CSRF token (Flask-WTF's ``CSRFProtect``, set up in
``pqrs_adapters.flask.web``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from pqrs_core.domain.values import Actor

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
MIN_PASSWORD_LENGTH = 10


class WebUser:
    """What Flask-Login keeps for a logged-in person: the ``Actor`` (roles, queues, network), the
    name to greet them by and the token of their session (what the cookie holds)."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, actor: Actor, display_name: str, session_token: str) -> None:
        self.actor = actor
        self.display_name = display_name
        self.session_token = session_token

    @property
    def username(self) -> str:
        return self.actor.username

    def get_id(self) -> str:
        return self.session_token


def _now() -> datetime:
    now: datetime = current_app.extensions["pqrs"].deps.clock.now()
    return now


def _load_user(session_token: str) -> WebUser | None:
    """The person of an open session, or ``None`` when it was ended (or the user cannot act)."""
    from ...accounts import display_names, load_actor
    from ...accounts.sessions import session_user

    engine = current_app.extensions["pqrs.engine"]
    username = session_user(engine, session_token, now=_now(), idle=current_app.permanent_session_lifetime)
    actor = load_actor(engine, username) if username is not None else None
    if actor is None:
        return None
    return WebUser(actor, display_names(engine, [actor.username]).get(actor.username, actor.username),
                   session_token)


def begin_session(username: str) -> bool:
    """Log ``username`` in to this browser with a new server-side session (whatever session the browser
    had is forgotten); ``False`` when the user cannot act."""
    from ...accounts.sessions import start_session

    session.clear()
    token = start_session(current_app.extensions["pqrs.engine"], username, now=_now(),
                          idle=current_app.permanent_session_lifetime)
    web_user = _load_user(token)
    if web_user is None:
        return False
    login_user(web_user, remember=False)
    session.permanent = True
    return True


def current_session_token() -> str | None:
    """The token of the logged-in person's session, or ``None``."""
    token = getattr(current_user, "session_token", None) if current_actor() is not None else None
    return token if isinstance(token, str) else None


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
def login() -> ResponseReturnValue:
    error = None
    username = ""
    if request.method == "POST":
        from ...accounts import authenticate
        from . import login_limits

        username = request.form.get("usuario", "")[:200]
        password = request.form.get("contrasena", "")[:1000]
        refused = login_limits.refusal(username)
        if refused is not None:  # the password is not even checked
            login_limits.log_refusal(username, "login")
            page = render_template("login.html", error=refused.message, username=username)
            return page, 429, refused.headers
        user = authenticate(current_app.extensions["pqrs.engine"], username, password)
        if user is not None and begin_session(user.username):
            return redirect(_safe_next(request.args.get("siguiente")))
        login_limits.record_failure(username, "login")
        error = _("Usuario o contraseña incorrectos.")
    page = render_template("login.html", error=error, username=username)
    return (page, 401) if error else page


@bp.post("/salir")
def logout() -> Response:
    from ...accounts.sessions import end_session

    token = current_session_token()
    if token is not None:
        end_session(current_app.extensions["pqrs.engine"], token)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/cuenta/contrasena", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    from ...accounts import authenticate, save_user
    from . import login_limits

    errors: dict[str, str] = {}
    if request.method == "POST":
        engine = current_app.extensions["pqrs.engine"]
        actor = current_actor()
        assert actor is not None
        refused = login_limits.refusal(actor.username)
        if refused is not None:  # whoever holds the session cannot guess the password either
            login_limits.log_refusal(actor.username, "password change")
            page = render_template("web/password.html", errors={"actual": refused.message},
                                   other_sessions=_other_sessions())
            return page, 429, refused.headers
        current = request.form.get("actual", "")[:1000]
        new = request.form.get("nueva", "")[:1000]
        again = request.form.get("confirmacion", "")[:1000]
        if authenticate(engine, actor.username, current) is None:
            login_limits.record_failure(actor.username, "password change")
            errors["actual"] = _("La contraseña actual no es correcta.")
        if len(new) < MIN_PASSWORD_LENGTH:
            errors["nueva"] = _("La nueva contraseña debe tener al menos %(n)d caracteres.",
                                n=MIN_PASSWORD_LENGTH)
        elif new == current:
            errors["nueva"] = _("La nueva contraseña debe ser distinta de la actual.")
        if new != again:
            errors["confirmacion"] = _("Las dos contraseñas no coinciden.")
        if not errors:
            save_user(engine, actor.username, password=new)  # ends every session of the person...
            begin_session(actor.username)  # ...and this browser goes on in a new one
            flash(_("Su contraseña fue cambiada. Sus sesiones en otros dispositivos se cerraron."), "success")
            return redirect(url_for("web.home"))
    page = render_template("web/password.html", errors=errors, other_sessions=_other_sessions())
    return (page, 422) if errors else page


def _other_sessions() -> int:
    from ...accounts.sessions import other_sessions

    actor, token = current_actor(), current_session_token()
    if actor is None or token is None:
        return 0
    return other_sessions(current_app.extensions["pqrs.engine"], actor.username, token, now=_now(),
                          idle=current_app.permanent_session_lifetime)


@bp.post("/cuenta/sesiones/cerrar-otras")
@login_required
def end_other_sessions() -> Response:
    """Log the person out of every other browser and device, keeping this session."""
    from ...accounts.sessions import end_other_sessions as end_others

    actor, token = current_actor(), current_session_token()
    assert actor is not None and token is not None
    ended = end_others(current_app.extensions["pqrs.engine"], actor.username, token)
    flash(ngettext("Se cerró su otra sesión.", "Se cerraron sus otras %(num)d sesiones.", ended) if ended
          else _("No tenía otras sesiones abiertas."), "success")
    return redirect(url_for("auth.change_password"))

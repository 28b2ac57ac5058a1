"""Sessions for people using the web pages: log in, log out, and the actor behind each request.

The session holds only the user name; roles, queues and network are loaded from the user directory on
every request, so a change of role or a deactivation applies at once. Forms carry a per-session token
that every POST must echo (a cross-site form cannot read it).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from pqrs_core.domain.values import Actor

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
CSRF_KEY = "csrf"


def csrf_token() -> str:
    """The form token of this session (created on first use); templates call it as ``csrf_token()``."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    expected = session.get(CSRF_KEY)
    if not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="El formulario expiró o no es válido. Recargue la página e intente de nuevo.")


def current_actor() -> Actor | None:
    """The logged-in person as an ``Actor`` (cached for the request), or ``None``."""
    if "actor" not in g:
        from ..accounts import load_actor

        username = session.get("username")
        engine = current_app.extensions["pqrs.engine"]
        g.actor = load_actor(engine, username) if isinstance(username, str) else None
        if g.actor is None:
            session.pop("username", None)
    return cast(Actor | None, g.actor)


def login_required(view: F) -> F:
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
    return url_for("web.case_list")


@bp.route("/ingresar", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    error = None
    username = ""
    if request.method == "POST":
        check_csrf()
        from ..accounts import authenticate

        username = request.form.get("usuario", "")[:200]
        password = request.form.get("contrasena", "")[:1000]
        user = authenticate(current_app.extensions["pqrs.engine"], username, password)
        if user is not None:
            session.clear()
            session["username"] = user.username
            session.permanent = True
            csrf_token()
            return redirect(_safe_next(request.args.get("siguiente")))
        error = "Usuario o contraseña incorrectos."
    page = render_template("login.html", error=error, username=username)
    return (page, 401) if error else page


@bp.post("/salir")
def logout() -> Response:
    check_csrf()
    session.clear()
    return redirect(url_for("auth.login"))

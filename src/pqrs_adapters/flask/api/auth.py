"""Who is calling: a bearer token (machines) or the web session (people).

``Authorization: Bearer <token>`` is looked up with ``accounts.actor_for_token``; without that header
the person logged in to the web session (Flask-Login) acts. A session may change data only with the
``X-CSRF-Token`` header holding a CSRF token of that session (every web page carries one in
``<meta name="csrf-token">``; a cross-site page cannot read it). No valid credentials: 401 with
``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_wtf.csrf import validate_csrf
from sqlalchemy.engine import Engine
from wtforms.validators import ValidationError

from pqrs_core.domain.values import Actor

from ... import accounts
from ..web.auth import current_actor as session_actor
from .problems import ApiProblem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_TOKEN_LENGTH = 512


def _engine() -> Engine:
    engine: Engine = current_app.extensions["pqrs.engine"]
    return engine


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem("unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="pqrs"'})


def _from_token(header: str) -> Actor:
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Use «Authorization: Bearer <token>».")
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii() or not token.isprintable():
        raise _unauthorized("El token no es válido o fue revocado.")
    actor = accounts.actor_for_token(_engine(), token)
    if actor is None:
        raise _unauthorized("El token no es válido o fue revocado.")
    return actor


def _from_session() -> Actor | None:
    actor = session_actor()
    if actor is None:
        return None
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get("X-CSRF-Token", ""))
        except ValidationError:
            raise ApiProblem("csrf", "Las solicitudes con sesión que modifican datos requieren el "
                                     "encabezado X-CSRF-Token de la página.") from None
    return actor


def current_actor() -> Actor:
    """The authenticated actor of this request (cached on ``g``); ``ApiProblem`` 401 otherwise."""
    cached = g.get("pqrs_actor")
    if isinstance(cached, Actor):
        return cached
    header = request.headers.get("Authorization")
    actor = _from_token(header) if header else _from_session()
    if actor is None:
        raise _unauthorized("Debe autenticarse con un token («Authorization: Bearer <token>») o una "
                            "sesión iniciada.")
    g.pqrs_actor = actor
    return actor

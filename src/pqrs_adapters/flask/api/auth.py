"""Who is calling: a bearer token (machines) or the web session (people).

``Authorization: Bearer <token>`` is looked up with ``accounts.actor_for_token``; without that header
the Flask session's ``username`` is loaded with ``accounts.load_actor``. A session may change data only
with the ``X-CSRF-Token`` header matching the session's form token (``web_auth.csrf_token()``, which
the web pages carry; a cross-site form cannot send it). No valid credentials: 401 with
``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

import hmac

from flask import current_app, g, request, session
from sqlalchemy.engine import Engine

from pqrs_core.domain.values import Actor

from ... import accounts
from ..web_auth import CSRF_KEY
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
    username = session.get("username")
    if not isinstance(username, str) or not username:
        return None
    actor = accounts.load_actor(_engine(), username)
    if actor is None:
        return None
    if request.method not in SAFE_METHODS:
        expected = session.get(CSRF_KEY)
        given = request.headers.get("X-CSRF-Token", "")
        if not isinstance(expected, str) or not expected or not hmac.compare_digest(
                expected.encode(), given.encode()):
            raise ApiProblem("csrf", "Las solicitudes con sesión que modifican datos requieren el "
                                     "encabezado X-CSRF-Token de la página.")
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

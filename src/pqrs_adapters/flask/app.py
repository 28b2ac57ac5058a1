"""The application factory. Everything is built when ``create_app`` is called, never at import."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..accounts import sessions
from ..config import Config
from ..secret_key import secret_key
from .observability import init_observability
from .proxies import TrustedProxies

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, *, sync_catalog: bool = True) -> Flask:
    """The web application for ``config`` (read from the environment when omitted).

    The ``Pqrs`` is in ``app.extensions["pqrs"]``. With ``sync_catalog`` the catalog entries the plugins
    register are brought into the database first; if the database cannot be reached then, the app
    still starts (``/health`` reports the problem).
    """
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from ..sqlalchemy.engine import describe_error
    from ..wiring import build_pqrs, make_engine
    from ..wiring import sync_catalog as sync
    from . import views
    from .api import api_error_response, init_api
    from .web import init_web

    config = config or Config.from_env()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key(config),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=config.secure_cookies,
                      PERMANENT_SESSION_LIFETIME=sessions.IDLE)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    engine = make_engine(config)
    pqrs = build_pqrs(config, engine=engine, sync=False)
    if sync_catalog:
        try:
            sync(pqrs)
        except SQLAlchemyError:
            log.exception("could not sync the catalog with the database; is it initialised (pqrs init)?")
    app.extensions["pqrs"] = pqrs
    app.extensions["pqrs.engine"] = engine
    app.extensions["pqrs.config"] = config
    app.register_blueprint(views.bp)
    app.jinja_env.globals["url_exists"] = _url_exists
    csrf = init_web(app, config)
    init_api(app)
    init_observability(app, config)
    csrf.exempt(app.blueprints["api"])  # the API checks its own: bearer tokens, or X-CSRF-Token
    if config.clients.trusted_proxies:
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
            app.wsgi_app, config.clients.trusted_proxies, config.clients.proxy_hops)

    @app.errorhandler(404)
    def not_found(exc: HTTPException) -> ResponseReturnValue:
        if (problem := api_error_response(exc)) is not None:  # unknown path under /api/
            return problem
        return render_template("404.html"), 404

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if (problem := api_error_response(exc)) is not None:  # e.g. a method the API path lacks
            return problem
        code = exc.code or 500
        return render_template("error.html", code=code, message=_HTTP_MESSAGES.get(code, exc.name)), code

    @app.errorhandler(DBAPIError)
    def database_unavailable(exc: DBAPIError) -> tuple[str, int]:
        log.error("database error: %s", describe_error(exc))
        return render_template("error.html", code=503, message=_HTTP_MESSAGES[503]), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int]:
        log.exception("unexpected error", exc_info=exc)
        return render_template("error.html", code=500, message=_HTTP_MESSAGES[500]), 500

    return app


def _url_exists(endpoint: str) -> bool:
    """Whether the application has a view for ``endpoint`` (templates link only to pages that exist)."""
    from flask import current_app

    return endpoint in current_app.view_functions


_HTTP_MESSAGES = {
    400: "La solicitud no es válida.",
    403: "No tiene permiso para ver esta página.",
    405: "Método no permitido.",
    500: "Ocurrió un error inesperado. Intente de nuevo más tarde.",
    503: "No es posible consultar la información en este momento. Intente de nuevo en unos minutos.",
}

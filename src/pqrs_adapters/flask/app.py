"""The application factory. Everything is built when ``create_app`` is called, never at import."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from ..config import Config

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, *, sync_catalog: bool = True) -> Flask:
    """The web application for ``config`` (read from the environment when omitted).

    The ``Pqrs`` is in ``app.extensions["pqrs"]``. With ``sync_catalog`` the catalog entries the plugins
    register are brought into the database first; if the database cannot be reached then, the app
    still starts (``/health`` reports the problem).
    """
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from ..app import build_pqrs, make_engine
    from ..app import sync_catalog as sync
    from . import views

    config = config or Config.from_env()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = config.secret_key or secrets.token_hex(32)
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
    app.jinja_env.globals["organisation_name"] = config.settings().organisation_name

    @app.errorhandler(404)
    def not_found(_exc: HTTPException) -> tuple[str, int]:
        return render_template("404.html"), 404

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        return render_template("error.html", code=code, message=_HTTP_MESSAGES.get(code, exc.name)), code

    @app.errorhandler(DBAPIError)
    def database_unavailable(exc: DBAPIError) -> tuple[str, int]:
        log.error("database error: %s", exc)
        return render_template("error.html", code=503, message=_HTTP_MESSAGES[503]), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int]:
        log.exception("unexpected error", exc_info=exc)
        return render_template("error.html", code=500, message=_HTTP_MESSAGES[500]), 500

    return app


_HTTP_MESSAGES = {
    400: "La solicitud no es válida.",
    403: "No tiene permiso para ver esta página.",
    405: "Método no permitido.",
    500: "Ocurrió un error inesperado. Intente de nuevo más tarde.",
    503: "No es posible consultar la información en este momento. Intente de nuevo en unos minutos.",
}

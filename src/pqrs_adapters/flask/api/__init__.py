"""The JSON API under ``/api/v1``: ``init_api(app)`` registers it on a Flask app.

One module per resource (``cases``, ``case_actions``, ``history``, ``attachments``, ``catalog``,
``reports``, ``openapi``); schemas in ``schemas/``; errors as problem+json in ``problems``.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from marshmallow import ValidationError as SchemaValidationError
from werkzeug.exceptions import HTTPException

from pqrs_core.domain.errors import DomainError

from .problems import (
    ApiProblem,
    from_api_problem,
    from_domain_error,
    from_http_exception,
    from_schema_error,
    problem,
)
from .routing import API_PREFIX, bp

log = logging.getLogger(__name__)

# Room for the multipart envelope around the largest attachment.
BODY_MARGIN = 64 * 1024


def load_views() -> None:
    """Importing the view modules registers their routes on ``bp`` (once per process)."""
    from . import (  # noqa: F401
        answers,
        archive,
        attachments,
        case_actions,
        cases,
        catalog,
        customers,
        delivery,
        history,
        internal_requests,
        items,
        mailboxes,
        openapi,
        quality_reports,
        reports,
        rules,
        term_actions,
        third_party,
        voidings,
        webhooks,
        workflows,
    )


def is_api_request() -> bool:
    """Whether the request is for the API (any version: ``/api/...``)."""
    return request.path == "/api" or request.path.startswith("/api/")


def api_error_response(exc: BaseException) -> Response | None:
    """For the application's own error handlers: the problem response when the request is one for the
    API (routing errors such as an unknown path or method never reach the blueprint), else ``None``."""
    if not is_api_request():
        return None
    return handle_error(exc)


def handle_error(exc: BaseException) -> Response:
    if isinstance(exc, ApiProblem):
        return from_api_problem(exc)
    if isinstance(exc, DomainError):
        return from_domain_error(exc)
    if isinstance(exc, SchemaValidationError):
        return from_schema_error(exc)
    if isinstance(exc, HTTPException):
        return from_http_exception(exc)
    from sqlalchemy.exc import DBAPIError

    from ...sqlalchemy.engine import describe_error

    if isinstance(exc, DBAPIError):
        log.error("database error: %s", describe_error(exc))
        return problem("service-unavailable", "No es posible consultar la información en este momento. "
                                              "Intente de nuevo en unos minutos.")
    log.exception("unexpected error in the API", exc_info=exc)
    return problem("server-error", "Ocurrió un error inesperado. Intente de nuevo más tarde.")


for _error in (ApiProblem, DomainError, SchemaValidationError, HTTPException, Exception):
    bp.register_error_handler(_error, handle_error)


def init_api(app: Flask) -> None:
    """Register the API blueprint and its error handlers on ``app``; cap request bodies at the largest
    attachment plus its multipart envelope (JSON bodies have a smaller limit of their own)."""
    load_views()
    pqrs = app.extensions["pqrs"]
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = pqrs.deps.settings.max_attachment_bytes + BODY_MARGIN
    app.register_blueprint(bp)


__all__ = ["API_PREFIX", "api_error_response", "init_api", "is_api_request"]

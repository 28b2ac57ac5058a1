"""Errors as ``application/problem+json`` (RFC 9457): one stable ``type`` per kind of problem, a
Spanish ``detail`` and, for invalid input, ``errors`` mapping each failing field to its message.

Every error a client can provoke ends here: domain errors, invalid or unknown fields (marshmallow),
malformed JSON, wrong content types, werkzeug's HTTP errors (404, 405, 413...) and ``ApiProblem``
raised by the views themselves.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request
from marshmallow import ValidationError as SchemaValidationError
from werkzeug.exceptions import HTTPException

from pqrs_core.domain.errors import (
    ConcurrencyConflict,
    DomainError,
    DuplicateRegistration,
    Forbidden,
    InvalidOperation,
    InvalidTransition,
    LimitExceeded,
    NotFound,
    StorageUnavailable,
    TransitionNotPermitted,
    ValidationError,
)

from ...presentation import error_message
from .messages import translate

PROBLEM_BASE = "https://pqrs.dev/problems/"
PROBLEM_JSON = "application/problem+json"

# code -> (status, title). The codes are part of the API: clients switch on ``type``.
PROBLEMS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Solicitud inválida"),
    "invalid-query": (400, "Parámetros de consulta inválidos"),
    "malformed-json": (400, "JSON mal formado"),
    "invalid-header": (400, "Encabezado inválido"),
    "unauthorized": (401, "Autenticación requerida"),
    "forbidden": (403, "Acceso denegado"),
    "transition-not-permitted": (403, "Transición no permitida"),
    "csrf": (403, "Falta la protección contra falsificación de solicitudes"),
    "not-found": (404, "No encontrado"),
    "method-not-allowed": (405, "Método no permitido"),
    "not-acceptable": (406, "No aceptable"),
    "version-conflict": (409, "Conflicto de versión"),
    "invalid-transition": (409, "Transición inválida"),
    "invalid-operation": (409, "Operación no permitida en la situación actual del caso"),
    "duplicate": (409, "Registro duplicado"),
    "payload-too-large": (413, "Contenido demasiado grande"),
    "unsupported-media-type": (415, "Tipo de contenido no soportado"),
    "validation-error": (422, "Datos inválidos"),
    "idempotency-key-reused": (422, "Clave de idempotencia reutilizada"),
    "idempotency-key-in-use": (409, "Clave de idempotencia en uso"),
    "too-many-requests": (429, "Demasiadas solicitudes"),
    "server-error": (500, "Error inesperado"),
    "service-unavailable": (503, "Servicio no disponible"),
}

_HTTP_CODES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
               405: "method-not-allowed", 406: "not-acceptable", 409: "duplicate",
               413: "payload-too-large", 415: "unsupported-media-type", 422: "validation-error",
               429: "too-many-requests", 500: "server-error", 503: "service-unavailable"}

_HTTP_DETAILS = {
    400: "La solicitud no es válida.",
    401: "Debe autenticarse con un token («Authorization: Bearer <token>») o una sesión.",
    403: "No tiene permiso para esta acción.",
    404: "El recurso solicitado no existe.",
    405: "El método HTTP no está permitido para este recurso.",
    406: "No se puede responder en el formato solicitado.",
    413: "El contenido enviado supera el tamaño máximo permitido.",
    415: "El tipo de contenido enviado no es soportado.",
    500: "Ocurrió un error inesperado. Intente de nuevo más tarde.",
    503: "No es posible atender la solicitud en este momento. Intente de nuevo en unos minutos.",
}


class ApiProblem(Exception):
    """Raised by the API views: becomes a problem response with ``code``'s status and title."""

    def __init__(self, code: str, detail: str, *, errors: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.errors = dict(errors) if errors else None
        self.headers = dict(headers or {})
        self.extra = extra


def json_text(data: Any) -> str:
    """Compact JSON, UTF-8 friendly (``ñ``, not ``\\u00f1``); escaped when some text could not be
    encoded (an unpaired surrogate echoed from the request)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, separators=(",", ":"))
    return text


def problem(code: str, detail: str, *, errors: Mapping[str, str] | None = None,
            headers: Mapping[str, str] | None = None, status: int | None = None,
            **extra: Any) -> Response:
    """The problem+json response for ``code`` (one of ``PROBLEMS``)."""
    default_status, title = PROBLEMS[code]
    status = status or default_status
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = dict(sorted(errors.items()))
    body.update(extra)
    response = current_app.response_class(json_text(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(dict(headers or {}))
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="pqrs"')
    return response


def from_api_problem(exc: ApiProblem) -> Response:
    return problem(exc.code, exc.detail, errors=exc.errors, headers=exc.headers, **exc.extra)


def from_domain_error(exc: DomainError) -> Response:
    """Each domain error with its status: 403 forbidden, 404 unknown, 409 conflicts with the case's
    state or version, 422 invalid data."""
    detail = error_message(exc)
    if isinstance(exc, ValidationError):
        return problem("validation-error", detail, errors=exc.errors)
    if isinstance(exc, NotFound):
        return problem("not-found", detail)
    if isinstance(exc, InvalidTransition):
        return problem("invalid-transition", detail, transition=exc.transition, state=exc.state,
                       allowed=list(exc.allowed))
    if isinstance(exc, TransitionNotPermitted):
        return problem("transition-not-permitted", detail, transition=exc.transition)
    if isinstance(exc, Forbidden):
        return problem("forbidden", detail)
    if isinstance(exc, ConcurrencyConflict):
        return problem("version-conflict", detail, expected_version=exc.expected,
                       current_version=exc.actual)
    if isinstance(exc, InvalidOperation):
        return problem("invalid-operation", detail)
    if isinstance(exc, DuplicateRegistration):
        return problem("duplicate", detail)
    if isinstance(exc, LimitExceeded):
        return _limit_exceeded(exc, detail)
    if isinstance(exc, StorageUnavailable):
        return problem("service-unavailable", detail, headers={"Retry-After": "120"})
    return problem("invalid-operation", detail)


def _limit_exceeded(exc: LimitExceeded, detail: str) -> Response:
    """A limit that passes with time is 429 with ``Retry-After``; the case's own limits are 413."""
    errors = {exc.field: detail}
    if exc.retry_at is None:
        return problem("payload-too-large", detail, errors=errors)
    now = current_app.extensions["pqrs"].deps.clock.now()
    seconds = max(1, math.ceil((exc.retry_at - now).total_seconds()))
    return problem("too-many-requests", detail, errors=errors, headers={"Retry-After": str(seconds)},
                   retry_at=exc.retry_at.isoformat())


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages (``{"requester": {"email": ["..."]}}``) as ``{"requester.email":
    "..."}``, in Spanish; list indexes become path segments (``references.0.kind``)."""
    flat: dict[str, str] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = prefix if key == "_schema" and prefix else (
                "_schema" if key == "_schema" else f"{prefix}{key}")
            if isinstance(value, Mapping):
                flat.update(flatten_messages(value, f"{name}."))
            else:
                flat.update(flatten_messages(value, name))
        return flat
    if isinstance(messages, list | tuple):
        texts = [translate(str(m)) for m in messages if not isinstance(m, Mapping | list | tuple)]
        for item in messages:
            if isinstance(item, Mapping | list | tuple):
                flat.update(flatten_messages(item, f"{prefix}." if prefix else ""))
        if texts:
            flat[prefix.rstrip(".") or "_schema"] = "; ".join(texts)
        return flat
    flat[prefix.rstrip(".") or "_schema"] = translate(str(messages))
    return flat


def from_schema_error(exc: SchemaValidationError) -> Response:
    errors = flatten_messages(exc.messages)
    return problem("validation-error", f"Revise los campos: {', '.join(sorted(errors))}.", errors=errors)


def from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    code = _HTTP_CODES.get(status, "bad-request" if status < 500 else "server-error")
    headers: dict[str, str] = {}
    if status == 405:
        valid = getattr(exc, "valid_methods", None)
        if valid:
            headers["Allow"] = ", ".join(sorted(valid))
    detail = _HTTP_DETAILS.get(status, PROBLEMS[code][1])
    if status == 413:
        limit = _limit_text()
        if limit:
            detail = f"El contenido enviado supera el tamaño máximo permitido ({limit})."
    return problem(code, detail, headers=headers, status=status)


def _limit_text() -> str | None:
    limit = request.max_content_length
    if not limit:
        return None
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, limit // 1024)} KB"

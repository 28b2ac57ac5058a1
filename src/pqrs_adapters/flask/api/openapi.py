"""``GET /openapi.json``: the OpenAPI 3 document, generated with apispec from the marshmallow schemas
and from the ``Operation`` each view was registered with (``routing.api_route``)."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, Response, current_app
from werkzeug.routing import AnyConverter, Rule

from .problems import PROBLEM_JSON, PROBLEMS
from .responses import json_response
from .routing import API_PREFIX, OPERATIONS, TAGS, Operation, Reply, api_route
from .schemas.common import CODE_PATTERN, FILING_NUMBER_PATTERN, ProblemSchema

OPENAPI_VERSION = "3.0.3"

DESCRIPTION = """API JSON del sistema PQRS (peticiones, quejas, reclamos, sugerencias, denuncias y
felicitaciones).

Autenticación: `Authorization: Bearer <token>` (cree uno con `pqrs token create --user NOMBRE`) o la
sesión de la aplicación web (las solicitudes que modifican datos llevan entonces `X-CSRF-Token`).

Concurrencia: cada caso tiene una versión (`version`, y `ETag` en las respuestas). Las acciones aceptan la
versión leída en `If-Match` o en el campo `version`; si el caso cambió entretanto, la respuesta es 409.

Errores: `application/problem+json` con `type` estable (`https://pqrs.dev/problems/<código>`), `title`,
`status`, `detail` en español y, si hay datos inválidos, `errors` (campo → mensaje)."""

PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "number": {"description": "Radicado del caso, p. ej. PQRS-2026-000123",
               "schema": {"type": "string", "pattern": FILING_NUMBER_PATTERN, "maxLength": 40}},
    "attachment_id": {"description": "Identificador del adjunto",
                      "schema": {"type": "string", "maxLength": 100}},
    "request_id": {"description": "Identificador de la solicitud interna",
                   "schema": {"type": "string", "maxLength": 100}},
    "voiding_id": {"description": "Identificador de la solicitud de anulación",
                   "schema": {"type": "string", "maxLength": 64}},
    "code": {"description": "Código de la entrada (letras, dígitos, _ . -)",
             "schema": {"type": "string", "pattern": CODE_PATTERN}},
    "list_name": {"description": "Lista del catálogo", "schema": {"type": "string"}},
    "mailbox_id": {"description": "Identificador del buzón",
                   "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
    "webhook_id": {"description": "Número del webhook",
                   "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
    "delivery_id": {"description": "Número de la entrega",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
    "answer_id": {"description": "Identificador de la respuesta tipo",
                  "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
    "document": {"description": "Número de documento del cliente, con o sin puntos (p. ej. 80123456), "
                                "o su código de cliente",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 40}},
}

REQUEST_HEADERS: dict[str, dict[str, Any]] = {
    "If-Match": {"description": "Versión del caso que se leyó (su ETag, p. ej. \"3\"); 409 si cambió",
                 "schema": {"type": "string", "pattern": r'^(W/)?"[0-9]{1,10}"$|^[0-9]{1,10}$|^\*$'}},
    "Idempotency-Key": {"description": "Clave única de la solicitud: repetirla con el mismo cuerpo "
                                       "devuelve la misma respuesta sin crear otro caso",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                   "pattern": r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"}},
}

RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "Location": {"description": "URL del recurso creado", "schema": {"type": "string"}},
    "ETag": {"description": "Versión del recurso (para If-Match)", "schema": {"type": "string"}},
    "Content-Disposition": {"description": "attachment con el nombre del archivo",
                            "schema": {"type": "string"}},
}

_CONVERTER = re.compile(r"<(?:[a-zA-Z_]+(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def _path(rule: Rule) -> str:
    return _CONVERTER.sub(r"{\1}", rule.rule[len(API_PREFIX):] or "/")


def _problem(status: int) -> dict[str, Any]:
    titles = sorted({title for code, (st, title) in PROBLEMS.items() if st == status})
    return {"description": " / ".join(titles) or "Problema",
            "content": {PROBLEM_JSON: {"schema": "Problem"}}}


def _statuses(operation: Operation, rule: Rule, method: str) -> set[int]:
    statuses = set(operation.problems)
    if operation.auth:
        statuses.add(401)
        if method not in ("GET", "HEAD"):
            statuses.add(403)  # a session without its CSRF header
    if operation.body is not None:
        statuses |= {400, 413, 415, 422}
    if operation.query is not None or operation.request_headers:
        statuses.add(400)
    if rule.arguments:
        statuses.add(404)
    return statuses


def _reply(reply: Reply) -> dict[str, Any]:
    doc: dict[str, Any] = {"description": reply.description}
    if not reply.media_type:
        pass  # no body (204)
    elif reply.schema is not None:
        doc["content"] = {reply.media_type: {"schema": reply.schema}}
    elif reply.media_type == "application/json":
        doc["content"] = {reply.media_type: {"schema": {"type": "object"}}}
    else:
        doc["content"] = {reply.media_type: {"schema": {"type": "string", "format": "binary"}}}
    if reply.headers:
        doc["headers"] = {name: RESPONSE_HEADERS[name] for name in reply.headers}
    return doc


def _operation(app: Flask, rule: Rule, method: str, operation: Operation) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = []
    for name in sorted(rule.arguments):
        param = {"in": "path", "name": name, "required": True, **PATH_PARAMETERS[name]}
        converter = rule._converters.get(name)
        if isinstance(converter, AnyConverter):
            param["schema"] = {"type": "string", "enum": sorted(converter.items)}
        parameters.append(param)
    if operation.query is not None:
        parameters.append({"in": "query", "schema": operation.query})
    for name in operation.request_headers:
        parameters.append({"in": "header", "name": name, "required": False, **REQUEST_HEADERS[name]})
    doc: dict[str, Any] = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": parameters,
        "responses": {str(status): _reply(reply) for status, reply in sorted(operation.replies.items())},
    }
    if operation.description:
        doc["description"] = operation.description
    if operation.body is not None:
        doc["requestBody"] = {"required": operation.body_required,
                              "content": {operation.body_media_type: {"schema": operation.body}}}
    for status in sorted(_statuses(operation, rule, method)):
        doc["responses"].setdefault(str(status), _problem(status))
    if not operation.auth:
        doc["security"] = []
    return doc


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(title="PQRS API", version="1.0.0", openapi_version=OPENAPI_VERSION,
                   plugins=[MarshmallowPlugin()],
                   info={"description": DESCRIPTION},
                   servers=[{"url": API_PREFIX}],
                   security=[{"bearer": []}, {"session": []}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "Token creado con «pqrs token create»"})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session",
                                                "description": "Sesión de la aplicación web"})
    spec.components.schema("Problem", schema=ProblemSchema)
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        operation = OPERATIONS[rule.endpoint.removeprefix("api.")]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(_path(rule), {})[method.lower()] = _operation(app, rule, method, operation)
    used = {operation["tags"][0] for item in paths.values() for operation in item.values()}
    for tag in TAGS.values():
        if tag.name in used:
            spec.tag({"name": tag.name, "description": tag.description, "x-displayName": tag.label})
    for path in sorted(paths):
        spec.path(path=path, operations=paths[path])
    document: dict[str, Any] = spec.to_dict()
    return document


@api_route("/openapi.json", "GET", Operation(
    summary="Este documento OpenAPI", tag="documentation", auth=False,
    replies={200: Reply("El documento OpenAPI 3", None)}))
def openapi_document() -> Response:
    document = current_app.extensions.get("pqrs.openapi")
    if document is None:
        document = current_app.extensions["pqrs.openapi"] = build_spec(current_app)
    return json_response(document)

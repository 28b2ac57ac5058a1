"""``Idempotency-Key`` on ``POST /cases``: the same key with the same body answers the stored response
(never a second case); the same key with another body is a 422 problem. Keys belong to a user.

The key is claimed before the case is filed, so truly simultaneous retries file one case: the first
request does the work, the others wait for its response and answer it (409 if it takes longer than
``WAIT_FOR_TWIN``). A failed filing gives the key back, so the corrected request can use it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, current_app, request
from sqlalchemy.engine import Engine

from pqrs_core.domain.values import Actor

from ...sqlalchemy import idempotency
from ...sqlalchemy.idempotency import StoredResponse
from .problems import ApiProblem
from .responses import dumps

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _engine() -> Engine:
    engine: Engine = current_app.extensions["pqrs.engine"]
    return engine


def key_from_request() -> str | None:
    """The request's key, or ``None``; 400 when it is empty, too long or not printable ASCII."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ApiProblem("invalid-header", f"{HEADER} debe tener entre 1 y {MAX_KEY_LENGTH} caracteres "
                                           "ASCII imprimibles.",
                         errors={HEADER: "no es una clave válida"})
    return key


def request_hash(body: Any) -> str:
    """SHA-256 of the method, path and canonical JSON of the body (key order and spacing ignored)."""
    canonical = json.dumps({"method": request.method, "path": request.path, "body": body},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


WAIT_FOR_TWIN = 15.0  # seconds a retry waits for the identical request that is still at work


def claim(key: str, actor: Actor, digest: str) -> Response | None:
    """Reserve ``key`` for this request: ``None`` when this request is to do the work; otherwise the
    response of the request that did it (waiting for it if it is still at work), or a problem."""
    engine = _engine()
    while not idempotency.claim(engine, key, actor.username, digest):
        stored = idempotency.wait_settled(engine, key, actor.username, timeout=WAIT_FOR_TWIN)
        if stored is None:
            continue  # the other request failed and gave the key back: this one may take it
        if stored.request_hash != digest:
            raise ApiProblem("idempotency-key-reused",
                             f"La clave «{key[:60]}» ya se usó con otro cuerpo de solicitud; use una clave "
                             "nueva para una solicitud distinta.")
        if stored.status_code == idempotency.PENDING:
            raise ApiProblem("idempotency-key-in-use",
                             f"Una solicitud con la clave «{key[:60]}» se está procesando todavía; repítala "
                             "en unos segundos para recibir su respuesta.")
        return _stored_response(stored)
    return None


def release(key: str, actor: Actor) -> None:
    """Give the key back: the work it was claimed for failed."""
    idempotency.release(_engine(), key, actor.username)


def settle(key: str, actor: Actor, response: Response) -> Response:
    """Store ``response`` as the answer to every request with ``key``."""
    idempotency.settle(_engine(), key, actor.username, response.status_code,
                       response.get_data(as_text=True), response.headers.get("Location"))
    return response


def _stored_response(stored: StoredResponse) -> Response:
    # The body is kept as the exact text that was sent (a JSON string), so a replay is byte-identical.
    body = stored.body if isinstance(stored.body, str) else dumps(stored.body)
    response = current_app.response_class(body, status=stored.status_code, mimetype="application/json")
    if stored.location:
        response.headers["Location"] = stored.location
    try:
        version = json.loads(body).get("version")
    except (ValueError, AttributeError):
        version = None
    if isinstance(version, int):
        response.headers["ETag"] = f'"{version}"'
    response.headers["Idempotent-Replayed"] = "true"
    return response

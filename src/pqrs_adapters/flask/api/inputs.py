"""Reading a request: the JSON body through a schema, the query string, the expected version
(``If-Match`` or ``version``) and the filing number of the URL."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import request
from marshmallow import Schema, fields
from marshmallow import ValidationError as SchemaValidationError

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import FilingNumber

from .problems import ApiProblem, flatten_messages

# JSON bodies are small; attachments have their own limit (settings.max_attachment_bytes).
MAX_JSON_BYTES = 1024 * 1024
_IF_MATCH = re.compile(r'^\s*(?:W/)?"(\d{1,10})"\s*$|^\s*(\d{1,10})\s*$')


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} no es JSON válido")


def raw_json() -> Any:
    """The parsed JSON body: 415 unless it is declared JSON, 400 when it does not parse, 413 when
    too large."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and
                                                mimetype.endswith("+json")):
        raise ApiProblem("unsupported-media-type",
                         "El cuerpo de la solicitud debe ser JSON (Content-Type: application/json).")
    request.max_content_length = min(request.max_content_length or MAX_JSON_BYTES, MAX_JSON_BYTES)
    data = request.get_data(cache=True)
    try:
        payload = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ApiProblem("malformed-json", f"El cuerpo no es JSON válido: {str(exc)[:200]}") from None
    errors = unstorable_text(payload)
    if errors:
        raise ApiProblem("validation-error", "El texto contiene caracteres no permitidos.", errors=errors)
    return payload


def _unstorable(text: str) -> bool:
    """NUL and unpaired surrogates (``"\\ud800"`` is valid JSON) cannot be stored as text."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def unstorable_text(value: Any) -> dict[str, str]:
    """``{field path: message}`` for every string (or key) in ``value`` that cannot be stored."""
    message = "contiene caracteres no permitidos (NUL o sustitutos Unicode sueltos)"
    errors: dict[str, str] = {}
    pending: list[tuple[str, Any]] = [("", value)]  # iterative: nesting as deep as JSON allows
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if _unstorable(item):
                errors[path or "_schema"] = message
        elif isinstance(item, dict):
            for key, child in item.items():
                if _unstorable(str(key)):
                    errors[path or "_schema"] = message
                else:
                    pending.append((f"{path}.{key}" if path else str(key), child))
        elif isinstance(item, list):
            pending.extend((f"{path}.{i}" if path else str(i), child) for i, child in enumerate(item))
    return errors


def json_body(schema: Schema, data: Any = None) -> dict[str, Any]:
    """The body loaded through ``schema``: unknown or invalid fields are a 422 problem."""
    payload = raw_json() if data is None else data
    if not isinstance(payload, dict):
        raise ApiProblem("validation-error", "El cuerpo debe ser un objeto JSON.",
                         errors={"_schema": "debe ser un objeto JSON"})
    loaded: dict[str, Any] = schema.load(payload)
    return loaded


def query_args(schema: Schema, *, extra: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The query string loaded through ``schema``; list fields take repeated parameters, the others
    one value. Unknown or invalid parameters are a 400 problem naming them; those ``extra`` accepts
    are left to the caller."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if _unstorable(key) or any(_unstorable(v) for v in values):
            errors[key if not _unstorable(key) else "_query"] = "contiene caracteres no permitidos"
            continue
        if extra is not None and extra(key):
            continue
        field = schema.fields.get(key)
        if isinstance(field, fields.List):
            data[key] = values
        elif field is not None and len(values) > 1:
            errors[key] = "se indicó más de una vez"
        else:
            data[key] = values[0]
    try:
        loaded: dict[str, Any] = schema.load(data)
    except SchemaValidationError as exc:
        errors.update({name: ("no es un parámetro conocido" if message == "no es un campo conocido"
                              else message) for name, message in flatten_messages(exc.messages).items()})
        loaded = {}
    if errors:
        names = ", ".join(sorted(errors))
        raise ApiProblem("invalid-query", f"Parámetros de consulta inválidos: {names}.", errors=errors)
    return loaded


def expected_version(body_version: int | None) -> int | None:
    """The version the client expects, from ``If-Match`` (``"3"``) or the body's ``version``."""
    header = request.headers.get("If-Match")
    from_header: int | None = None
    if header is not None and header.strip() != "*":
        match = _IF_MATCH.match(header)
        if match is None:
            raise ApiProblem("invalid-header", "If-Match debe ser la ETag del caso, p. ej. \"3\".",
                             errors={"If-Match": "no es una versión válida"})
        from_header = int(match.group(1) or match.group(2))
    if from_header is not None and body_version is not None and from_header != body_version:
        # At most one of them can be the case's version: the precondition fails.
        raise ApiProblem("version-conflict", "If-Match y «version» indican versiones distintas; envíe la "
                                             "versión del caso que leyó.",
                         errors={"version": "no coincide con If-Match"})
    return from_header if from_header is not None else body_version


def filing_number(value: str) -> str:
    """The canonical filing number of the URL; a malformed one is simply not found (404)."""
    try:
        return str(FilingNumber.parse(value))
    except ValidationError:
        raise ApiProblem("not-found", f"No existe el caso «{value[:40]}».") from None


def etag(version: int) -> str:
    return f'"{version}"'

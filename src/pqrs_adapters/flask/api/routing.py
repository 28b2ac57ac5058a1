"""The API blueprint and the description of each operation, from which ``openapi.py`` writes the
OpenAPI document. Every view is registered with ``api_route``, so none can be left undocumented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from flask import Blueprint
from marshmallow import Schema

API_PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=API_PREFIX)

F = TypeVar("F", bound=Callable[..., Any])


@attrs.frozen
class Reply:
    """One documented response."""

    description: str
    schema: type[Schema] | None = None
    headers: tuple[str, ...] = ()  # names of RESPONSE_HEADERS (openapi.py)
    media_type: str = "application/json"


@attrs.frozen
class Operation:
    summary: str
    tag: str
    replies: dict[int, Reply]
    description: str = ""
    body: type[Schema] | None = None
    body_media_type: str = "application/json"
    query: type[Schema] | None = None
    request_headers: tuple[str, ...] = ()  # names of REQUEST_HEADERS (openapi.py)
    problems: tuple[int, ...] = ()  # besides those every operation of its shape can answer
    auth: bool = True
    body_required: bool = True


# endpoint name -> operation
OPERATIONS: dict[str, Operation] = {}


def api_route(rule: str, method: str, operation: Operation) -> Callable[[F], F]:
    """Register the view under ``rule`` for ``method`` and remember how it is documented."""

    def decorate(view: F) -> F:
        endpoint = view.__name__
        if endpoint in OPERATIONS:
            raise RuntimeError(f"duplicate API endpoint name {endpoint}")
        OPERATIONS[endpoint] = operation
        bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method])
        return view

    return decorate

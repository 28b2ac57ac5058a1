"""Shared helpers of the views: the application, JSON responses and a case as a response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, url_for

from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

from .case_json import case_data
from .inputs import etag
from .problems import json_text


def pqrs() -> Pqrs:
    app: Pqrs = current_app.extensions["pqrs"]
    return app


def dumps(data: Any) -> str:
    return json_text(data)


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = current_app.response_class(dumps(data), status=status, mimetype="application/json")
    response.headers.update(dict(headers or {}))
    return response


def case_url(case: Case) -> str:
    return url_for("api.get_case", number=str(case.filing_number))


def case_response(case: Case, actor: Actor, status: int = 200, *, location: bool = False,
                  catalog: Catalog | None = None) -> Response:
    """The case as JSON with its version as ETag (and its URL as Location when ``location``), presented
    with ``catalog`` (read when not given)."""
    headers = {"ETag": etag(case.version)}
    if location:
        headers["Location"] = case_url(case)
    return json_response(case_data(case, catalog or pqrs().catalog(), actor), status, headers)


def handled_case_response(command: Any, actor: Actor, status: int = 200, *,
                          location: bool = False) -> Response:
    """Run ``command`` (one that returns a case) and answer the case, presented with the catalog the
    command ran with."""
    case, catalog = pqrs().handle_with_catalog(command, actor)
    return case_response(case, actor, status, location=location, catalog=catalog)

"""Read-only pages for logged-in people (each sees only the cases their visibility allows): the case
list, a case with its history; and the health check."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.values import FilingNumber
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

from ..accounts import display_names
from ..config import Config
from ..presentation import CATEGORY_LABELS, REFERENCE_LABELS, Labels
from .web_auth import current_actor, login_required

log = logging.getLogger(__name__)
bp = Blueprint("web", __name__)
PAGE_SIZE = 25


def _pqrs() -> Pqrs:
    pqrs: Pqrs = current_app.extensions["pqrs"]
    return pqrs


def _config() -> Config:
    config: Config = current_app.extensions["pqrs.config"]
    return config


def _labels(usernames: list[str]) -> Labels:
    names = display_names(current_app.extensions["pqrs.engine"], usernames)
    return Labels(_pqrs().catalog(), _config().timezone, names)


@bp.get("/health")
def health() -> tuple[Response, int]:
    try:
        count = _pqrs().count()
    except Exception:  # any failure to reach the database means "not healthy"
        log.exception("health check: the database is unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok", cases=count), 200


@bp.get("/")
@login_required
def case_list() -> str | tuple[str, int]:
    category_arg = request.args.get("categoria", "")
    category = next((c for c in StateCategory if c.value == category_arg), None)
    cursor = request.args.get("despues") or None
    query = CaseQuery(state_categories=(category,) if category else (), after=cursor, limit=PAGE_SIZE)
    try:
        page = _pqrs().cases(query, actor=current_actor())
    except ValidationError:
        return render_template("error.html", code=400,
                               message="El enlace de paginación no es válido."), 400
    labels = _labels([c.assignee for c in page.cases if c.assignee])
    next_url = None
    if page.next_cursor:
        next_url = url_for("web.case_list", categoria=category.value if category else None,
                           despues=page.next_cursor)
    first_url = url_for("web.case_list", categoria=category.value if category else None) if cursor else None
    return render_template("cases.html", cases=page.cases, labels=labels, category=category,
                           categories=CATEGORY_LABELS, next_url=next_url, first_url=first_url)


@bp.get("/casos/<filing_number>")
@login_required
def case_detail(filing_number: str) -> str:
    try:
        key = str(FilingNumber.parse(filing_number))
    except ValidationError:
        abort(404)
    pqrs = _pqrs()
    try:
        actor = current_actor()
        case = pqrs.case(key, actor)
        history = pqrs.history(key, actor)
    except NotFound:
        abort(404)
    labels = _labels([case.assignee or "", case.filed_by, *(e.actor for e in history)])
    events: list[dict[str, Any]] = [
        {"at": e.occurred_at, "actor": labels.user(e.actor), "text": labels.describe(e, case)}
        for e in history
    ]
    return render_template("case.html", case=case, labels=labels, events=events,
                           reference_labels=REFERENCE_LABELS)

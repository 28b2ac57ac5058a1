"""A case's page: its fields, requester, timeline, the allowed transitions and every action a person may
take on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.values import FilingNumber

from ...presentation import REFERENCE_LABELS
from .auth import login_required
from .common import actor, labels, pqrs

bp = Blueprint("case_page", __name__)


@bp.get("/casos/<filing_number>")
@login_required
def detail(filing_number: str) -> str:
    try:
        key = str(FilingNumber.parse(filing_number))
    except ValidationError:
        abort(404)
    try:
        case = pqrs().case(key, actor())
        history = pqrs().history(key, actor())
    except NotFound:
        abort(404)
    names = labels([case.assignee, case.filed_by, *(e.actor for e in history)])
    events: list[dict[str, Any]] = [
        {"at": e.occurred_at, "actor": names.user(e.actor), "text": names.describe(e, case)}
        for e in history
    ]
    return render_template("web/case.html", case=case, labels=names, events=events,
                           reference_labels=REFERENCE_LABELS)

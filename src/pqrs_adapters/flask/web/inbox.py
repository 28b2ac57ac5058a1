"""The inbox: the cases a person may see, with filters, saved views, sorting by deadline, keyset
paging, bulk actions and exports (Excel, CSV)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from ...presentation import CATEGORY_LABELS
from .auth import login_required
from .common import actor, labels, pqrs

bp = Blueprint("inbox", __name__)
PAGE_SIZE = 25


@bp.get("/bandeja")
@login_required
def index() -> str | tuple[str, int]:
    category_arg = request.args.get("categoria", "")
    category = next((c for c in StateCategory if c.value == category_arg), None)
    cursor = request.args.get("despues") or None
    query = CaseQuery(state_categories=(category,) if category else (), after=cursor, limit=PAGE_SIZE)
    try:
        page = pqrs().cases(query, actor=actor())
    except ValidationError:
        return render_template("error.html", code=400,
                               message="El enlace de paginación no es válido."), 400
    next_url = None
    if page.next_cursor:
        next_url = url_for("inbox.index", categoria=category.value if category else None,
                           despues=page.next_cursor)
    first_url = url_for("inbox.index", categoria=category.value if category else None) if cursor else None
    return render_template("web/inbox.html", cases=page.cases, labels=labels(c.assignee for c in page.cases),
                           category=category, categories=CATEGORY_LABELS, next_url=next_url,
                           first_url=first_url)

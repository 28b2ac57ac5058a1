"""Internal requests (solicitudes internas) in the web application.

On the case page (``case_page.internas``): the requests made to other areas with their state (pending,
answered, overdue) and answers, the form to make one (area, what is needed, internal due date inside
the legal term), and, for a member of the area asked, the form to answer it.

``GET /solicitudes-internas``: the pending requests made to the queues of the logged-in person, soonest
due first, each with its answer form (``POST /solicitudes-internas/<radicado>/<id>``): an area answers
what it was asked without the case being in its inbox.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import DomainError, NotFound, ValidationError
from pqrs_core.domain.internal_requests import STATE_LABELS, InternalRequest, RequestState
from pqrs_core.ports import CaseQuery

from ...presentation import error_message
from .auth import login_required
from .case_view import PageAnswer, case_key, perform
from .common import actor, form_text, form_version, labels, now, pqrs, require, staff_pages
from .workload import OPEN

bp = Blueprint("internas", __name__)  # under case_page
area_bp = Blueprint("internal_requests", __name__)
staff_pages(area_bp, {})
FIELDS = {"queue": "interna_area", "text": "interna_texto", "due": "interna_fecha",
          "answer": "interna_respuesta"}
MAX_LISTED = 200


def state_label(item: InternalRequest) -> tuple[str, str]:
    """(state code, Spanish label) of ``item`` now."""
    state = item.state(now())
    return state.value, _(STATE_LABELS[state])


def merged_answers(requests: tuple[InternalRequest, ...]) -> str:
    """The answers of the areas, one paragraph each, to insert in the response (seed 004: «fusionar
    las respuestas de varias áreas»)."""
    names = labels()
    return "\n\n".join(f"{names.queue(r.queue)}: {r.answer}" for r in requests if r.answer)


def _due() -> date | None | str:
    raw = form_text(request.form, "interna_fecha", 20)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return raw


@bp.post("/casos/<filing_number>/solicitudes-internas")
@login_required
@require(Permission.WORK)
def create(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    due = _due()
    if isinstance(due, str):
        from .case_view import render_case
        flash(_("Escriba una fecha válida (aaaa-mm-dd)."), "error")
        return render_case(key, typed=request.form, errors={"interna_fecha": _("Escriba una fecha válida.")},
                           open_form="interna", status=422)
    command = c.RequestInternal(filing_number=key, queue=form_text(request.form, "interna_area", 64),
                                text=form_text(request.form, "interna_texto"), due=due,
                                expected_version=form_version(request.form))
    return perform(key, command, success=_("Solicitud interna enviada: el área la ve en sus pendientes."),
                   form_name="interna", fields=FIELDS, anchor="internas")


def _answer(filing_number: str, request_id: str) -> str | None:
    """Answer as the logged-in person; the error message, or ``None`` when it was recorded."""
    try:
        pqrs().handle(c.AnswerInternal(filing_number=case_key(filing_number), request_id=request_id[:100],
                                       answer=form_text(request.form, "interna_respuesta")), actor())
    except NotFound:
        abort(404)
    except ValidationError as exc:
        return error_message(exc)
    except DomainError as exc:
        return str(exc)
    return None


@bp.post("/casos/<filing_number>/solicitudes-internas/<request_id>")
@login_required
@require(Permission.WORK)
def answer_on_case(filing_number: str, request_id: str) -> ResponseReturnValue:
    problem = _answer(filing_number, request_id)
    flash(problem or _("Respuesta registrada: quien la pidió ya la puede usar."),
          "error" if problem else "success")
    return redirect(url_for("case_page.detail", filing_number=case_key(filing_number), _anchor="internas"))


@attrs.frozen
class Pending:
    number: str
    subject: str
    item: InternalRequest
    state: tuple[str, str]


@area_bp.get("/solicitudes-internas")
@login_required
@require(Permission.WORK)
def index() -> str:
    who = actor()
    found: list[Pending] = []
    for queue in sorted(who.queues):
        query = CaseQuery(pending_request_queue=queue, state_categories=OPEN, limit=MAX_LISTED)
        for case in pqrs().cases(query).cases:  # the area's own requests: not limited to its inbox
            for item in case.internal_requests:
                if item.queue == queue and item.answered_at is None:
                    found.append(Pending(str(case.filing_number), case.subject, item, state_label(item)))
    found.sort(key=lambda p: (p.item.due, p.number))
    return render_template("web/internal_requests.html", pending=found, labels=labels(
        p.item.requested_by for p in found), overdue=sum(p.state[0] == RequestState.OVERDUE for p in found))


@area_bp.post("/solicitudes-internas/<filing_number>/<request_id>")
@login_required
@require(Permission.WORK)
def answer(filing_number: str, request_id: str) -> ResponseReturnValue:
    problem = _answer(filing_number, request_id)
    flash(problem or _("Respuesta registrada en el caso %(n)s.", n=case_key(filing_number)),
          "error" if problem else "success")
    return redirect(url_for("internal_requests.index"))


def page_context(case: Any) -> dict[str, Any]:
    """What the case page's section needs: each request with its state, the areas to ask."""
    from .common import catalog
    who = actor()
    return {"internal_rows": [(item, state_label(item), item.queue in who.queues and item.answered_at is None)
                              for item in case.internal_requests],
            "internal_areas": [(q.code, q.label) for q in catalog().queues
                               if q.active and q.code != case.queue],
            "internal_merged": merged_answers(case.internal_requests)}

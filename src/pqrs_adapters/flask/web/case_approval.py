"""The drafted response waiting for approval (the official letter's document flow): whoever holds
``Permission.APPROVE_LETTERS`` — not who drafted it — reads the draft and its letter as PDF, then
approves it (it is sent, with its letter) or returns it with a comment (nothing is sent)."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.access import Permission

from .auth import login_required
from .case_response import letter_download, response_letter
from .case_view import PageAnswer, case_key, load, perform
from .common import form_text, form_version, require

bp = Blueprint("aprobacion", __name__)


@bp.post("/casos/<filing_number>/respuesta/aprobacion")
@login_required
@require(Permission.APPROVE_LETTERS)
def decide(filing_number: str) -> PageAnswer:
    """``accion``: ``aprobar`` sends the response; ``devolver`` returns it with
    ``devolucion_comentario``; ``oficio`` gives the letter's PDF as it would be issued."""
    key = case_key(filing_number)
    form = request.form
    step = form_text(form, "accion", 30)
    if step == "aprobar":
        return perform(key, c.ApproveResponse(filing_number=key, expected_version=form_version(form)),
                       success=_("Respuesta aprobada y enviada al peticionario con su oficio."),
                       form_name="aprobacion", anchor="historia")
    if step == "devolver":
        comment = form_text(form, "devolucion_comentario")
        return perform(key, c.ReturnResponse(filing_number=key, comment=comment,
                                             expected_version=form_version(form)),
                       success=_("Respuesta devuelta a quien la redactó."), form_name="aprobacion",
                       fields={"comment": "devolucion_comentario"}, anchor="historia")
    if step == "oficio":
        case, _history = load(key)
        pending = case.pending_response
        if pending is None:
            abort(404)
        drafted = ev.CaseResponded(case_id=case.id, actor=pending.drafted_by, occurred_at=pending.drafted_at,
                                   text=pending.text, solution=pending.solution)
        letter = response_letter(case, drafted)
        if letter is None:
            abort(404)
        return letter_download(letter)
    abort(400)

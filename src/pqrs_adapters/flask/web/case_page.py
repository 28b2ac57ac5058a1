"""A case's page (``/casos/<radicado>``): its fields, the requester, the deadline and how it was
computed, the timeline of events, notes and messages, the allowed transitions as buttons and every
action the logged-in person may take on it.

The forms post to the sub-blueprints registered here (``case_page.<name>.<view>``): ``acciones``
(transitions, notes, information requests, requester replies, typification, returns, assignment,
reopening), ``respuesta`` (the response with its e-mail preview), ``campos`` (editing fields),
``termino`` (extension, incomplete petitions, transfer), ``adjuntos`` (attachments), ``tercero``
(escalation to a third party), ``respuestas_tipo`` (inserting canned answers), ``internas`` (internal
requests to other areas), ``causa`` (the root cause and its corrective action) and
``anular_salida`` (asking for an outgoing number to be voided).
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import NotFound as HTTPNotFound

from . import (
    case_actions,
    case_answers,
    case_approval,
    case_archive,
    case_cause,
    case_delivery,
    case_fields,
    case_files,
    case_internal,
    case_items,
    case_outgoing_voiding,
    case_response,
    case_terms,
    case_third_party,
)
from .auth import login_required
from .case_view import case_key, render_case
from .common import actor, pqrs, staff_pages
from .notifications import record_view
from .voided_case import voided_page

bp = Blueprint("case_page", __name__)
# A customer downloads the files of the cases they may see; everything else here is the staff's.
staff_pages(bp, {"case_page.detail": "portal.case_page"}, open_to=("case_page.adjuntos.download",))
for _child in (case_actions.bp, case_answers.bp, case_response.bp, case_fields.bp, case_terms.bp,
               case_files.bp, case_third_party.bp, case_internal.bp, case_approval.bp, case_cause.bp,
               case_items.bp, case_delivery.bp, case_archive.bp, case_outgoing_voiding.bp):
    bp.register_blueprint(_child)


@bp.get("/casos/<filing_number>")
@login_required
def detail(filing_number: str) -> tuple[str, int]:
    try:
        page, status = render_case(filing_number)
    except HTTPNotFound:
        voided = voided_page(filing_number)  # auditors read a voided case, under its «ANULADO» banner
        if voided is None:
            raise
        return voided
    if status == 200:  # what this person has now seen of the case (the inbox's «sin ver» marker)
        record_view(pqrs().case(case_key(filing_number), actor()))
    return page, status

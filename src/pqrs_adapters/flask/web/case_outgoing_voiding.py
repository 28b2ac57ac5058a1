"""Asking, from the case page's «Radicados de salida» block, for one of the case's outgoing numbers to
be voided (anulado), with the reason. A second person holding another role approves or rejects it
under ``/admin/anulaciones``; the number stays used and is shown as voided with its record."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.outgoing import numbers_in
from pqrs_core.domain.voiding import MAX_REASON, TargetKind

from .auth import login_required
from .case_view import PageAnswer, case_key, perform, render_case
from .common import actor, form_text, pqrs, require

bp = Blueprint("anular_salida", __name__)


@bp.post("/casos/<filing_number>/radicados-salida/anular")
@login_required
@require(Permission.DELETE)
def request_voiding(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    number = form_text(request.form, "radicado_salida", 64)
    if number not in {sent.number for sent in numbers_in(pqrs().history(key, actor()), key)}:
        errors = {"radicado_salida": _("Elija uno de los radicados de salida de este caso.")}
        return render_case(key, typed=request.form, errors=errors, open_form="anular_salida", status=422)
    command = c.RequestVoiding(target_kind=TargetKind.OUTGOING_NUMBER, target=number,
                               reason=form_text(request.form, "motivo_salida", MAX_REASON))
    return perform(key, command, form_name="anular_salida", anchor="radicados-salida",
                   fields={"reason": "motivo_salida", "target": "radicado_salida"},
                   success=_("Se pidió anular el radicado de salida %(n)s: otra persona con un rol distinto "
                             "debe aprobarlo.", n=number))

"""Voiding requests (anulaciones), under ``/admin/anulaciones``: pending, approved and rejected, newest
first, each with its target, reason, who asked and who decided; approving or rejecting a pending one.

Who asks for a voiding (``case.delete``), who decides (``voiding.approve``) and who audits
(``case.audit``) see the list; only a second person holding an approving role other than the
requester's may decide (``services.voiding``): the page says so instead of failing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import DomainError, NotFound
from pqrs_core.domain.voiding import VoidingStatus

from ....presentation import error_message
from ..auth import login_required
from ..common import actor, can, labels, pqrs
from .support import _, bp, require_any, sentence, tabs, text

# The page's filter (``?estado=``) to the requests' status; ``todas`` for every one.
STATUSES = {"pendientes": VoidingStatus.PENDING, "aprobadas": VoidingStatus.APPROVED,
            "rechazadas": VoidingStatus.REJECTED, "todas": None}
STATUS_LABELS = {VoidingStatus.PENDING: "Pendiente", VoidingStatus.APPROVED: "Aprobada",
                 VoidingStatus.REJECTED: "Rechazada"}
KIND_LABELS = {"case": "Caso", "outgoing_number": "Radicado de salida"}
READERS = (Permission.DELETE, Permission.APPROVE_VOIDING, Permission.AUDIT)


@bp.get("/anulaciones")
@login_required
@require_any(*READERS)
def voidings() -> str:
    chosen = request.args.get("estado", "pendientes")
    if chosen not in STATUSES:
        chosen = "pendientes"
    found = pqrs().voidings(actor(), STATUSES[chosen])
    names = labels([u for v in found for u in (v.requested_by, v.decided_by)])
    return render_template("admin/voidings.html", tabs=tabs(), voidings=found, chosen=chosen,
                           filters=[(k, _(k.capitalize())) for k in STATUSES], labels=names,
                           status_labels={k: _(v) for k, v in STATUS_LABELS.items()},
                           kind_labels={k: _(v) for k, v in KIND_LABELS.items()},
                           may_decide=can(Permission.APPROVE_VOIDING), me=actor().username)


@bp.post("/anulaciones/<voiding_id>/aprobar")
@login_required
@require_any(Permission.APPROVE_VOIDING)
def voiding_approve(voiding_id: str) -> Response:
    return _decide(c.ApproveVoiding(voiding_id=voiding_id[:64]))


@bp.post("/anulaciones/<voiding_id>/rechazar")
@login_required
@require_any(Permission.APPROVE_VOIDING)
def voiding_reject(voiding_id: str) -> Response:
    return _decide(c.RejectVoiding(voiding_id=voiding_id[:64], note=text("nota")))


def _decide(command: c.ApproveVoiding | c.RejectVoiding) -> Response:
    try:
        decided = pqrs().handle(command, actor())
    except NotFound:
        flash(_("Esa solicitud de anulación no existe."), "error")
    except DomainError as exc:  # the requester, the same role, already decided: said in words
        flash(sentence(error_message(exc)), "error")
    else:
        if decided.status is VoidingStatus.APPROVED:
            flash(_("Anulación aprobada: %(t)s queda anulado con el registro %(n)s.", t=decided.target,
                    n=decided.number), "success")
        else:
            flash(_("Anulación rechazada: %(t)s sigue como estaba.", t=decided.target), "success")
    return redirect(url_for("admin.voidings"))

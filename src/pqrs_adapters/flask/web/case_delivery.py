"""The proof of notification on the case page (``pqrs_core.domain.delivery``): how the answer
reached the requester, whether within the term, and the staff's forms to record a courier delivery
(with its guide and proof), a personal notification (with the signed receipt) and, when the answer
could not be notified, the publication of the aviso (CPACA art. 69)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import DomainError

from ...delivery_presentation import notification_view
from ...presentation import Labels, first_upper
from ..uploads import UploadRefused, read_upload
from .auth import login_required
from .case_view import PageAnswer, case_key, perform, render_case
from .common import actor, can, form_text, form_version, pqrs, require
from .uploads import exempt_from_global_csrf, takes_files

bp = Blueprint("notificacion", __name__)
FORM = "notificacion"
COURIER_FIELDS = {"company": "envio_empresa", "guide": "envio_guia", "status": "envio_estado",
                  "reason": "envio_motivo", "proof": "envio_soporte"}
IN_PERSON_FIELDS = {"received_by": "personal_recibio", "receipt": "personal_recibido"}


def page_context(case: Case, names: Labels) -> dict[str, Any]:
    """What the case page's «Notificación» section shows, and whether this person records steps."""
    view = notification_view(case, names.local)
    view["can_record"] = view["answered"] and can(Permission.WORK) and can(Permission.ATTACH)
    return view


def _stored_file(key: str, field: str, *, required: bool) -> str | PageAnswer | None:
    """The id of the file sent in ``field``, attached to the case as internal; ``None`` when none was
    sent (and none is required); the page with the error beside the field otherwise."""
    sent = request.files.get(field)
    if sent is None or not sent.filename:
        if not required:
            return None
        message = _("Adjunte el archivo.")
        flash(message, "error")
        return render_case(key, typed=request.form, errors={field: message}, open_form=FORM, status=422)
    try:
        file = read_upload(sent, pqrs().deps.settings)
        case = pqrs().handle(c.AddAttachment(filing_number=key, filename=file.filename,
                                             content_type=file.content_type, content=file.content,
                                             public=False, expected_version=form_version(request.form)),
                             actor())
    except UploadRefused as exc:
        flash(exc.message, "error")
        return render_case(key, typed=request.form, errors={field: first_upper(exc.field_error)},
                           open_form=FORM, status=413 if exc.kind == "payload-too-large" else 415)
    except DomainError as exc:
        flash(first_upper(str(exc)), "error")
        return render_case(key, typed=request.form, errors={field: first_upper(str(exc))}, open_form=FORM,
                           status=422)
    return str(case.attachments[-1].id)


@bp.post("/casos/<filing_number>/notificacion/mensajeria")
@login_required
@require(Permission.WORK, Permission.ATTACH)
@takes_files
def courier(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    form = request.form
    proof = _stored_file(key, "envio_soporte", required=False)
    if proof is not None and not isinstance(proof, str):
        return proof
    command = c.RecordCourierDelivery(
        filing_number=key, company=form_text(form, "envio_empresa", 200),
        guide=form_text(form, "envio_guia", 200), status=form_text(form, "envio_estado", 20),
        reason=form_text(form, "envio_motivo") or None, proof=proof,
        expected_version=None if proof else form_version(form))
    return perform(key, command, success=_("Envío por correo certificado registrado."), form_name=FORM,
                   fields=COURIER_FIELDS, anchor="notificacion")


@bp.post("/casos/<filing_number>/notificacion/personal")
@login_required
@require(Permission.WORK, Permission.ATTACH)
@takes_files
def in_person(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    form = request.form
    received_by = form_text(form, "personal_recibio", 200)
    if not received_by:
        message = _("Escriba quién recibió la comunicación.")
        flash(message, "error")
        return render_case(key, typed=form, errors={"personal_recibio": message}, open_form=FORM, status=422)
    receipt = _stored_file(key, "personal_recibido", required=True)
    if not isinstance(receipt, str):
        assert receipt is not None
        return receipt
    return perform(key, c.RecordInPersonDelivery(filing_number=key, received_by=received_by, receipt=receipt),
                   success=_("Notificación personal registrada con su recibido firmado."), form_name=FORM,
                   fields=IN_PERSON_FIELDS, anchor="notificacion")


@bp.post("/casos/<filing_number>/notificacion/aviso")
@login_required
@require(Permission.WORK)
def publish(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    return perform(key, c.PublishNotice(filing_number=key, expected_version=form_version(request.form)),
                   success=_("Aviso publicado en la página web por cinco días hábiles."), form_name=FORM,
                   anchor="notificacion")


# The bodies are limited before they are parsed; the CSRF token is checked right after (``takes_files``).
exempt_from_global_csrf(bp, courier, in_person)

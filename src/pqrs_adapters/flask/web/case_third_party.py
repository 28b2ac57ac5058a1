"""«Escalar a tercero» on the case page: choose the third party's address and name, the message, the
notes and attachments to send, see the e-mail they will receive (the real mail template), send it;
record what they answered when it came another way, and «Retomar» the case without waiting. The
legal reasoning of the term while a third party holds the case is in ``pqrs_core.domain.third_party``.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, flash, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import Problems, ValidationError
from pqrs_core.domain.third_party import check_escalation

from ...presentation import error_message
from .auth import login_required
from .case_response import mail_preview
from .case_view import PageAnswer, case_key, conflict_for, form_errors, load, perform, render_case
from .common import actor, form_text, form_version, now, require

bp = Blueprint("tercero", __name__)
FIELDS = {"address": "tercero_correo", "name": "tercero_nombre", "message": "tercero_mensaje",
          "note_ids": "tercero_notas", "attachment_ids": "tercero_adjuntos"}


def note_choices(history: Sequence[ev.DomainEvent]) -> list[tuple[int, str]]:
    """The notes of the case that may be sent, by their place in the history (what the command takes)."""
    return [(seq, event.text) for seq, event in enumerate(history, start=1)
            if isinstance(event, ev.NoteAdded)]


def _chosen_notes() -> tuple[int, ...]:
    return tuple(int(v) for v in request.form.getlist("tercero_notas") if v.isdecimal() and len(v) < 10)


def _chosen_files() -> tuple[str, ...]:
    return tuple(v[:100] for v in request.form.getlist("tercero_adjuntos") if v)


@bp.post("/casos/<filing_number>/tercero")
@login_required
@require(Permission.WORK)
def escalate(filing_number: str) -> PageAnswer:
    """``accion``: ``vista_previa`` shows the e-mail the third party will receive; ``editar`` goes back
    to the form; ``enviar`` escalates the case and sends it."""
    key = case_key(filing_number)
    form = request.form
    step = form_text(form, "accion", 30)
    address, name = form_text(form, "tercero_correo", 300), form_text(form, "tercero_nombre", 300)
    message = form_text(form, "tercero_mensaje")
    if step == "enviar":
        command = c.EscalateToThirdParty(filing_number=key, address=address, name=name, message=message,
                                         note_ids=_chosen_notes(), attachment_ids=_chosen_files(),
                                         expected_version=form_version(form))
        return perform(key, command, success=_("Caso escalado: se envió el correo a %(name)s.", name=name),
                       form_name="tercero", fields=FIELDS, anchor="tercero")
    if step == "editar":
        return render_case(key, typed=form, open_form="tercero")
    problems = Problems()
    check_escalation(problems, address, name, message)
    try:
        problems.raise_if_any()
    except ValidationError as error:
        flash(error_message(error), "error")
        return render_case(key, typed=form, errors=form_errors(error, FIELDS), open_form="tercero",
                           status=422)
    case, history = load(key)
    texts = dict(note_choices(history))
    files = {a.id: a for a in case.attachments}
    event = ev.EscalatedToThirdParty(
        case_id=case.id, actor=actor().username, occurred_at=now(), address=address.strip(),
        party_name=name.strip(), message=message.strip(),
        notes=tuple(texts[n] for n in _chosen_notes() if n in texts),
        attachments=tuple(files[f] for f in _chosen_files() if f in files))
    preview = mail_preview(case, event, "third_party", address.strip())
    stale = form_version(form) not in (None, case.version)
    return render_case(key, typed=form, open_form="tercero", third_party_preview=preview,
                       conflict=conflict_for(key, form) if stale else None)


@bp.post("/casos/<filing_number>/tercero/respuesta")
@login_required
@require(Permission.WORK)
def record_reply(filing_number: str) -> PageAnswer:
    """What the third party answered when it reached the staff another way (a call, another mailbox)."""
    key = case_key(filing_number)
    case, _history = load(key)
    sender = form_text(request.form, "tercero_remitente", 300) or (
        case.third_party.address if case.third_party is not None else "")
    command = c.RecordThirdPartyReply(filing_number=key, message=form_text(request.form, "tercero_respuesta"),
                                      sender=sender, expected_version=form_version(request.form))
    return perform(key, command, success=_("Respuesta del tercero registrada."), form_name="tercero",
                   fields={"message": "tercero_respuesta", "sender": "tercero_remitente"}, anchor="tercero")


@bp.post("/casos/<filing_number>/tercero/retomar")
@login_required
@require(Permission.WORK)
def resume(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.ResumeFromThirdParty(filing_number=key, expected_version=form_version(request.form))
    return perform(key, command, success=_("Caso retomado: vuelve a gestión."), form_name="tercero",
                   anchor="tercero")

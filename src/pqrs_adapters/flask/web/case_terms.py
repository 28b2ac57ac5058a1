"""The term actions of the case page, as the API has them: the extension (prórroga, CPACA art. 14),
incomplete petitions (Ley 1755 de 2015 art. 17: ask to complete, the requester's extra month, tacit
withdrawal), the transfer to the competent entity (art. 21), a tutela's notices, each with the term
the judge set (Decreto 2591 de 1991 arts. 19, 27), and the suspension while evidence is gathered or the
user holds the case up (Decreto-Ley 2150 de 1995 art. 123)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission

from .auth import login_required
from .case_actions import lines
from .case_view import PageAnswer, case_key, perform, render_case
from .common import form_text, form_version, pqrs, require
from .filing_form import LOCAL_FORMAT

bp = Blueprint("termino", __name__)


@bp.post("/casos/<filing_number>/prorroga")
@login_required
@require(Permission.WORK)
def extend_term(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    extra_text = form_text(request.form, "prorroga_extra", 10)
    if extra_text and not (extra_text.isdecimal() and 1 <= int(extra_text) <= 10_000):
        message = _("Escriba un número entero positivo, o déjelo vacío para prorrogar lo máximo que la "
                    "norma permite.")
        flash(message, "error")
        return render_case(key, typed=request.form, open_form="prorroga", status=422,
                           errors={"prorroga_extra": message})
    command = c.ExtendTerm(filing_number=key, reason=form_text(request.form, "prorroga_motivo"),
                           extra=int(extra_text) if extra_text else None,
                           expected_version=form_version(request.form))
    return perform(key, command, success=_("Término prorrogado; se informó al peticionario."),
                   form_name="prorroga", fields={"reason": "prorroga_motivo", "extra": "prorroga_extra"},
                   anchor="termino")


@bp.post("/casos/<filing_number>/suspension")
@login_required
@require(Permission.WORK)
def suspend_term(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.SuspendTerm(filing_number=key, cause=form_text(request.form, "suspension_causa", 100),
                            reason=form_text(request.form, "suspension_motivo"),
                            expected_version=form_version(request.form))
    return perform(key, command, success=_("Término suspendido: no corre hasta que termine la suspensión."),
                   form_name="suspension",
                   fields={"cause": "suspension_causa", "reason": "suspension_motivo"}, anchor="termino")


@bp.post("/casos/<filing_number>/fin-suspension")
@login_required
@require(Permission.WORK)
def end_term_suspension(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.EndTermSuspension(filing_number=key, expected_version=form_version(request.form))
    return perform(key, command, success=_("El término vuelve a correr; el vencimiento se corrió."),
                   form_name="suspension", anchor="termino")


@bp.post("/casos/<filing_number>/completar")
@login_required
@require(Permission.WORK)
def request_completion(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.RequestCompletion(filing_number=key, message=form_text(request.form, "completar_mensaje"),
                                  missing=lines(request.form, "completar_faltante"),
                                  expected_version=form_version(request.form))
    return perform(key, command, success=_("Se pidió al peticionario completar la petición; tiene un mes."),
                   form_name="completar",
                   fields={"message": "completar_mensaje", "missing": "completar_faltante"}, anchor="termino")


@bp.post("/casos/<filing_number>/plazo-peticionario")
@login_required
@require(Permission.WORK)
def extend_completion_time(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.ExtendCompletionTime(filing_number=key, expected_version=form_version(request.form))
    return perform(key, command, success=_("Plazo del peticionario prorrogado un mes."),
                   form_name="completar", anchor="termino")


@bp.post("/casos/<filing_number>/desistimiento")
@login_required
@require(Permission.WORK)
def declare_withdrawal(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.DeclareWithdrawal(filing_number=key, reason=form_text(request.form, "desistimiento_motivo"),
                                  expected_version=form_version(request.form))
    return perform(key, command, success=_("Desistimiento tácito declarado."), form_name="desistimiento",
                   fields={"reason": "desistimiento_motivo"}, anchor="termino")


@bp.post("/casos/<filing_number>/traslado")
@login_required
@require(Permission.WORK)
def transfer(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.TransferCase(filing_number=key, entity=form_text(request.form, "traslado_entidad", 500),
                             reason=form_text(request.form, "traslado_motivo"),
                             expected_version=form_version(request.form))
    return perform(key, command, success=_("Caso trasladado; se envió copia al peticionario."),
                   form_name="traslado", fields={"entity": "traslado_entidad", "reason": "traslado_motivo"},
                   anchor="termino")


_NOTICE_FIELDS = {"days": "tutela_dias", "hours": "tutela_horas", "notified_at": "tutela_notificada"}


def _judicial_notice(filing_number: str, amount_field: str, build: Callable[[str, int, datetime | None], Any],
                     success: str) -> PageAnswer:
    """Read the judge's figure and the notice's local date and time from the form; what cannot be read
    is shown beside its field with everything typed kept."""
    key = case_key(filing_number)
    form_name = _NOTICE_FIELDS[amount_field]
    errors: dict[str, str] = {}
    amount_text = form_text(request.form, form_name, 10)
    if not amount_text.isdecimal():
        errors[form_name] = _("Escriba el término que fijó el juez, en números enteros.")
    notified_text = form_text(request.form, "tutela_notificada", 20)
    notified_at = None
    if notified_text:
        zone = ZoneInfo(pqrs().deps.settings.timezone)
        try:
            notified_at = datetime.strptime(notified_text, LOCAL_FORMAT).replace(tzinfo=zone)
        except ValueError:
            errors["tutela_notificada"] = _("No es una fecha y hora válida (dd/mm/aaaa hh:mm).")
    if errors:
        flash(next(iter(errors.values())), "error")
        return render_case(key, typed=request.form, open_form="tutela", status=422, errors=errors)
    return perform(key, build(key, int(amount_text), notified_at), success=success, form_name="tutela",
                   fields=_NOTICE_FIELDS, anchor="termino")


@bp.post("/casos/<filing_number>/tutela/admision")
@login_required
@require(Permission.WORK)
def record_admission_notice(filing_number: str) -> PageAnswer:
    return _judicial_notice(filing_number, "days", lambda key, days, at: c.RecordAdmissionNotice(
        filing_number=key, days=days, notified_at=at, expected_version=form_version(request.form)),
        _("Notificación del auto admisorio registrada: corre el término del informe al juez."))


@bp.post("/casos/<filing_number>/tutela/fallo")
@login_required
@require(Permission.WORK)
def record_ruling_notice(filing_number: str) -> PageAnswer:
    return _judicial_notice(filing_number, "hours", lambda key, hours, at: c.RecordRulingNotice(
        filing_number=key, hours=hours, notified_at=at, expected_version=form_version(request.form)),
        _("Notificación del fallo registrada: corre el término para cumplirlo."))

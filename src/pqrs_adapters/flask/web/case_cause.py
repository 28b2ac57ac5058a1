"""The root cause of a resolved case and its corrective action, on the case page: the cause (from the
catalog's «Causas raíz»), the area responsible, and the corrective action with its owner and due date;
then, once the action is carried out, what was done."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidOperation

from .auth import login_required
from .case_view import PageAnswer, case_key, perform, render_case
from .common import actor, config, form_text, form_version, pqrs, require

bp = Blueprint("causa", __name__)


def cause_missing(case: Case) -> bool:
    """Whether closing ``case`` waits for its root cause (its kind is in ``PQRS_CAUSE_REQUIRED``)."""
    return case.kind in config().quality.cause_required_kinds and case.root_cause is None


def close_command(filing_number: str, version: int | None) -> c.CloseCase:
    """The command closing the case, as the board and the inbox's bulk actions give it;
    ``InvalidOperation`` when the case waits for its root cause."""
    if cause_missing(pqrs().case(filing_number, actor())):
        raise InvalidOperation("registre la causa raíz en la página del caso antes de cerrarlo")
    return c.CloseCase(filing_number=filing_number, expected_version=version)
FIELDS = {"cause": "causa_raiz", "area": "causa_area", "action": "causa_accion",
          "action_owner": "causa_responsable", "action_due": "causa_fecha"}


@bp.post("/casos/<filing_number>/causa")
@login_required
@require(Permission.WORK)
def record(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    form = request.form
    due_text = form_text(form, "causa_fecha", 20)
    due = None
    if due_text:
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            errors = {"causa_fecha": _("Escriba la fecha como aaaa-mm-dd.")}
            return render_case(key, typed=form, errors=errors, open_form="causa", status=422)
    command = c.RecordRootCause(filing_number=key, cause=form_text(form, "causa_raiz", 64),
                                area=form_text(form, "causa_area", 64) or None,
                                action=form_text(form, "causa_accion"),
                                action_owner=form_text(form, "causa_responsable", 200) or None,
                                action_due=due,
                                expected_version=form_version(form))
    return perform(key, command, success=_("Causa raíz registrada."), form_name="causa", fields=FIELDS,
                   anchor="accion-causa")


@bp.post("/casos/<filing_number>/accion-correctiva")
@login_required
@require(Permission.WORK)
def complete(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.CompleteCorrectiveAction(filing_number=key, note=form_text(request.form, "accion_nota"),
                                         expected_version=form_version(request.form))
    return perform(key, command, success=_("Acción correctiva completada."), form_name="causa",
                   fields={"note": "accion_nota"}, anchor="accion-causa")

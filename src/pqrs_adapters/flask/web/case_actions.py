"""The case page's everyday actions: fire a transition, add a note, ask the requester for information,
record what the requester said by phone or e-mail, re-typify, return to the front line, assign or take
the case, reopen it. Each form posts here and comes back to the page with the result."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import DEDICATED_TRANSITIONS

from .auth import login_required
from .case_cause import cause_missing
from .case_view import PageAnswer, case_key, load, names_transition, perform, render_case
from .common import actor, can, form_text, form_version, require

bp = Blueprint("acciones", __name__)


def lines(form: Any, name: str) -> tuple[str, ...]:
    """A textarea with one item per line, as the items (blank lines dropped)."""
    return tuple(line.strip() for line in form_text(form, name).splitlines() if line.strip())


@bp.post("/casos/<filing_number>/transicion")
@login_required
@require(Permission.WORK)
def transition(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    name = form_text(request.form, "transicion", 64)
    version = form_version(request.form)
    if name in DEDICATED_TRANSITIONS and name != "close":
        case, _history = load(key)
        flash(_("«%(action)s» se hace con su propio formulario en esta página.",
                action=names_transition(case, name)), "error")
        return render_case(key, status=409)
    if name == "close":
        case, _history = load(key)
        if cause_missing(case):
            flash(_("Registre la causa raíz antes de cerrar este caso."), "error")
            return render_case(key, typed=request.form, open_form="causa", status=422)
        command: Any = c.CloseCase(filing_number=key, expected_version=version)
    else:
        command = c.TransitionCase(filing_number=key, transition=name, expected_version=version)
    case, _history = load(key)
    label = names_transition(case, name) if name else _("(ninguna)")
    return perform(key, command, success=_("Listo: «%(action)s».", action=label), form_name="transiciones",
                   anchor="estado")


@bp.post("/casos/<filing_number>/notas")
@login_required
@require(Permission.NOTE)
def add_note(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    public = form_text(request.form, "nota_tipo", 20) == "publica"
    success = _("Nota pública agregada.") if public else _("Registro de trabajo agregado.")
    command = c.AddNote(filing_number=key, text=form_text(request.form, "nota_texto"), public=public,
                        expected_version=form_version(request.form))
    return perform(key, command, success=success, form_name="nota", fields={"text": "nota_texto"},
                   anchor="historia")


@bp.post("/casos/<filing_number>/informacion")
@login_required
@require(Permission.WORK)
def request_information(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.RequestInformation(filing_number=key, message=form_text(request.form, "info_mensaje"),
                                   missing=lines(request.form, "info_faltante"),
                                   expected_version=form_version(request.form))
    return perform(key, command, success=_("Se pidió la información al peticionario; el término queda "
                                           "suspendido mientras responde."),
                   form_name="informacion", fields={"message": "info_mensaje", "missing": "info_faltante"},
                   anchor="historia")


@bp.post("/casos/<filing_number>/replica")
@login_required
@require(Permission.WORK)
def record_reply(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.RecordRequesterReply(filing_number=key, message=form_text(request.form, "replica_mensaje"),
                                     expected_version=form_version(request.form))
    return perform(key, command, success=_("Se registró lo que dijo el peticionario."), form_name="replica",
                   fields={"message": "replica_mensaje"}, anchor="historia")


@bp.post("/casos/<filing_number>/tipificacion")
@login_required
@require(Permission.EDIT)
def typify(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.TypifyCase(filing_number=key, typification=form_text(request.form, "tipificacion", 200),
                           expected_version=form_version(request.form))
    return perform(key, command, success=_("Tipificación cambiada."), form_name="tipificar",
                   fields={"typification": "tipificacion"}, anchor="datos")


@bp.post("/casos/<filing_number>/etiquetas")
@login_required
@require(Permission.EDIT)
def tag(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    added = [t for t in form_text(request.form, "etiquetas_nuevas", 1_000).split(",") if t.strip()]
    added += [t for t in request.form.getlist("etiquetas_catalogo")[:30] if t.strip()]
    command = c.TagCase(filing_number=key, add=tuple(added), remove=tuple(request.form.getlist("quitar")),
                        expected_version=form_version(request.form))
    return perform(key, command, success=_("Etiquetas actualizadas."), form_name="etiquetas",
                   fields={**{f"tags.{i}": "etiquetas_nuevas" for i in range(len(added))},
                           "tags": "etiquetas_nuevas"}, anchor="datos")


@bp.post("/casos/<filing_number>/devolucion")
@login_required
@require(Permission.WORK)
def return_case(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.ReturnForRetypification(filing_number=key,
                                        reason=form_text(request.form, "devolucion_motivo"),
                                        expected_version=form_version(request.form))
    return perform(key, command, success=_("El caso se devolvió al primer nivel para re-tipificarlo."),
                   form_name="tipificar", fields={"reason": "devolucion_motivo"}, anchor="estado")


@bp.post("/casos/<filing_number>/tomar")
@login_required
@require(Permission.TAKE)
def take(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.AssignCase(filing_number=key, assignee=actor().username,
                           expected_version=form_version(request.form))
    return perform(key, command, success=_("Ahora usted es responsable del caso."), form_name="tomar",
                   anchor="estado")


@bp.post("/casos/<filing_number>/asignacion")
@login_required
def assign(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    assignee = form_text(request.form, "asignar_responsable", 200) or None
    queue = form_text(request.form, "asignar_cola", 64) or None
    mine = assignee == actor().username
    if not (can(Permission.ASSIGN) or (mine and can(Permission.TAKE))):
        abort(403)
    command = c.AssignCase(filing_number=key, assignee=assignee, queue=queue,
                           expected_version=form_version(request.form))
    return perform(key, command, success=_("Asignación guardada."), form_name="asignar",
                   fields={"assignee": "asignar_responsable", "queue": "asignar_cola"}, anchor="estado")


@bp.post("/casos/<filing_number>/reapertura")
@login_required
@require(Permission.WORK)
def reopen(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    command = c.ReopenCase(filing_number=key, reason=form_text(request.form, "reabrir_motivo"),
                           expected_version=form_version(request.form))
    return perform(key, command, success=_("El caso se reabrió."), form_name="reabrir",
                   fields={"reason": "reabrir_motivo"}, anchor="estado")

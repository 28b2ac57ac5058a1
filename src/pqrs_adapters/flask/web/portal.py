"""The customers' portal (``/portal``): a registered requester or consultant sees their own cases (what
their visibility lets them see) with state and deadline, reads each one as the public lookup shows it,
answers a request for information, sends a counter-response after the answer, and files a new case
with the same form as the public one, their identity filled in (channel ``portal``).
"""

from __future__ import annotations

import attrs
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission, RequesterUser
from pqrs_core.domain.attachments import visible_attachments
from pqrs_core.domain.case import Case
from pqrs_core.domain.commands import RecordPortalRead, RecordRequesterReply
from pqrs_core.domain.errors import ConcurrencyConflict, DomainError, Forbidden, NotFound, ValidationError
from pqrs_core.domain.events import ReadInPortal
from pqrs_core.domain.requester_replies import (
    awaits_counter_response,
    counter_response_reopens,
    is_requester,
    writes_as_requester,
)
from pqrs_core.domain.values import MAX_LONG_TEXT, Actor, FilingNumber, Requester, RequesterKind
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from ...accounts import get_user
from ...presentation import error_message
from . import case_form, uploads
from .auth import login_required
from .common import (
    actor,
    can,
    catalog,
    deadline,
    engine,
    form_text,
    form_version,
    labels,
    now,
    pqrs,
    require,
)
from .public_view import PublicLetter, public_case, public_state_label

bp = Blueprint("portal", __name__, url_prefix="/portal")
PAGE_SIZE = 20
CHANNEL = "portal"


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    cursor = request.args.get("despues") or None
    try:
        page = pqrs().cases(CaseQuery(after=cursor, limit=PAGE_SIZE), actor())
    except ValidationError:  # a cursor changed by hand: the first page, and a word about it
        flash(_("El enlace de paginación no es válido: se muestra la primera página."), "error")
        cursor, status = None, 400
        page = pqrs().cases(CaseQuery(limit=PAGE_SIZE), actor())
    else:
        status = 200
    me = actor().username

    def row(c: Case) -> dict[str, object]:
        own = is_requester(c, me)
        return {"case": c, "own": own, "state": public_state_label(c, own), "deadline": deadline(c),
                "needs_reply": own and c.state_category is StateCategory.WAITING}

    # What waits for the person comes first, on the first page: the cases where we asked them something.
    waiting = pqrs().cases(CaseQuery(state_categories=(StateCategory.WAITING,), limit=PAGE_SIZE), actor())
    pending = [row(c) for c in waiting.cases if is_requester(c, me)] if cursor is None else []
    next_url = url_for("portal.index", despues=page.next_cursor) if page.next_cursor else None
    return render_template("portal/index.html", rows=[row(c) for c in page.cases], pending=pending,
                           labels=labels(), next_url=next_url,
                           first_url=url_for("portal.index") if cursor else None,
                           can_file=can(Permission.FILE)), status


def _visible_case(filing_number: str) -> tuple[str, Case]:
    try:
        key = str(FilingNumber.parse(filing_number))
        return key, pqrs().case(key, actor())
    except (ValidationError, NotFound):
        abort(404)


def _writing(case: Case) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """``(form, notice)``: the texts of the form the requester writes to us with, for the case's
    situation, or else what the page says instead (``None``: neither). Who may write as the requester
    and whether a counter-response still reopens the case are the core's rules, as when it is sent."""
    if not can(Permission.REPLY):
        return None, None
    cat = catalog()
    if not writes_as_requester(case, actor(), cat):
        if not (case.is_open or awaits_counter_response(case, cat)):
            return None, None
        return None, {"heading": _("Solo el peticionario puede responder"),
                      "text": _("Este caso es de %(name)s: lo que pedimos y lo que respondemos en él lo "
                                "contesta esa persona desde su propia cuenta, para que cuente como suyo.",
                                name=case.requester.display_name)}
    if case.state_category is StateCategory.WAITING:
        return {"heading": _("Enviar la información solicitada"), "label": _("Su respuesta"),
                "button": _("Enviar respuesta"),
                "help": _("Al recibirla seguimos con su caso y el término de respuesta vuelve a "
                          "correr.")}, None
    if case.is_open:
        return {"heading": _("Escribir un mensaje sobre su caso"), "label": _("Su mensaje"),
                "button": _("Enviar mensaje"), "help": ""}, None
    if not awaits_counter_response(case, cat):
        return None, None
    settings = pqrs().deps.settings
    if counter_response_reopens(case, cat, now(), settings.as_guard_settings()):
        return {"heading": _("¿No está de acuerdo con la respuesta?"), "label": _("Su contrarrespuesta"),
                "button": _("Enviar contrarrespuesta"),
                "help": _("Si la envía dentro de los %(n)d días siguientes a la respuesta, reabrimos su "
                          "caso.", n=settings.counter_response_window_days)}, None
    new_case = url_for("portal.new_case") if can(Permission.FILE) else url_for("public.file_case")
    answered = labels().local(case.responded_at) if case.responded_at else ""
    return None, {"heading": _("Terminó el plazo para la contrarrespuesta"),
                  "text": _("Respondimos su caso el %(d)s y ya pasó el plazo para enviar una "
                            "contrarrespuesta que lo reabra. Si no está de acuerdo con la respuesta o "
                            "necesita algo más, radique una nueva PQRS y cite el radicado %(n)s.", d=answered,
                            n=case.filing_number),
                  "link": new_case, "link_label": _("Radicar una nueva PQRS")}


def _case_page(key: str, case: Case, *, message: str = "", errors: dict[str, str] | None = None,
               status: int = 200) -> tuple[str, int]:
    names = labels()
    view = public_case(case, pqrs().history(key, actor()), names, own=is_requester(case, actor().username))
    reply, notice = _writing(case)
    attachments = visible_attachments(case, catalog().permissions(actor()))

    def letter_url(letter: PublicLetter) -> str:
        return url_for("case_page.adjuntos.download", filing_number=key, attachment_id=letter.attachment_id)
    return render_template("portal/case.html", view=view, labels=names, reply=reply, notice=notice,
                           message=message, attachments=attachments, letter_url=letter_url,
                           errors=errors or {}, max_files=uploads.MAX_FILES,
                           max_file_mb=uploads.max_file_mb(), allowed_types=uploads.allowed_types(),
                           accept=uploads.accept_attribute()), status


@bp.get("/casos/<filing_number>")
@login_required
def case_page(filing_number: str) -> ResponseReturnValue:
    key, case = _visible_case(filing_number)
    return _case_page(key, _read_by_requester(key, case))


def _read_by_requester(key: str, case: Case) -> Case:
    """The requester who opens the answered case here is notified of its answer, at this instant
    (CPACA art. 56: from when the addressee accesses it); recorded once (``delivery.portal_read``)."""
    if case.responded_at is None or not is_requester(case, actor().username):
        return case
    try:
        read: Case = pqrs().handle(RecordPortalRead(filing_number=key), actor())
    except DomainError:
        return case  # the page is shown all the same; the next visit records it
    return read


def _reply_after_reading(key: str, command: RecordRequesterReply) -> Case:
    """Record the reply; the page it was written on may predate only the recording of its own reading
    (``_read_by_requester``), which changes nothing the reply depends on."""
    try:
        replied: Case = pqrs().handle(command, actor())
        return replied
    except ConcurrencyConflict:
        fresh = pqrs().case(key, actor())
        last = pqrs().history(key, actor())[-1:]
        if (command.expected_version is None or fresh.version != command.expected_version + 1
                or not isinstance(last[0] if last else None, ReadInPortal)):
            raise
    again: Case = pqrs().handle(attrs.evolve(command, expected_version=None), actor())
    return again


@bp.post("/casos/<filing_number>/mensajes")
@login_required
@require(Permission.REPLY)
@uploads.takes_files
def reply(filing_number: str) -> ResponseReturnValue:
    key, case = _visible_case(filing_number)
    message = form_text(request.form, "mensaje", MAX_LONG_TEXT + 1)
    errors: dict[str, str] = {}
    if not message:
        errors["mensaje"] = _("Escriba su mensaje.")
    elif len(message) > MAX_LONG_TEXT:
        errors["mensaje"] = _("El mensaje admite como máximo %(n)d caracteres.", n=MAX_LONG_TEXT)
    files, file_error = uploads.read_uploads(request.files)
    if file_error:
        errors[uploads.FILE_FIELD] = file_error
    if errors:
        return _case_page(key, case, message=message, errors=errors, status=422)
    command = RecordRequesterReply(filing_number=key, message=message,
                                   expected_version=form_version(request.form))
    try:
        case = _reply_after_reading(key, command)
    except ConcurrencyConflict:
        fresh = pqrs().case(key, actor())
        errors["mensaje"] = _("El caso cambió mientras usted escribía: revise los mensajes nuevos y envíe el "
                              "suyo otra vez (lo conservamos abajo).")
        return _case_page(key, fresh, message=message, errors=errors, status=409)
    except DomainError as exc:
        errors["mensaje"] = error_message(exc)
        return _case_page(key, case, message=message, errors=errors,
                          status=403 if isinstance(exc, Forbidden) else 422)
    case, failed = uploads.attach(case, files, actor())
    flash(_("Recibimos su mensaje."), "success")
    if failed:
        flash(_("Estos archivos no se pudieron adjuntar: %(files)s", files="; ".join(failed)), "warning")
    return redirect(url_for("portal.case_page", filing_number=key))


def _identity(who: Actor) -> Requester:
    """The requester data of ``who``: as given in their latest case, or from their account."""
    mine = CaseQuery(visible=RequesterUser(frozenset({who.username})), limit=1)
    latest = pqrs().cases(mine, who).cases
    if latest:
        return latest[0].requester
    user = get_user(engine(), who.username)
    return Requester(kind=RequesterKind.PERSON, full_name=user.display_name if user else None,
                     email=user.email if user else None, user=who.username)


@bp.route("/nuevo", methods=["GET", "POST"])
@login_required
@require(Permission.FILE)
@uploads.takes_files
def new_case() -> ResponseReturnValue:
    identity = _identity(actor())
    form = case_form.blank(identity)
    status = 200
    if request.method == "POST":
        form = case_form.read(request.form, request.files, identity=identity)
        case = None
        if not form.errors:
            case = case_form.file(form, channel=CHANNEL, actor=actor(), identity=identity)
        if case is not None:
            due = labels().local(case.resolution_due) if case.resolution_due else _("sin término")
            message = _("Radicamos su caso %(n)s. Fecha máxima de respuesta: %(due)s.", n=case.filing_number,
                        due=due)
            if case.requester.email:
                message += " " + _("Le enviamos una constancia a %(email)s.", email=case.requester.email)
            flash(message, "success")
            return redirect(url_for("portal.case_page", filing_number=str(case.filing_number)))
        status = 422
    return render_template("portal/new_case.html", **case_form.context(form, public=False)), status


uploads.exempt_from_global_csrf(bp, reply, new_case)

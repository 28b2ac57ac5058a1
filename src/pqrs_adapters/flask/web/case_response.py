"""The response to the requester: written, previewed as the e-mail they will receive (the real mail
template, rendered with the real notification's data), then sent, and the case closed if asked."""

from __future__ import annotations

import attrs
from flask import Blueprint, Response, flash, request
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.access import Permission
from pqrs_core.domain.answers import CannedAnswer, macro_commands
from pqrs_core.domain.case import Case
from pqrs_core.domain.letters import Letter, letter_for
from pqrs_core.domain.notifications import notifications_for

from ...mail.render import RenderedMail
from ...mail.wiring import renderer_from_config
from ...surveys import PATH as SURVEY_PATH
from ...surveys import survey_links, with_survey
from ..uploads import content_disposition
from .auth import login_required
from .case_answers import usable_answer
from .case_cause import cause_missing
from .case_internal import merged_answers
from .case_view import PageAnswer, case_key, conflict_for, load, perform, render_case
from .common import actor, catalog, config, engine, form_text, form_version, now, pqrs, require
from .handling_time import seconds_since_opened

bp = Blueprint("respuesta", __name__)
FIELDS = {"text": "respuesta_texto", "solution": "respuesta_solucion"}


@attrs.frozen
class MailPreview:
    """What the requester will receive: to whom, and the message (``None`` without an e-mail address:
    the response is recorded but nobody is written to)."""

    to: str | None
    mail: RenderedMail | None
    # The official letter (PDF) that goes with the response, when the organisation issues one.
    letter: Letter | None = None
    needs_approval: bool = False  # the response is drafted for a second person's approval


def response_preview(case: Case, text: str, solution: str | None) -> MailPreview:
    """The e-mail responding would send: the notification the core would queue for the response,
    rendered by the renderer the mail worker uses."""
    responded = ev.CaseResponded(case_id=case.id, actor=actor().username, occurred_at=now(),
                                 text=text.strip(), solution=(solution or text).strip())
    preview = mail_preview(case, responded, "response", case.requester.email)
    return attrs.evolve(preview, letter=response_letter(case, responded),
                        needs_approval=pqrs().deps.response_needs_approval)


def response_letter(case: Case, responded: ev.CaseResponded) -> Letter | None:
    """The letter responding would issue (signed by the person answering), or ``None`` when the
    organisation issues no response letters."""
    deps = pqrs().deps
    settings = deps.settings
    if deps.documents is None or "response" not in settings.letters:
        return None
    return letter_for(case, responded, letterhead=settings.issued_letterhead(),
                      signer=deps.signer(responded.actor), timezone=settings.timezone)


def mail_preview(case: Case, event: ev.DomainEvent, template: str, to: str | None) -> MailPreview:
    """The e-mail ``event`` would send to ``to`` (``template``): the notification the core would queue
    for it, rendered by the renderer the mail worker uses (no mail when it would queue none)."""
    notes = [n for n in notifications_for(case, [event], lambda: "vista-previa", event.occurred_at)
             if n.template == template]
    if not notes:
        return MailPreview(to=None, mail=None)
    note = notes[0]
    links = survey_links(config())
    context = with_survey(links, note.template, case.id, note.created_at, dict(note.context))
    if "survey_url" in context:  # the real link would let whoever previews answer for the requester
        context["survey_url"] = f"{links.public_url}{SURVEY_PATH}vista-previa"
    renderer = renderer_from_config(config(), catalog(), engine())
    mail = renderer.render(note.template, note.filing_number, context, recipient=note.recipient)
    return MailPreview(to=to, mail=mail)


def _respond_with_macro(key: str, macro: CannedAnswer, text: str, solution: str | None,
                        close: bool, denied: bool) -> PageAnswer:
    """Send the response with ``macro``, all or nothing: its field changes first (a responded case is
    no longer edited), then the response (closing the case too when the macro or the person says so),
    then the macro's other transition, each a command of its own in the history. What the core
    refuses of any of them is said, and nothing is done."""
    form = request.form
    case, _history = load(key)
    if form_version(form) not in (None, case.version):
        return render_case(key, typed=form, conflict=conflict_for(key, form), open_form="respuesta",
                           status=409)
    plan = macro_commands(macro, case)
    close = (close or plan.closes) and not cause_missing(case)  # it closes once its root cause is recorded
    success = _("Respuesta enviada y caso cerrado; se aplicó la macro «%(t)s».", t=macro.title) if close \
        else _("Respuesta enviada; se aplicó la macro «%(t)s».", t=macro.title)
    response = c.RespondCase(filing_number=key, text=text, solution=solution, close=close,
                             access_denied=denied, handling_seconds=seconds_since_opened())
    return perform(key, c.RespondWithMacro(
        filing_number=key, response=response, changes=plan.changes,
        transition=None if plan.closes else plan.transition, expected_version=case.version),
        success=success, form_name="respuesta", fields=FIELDS, anchor="historia")


@bp.post("/casos/<filing_number>/respuesta")
@login_required
@require(Permission.WORK)
def respond(filing_number: str) -> PageAnswer:
    """``accion``: ``vista_previa`` shows the e-mail; ``oficio`` gives the letter's PDF as it would be
    issued; ``editar`` goes back to the text; ``insertar_areas`` adds the answers of the internal
    requests; ``enviar`` and ``enviar_y_cerrar`` send it."""
    key = case_key(filing_number)
    form = request.form
    step = form_text(form, "accion", 30)
    text = form_text(form, "respuesta_texto")
    solution = form_text(form, "respuesta_solucion") or None
    if step in ("enviar", "enviar_y_cerrar"):
        close = step == "enviar_y_cerrar"
        success = _("Respuesta enviada y caso cerrado.") if close else _("Respuesta enviada al peticionario.")
        waits_for_cause = close and cause_missing(load(key)[0])
        if waits_for_cause:  # the case closes once its root cause is recorded
            close = False
            success = _("Respuesta enviada. Registre la causa raíz para cerrar el caso.")
        if pqrs().deps.response_needs_approval:  # the closing, if any, waits for the approval too
            success = _("Respuesta enviada a aprobación: sale con su oficio cuando otra persona la apruebe.")
            if waits_for_cause:
                success = _("Respuesta enviada a aprobación: sale con su oficio cuando otra persona la "
                            "apruebe. Registre la causa raíz para cerrar el caso.")
        # A response that refuses the information asked for (reserved or classified, Ley 1712 de 2014
        # arts. 18-19): the public report of requests counts them.
        denied = form.get("respuesta_acceso_negado") == "1"
        macro = usable_answer(form.get("macro")) if form.get("aplicar_macro") else None
        if macro is not None and macro.is_macro and text:
            if not pqrs().deps.response_needs_approval:
                return _respond_with_macro(key, macro, text, solution, close, denied)
            # Approval pending, nothing is sent yet: the macro's changes are not made for a response
            # that may still be returned to its author.
            success = _("Respuesta enviada a aprobación: sale con su oficio cuando otra persona la "
                        "apruebe. La macro «%(t)s» no se aplicó: haga sus cambios a mano si los necesita.",
                        t=macro.title)
        return perform(key, c.RespondCase(filing_number=key, text=text, solution=solution, close=close,
                                          access_denied=denied, expected_version=form_version(form),
                                          handling_seconds=seconds_since_opened()),
                       success=success, form_name="respuesta", fields=FIELDS, anchor="historia")
    if step == "insertar_areas":  # the areas' answers appended to what was typed (seed 004)
        case, _history = load(key)
        typed = dict(form.items())
        typed["respuesta_texto"] = "\n\n".join(t for t in (text, merged_answers(case.internal_requests)) if t)
        return render_case(key, typed=typed, open_form="respuesta")
    if step == "editar" or not text:
        errors = {} if step == "editar" else {"respuesta_texto": _("Escriba la respuesta.")}
        if errors:
            flash(_("Escriba la respuesta antes de ver cómo le llegará al peticionario."), "error")
        return render_case(key, typed=form, errors=errors, open_form="respuesta",
                           status=200 if step == "editar" else 422)
    case, _history = load(key)
    preview = response_preview(case, text, solution)
    if step == "oficio" and preview.letter is not None:
        return letter_download(preview.letter)
    stale = form_version(form) not in (None, case.version)
    return render_case(key, typed=form, open_form="respuesta", preview=preview,
                       conflict=conflict_for(key, form) if stale else None)


def letter_download(letter: Letter) -> Response:
    """The letter typeset as it would be issued, as a download (nothing is stored or sent)."""
    documents = pqrs().deps.documents
    assert documents is not None
    response = Response(documents.render(letter), mimetype=documents.media_type)
    response.headers["Content-Disposition"] = content_disposition(f"borrador-{letter.filename}")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


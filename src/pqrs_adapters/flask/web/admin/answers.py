"""Canned answers and macros, under ``/admin/respuestas``: listed (with how often each was used),
searched, created, edited with a preview (on an example case or a real one), switched on and off and
deleted. For administrators and supervisors (``catalog.admin`` or ``case.assign``); a personal answer
is only its owner's to see and change."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.answers import (
    VARIABLES,
    AnswerDraft,
    CannedAnswer,
    MacroActions,
    sample_context,
    search_answers,
    transition_names,
)
from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.values import FilingNumber

from ....answering import checked_draft, context_for
from ....sandbox import TemplateProblem, render_sandboxed
from ....sqlalchemy.answer_store import create_answer, delete_answer, get_answer, list_answers, update_answer
from ..auth import login_required
from ..common import actor, catalog, engine, labels, now, pqrs, typification_choices
from .support import bp, checked, chosen, require_any, sentence, tabs, text

FIELDS = {"title": "titulo", "body": "texto", "typifications": "tipificaciones", "kinds": "tipos",
          "macro.priority": "macro_prioridad", "macro.typification": "macro_tipificacion",
          "macro.queue": "macro_cola", "macro.transition": "macro_accion"}
MANAGE = (Permission.CATALOG, Permission.ASSIGN)


def _answer(answer_id: int) -> CannedAnswer:
    found = get_answer(engine(), answer_id)
    if found is None or not found.visible_to(actor().username):
        abort(404)
    return found


def _read() -> AnswerDraft:
    macro = MacroActions(priority=text("macro_prioridad", 64) or None,
                         typification=text("macro_tipificacion", 200) or None,
                         queue=text("macro_cola", 64) or None, transition=text("macro_accion", 64) or None)
    return AnswerDraft(title=text("titulo", 400), body=request.form.get("texto", "")[:25_000],
                       typifications=tuple(chosen("tipificaciones")), kinds=tuple(chosen("tipos")),
                       personal=checked("personal"), active=checked("activa"), macro=macro)


def _transition_choices() -> list[tuple[str, str]]:
    names = labels()
    found: dict[str, str] = {}
    for workflow in catalog().workflows:
        for t in workflow.transitions:
            if t.name in transition_names(catalog()) and t.name not in found:
                found[t.name] = names.transition(workflow.code, t.name)
    return sorted(found.items(), key=lambda pair: pair[1].casefold())


def _preview(draft: AnswerDraft) -> dict[str, Any]:
    """The draft rendered on the case whose filing number was typed (if the person may see it), or on
    example values: ``{"text": ..., "on": ...}`` or ``{"error": ...}``."""
    app = pqrs()
    typed = text("radicado_ejemplo", 40)
    agent = labels([actor().username]).user(actor().username)
    if typed:
        try:
            case = app.case(str(FilingNumber.parse(typed)), actor())
        except (ValidationError, NotFound):
            return {"error": _("No hay un caso %(n)s que usted pueda ver.", n=typed)}
        context, on = context_for(app, case, agent), str(case.filing_number)
    else:
        settings = app.deps.settings
        context = sample_context(catalog(), now=now(), zone=ZoneInfo(settings.timezone), agent_name=agent,
                                 organisation=settings.organisation_name)
        on = None
    try:
        return {"text": render_sandboxed(draft.body, context).strip(), "on": on}
    except TemplateProblem as exc:
        return {"error": exc.message}


def _form(answer: CannedAnswer | None, values: AnswerDraft, errors: dict[str, str], status: int,
          preview: dict[str, Any] | None = None) -> tuple[str, int]:
    cat = catalog()
    page = render_template(
        "admin/answer_form.html", answer=answer, values=values, errors=errors, tabs=tabs(), preview=preview,
        kinds=[(k.code, k.label) for k in cat.kinds if k.active],
        priorities=[(p.code, p.label) for p in cat.priorities],
        queues=[(q.code, q.label) for q in cat.queues if q.active],
        typifications=typification_choices(), typification_nodes=_typification_nodes(),
        transitions=_transition_choices(), variables=VARIABLES,
        example=text("radicado_ejemplo", 40))
    return page, status


def _save(answer: CannedAnswer | None) -> Response | tuple[str, int]:
    draft = _read()
    if request.form.get("accion") == "vista_previa":
        return _form(answer, draft, {}, 200, preview=_preview(draft))
    try:
        draft = checked_draft(pqrs(), draft)
    except ValidationError as exc:
        errors = {FIELDS.get(field, field): sentence(message) for field, message in exc.errors.items()}
        return _form(answer, draft, errors, 422)
    who = actor().username
    if answer is None:
        saved = create_answer(engine(), draft, now(), actor=who)
    else:
        saved = update_answer(engine(), answer, draft, now(), actor=who)
    flash(_("Se guardó la respuesta tipo «%(t)s».", t=saved.title), "success")
    return redirect(url_for("admin.answers"))


@bp.get("/respuestas")
@login_required
@require_any(*MANAGE)
def answers() -> str:
    query = request.args.get("q", "")[:200]
    found = search_answers(list_answers(engine(), visible_to=actor().username), query)
    return render_template("admin/answers.html", answers=found, query=query, tabs=tabs(), labels=labels(),
                           typification_label=_typification_label)


def _typification_nodes() -> list[tuple[str, str]]:
    """Every active node of the tree, categories included, by its full path («Financiera › Cobro»)."""
    tree = catalog().typifications
    return sorted(((n.code, _typification_label(n.code)) for n in tree if n.active),
                  key=lambda pair: pair[1].casefold())


def _typification_label(code: str) -> str:
    tree = catalog().typifications
    return " › ".join(n.label for n in tree.ancestors(code)) if code in tree else code


@bp.route("/respuestas/nueva", methods=["GET", "POST"])
@login_required
@require_any(*MANAGE)
def answer_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _form(None, AnswerDraft(title="", body=""), {}, 200)
    return _save(None)


@bp.route("/respuestas/<int(max=2147483647):answer_id>", methods=["GET", "POST"])
@login_required
@require_any(*MANAGE)
def answer_edit(answer_id: int) -> Response | tuple[str, int]:
    answer = _answer(answer_id)
    if request.method == "GET":
        return _form(answer, answer.draft, {}, 200)
    return _save(answer)


@bp.post("/respuestas/<int(max=2147483647):answer_id>/activa")
@login_required
@require_any(*MANAGE)
def answer_toggle(answer_id: int) -> Response:
    answer = _answer(answer_id)
    active = checked("activa")
    update_answer(engine(), answer, attrs.evolve(answer.draft, active=active), now(), actor=actor().username)
    flash(_("Se activó la respuesta tipo «%(t)s».", t=answer.title) if active else
          _("Se desactivó la respuesta tipo «%(t)s»: ya no se ofrece en los casos.", t=answer.title),
          "success")
    return redirect(url_for("admin.answers"))


@bp.post("/respuestas/<int(max=2147483647):answer_id>/eliminar")
@login_required
@require_any(*MANAGE)
def answer_delete(answer_id: int) -> Response:
    answer = _answer(answer_id)
    delete_answer(engine(), answer, now(), actor=actor().username)
    flash(_("Se eliminó la respuesta tipo «%(t)s».", t=answer.title), "success")
    return redirect(url_for("admin.answers"))

"""Canned answers and knowledge-base articles on the case page: the picker in the response, note and
information-request forms (the answers for the case's typification first, then the others, narrowed by
a search; then the articles suggested for the case, to quote), inserting one with the case's data
filled in, what a macro will also change, and linking an article to the case.

Without JavaScript, «Insertar» posts the form it sits in (what was typed travels with it) and the page
comes back with the answer appended to the text, ready to review; «Buscar» narrows the list the same
way. With JavaScript (``answers.js``) choosing an answer shows its preview and «Insertar» puts it at the
cursor without leaving the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.answers import AnswerChoices, CannedAnswer
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import DomainError
from pqrs_core.domain.knowledge import Article

from ...answering import choices_for, render_for_case
from ...markdown import plain_text
from ...presentation import Labels, error_message
from ...sandbox import TemplateProblem
from ...sqlalchemy.answer_store import count_use, get_answer
from ...sqlalchemy.kb_store import (
    get_article,
    link_article,
    linked_articles,
    suggest_articles,
    unlink_article,
)
from .auth import login_required
from .case_view import PageAnswer, case_key, load, render_case
from .common import actor, can, engine, form_text, labels, now, pqrs

bp = Blueprint("respuestas_tipo", __name__)

# The text fields an answer may be inserted in, the form each belongs to and who may use it.
TARGETS: Mapping[str, tuple[str, Permission]] = {
    "respuesta_texto": ("respuesta", Permission.WORK),
    "nota_texto": ("nota", Permission.NOTE),
    "info_mensaje": ("informacion", Permission.WORK),
}
PICKER_FIELDS = frozenset({"respuesta_tipo", "destino", "buscar_respuesta", "accion_respuesta_tipo",
                           "macro", "aplicar_macro"})


@attrs.frozen
class AnswerPicker:
    """What the case page offers: the answers, the search that narrowed them, and the macro the response
    form carries (inserted earlier), with what it will change."""

    choices: AnswerChoices
    query: str
    macro: CannedAnswer | None = None
    macro_changes: tuple[str, ...] = ()
    articles: tuple[Article, ...] = ()  # knowledge-base articles to quote (suggested, then linked)

    @property
    def empty(self) -> bool:
        return not len(self.choices) and not self.articles


def macro_changes(answer: CannedAnswer, names: Labels, workflow: str) -> tuple[str, ...]:
    """What applying ``answer``'s macro does, in words («Prioridad: Alta», «Cerrar»)."""
    macro = answer.macro
    said: list[str] = []
    if macro.priority:
        said.append(_("Prioridad: %(p)s", p=names.priority(macro.priority)))
    if macro.typification:
        tree = names.catalog.typifications
        label = " › ".join(n.label for n in tree.ancestors(macro.typification)) \
            if macro.typification in tree else macro.typification
        said.append(_("Tipificación: %(t)s", t=label))
    if macro.queue:
        said.append(_("Cola: %(q)s", q=names.queue(macro.queue)))
    if macro.transition:
        said.append(names.transition(workflow, macro.transition))
    return tuple(said)


def usable_answer(value: Any) -> CannedAnswer | None:
    """The active answer with id ``value`` the logged-in person may use, if any."""
    raw = value.strip() if isinstance(value, str) else ""
    if not raw.isdecimal() or len(raw) > 9:
        return None
    answer = get_answer(engine(), int(raw))
    if answer is None or not answer.active or not answer.visible_to(actor().username):
        return None
    return answer


def answer_picker(case: Case, typed: Mapping[str, Any],
                  articles: CaseArticles | None = None) -> AnswerPicker | None:
    """The picker for ``case`` (``None`` when there is nothing to offer at all)."""
    query = typed.get("buscar_respuesta", "")
    query = query.strip()[:200] if isinstance(query, str) else ""
    choices = choices_for(engine(), pqrs(), case, actor(), query)
    quotable = tuple((articles or case_articles(case)).quotable)
    if not len(choices) and not quotable and not query:
        return None
    macro = usable_answer(typed.get("macro"))
    if macro is not None and not macro.is_macro:
        macro = None
    changes = macro_changes(macro, labels(), case.workflow) if macro is not None else ()
    return AnswerPicker(choices=choices, query=query, macro=macro, macro_changes=changes, articles=quotable)


@attrs.frozen
class CaseArticles:
    """The knowledge-base articles the case page offers: suggested for the case's typification and
    subject, and those already linked to it."""

    suggested: tuple[Article, ...]
    linked: tuple[Article, ...]

    @property
    def quotable(self) -> list[Article]:
        found: dict[int, Article] = {}
        for article in (*self.linked, *self.suggested):
            found.setdefault(article.id, article)
        return list(found.values())


def case_articles(case: Case) -> CaseArticles:
    tree = pqrs().catalog().typifications
    nodes = [n.code for n in tree.ancestors(case.typification.code)] \
        if case.typification is not None and case.typification.code in tree else []
    linked = tuple(linked_articles(engine(), str(case.filing_number)))
    linked_ids = {a.id for a in linked}
    suggested = tuple(a for a in suggest_articles(engine(), case.subject, public_only=False,
                                                  typifications=nodes) if a.id not in linked_ids)
    return CaseArticles(suggested=suggested, linked=linked)


def quote(article: Article) -> str:
    """An article as text for a response: its title, its text and, for a public one, its address."""
    parts = [article.title, plain_text(article.body)]
    if article.for_the_public:
        parts.append(_("Más información: %(url)s", url=url_for("public.help_article", slug=article.slug,
                                                              _external=True)))
    return "\n\n".join(parts)


def _agent() -> str:
    return labels([actor().username]).user(actor().username)


@bp.post("/casos/<filing_number>/respuesta-tipo")
@login_required
def insert(filing_number: str) -> PageAnswer | Response:
    """``accion_respuesta_tipo``: ``buscar`` narrows the list, ``insertar`` appends the chosen answer
    (filled with the case's data) to the field ``destino``. With ``formato=json`` (the page's script),
    the filled text as JSON instead of the page."""
    key = case_key(filing_number)
    form = request.form
    target = form_text(form, "destino", 40)
    if target not in TARGETS:
        abort(400)
    form_name, permission = TARGETS[target]
    if not can(permission):
        abort(403)
    typed = {name: value for name, value in form.items()}
    wants_json = form_text(form, "formato", 10) == "json"
    if form_text(form, "accion_respuesta_tipo", 20) == "buscar":
        return render_case(key, typed=typed, open_form=form_name)
    chosen = form.get("respuesta_tipo", "")
    if isinstance(chosen, str) and chosen.startswith("kb:"):
        return _quote_article(key, chosen, typed, target, form_name, wants_json)
    answer = usable_answer(chosen)
    if answer is None:
        message = _("Elija una respuesta tipo de la lista.")
        if wants_json:
            return _json_problem(message, 422)
        flash(message, "error")
        return render_case(key, typed=typed, open_form=form_name, status=422)
    case, _history = load(key)
    try:
        text = render_for_case(pqrs(), answer, case, _agent())
    except TemplateProblem as exc:
        message = _("No se pudo usar la respuesta tipo «%(t)s»: %(e)s Avise a quien la escribió.",
                    t=answer.title, e=exc.message)
        if wants_json:
            return _json_problem(message, 422)
        flash(message, "error")
        return render_case(key, typed=typed, open_form=form_name, status=422)
    count_use(engine(), answer.id)
    macro = answer.is_macro and target == "respuesta_texto"
    if wants_json:
        changes = list(macro_changes(answer, labels(), case.workflow)) if macro else []
        return jsonify({"title": answer.title, "text": text, "macro": answer.id if macro else None,
                        "macro_changes": changes})
    current = typed.get(target, "").rstrip()
    typed[target] = f"{current}\n\n{text}" if current else text
    if macro:
        typed["macro"] = str(answer.id)
        typed["aplicar_macro"] = "1"
    flash(_("Se insertó «%(t)s» con los datos del caso: revise el texto antes de enviarlo.", t=answer.title),
          "success")
    return render_case(key, typed=typed, open_form=form_name)


@bp.get("/casos/<filing_number>/respuesta-tipo/<int(max=2147483647):answer_id>")
@login_required
def preview(filing_number: str, answer_id: int) -> Response:
    """An answer filled with the case's data, as JSON, for the picker's preview (not counted as a use)."""
    if not any(can(p) for _form, p in TARGETS.values()):
        abort(403)
    case, _history = load(filing_number)
    answer = usable_answer(str(answer_id))
    if answer is None:
        return _json_problem(_("Esa respuesta tipo no existe o no está disponible."), 404)
    try:
        text = render_for_case(pqrs(), answer, case, _agent())
    except TemplateProblem as exc:
        return _json_problem(_("No se pudo usar la respuesta tipo «%(t)s»: %(e)s", t=answer.title,
                               e=exc.message), 422)
    return jsonify({"title": answer.title, "text": text,
                    "macro_changes": list(macro_changes(answer, labels(), case.workflow))})


def _article(value: str) -> Article | None:
    raw = value.removeprefix("kb:")
    found = get_article(engine(), int(raw)) if raw.isdecimal() and len(raw) <= 9 else None
    return found if found is not None and found.published else None


def _quote_article(key: str, chosen: str, typed: dict[str, Any], target: str, form_name: str,
                   wants_json: bool) -> PageAnswer | Response:
    article = _article(chosen)
    if article is None:
        if wants_json:
            return _json_problem(_("Ese artículo no existe o no está publicado."), 422)
        flash(_("Ese artículo no existe o no está publicado."), "error")
        return render_case(key, typed=typed, open_form=form_name, status=422)
    text = quote(article)
    if wants_json:
        return jsonify({"title": article.title, "text": text, "macro": None, "macro_changes": []})
    current = typed.get(target, "").rstrip()
    typed[target] = f"{current}\n\n{text}" if current else text
    flash(_("Se citó el artículo «%(t)s»: revise el texto antes de enviarlo.", t=article.title), "success")
    return render_case(key, typed=typed, open_form=form_name)


@bp.get("/casos/<filing_number>/articulo/<int(max=2147483647):article_id>")
@login_required
def article_preview(filing_number: str, article_id: int) -> Response:
    """An article as it would be quoted, as JSON, for the picker's preview."""
    if not any(can(p) for _form, p in TARGETS.values()):
        abort(403)
    load(filing_number)
    article = _article(str(article_id))
    if article is None:
        return _json_problem(_("Ese artículo no existe o no está publicado."), 404)
    return jsonify({"title": article.title, "text": quote(article), "macro_changes": []})


@bp.post("/casos/<filing_number>/articulos")
@login_required
def link(filing_number: str) -> Response:
    """Link an article to the case: recorded in the case's history as a work-log note."""
    if not can(Permission.NOTE):
        abort(403)
    key = case_key(filing_number)
    load(key)
    article = _article(form_text(request.form, "articulo", 20))
    if article is None:
        abort(404)
    if link_article(engine(), key, article.id, now(), actor().username):
        try:
            pqrs().handle(c.AddNote(filing_number=key, text=_(
                "Se vinculó el artículo «%(t)s» de la base de conocimiento.", t=article.title)), actor())
        except DomainError as exc:
            unlink_article(engine(), key, article.id)
            flash(error_message(exc), "error")
            return redirect(url_for("case_page.detail", filing_number=key, _anchor="articulos"))
        flash(_("Se vinculó el artículo «%(t)s» al caso.", t=article.title), "success")
    else:
        flash(_("El artículo «%(t)s» ya estaba vinculado al caso.", t=article.title), "info")
    return redirect(url_for("case_page.detail", filing_number=key, _anchor="articulos"))


def _json_problem(message: str, status: int) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response

"""The knowledge base, under ``/admin/articulos``: articles listed with their «¿Resolvió su duda?»
counts, created and edited in Markdown with a preview, published or not, public or internal, and every
earlier version shown. For administrators and supervisors (``catalog.admin`` or ``case.assign``)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.knowledge import Article, ArticleDraft

from ....markdown import render_markdown
from ....sqlalchemy.kb_store import (
    article_versions,
    create_article,
    deflection_totals,
    get_article,
    list_articles,
    search_articles,
    update_article,
)
from ..auth import login_required
from ..common import actor, catalog, engine, labels, now, pqrs
from .answers import _typification_label, _typification_nodes
from .support import bp, checked, chosen, require_any, sentence, tabs, text

MANAGE = (Permission.CATALOG, Permission.ASSIGN)
FIELDS = {"title": "titulo", "body": "contenido", "summary": "resumen", "slug": "direccion",
          "typifications": "tipificaciones"}
RECENT_DAYS = 30


def _article(article_id: int) -> Article:
    found = get_article(engine(), article_id)
    if found is None:
        abort(404)
    return found


def _read() -> ArticleDraft:
    return ArticleDraft(title=text("titulo", 400), summary=text("resumen", 1000),
                        body=request.form.get("contenido", "")[:110_000], slug=text("direccion", 200),
                        typifications=tuple(chosen("tipificaciones")), public=checked("publico"),
                        published=checked("publicado"))


def _form(article: Article | None, values: ArticleDraft, errors: dict[str, str], status: int,
          preview: bool = False) -> tuple[str, int]:
    page = render_template("admin/article_form.html", article=article, values=values, errors=errors,
                           tabs=tabs(), typification_nodes=_typification_nodes(),
                           preview=render_markdown(values.body) if preview else None,
                           versions=article_versions(engine(), article.id) if article else [],
                           labels=labels())
    return page, status


def _save(article: Article | None) -> Response | tuple[str, int]:
    draft = _read()
    if request.form.get("accion") == "vista_previa":
        return _form(article, draft, {}, 200, preview=True)
    try:
        draft = draft.validated(catalog())
        who = actor().username
        saved = create_article(engine(), draft, now(), actor=who) if article is None else \
            update_article(engine(), article, draft, now(), actor=who)
    except ValidationError as exc:
        errors = {FIELDS.get(f, f): sentence(m) for f, m in exc.errors.items()}
        return _form(article, draft, errors, 422)
    flash(_("Se guardó el artículo «%(t)s» (versión %(v)d).", t=saved.title, v=saved.version), "success")
    return redirect(url_for("admin.articles"))


@bp.get("/articulos")
@login_required
@require_any(*MANAGE)
def articles() -> str:
    query = request.args.get("q", "")[:200]
    found = search_articles(engine(), query, public_only=False) if query.strip() else \
        list_articles(engine(), include_drafts=True)
    today = now().astimezone(ZoneInfo(pqrs().deps.settings.timezone)).date()
    return render_template("admin/articles.html", articles=found, query=query, tabs=tabs(),
                           totals=deflection_totals(engine()),
                           recent=deflection_totals(engine(), since=today - timedelta(days=RECENT_DAYS - 1)),
                           recent_days=RECENT_DAYS, typification_label=_typification_label)


@bp.route("/articulos/nuevo", methods=["GET", "POST"])
@login_required
@require_any(*MANAGE)
def article_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _form(None, ArticleDraft(title="", body=""), {}, 200)
    return _save(None)


@bp.route("/articulos/<int(max=2147483647):article_id>", methods=["GET", "POST"])
@login_required
@require_any(*MANAGE)
def article_edit(article_id: int) -> Response | tuple[str, int]:
    article = _article(article_id)
    if request.method == "GET":
        return _form(article, article.draft, {}, 200)
    return _save(article)


@bp.get("/articulos/<int(max=2147483647):article_id>/versiones/<int(max=2147483647):version>")
@login_required
@require_any(*MANAGE)
def article_version(article_id: int, version: int) -> str:
    article = _article(article_id)
    found = next((v for v in article_versions(engine(), article_id) if v.version == version), None)
    if found is None:
        abort(404)
    return render_template("admin/article_version.html", article=article, version=found, tabs=tabs(),
                           body=render_markdown(found.body), labels=labels())

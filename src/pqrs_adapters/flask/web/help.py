"""The public help, without an account: ``/ayuda`` lists and searches the public articles of the
knowledge base, ``/ayuda/<slug>`` shows one with «¿Resolvió su duda?» (counted per article and day:
the deflections the reports and the article list show), and ``/ayuda/sugerencias`` gives, as JSON, the
articles matching a subject being typed on ``/radicar`` (rate-limited per client, like the other public
endpoints)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ...markdown import render_markdown
from ...sqlalchemy.kb_store import find_article, record_deflection, search_articles, suggest_articles
from .abuse import HELP_SUGGESTIONS, HELP_VOTES, count_attempt
from .common import engine, now, pqrs

MAX_QUERY = 200
SUGGESTIONS = 5


def index() -> str:
    query = request.args.get("q", "")[:MAX_QUERY]
    articles = search_articles(engine(), query, public_only=True)
    return render_template("public/help.html", articles=articles, query=query)


def article(slug: str) -> str:
    found = find_article(engine(), slug[:100])
    if found is None or not found.for_the_public:
        abort(404)
    zone = ZoneInfo(pqrs().deps.settings.timezone)
    updated = found.updated_at.astimezone(zone).strftime("%d/%m/%Y") if found.updated_at else "—"
    return render_template("public/help_article.html", article=found, body=render_markdown(found.body),
                           voted=request.args.get("voto"), updated=updated)


def vote(slug: str) -> Response:
    """«¿Resolvió su duda?»: ``util`` is ``si`` or ``no``."""
    found = find_article(engine(), slug[:100])
    if found is None or not found.for_the_public:
        abort(404)
    answer = request.form.get("util", "")
    if answer not in ("si", "no"):
        abort(400)
    if count_attempt(HELP_VOTES):
        today = now().astimezone(ZoneInfo(pqrs().deps.settings.timezone)).date()
        record_deflection(engine(), found.id, today, answer == "si")
    if answer == "si":
        flash(_("¡Gracias! Nos alegra haberle ayudado."), "success")
    else:
        flash(_("Gracias por contarnos. Si necesita que le respondamos, radique su solicitud."), "info")
    return redirect(url_for("public.help_article", slug=found.slug, voto=answer, _anchor="util"))


def suggestions() -> Response:
    """The public articles for ``asunto`` (what is being typed), as ``{"items": [{title, summary,
    url}]}``; a 429 with an empty list when this client asked too often."""
    text = request.args.get("asunto", "")[:MAX_QUERY]
    if not count_attempt(HELP_SUGGESTIONS):
        response = jsonify({"items": []})
        response.status_code = 429
        return response
    found = suggest_articles(engine(), text, public_only=True, limit=SUGGESTIONS) if text.strip() else []
    return jsonify({"items": [{"title": a.title, "summary": a.summary,
                               "url": url_for("public.help_article", slug=a.slug)} for a in found]})

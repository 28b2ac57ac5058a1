"""The knowledge base in the web: written in /admin/articulos (every edit kept), read and searched by the
public on /ayuda with «¿Resolvió su duda?» counted, suggested on /radicar as the subject is typed, and
suggested, linked and quoted on the case page."""

from __future__ import annotations

import html
import re
from typing import Any

from pqrs_adapters.config import ClientAddresses
from pqrs_adapters.flask.web.abuse import HELP_SUGGESTIONS, Limit, limits_from
from pqrs_adapters.sqlalchemy.kb_store import (
    article_versions,
    create_article,
    deflection_totals,
    linked_articles,
    list_articles,
)
from pqrs_core.domain import commands as c
from pqrs_core.domain.knowledge import Article, ArticleDraft

from .conftest import Site

FORM = {"titulo": "¿Cómo solicito una devolución?", "resumen": "Plazos y requisitos",
        "contenido": "Tiene **30 días** para devolver el producto.\n\n<script>alert(1)</script>",
        "tipificaciones": "CAMBIOS_Y_DEVOLUCIONES", "publico": "1", "publicado": "1"}


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _article(site: Site, **fields: Any) -> Article:
    values: dict[str, Any] = {"title": "¿Cómo solicito una devolución?", "summary": "Plazos y requisitos",
                              "body": "Tiene **30 días** para devolver el producto.", "public": True,
                              "typifications": ("CAMBIOS_Y_DEVOLUCIONES",), **fields}
    return create_article(site.engine, ArticleDraft(**values).validated(site.pqrs.catalog()), site.now(),
                          actor="admin")


def test_an_administrator_writes_an_article_and_every_edit_is_kept(site: Site) -> None:
    admin = site.as_user("admin")
    assert site.as_user("ana").get("/admin/articulos").status_code == 403

    preview = admin.post("/admin/articulos/nuevo", {**FORM, "accion": "vista_previa"})
    assert "<strong>30 días</strong>" in preview.get_data(as_text=True)
    assert "<script>" not in preview.get_data(as_text=True)
    assert admin.post("/admin/articulos/nuevo", FORM).status_code == 302
    [article] = list_articles(site.engine)
    assert article.slug == "como-solicito-una-devolucion" and article.version == 1

    admin.post(f"/admin/articulos/{article.id}", {**FORM, "contenido": "Ahora son 45 días."})
    assert [v.version for v in article_versions(site.engine, article.id)] == [2, 1]
    page = _text(admin.get(f"/admin/articulos/{article.id}"))
    assert "Versión 2" in page and "Historial de versiones" in page
    old = _text(admin.get(f"/admin/articulos/{article.id}/versiones/1"))
    assert "30 días" in old
    assert "Base de conocimiento" in site.as_user("sofia").page("/admin/respuestas")  # a tab


def test_a_mistake_is_shown_beside_its_field(site: Site) -> None:
    form = {**FORM, "titulo": "", "direccion": "Mal!"}
    response = site.as_user("admin").post("/admin/articulos/nuevo", form)
    assert response.status_code == 422 and "Escriba un título." in _text(response)
    assert "Tiene **30 días**" in _text(response)


def test_the_public_reads_and_searches_only_public_published_articles(site: Site) -> None:
    public = _article(site)
    _article(site, title="Procedimiento interno de notas crédito", body="Solo el equipo", public=False)
    _article(site, title="Borrador de garantía", body="x", published=False)
    visitor = site.as_user(None)

    page = _text(visitor.get("/ayuda"))
    assert "¿Cómo solicito una devolución?" in page and "notas crédito" not in page and "Borrador" not in page
    assert "¿Cómo solicito una devolución?" in _text(visitor.get("/ayuda?q=DEVOLUCION"))
    assert "No encontramos artículos" in _text(visitor.get("/ayuda?q=inexistente"))
    article = _text(visitor.get(f"/ayuda/{public.slug}"))
    assert "<strong>30 días</strong>" in article and "¿Resolvió su duda?" in article
    assert visitor.get("/ayuda/procedimiento-interno-de-notas-credito").status_code == 404
    assert visitor.get("/ayuda/no-existe").status_code == 404


def test_deflections_are_counted_and_shown_to_administrators(site: Site) -> None:
    article = _article(site)
    visitor = site.as_user(None)
    for answer in ("si", "si", "no"):
        assert visitor.post(f"/ayuda/{article.slug}/util", {"util": answer}).status_code == 302
    assert visitor.post(f"/ayuda/{article.slug}/util", {"util": "quizas"}).status_code == 400

    assert deflection_totals(site.engine) == {article.id: (2, 1)}
    page = _text(site.as_user("admin").get("/admin/articulos"))
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    assert row is not None and "2 / 1" in row.group(0)


def test_suggestions_for_a_subject_being_typed_are_rate_limited(site: Site) -> None:
    article = _article(site)
    visitor = site.as_user(None)

    found = visitor.get("/ayuda/sugerencias?asunto=quiero hacer una devolución").get_json()
    assert found["items"] == [{"title": article.title, "summary": article.summary,
                               "url": f"/ayuda/{article.slug}"}]
    assert visitor.get("/ayuda/sugerencias?asunto=").get_json()["items"] == []

    site.app.config["PQRS_RATE_LIMITS"] = {**limits_from(ClientAddresses()),
                                           HELP_SUGGESTIONS: Limit(HELP_SUGGESTIONS, 1, limits_from(
                                               ClientAddresses())[HELP_SUGGESTIONS].window)}
    visitor.get("/ayuda/sugerencias?asunto=devolucion")
    assert visitor.get("/ayuda/sugerencias?asunto=devolucion").status_code == 429


def test_the_filing_form_links_to_the_help_without_javascript(site: Site) -> None:
    page = _text(site.as_user(None).get("/radicar"))
    assert 'href="/ayuda"' in page and "data-help-suggestions" in page and "help_suggestions.js" in page


def _in_progress(site: Site, **fields: Any) -> Any:
    case = site.file("ana", typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES", **fields)
    key = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=key, assignee="ana"), site.actor("ana"))
    site.pqrs.handle(c.TransitionCase(filing_number=key, transition="start"), site.actor("ana"))
    return site.pqrs.case(key)


def test_the_case_page_suggests_links_and_quotes_articles(site: Site) -> None:
    article = _article(site)
    _article(site, title="Horarios de atención", body="De lunes a viernes", typifications=())
    case = _in_progress(site, subject="Quiero devolver unas botas")
    ana = site.as_user("ana")

    page = _text(ana.get(f"/casos/{case.filing_number}"))
    panel = re.search(r'<section class="card kb-suggestions".*?</section>', page, re.S)
    assert panel is not None and article.title in panel.group(0) and "Horarios" not in panel.group(0)

    linked = ana.post(f"/casos/{case.filing_number}/articulos", {"articulo": str(article.id)})
    assert linked.status_code == 302
    assert [a.id for a in linked_articles(site.engine, str(case.filing_number))] == [article.id]
    notes = [e for e in site.pqrs.history(str(case.filing_number)) if type(e).__name__ == "NoteAdded"]
    assert any(article.title in getattr(e, "text", "") for e in notes)

    current = site.pqrs.case(str(case.filing_number))
    quoted = _text(ana.post(f"/casos/{case.filing_number}/respuesta-tipo", {
        "version": str(current.version), "destino": "respuesta_texto", "accion_respuesta_tipo": "insertar",
        "respuesta_tipo": f"kb:{article.id}", "respuesta_texto": "Buenos días."}))
    textarea = re.search(r'<textarea id="respuesta_texto"[^>]*>(.*?)</textarea>', quoted, re.S)
    assert textarea is not None
    assert textarea.group(1).startswith("Buenos días.\n\n¿Cómo solicito una devolución?\n\nTiene 30 días")
    assert f"/ayuda/{article.slug}" in textarea.group(1)

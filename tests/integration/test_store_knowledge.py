"""The knowledge base and canned answers in SQLite and PostgreSQL: articles searched without accents
(every word, or any word for suggestions), every edit kept, deflections counted per day, links to cases,
answers stored with their macro and usage count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from pqrs_adapters.sqlalchemy.answer_store import count_use, create_answer, list_answers, update_answer
from pqrs_adapters.sqlalchemy.kb_store import (
    article_versions,
    create_article,
    deflection_totals,
    deflections_by_day,
    find_article,
    link_article,
    linked_articles,
    record_deflection,
    search_articles,
    suggest_articles,
    update_article,
)
from pqrs_core.domain.answers import AnswerDraft, MacroActions
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.knowledge import ArticleDraft

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from conftest import StoreUnderTest

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
RETURNS = ArticleDraft(title="¿Cómo solicito una devolución?", summary="Plazos y requisitos",
                       body="Puede **devolver** un producto dentro de los 30 días con su factura.",
                       slug="como-solicito-una-devolucion", typifications=("CAMBIOS_Y_DEVOLUCIONES",),
                       public=True)
INVOICE = ArticleDraft(title="Corrección de facturas", body="Si su factura tiene un error de liquidación…",
                       slug="correccion-de-facturas", public=False)
HIDDEN = ArticleDraft(title="Borrador de garantías", body="Garantía de fábrica", slug="borrador-garantias",
                      public=True, published=False)


@pytest.fixture
def engine(sql_store: StoreUnderTest) -> Engine:
    assert sql_store.engine is not None
    return sql_store.engine


def _slugs(articles: list) -> list[str]:  # type: ignore[type-arg]
    return [a.slug for a in articles]


def test_articles_are_searched_without_accents_and_by_visibility(engine: Engine) -> None:
    for draft in (RETURNS, INVOICE, HIDDEN):
        create_article(engine, draft, NOW, actor="admin")

    assert _slugs(search_articles(engine, "DEVOLUCION", public_only=True)) == ["como-solicito-una-devolucion"]
    assert _slugs(search_articles(engine, "factura", public_only=True)) == ["como-solicito-una-devolucion"]
    assert set(_slugs(search_articles(engine, "factura", public_only=False))) == {
        "como-solicito-una-devolucion", "correccion-de-facturas"}
    assert _slugs(search_articles(engine, "devol", public_only=True)) == ["como-solicito-una-devolucion"]
    assert search_articles(engine, "garantia", public_only=False) == []  # not published
    assert search_articles(engine, "devolución inexistente", public_only=True) == []
    for hostile in ('"a" OR (', "*", "NEAR(a b)", "'; DROP TABLE kb_articles; --", "\x00", "a:*"):
        search_articles(engine, hostile, public_only=True)
        suggest_articles(engine, hostile, public_only=True)


def test_suggestions_take_any_meaningful_word_then_the_typification(engine: Engine) -> None:
    create_article(engine, RETURNS, NOW, actor=None)
    create_article(engine, INVOICE, NOW, actor=None)

    typed = "Quiero devolver unas botas que llegaron rotas"
    assert _slugs(suggest_articles(engine, "quiero hacer una devolución de mi pedido", public_only=True)) == [
        "como-solicito-una-devolucion"]
    assert _slugs(suggest_articles(engine, "de la", public_only=True)) == []
    by_node = suggest_articles(engine, typed, public_only=True, typifications=["CAMBIOS_Y_DEVOLUCIONES"])
    assert _slugs(by_node) == ["como-solicito-una-devolucion"]
    assert set(_slugs(suggest_articles(engine, "error en la factura", public_only=False))) == {
        "correccion-de-facturas", "como-solicito-una-devolucion"}


def test_every_edit_is_kept_and_the_search_follows_it(engine: Engine) -> None:
    article = create_article(engine, RETURNS, NOW, actor="admin")
    changed = update_article(engine, article, ArticleDraft(
        title="Cambios de producto", body="Cambie su producto por otro", slug=article.slug, public=True),
        NOW + timedelta(hours=1), actor="sofia")

    assert changed.version == 2 and changed.updated_by == "sofia"
    versions = article_versions(engine, article.id)
    assert [(v.version, v.title, v.edited_by) for v in versions] == [
        (2, "Cambios de producto", "sofia"), (1, "¿Cómo solicito una devolución?", "admin")]
    assert search_articles(engine, "devolucion", public_only=True) == []
    assert _slugs(search_articles(engine, "cambie", public_only=True)) == [article.slug]
    assert update_article(engine, changed, changed.draft, NOW, actor="x").version == 2  # nothing changed
    with pytest.raises(ValidationError) as taken:
        create_article(engine, RETURNS, NOW, actor="admin")
    assert "slug" in taken.value.errors


def test_deflections_are_counted_per_article_and_day(engine: Engine) -> None:
    article = create_article(engine, RETURNS, NOW, actor=None)
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    for day, resolved in ((monday, True), (monday, True), (monday, False), (tuesday, True)):
        record_deflection(engine, article.id, day, resolved)

    assert deflection_totals(engine) == {article.id: (3, 1)}
    assert deflection_totals(engine, since=tuesday) == {article.id: (1, 0)}
    assert deflections_by_day(engine, monday) == [(monday, 2, 1), (tuesday, 1, 0)]


def test_an_article_is_linked_to_a_case_once(engine: Engine) -> None:
    article = create_article(engine, RETURNS, NOW, actor=None)
    assert link_article(engine, "PQRS-2026-000001", article.id, NOW, "bruno")
    assert not link_article(engine, "PQRS-2026-000001", article.id, NOW, "bruno")
    assert _slugs(linked_articles(engine, "PQRS-2026-000001")) == [article.slug]
    assert find_article(engine, article.slug) == article


def test_canned_answers_keep_their_macro_owner_and_uses(engine: Engine) -> None:
    draft = AnswerDraft(title="Cerrar", body="Hola {{ radicado }}", typifications=("LEGALES",),
                        macro=MacroActions(priority="alta", transition="close"), personal=True)
    answer = create_answer(engine, draft, NOW, actor="sofia")
    count_use(engine, answer.id)
    count_use(engine, answer.id)
    [stored] = list_answers(engine, visible_to="sofia")
    assert (stored.owner, stored.macro, stored.usage_count, stored.typifications) == (
        "sofia", MacroActions(priority="alta", transition="close"), 2, ("LEGALES",))
    assert list_answers(engine, visible_to="bruno") == []
    shared = update_answer(engine, stored, AnswerDraft(title="Cerrar", body="Hola"), NOW, actor="admin")
    assert shared.owner is None and shared.macro == MacroActions() and shared.usage_count == 2

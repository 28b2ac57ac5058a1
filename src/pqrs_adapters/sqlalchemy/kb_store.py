"""The knowledge base's tables: articles (every edit kept as a version), full-text search (the same
folded words and query language as cases, ``search.py``), the «¿Resolvió su duda?» counts per article
and day, and the articles linked to cases.

Search comes in two strengths: ``search_articles`` wants every word (the search box), ``suggest_articles``
any of the meaningful words of a subject (what a person is typing on ``/radicar``, a case's subject),
best matches first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    String,
    bindparam,
    column,
    delete,
    desc,
    false,
    func,
    insert,
    literal_column,
    select,
    table,
    update,
)
from sqlalchemy.exc import IntegrityError

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.knowledge import Article, ArticleDraft, ArticleVersion
from pqrs_core.domain.text import query_words

from .engine import begin_write
from .search import TS_CONFIG, fts5_query, tokens, tsquery_text
from .tables import catalog_changes, kb_article_versions, kb_articles, kb_case_links, kb_deflections

_fts = table("kb_articles_fts", column("rowid"), column("rank"))
# Words shorter than this do not make a suggestion (articles, prepositions: «de», «la», «mi»).
MIN_SUGGESTION_WORD = 4


def _article(row: RowMapping) -> Article:
    return Article(id=row["id"], slug=row["slug"], title=row["title"], summary=row["summary"],
                   body=row["body"], typifications=tuple(row["typifications"]), public=row["public"],
                   published=row["published"], version=row["version"], updated_at=row["updated_at"],
                   updated_by=row["updated_by"])


def _search_text(draft: ArticleDraft) -> str:
    return " ".join(tokens(f"{draft.title} {draft.summary} {draft.body}"))


def _values(draft: ArticleDraft) -> dict[str, Any]:
    return {"slug": draft.slug, "title": draft.title, "summary": draft.summary, "body": draft.body,
            "typifications": list(draft.typifications), "public": draft.public, "published": draft.published,
            "search_text": _search_text(draft)}


def _keep_version(conn: Connection, article_id: int, version: int, draft: ArticleDraft, at: datetime,
                  actor: str | None) -> None:
    conn.execute(insert(kb_article_versions).values(
        article_id=article_id, version=version, title=draft.title, summary=draft.summary, body=draft.body,
        typifications=list(draft.typifications), public=draft.public, edited_at=at, edited_by=actor))


def _slug_taken(slug: str) -> ValidationError:
    return ValidationError({"slug": f"Ya existe un artículo con la dirección «{slug}»."})


def create_article(engine: Engine, draft: ArticleDraft, now: datetime, *, actor: str | None) -> Article:
    """Store a new article (``draft`` validated) as its version 1."""
    try:
        with begin_write(engine) as conn:
            new_id = int(conn.execute(insert(kb_articles).values(
                version=1, created_at=now, updated_at=now, updated_by=actor, **_values(draft))
            ).inserted_primary_key[0])  # type: ignore[index]
            _keep_version(conn, new_id, 1, draft, now, actor)
            if actor is not None:
                conn.execute(insert(catalog_changes).values(actor=actor, at=now, what="articles.create",
                                                            data={"article": draft.slug}))
    except IntegrityError:
        raise _slug_taken(draft.slug) from None
    found = get_article(engine, new_id)
    assert found is not None
    return found


def update_article(engine: Engine, article: Article, draft: ArticleDraft, now: datetime, *,
                   actor: str | None) -> Article:
    """Change ``article`` to ``draft``: a new version when anything changed."""
    if draft == article.draft:
        return article
    version = article.version + 1
    try:
        with begin_write(engine) as conn:
            conn.execute(update(kb_articles).where(kb_articles.c.id == article.id).values(
                version=version, updated_at=now, updated_by=actor, **_values(draft)))
            _keep_version(conn, article.id, version, draft, now, actor)
            if actor is not None:
                conn.execute(insert(catalog_changes).values(actor=actor, at=now, what="articles.update",
                                                            data={"article": draft.slug, "version": version}))
    except IntegrityError:
        raise _slug_taken(draft.slug) from None
    found = get_article(engine, article.id)
    assert found is not None
    return found


def get_article(engine: Engine, article_id: int) -> Article | None:
    with engine.connect() as conn:
        row = conn.execute(select(kb_articles).where(kb_articles.c.id == article_id)).mappings().first()
    return _article(row) if row is not None else None


def find_article(engine: Engine, slug: str) -> Article | None:
    with engine.connect() as conn:
        row = conn.execute(select(kb_articles).where(kb_articles.c.slug == slug)).mappings().first()
    return _article(row) if row is not None else None


def article_versions(engine: Engine, article_id: int) -> list[ArticleVersion]:
    """Every kept version of the article, newest first."""
    stmt = select(kb_article_versions).where(kb_article_versions.c.article_id == article_id) \
        .order_by(desc(kb_article_versions.c.version))
    with engine.connect() as conn:
        return [ArticleVersion(article_id=r["article_id"], version=r["version"], title=r["title"],
                               summary=r["summary"], body=r["body"], public=r["public"],
                               edited_at=r["edited_at"], edited_by=r["edited_by"])
                for r in conn.execute(stmt).mappings()]


def _visible(public_only: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [kb_articles.c.published.is_(True)]
    if public_only:
        conditions.append(kb_articles.c.public.is_(True))
    return conditions


def list_articles(engine: Engine, *, public_only: bool = False,
                  include_drafts: bool = False) -> list[Article]:
    """Articles by title (published ones only, unless ``include_drafts``)."""
    stmt = select(kb_articles).order_by(kb_articles.c.title)
    if not include_drafts:
        stmt = stmt.where(*_visible(public_only))
    elif public_only:
        stmt = stmt.where(kb_articles.c.public.is_(True))
    with engine.connect() as conn:
        return [_article(row) for row in conn.execute(stmt).mappings()]


def _match(conn: Connection, wanted: list[list[str]], *, any_word: bool) -> tuple[Any, Any] | None:
    """The ``WHERE`` clause and the ordering (best first) of a query on ``conn``'s database."""
    if conn.dialect.name == "postgresql":
        config: ColumnElement[Any] = literal_column(f"'{TS_CONFIG}'::regconfig")
        text = " | ".join(f"({tsquery_text([w])})" for w in wanted) if any_word else tsquery_text(wanted)
        query = func.to_tsquery(config, bindparam(None, text, String))
        if not conn.execute(select(func.numnode(query))).scalar_one():
            return None  # only stop words
        vector: ColumnElement[Any] = literal_column("kb_articles.search_vector")
        return vector.op("@@")(query), desc(func.ts_rank(vector, query))
    expression = " OR ".join(fts5_query([w]) for w in wanted) if any_word else fts5_query(wanted)
    ranked = select(_fts.c.rowid, _fts.c.rank).where(
        literal_column(_fts.name).op("MATCH")(bindparam(None, expression, String))).subquery()
    return kb_articles.c.id.in_(select(ranked.c.rowid)), \
        select(ranked.c.rank).where(ranked.c.rowid == kb_articles.c.id).scalar_subquery()


def search_articles(engine: Engine, text: str, *, public_only: bool, limit: int = 50) -> list[Article]:
    """Published articles holding every word of ``text`` (accents ignored, the last word a prefix), best
    first; all of them by title for a blank query."""
    wanted = query_words(text)
    if wanted is None:
        return list_articles(engine, public_only=public_only)[:limit]
    with engine.connect() as conn:
        found = _match(conn, wanted, any_word=False) if wanted else (false(), kb_articles.c.title)
        if found is None:
            return list_articles(engine, public_only=public_only)[:limit]
        where, order = found
        stmt = select(kb_articles).where(where, *_visible(public_only)).order_by(order, kb_articles.c.title)
        return [_article(row) for row in conn.execute(stmt.limit(limit)).mappings()]


def suggest_articles(engine: Engine, text: str, *, public_only: bool, typifications: Iterable[str] = (),
                     limit: int = 5) -> list[Article]:
    """Published articles for a subject being typed: those holding any of its words of four letters or
    more, best first; then those tied to ``typifications`` (a case's node and its ancestors)."""
    wanted = [w for w in (query_words(text) or []) if sum(len(t) for t in w) >= MIN_SUGGESTION_WORD]
    found: list[Article] = []
    with engine.connect() as conn:
        matched = _match(conn, wanted, any_word=True) if wanted else None
        if matched is not None:
            where, order = matched
            stmt = select(kb_articles).where(where, *_visible(public_only)) \
                .order_by(order, kb_articles.c.title)
            found = [_article(row) for row in conn.execute(stmt.limit(limit)).mappings()]
    nodes = set(typifications)
    if nodes and len(found) < limit:
        seen = {a.id for a in found}
        found += [a for a in list_articles(engine, public_only=public_only)
                  if a.id not in seen and nodes & set(a.typifications)][:limit - len(found)]
    return found


# --- deflections ----------------------------------------------------------------------------------------
def record_deflection(engine: Engine, article_id: int, day: date, resolved: bool) -> None:
    """One more «¿Resolvió su duda?» answer for the article on ``day`` (the organisation's date)."""
    column_name = "resolved" if resolved else "not_resolved"
    with begin_write(engine) as conn:
        changed = conn.execute(update(kb_deflections).where(
            kb_deflections.c.article_id == article_id, kb_deflections.c.day == day).values(
            {column_name: kb_deflections.c[column_name] + 1})).rowcount
        if not changed:
            try:
                with conn.begin_nested():
                    conn.execute(insert(kb_deflections).values(
                        article_id=article_id, day=day, resolved=int(resolved),
                        not_resolved=int(not resolved)))
            except IntegrityError:  # another request inserted the day's row meanwhile
                conn.execute(update(kb_deflections).where(
                    kb_deflections.c.article_id == article_id, kb_deflections.c.day == day).values(
                    {column_name: kb_deflections.c[column_name] + 1}))


def deflection_totals(engine: Engine, since: date | None = None) -> dict[int, tuple[int, int]]:
    """``article id -> (resolved, not resolved)`` summed over the days from ``since`` (all, without)."""
    stmt = select(kb_deflections.c.article_id, func.sum(kb_deflections.c.resolved),
                  func.sum(kb_deflections.c.not_resolved)).group_by(kb_deflections.c.article_id)
    if since is not None:
        stmt = stmt.where(kb_deflections.c.day >= since)
    with engine.connect() as conn:
        return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in conn.execute(stmt)}


def deflections_by_day(engine: Engine, since: date) -> list[tuple[date, int, int]]:
    """``(day, resolved, not resolved)`` over every article, per day from ``since``."""
    stmt = select(kb_deflections.c.day, func.sum(kb_deflections.c.resolved),
                  func.sum(kb_deflections.c.not_resolved)).where(kb_deflections.c.day >= since) \
        .group_by(kb_deflections.c.day).order_by(kb_deflections.c.day)
    with engine.connect() as conn:
        return [(row[0], int(row[1] or 0), int(row[2] or 0)) for row in conn.execute(stmt)]


# --- links to cases -------------------------------------------------------------------------------------
def link_article(engine: Engine, filing_number: str, article_id: int, now: datetime, actor: str) -> bool:
    """Link the article to the case; ``False`` when it already was."""
    try:
        with begin_write(engine) as conn:
            conn.execute(insert(kb_case_links).values(filing_number=filing_number, article_id=article_id,
                                                      linked_by=actor, linked_at=now))
    except IntegrityError:
        return False
    return True


def unlink_article(engine: Engine, filing_number: str, article_id: int) -> None:
    with begin_write(engine) as conn:
        conn.execute(delete(kb_case_links).where(kb_case_links.c.filing_number == filing_number,
                                                 kb_case_links.c.article_id == article_id))


def linked_articles(engine: Engine, filing_number: str) -> list[Article]:
    stmt = select(kb_articles).join(kb_case_links, kb_case_links.c.article_id == kb_articles.c.id) \
        .where(kb_case_links.c.filing_number == filing_number).order_by(kb_case_links.c.linked_at)
    with engine.connect() as conn:
        return [_article(row) for row in conn.execute(stmt).mappings()]

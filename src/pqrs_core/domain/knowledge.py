"""The knowledge base (seed 003, «buscar respuesta»): articles in Markdown, tied to typification nodes,
internal (the team's) or public (``/ayuda``), every edit kept as a version.

The core holds what an article is and what makes one valid; storing, searching (the same full-text
engine as cases) and rendering Markdown safely are the adapters'.
"""

from __future__ import annotations

import re
from datetime import datetime

import attrs

from .catalog import Catalog
from .errors import ValidationError
from .text import fold

MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_BODY = 100_000
MAX_SLUG = 80
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def article_slug(title: str) -> str:
    """The address of an article from its title: «¿Cómo solicito una devolución?» →
    ``como-solicito-una-devolucion``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:MAX_SLUG].rstrip("-")


@attrs.frozen(kw_only=True)
class ArticleDraft:
    """What an editor writes."""

    title: str
    body: str  # Markdown
    summary: str = ""
    slug: str = ""  # empty: derived from the title
    typifications: tuple[str, ...] = ()
    public: bool = False
    published: bool = True

    def validated(self, catalog: Catalog) -> ArticleDraft:
        """The draft trimmed, its slug derived when empty; ``ValidationError`` naming each field."""
        draft = attrs.evolve(self, title=self.title.strip(), body=self.body.strip(),
                             summary=self.summary.strip(),
                             slug=(self.slug.strip().lower() or article_slug(self.title)),
                             typifications=tuple(dict.fromkeys(self.typifications)))
        errors: dict[str, str] = {}
        if not draft.title:
            errors["title"] = "Escriba un título."
        elif len(draft.title) > MAX_TITLE:
            errors["title"] = f"El título admite hasta {MAX_TITLE} caracteres."
        if not draft.body:
            errors["body"] = "Escriba el contenido del artículo."
        elif len(draft.body) > MAX_BODY:
            errors["body"] = f"El contenido admite hasta {MAX_BODY} caracteres."
        if len(draft.summary) > MAX_SUMMARY:
            errors["summary"] = f"El resumen admite hasta {MAX_SUMMARY} caracteres."
        if draft.title and (len(draft.slug) > MAX_SLUG or not SLUG_RE.match(draft.slug)):
            errors["slug"] = "Use solo letras minúsculas sin tilde, dígitos y guiones (hasta 80)."
        if unknown := [t for t in draft.typifications if t not in catalog.typifications]:
            errors["typifications"] = f"No existen las tipificaciones: {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)
        return draft


@attrs.frozen(kw_only=True)
class Article:
    """A stored article and its current version."""

    id: int
    slug: str
    title: str
    summary: str
    body: str
    typifications: tuple[str, ...] = ()
    public: bool = False
    published: bool = True
    version: int = 1
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def draft(self) -> ArticleDraft:
        return ArticleDraft(title=self.title, body=self.body, summary=self.summary, slug=self.slug,
                            typifications=self.typifications, public=self.public, published=self.published)

    @property
    def for_the_public(self) -> bool:
        return self.public and self.published


@attrs.frozen(kw_only=True)
class ArticleVersion:
    """One kept edit of an article."""

    article_id: int
    version: int
    title: str
    summary: str
    body: str
    public: bool
    edited_at: datetime
    edited_by: str | None

"""The ``mail_template_versions`` table: the e-mail templates administrators edit, every save kept.

A template's current override is its newest row, unless that row is a reset (back to the packaged
file). ``subject`` replaces the plain-text template's ``subject`` block, ``text_source`` and
``html_source`` the bodies; ``None`` keeps the packaged part.
"""

from __future__ import annotations

from datetime import datetime

import attrs
from sqlalchemy import Engine, RowMapping, desc, insert, select

from ..mail.render import StoredTemplate
from .engine import begin_write
from .tables import catalog_changes
from .tables import mail_template_versions as versions


@attrs.frozen
class TemplateVersion:
    id: int
    name: str
    subject: str | None
    text_source: str | None
    html_source: str | None
    reset: bool
    edited_by: str | None
    edited_at: datetime


def _version(row: RowMapping) -> TemplateVersion:
    return TemplateVersion(id=row["id"], name=row["name"], subject=row["subject"],
                           text_source=row["text_source"], html_source=row["html_source"], reset=row["reset"],
                           edited_by=row["edited_by"], edited_at=row["edited_at"])


def current_override(engine: Engine, name: str) -> TemplateVersion | None:
    """The template's newest saved version, or ``None`` when it has none or was reset."""
    stmt = select(versions).where(versions.c.name == name).order_by(desc(versions.c.id)).limit(1)
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    found = _version(row) if row is not None else None
    return found if found is not None and not found.reset else None


def latest_ids(engine: Engine) -> dict[str, int]:
    """The newest version id of every template that has one (to notice a change cheaply)."""
    from sqlalchemy import func

    stmt = select(versions.c.name, func.max(versions.c.id)).group_by(versions.c.name)
    with engine.connect() as conn:
        return {name: int(latest) for name, latest in conn.execute(stmt)}


def template_versions(engine: Engine, name: str) -> list[TemplateVersion]:
    """Every saved version of the template, newest first."""
    stmt = select(versions).where(versions.c.name == name).order_by(desc(versions.c.id))
    with engine.connect() as conn:
        return [_version(row) for row in conn.execute(stmt).mappings()]


def save_template(engine: Engine, name: str, *, subject: str | None, text_source: str | None,
                  html_source: str | None, now: datetime, actor: str | None, reset: bool = False) -> None:
    """Keep a new version of the template (``reset``: back to the packaged one)."""
    with begin_write(engine) as conn:
        conn.execute(insert(versions).values(name=name, subject=subject, text_source=text_source,
                                             html_source=html_source, reset=reset, edited_by=actor,
                                             edited_at=now))
        if actor is not None:
            conn.execute(insert(catalog_changes).values(
                actor=actor, at=now, what="mail_templates.reset" if reset else "mail_templates.update",
                data={"template": name}))


class StoredTemplates:
    """The renderer's ``TemplateOverrides`` from this table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(self, name: str) -> StoredTemplate | None:
        found = current_override(self.engine, name)
        if found is None:
            return None
        return StoredTemplate(version=found.id, subject=found.subject, text_source=found.text_source,
                              html_source=found.html_source)

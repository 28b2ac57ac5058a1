"""Administration, under ``/admin``: the catalog lists, the typification tree, the labels of workflow
states, users and roles, term policies and closure days, and the log of every change.

Each page is for the people whose roles grant its permission (``catalog.admin`` for the catalog,
``users.admin`` for users and roles): anyone else gets a 403, on every GET and every POST. Changes go
through the core's use cases (``CatalogAdmin``) or the user directory (``accounts.save_user``): they
are in the database at once, so the next page any worker serves shows them, and each is recorded.
"""

from __future__ import annotations

from flask import render_template

from pqrs_core.domain.access import Permission

from ..auth import login_required
from . import (
    agent_profile,
    answers,
    archive,
    articles,
    catalog,
    changes,
    escalation,
    fields,
    letters,
    mail_intake,
    mail_templates,
    mailboxes,
    outgoing,
    roles,
    rules,
    term_new,
    terms,
    typifications,
    users,
    voidings,
    webhooks,
    workflow_editor,
    workflows,
)
from .support import bp, require_any, sections

__all__ = ["agent_profile", "answers", "archive", "articles", "bp", "catalog", "changes", "escalation",
           "fields", "letters", "mail_intake", "mail_templates", "mailboxes", "outgoing", "roles", "rules",
           "term_new", "terms", "typifications", "users", "voidings", "webhooks", "workflow_editor",
           "workflows"]


@bp.get("")
@login_required
@require_any(Permission.CATALOG, Permission.USERS)
def index() -> str:
    return render_template("admin/index.html", sections=sections())

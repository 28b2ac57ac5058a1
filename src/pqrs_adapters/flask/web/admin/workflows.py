"""The workflows: their states (category, label) and transitions, with the labels people read editable.
Codes, categories and the moves between states are the workflow's own (a plugin defines them); the
labels are the organisation's."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.workflow import Workflow

from ....presentation import CATEGORY_LABELS
from ..auth import login_required
from ..common import actor, catalog, labels, pqrs, require
from .support import attempt, bp, source_label, tabs, text

PARTS = {"estados": "state", "transiciones": "transition"}


def kinds_of(cat: Catalog, workflow: Workflow) -> list[str]:
    """The labels of the case kinds that follow ``workflow``."""
    return [k.label for k in cat.kinds
            if cat.kind_workflows.get(k.code, cat.default_workflow) == workflow.code]


def listing(failed: dict[str, Any] | None = None, status: int = 200,
            new: dict[str, Any] | None = None) -> tuple[str, int]:
    """The workflows page; ``failed``: a relabelling refused, ``new``: a new workflow refused (its
    ``errors`` and ``values``)."""
    cat = catalog()
    sources = pqrs().catalog_admin.sources()
    workflows = [{"workflow": w, "kinds": kinds_of(cat, w),
                  "source": source_label(sources.get(("workflows", w.code)))}
                 for w in sorted(cat.workflows, key=lambda w: (w.code != cat.default_workflow, w.label))]
    page = render_template("admin/workflows.html", workflows=workflows, categories=CATEGORY_LABELS,
                           failed=failed or {}, labels=labels(), tabs=tabs(), new=new or {},
                           sources=[(w.code, w.label) for w in cat.workflows], default=cat.default_workflow)
    return page, status


@bp.get("/flujos")
@login_required
@require(Permission.CATALOG)
def workflows() -> tuple[str, int]:
    return listing()


@bp.post("/flujos/<workflow>/<part>/<name>")
@login_required
@require(Permission.CATALOG)
def workflow_relabel(workflow: str, part: str, name: str) -> Response | tuple[str, int]:
    kind = PARTS.get(part)
    cat = catalog()
    try:
        flow = cat.workflow(workflow)
    except NotFound:
        abort(404)
    if kind is None or (kind == "state" and not flow.has_state(name)) or (
            kind == "transition" and flow.transition(name) is None):
        abort(404)
    label = text("label", 500)
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _("Escriba el nombre.")
    admin = pqrs().catalog_admin
    change = admin.relabel_state if kind == "state" else admin.relabel_transition
    if not errors and attempt(lambda: change(workflow, name, label, actor()), errors):
        flash(_("Se cambió el nombre a «%(label)s»: así se verá desde ahora en todos los casos.",
                label=label), "success")
        return redirect(url_for("admin.workflows") + f"#flujo-{workflow}")
    return listing({"workflow": workflow, "part": kind, "name": name, "value": label,
                  "error": errors.get("label") or next(iter(errors.values()), "")}, 422)

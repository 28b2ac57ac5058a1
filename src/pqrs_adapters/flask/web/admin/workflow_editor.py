"""The workflow editor: a new workflow copied from another, a state added with the transition that leads
to it, a transition between states (who may fire it, the custom fields it needs filled), and the case
kinds that follow the workflow. Each saved change is a new version of the workflow: the cases filed
before keep the version they were filed under."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.text import slug
from pqrs_core.domain.workflow import State, StateCategory, Transition, Workflow
from pqrs_core.domain.workflow_editing import add_state, add_transition

from ....presentation import CATEGORY_LABELS
from ..auth import login_required
from ..common import actor, catalog, labels, pqrs, require
from .support import attempt, bp, chosen, source_label, tabs, text
from .workflows import kinds_of, listing

# The editor's fields, by the names the core gives them in its errors.
STATE_FIELDS = {"state.code": "estado_codigo", "state.label": "estado_nombre",
                "transition.name": "entrada_codigo", "transition.label": "entrada_nombre",
                "transition.sources": "estado_desde", "transition.target": "estado_codigo"}
TRANSITION_FIELDS = {"transition.name": "codigo", "transition.label": "nombre", "transition.sources": "desde",
                     "transition.target": "hacia"}


def _code(name: str, label: str) -> str:
    """The code typed in field ``name``, or one derived from ``label``."""
    return text(name, 100) or slug(label).lower()


def _workflow(code: str) -> Workflow:
    try:
        return catalog().workflow(code)
    except NotFound:
        abort(404)


def _page(workflow: Workflow, form: str = "", errors: dict[str, str] | None = None,
          status: int = 200) -> tuple[str, int]:
    cat = catalog()
    source = source_label(pqrs().catalog_admin.sources().get(("workflows", workflow.code)))
    bound = {k for k, w in cat.kind_workflows.items() if w == workflow.code}
    page = render_template(
        "admin/workflow_edit.html", workflow=workflow, kinds=kinds_of(cat, workflow), source=source,
        categories=[(c.value, _(CATEGORY_LABELS[c])) for c in StateCategory],
        category_labels=CATEGORY_LABELS,
        states=[(s.code, s.label) for s in workflow.states],
        roles=[(r.code, r.label) for r in cat.roles if r.active],
        fields=[(f.code, f.label) for f in cat.fields if f.active],
        kind_options=[(k.code, k.label) for k in cat.kinds if k.active],
        role_labels={r.code: r.label for r in cat.roles}, field_labels={f.code: f.label for f in cat.fields},
        bound=sorted(bound), default=cat.default_workflow == workflow.code, form=form,
        errors=errors or {}, labels=labels(), tabs=tabs())
    return page, status


def _saved(workflow: str, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("admin.workflow_edit", workflow=workflow))


@bp.post("/flujos/nuevo")
@login_required
@require(Permission.CATALOG)
def workflow_create() -> Response | tuple[str, int]:
    label = text("label", 200)
    code = _code("code", label)
    copy_of = text("copy_of", 100)
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _("Escriba el nombre del flujo.")
    if not errors and attempt(lambda: pqrs().catalog_admin.create_workflow(code, label, copy_of, actor()),
                              errors):
        return _saved(code, _("Se creó el flujo «%(label)s» como copia: agréguele estados y transiciones, y "
                              "elija los tipos de caso que lo siguen.", label=label))
    return listing(status=422, new={"errors": errors, "values": {"label": label, "code": text("code", 100),
                                                                 "copy_of": copy_of}})


@bp.get("/flujos/<workflow>")
@login_required
@require(Permission.CATALOG)
def workflow_edit(workflow: str) -> tuple[str, int]:
    return _page(_workflow(workflow))


def _edit(flow: Workflow, form: str, fields: dict[str, str], what: str, data: dict[str, Any],
          change: Any, message: str) -> Response | tuple[str, int]:
    errors: dict[str, str] = {}
    version: list[int] = []

    def save() -> None:
        version.append(pqrs().catalog_admin.edit_workflow(flow.code, change, actor(), what, data))

    if attempt(save, errors, fields):
        kept = _("Es la versión %(v)d del flujo: los casos radicados antes siguen la versión con la que "
                 "se radicaron.", v=version[0])
        return _saved(flow.code, f"{message} {kept}")
    return _page(flow, form, errors, 422)


@bp.post("/flujos/<workflow>/estados")
@login_required
@require(Permission.CATALOG)
def workflow_add_state(workflow: str) -> Response | tuple[str, int]:
    flow = _workflow(workflow)
    label, entry_label = text("estado_nombre", 200), text("entrada_nombre", 200)
    code, category = _code("estado_codigo", label), text("estado_categoria", 20)
    entry = _code("entrada_codigo", entry_label)
    if category not in {c.value for c in StateCategory}:
        return _page(flow, "state", {"estado_categoria": _("Elija la categoría del estado.")}, 422)
    state = State(code, label, StateCategory(category))
    transition = Transition(entry, entry_label, tuple(chosen("estado_desde")), code)
    return _edit(flow, "state", STATE_FIELDS, "add_state", {"state": code, "transition": entry},
                 lambda w: add_state(w, state, transition),
                 _("Se agregó el estado «%(label)s».", label=label))


@bp.post("/flujos/<workflow>/transiciones")
@login_required
@require(Permission.CATALOG)
def workflow_add_transition(workflow: str) -> Response | tuple[str, int]:
    flow = _workflow(workflow)
    label = text("nombre", 200)
    name = _code("codigo", label)
    transition = Transition(name, label, tuple(chosen("desde")), text("hacia", 100),
                            roles=frozenset(chosen("roles")), required_fields=tuple(chosen("campos")))
    fields = TRANSITION_FIELDS | {f"transitions.{name}.roles": "roles",
                                  f"transitions.{name}.required_fields": "campos"}
    return _edit(flow, "transition", fields, "add_transition", {"transition": name},
                 lambda w: add_transition(w, transition),
                 _("Se agregó la transición «%(label)s».", label=label))


@bp.post("/flujos/<workflow>/tipos")
@login_required
@require(Permission.CATALOG)
def workflow_kinds(workflow: str) -> Response | tuple[str, int]:
    flow = _workflow(workflow)
    errors: dict[str, str] = {}
    kinds = chosen("tipos")
    if attempt(lambda: pqrs().catalog_admin.bind_kinds(flow.code, kinds, actor()), errors,
               {"kinds": "tipos"}):
        return _saved(flow.code, _("Los casos nuevos de los tipos elegidos siguen ahora el flujo "
                                   "«%(label)s».", label=flow.label))
    return _page(flow, "kinds", errors, 422)

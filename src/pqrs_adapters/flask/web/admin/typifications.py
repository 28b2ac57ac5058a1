"""The typification tree: shown nested; an administrator adds a node under a parent, renames, moves,
deactivates or reactivates one. Each change makes a new version of the node, so cases classified
before keep the classification (and path) they were given."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.routing_defaults import (
    REQUIRABLE_FIELDS,
    Inherited,
    TypificationDefaults,
    defaults_of,
    describe,
    inherited,
)
from pqrs_core.domain.typification import PATH_SEPARATOR, TypificationNode, TypificationTree

from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .support import attempt, bp, checked, chosen, new_code, source_label, tabs, text


def ordered(tree: TypificationTree, parent: str | None) -> list[TypificationNode]:
    return sorted(tree.children(parent), key=lambda n: (n.position, n.label))


def parent_choices(tree: TypificationTree, exclude: str | None = None) -> list[tuple[str, str]]:
    """Every node as ``(code, path)``, depth first, for the "under which node" select (without
    ``exclude`` and what hangs below it)."""
    options: list[tuple[str, str]] = []

    def walk(parent: str | None, path: tuple[str, ...]) -> None:
        for node in ordered(tree, parent):
            if node.code == exclude:
                continue
            here = (*path, node.label)
            inactive = "" if node.active else " " + _("(inactiva)")
            options.append((node.code, PATH_SEPARATOR.join(here) + inactive))
            walk(node.code, here)

    walk(None, ())
    return options


def _page(errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
          status: int = 200) -> tuple[str, int]:
    tree = catalog().typifications
    page = render_template("admin/typifications.html", tree=tree, roots=ordered(tree, None),
                           children=lambda code: ordered(tree, code), parents=parent_choices(tree),
                           errors=errors or {}, values=values or {}, tabs=tabs())
    return page, status


@bp.get("/tipificaciones")
@login_required
@require(Permission.CATALOG)
def typifications() -> tuple[str, int]:
    return _page(values={"parent": request.args.get("bajo", "")})


@bp.post("/tipificaciones")
@login_required
@require(Permission.CATALOG)
def typification_add() -> Response | tuple[str, int]:
    tree = catalog().typifications
    errors: dict[str, str] = {}
    label = text("label", 500)
    parent = text("parent", 100) or None
    description = text("description", 2_000)
    if not label:
        errors["label"] = _("Escriba la etiqueta.")
    code = new_code(errors, label, {n.code for n in tree}, upper=True)
    if parent is not None and parent not in tree:
        errors["parent"] = _("Elija una tipificación de la lista.")
    if not errors and attempt(lambda: pqrs().catalog_admin.add_typification(
            code, label, actor(), parent=parent, description=description), errors):
        where = (_(" bajo «%(parent)s»", parent=tree.get(parent).label) if parent
                 else _(" como categoría nueva"))
        flash(_("Se agregó la tipificación «%(label)s»%(where)s.", label=label, where=where), "success")
        return redirect(url_for("admin.typifications") + f"#nodo-{code}")
    values = {"label": label, "code": text("code", 200), "parent": parent or "", "description": description}
    return _page(errors, values, 422)


def _edit_page(code: str, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
               status: int = 200) -> tuple[str, int]:
    tree = catalog().typifications
    node = tree.get(code)
    source = source_label(pqrs().catalog_admin.sources().get(("typifications", code)))
    path = PATH_SEPARATOR.join(n.label for n in tree.ancestors(code))
    cat = catalog()
    own = defaults_of(cat, code)
    shown = {"label": node.label, "description": node.description, "parent": node.parent or "",
             **_default_values(own)}
    above = inherited(cat, node.parent) if node.parent else {}
    page = render_template("admin/typification_edit.html", node=node, path=path, source=source,
                           parents=parent_choices(tree, exclude=code), errors=errors or {},
                           values={**shown, **(values or {})}, tabs=tabs(),
                           queues=[(q.code, q.label) for q in cat.queues if q.active],
                           priorities=[(p.code, p.label) for p in cat.priorities if p.active],
                           term_policies=[(p.code, p.label) for p in cat.term_policies if p.active],
                           requirable=[*REQUIRABLE_FIELDS.items(),
                                       *((f.code, f.label) for f in cat.fields if f.active)],
                           inherited=_inherited_phrases(cat, above))
    return page, status


def _inherited_phrases(cat: Catalog, found: dict[str, Inherited]) -> dict[str, str]:
    """What the node would inherit for each default, «Back office (de Operaciones)»."""
    phrases = dict(zip(found, describe(found, cat), strict=True))
    return {field: _("%(what)s, de «%(node)s»", what=phrases[field], node=item.origin_label)
            for field, item in found.items()}


@bp.post("/tipificaciones/<code>/valores")
@login_required
@require(Permission.CATALOG)
def typification_defaults(code: str) -> Response | tuple[str, int]:
    _known(code)
    errors: dict[str, str] = {}
    defaults = TypificationDefaults(
        queue=text("d_queue", 100) or None, priority=text("d_priority", 100) or None,
        term_policy=text("d_term_policy", 100) or None,
        assignment_strategy=text("d_assignment_strategy", 100) or None,
        required_fields=tuple(chosen("d_required_fields")))
    fields = {"queue": "d_queue", "priority": "d_priority", "term_policy": "d_term_policy",
              "assignment_strategy": "d_assignment_strategy", "important": "d_priority"}
    if attempt(lambda: pqrs().routing_admin.set_typification_defaults(code, defaults, actor()), errors,
               {**fields, **{f"required_fields.{i}": "d_required_fields" for i in range(50)}}):
        flash(_("Se guardaron los valores por defecto de «%(label)s»: se aplican a los casos que se "
                "radiquen o re-tipifiquen desde ahora.", label=catalog().typifications.get(code).label),
              "success")
        return redirect(url_for("admin.typification_edit", code=code) + "#valores")
    return _edit_page(code, errors, _default_values(defaults), 422)


def _default_values(defaults: TypificationDefaults) -> dict[str, Any]:
    return {"d_queue": defaults.queue or "", "d_priority": defaults.priority or "",
            "d_term_policy": defaults.term_policy or "",
            "d_assignment_strategy": defaults.assignment_strategy or "",
            "d_required_fields": list(defaults.required_fields)}


def _known(code: str) -> None:
    if code not in catalog().typifications:
        abort(404)


@bp.get("/tipificaciones/<code>")
@login_required
@require(Permission.CATALOG)
def typification_edit(code: str) -> tuple[str, int]:
    _known(code)
    return _edit_page(code)


@bp.post("/tipificaciones/<code>/nombre")
@login_required
@require(Permission.CATALOG)
def typification_rename(code: str) -> Response | tuple[str, int]:
    _known(code)
    errors: dict[str, str] = {}
    label, description = text("label", 500), text("description", 2_000)
    if not label:
        errors["label"] = _("Escriba la etiqueta.")
    if not errors and attempt(lambda: pqrs().catalog_admin.rename_typification(
            code, label, actor(), description=description), errors):
        flash(_("Se renombró la tipificación a «%(label)s». Los casos ya tipificados conservan el nombre "
                "con el que se clasificaron.", label=label), "success")
        return redirect(url_for("admin.typifications") + f"#nodo-{code}")
    return _edit_page(code, errors, {"label": label, "description": description}, 422)


@bp.post("/tipificaciones/<code>/ubicacion")
@login_required
@require(Permission.CATALOG)
def typification_move(code: str) -> Response | tuple[str, int]:
    _known(code)
    errors: dict[str, str] = {}
    parent = text("parent", 100) or None
    tree = catalog().typifications
    if parent is not None and parent not in tree:
        errors["parent"] = _("Elija una tipificación de la lista.")
    elif parent == code:
        errors["parent"] = _("Una tipificación no puede quedar debajo de sí misma.")
    if not errors and attempt(lambda: pqrs().catalog_admin.move_typification(code, parent, actor()), errors):
        flash(_("Se movió la tipificación «%(label)s».", label=tree.get(code).label), "success")
        return redirect(url_for("admin.typifications") + f"#nodo-{code}")
    if "parent" in errors and "debajo de sí" in errors["parent"]:
        errors["parent"] = _("No se puede mover una tipificación debajo de sí misma ni de una de sus "
                             "subcategorías: se formaría un ciclo.")
    return _edit_page(code, errors, {"parent": parent or ""}, 422)


@bp.post("/tipificaciones/<code>/activo")
@login_required
@require(Permission.CATALOG)
def typification_toggle(code: str) -> Response:
    _known(code)
    active = checked("active")
    label = catalog().typifications.get(code).label
    errors: dict[str, str] = {}
    if attempt(lambda: pqrs().catalog_admin.set_typification_active(code, active, actor()), errors):
        flash(_("Se reactivó la tipificación «%(label)s».", label=label) if active else
              _("Se desactivó la tipificación «%(label)s»: ya no se ofrece para clasificar casos (tampoco "
                "sus subcategorías); los casos ya tipificados la conservan.", label=label), "success")
    for message in errors.values():
        flash(message, "error")
    return redirect(url_for("admin.typifications") + f"#nodo-{code}")

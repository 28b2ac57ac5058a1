"""The catalog's lists: kinds, reasons, channels, document types, priorities and queues. Each list shows
its entries (label, code, order, active, where it comes from); an administrator adds an entry, edits
its label, description and order, and deactivates or reactivates it. Nothing is ever deleted: past
cases keep their meaning."""

from __future__ import annotations

from typing import Any

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog, CatalogEntry, Priority, Queue

from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .queue_assignment import MANUAL_ROW, policy_rows, policy_values, save_policy, strategy_choices
from .support import (
    attempt,
    bp,
    checked,
    new_code,
    source_label,
    tabs,
    text,
    whole_number,
    yes_no,
)

MAX_ORDER = 10_000


@attrs.frozen
class ListKind:
    name: str  # the core's list name
    slug: str  # in the URL
    title: str
    one: str  # "el motivo", "la cola"
    upper: bool  # codes derived in capitals (reasons, document types) or in lower case
    order_label: str = "Posición"


LISTS = (
    ListKind("kinds", "tipos", "Tipos de caso", "el tipo de caso", upper=False),
    ListKind("reasons", "motivos", "Motivos", "el motivo", upper=True),
    ListKind("channels", "canales", "Canales", "el canal", upper=False),
    ListKind("document_types", "tipos-de-documento", "Tipos de documento", "el tipo de documento",
             upper=True),
    ListKind("tags", "etiquetas", "Etiquetas", "la etiqueta", upper=False),
    ListKind("root_causes", "causas-raiz", "Causas raíz", "la causa raíz", upper=True),
    ListKind("priorities", "prioridades", "Prioridades", "la prioridad", upper=False,
             order_label="Orden (1 = la más urgente)"),
    ListKind("queues", "colas", "Colas", "la cola", upper=False, order_label="Nivel (1 = primera línea)"),
)
BY_SLUG = {kind.slug: kind for kind in LISTS}
EISENHOWER = {"": "—", "1": "Sí", "0": "No"}


def _kind(slug: str) -> ListKind:
    kind = BY_SLUG.get(slug)
    if kind is None:
        abort(404)
    return kind


def _items(kind: ListKind, cat: Catalog) -> list[Any]:
    if kind.name == "priorities":
        return list(cat.priorities)
    if kind.name == "queues":
        return list(cat.queues)
    return list(cat.entries(kind.name))


def _item(kind: ListKind, cat: Catalog, code: str) -> Any:
    found = next((i for i in _items(kind, cat) if i.code == code), None)
    if found is None:
        abort(404)
    return found


def order_of(item: Any) -> int:
    if isinstance(item, Priority):
        return item.rank
    if isinstance(item, Queue):
        return item.tier
    return int(item.position)


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def _flag_value(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def _values(item: Any) -> dict[str, Any]:
    """What an edit form shows for ``item``."""
    values: dict[str, Any] = {"label": item.label, "description": getattr(item, "description", ""),
                              "order": order_of(item), "active": item.active}
    if isinstance(item, Priority):
        values.update(important=_flag_value(item.important), urgent=_flag_value(item.urgent))
    return values


def _read(kind: ListKind, code: str, errors: dict[str, str], *, default_order: int,
          active: bool) -> Any:
    """The entry the form describes (``errors`` gets what is wrong with it)."""
    label = text("label", 500)
    description = text("description", 2_000)
    if not label:
        errors["label"] = _("Escriba la etiqueta.")
    if kind.name == "priorities":
        rank = whole_number(errors, "order", minimum=0, maximum=MAX_ORDER, default=default_order)
        important, urgent = _flag(text("important", 2)), _flag(text("urgent", 2))
        if (important is None) != (urgent is None):
            errors["urgent" if urgent is None else "important"] = _(
                "Indique si es importante y si es urgente, o deje ambas sin definir.")
        return Priority(code=code, label=label, rank=rank, important=important, urgent=urgent, active=active)
    if kind.name == "queues":
        tier = whole_number(errors, "order", minimum=1, maximum=100, default=default_order)
        return Queue(code=code, label=label, tier=tier, description=description, active=active)
    position = whole_number(errors, "order", minimum=0, maximum=MAX_ORDER, default=default_order)
    return CatalogEntry(code=code, label=label, description=description, position=position, active=active)


def _check_matrix(kind: ListKind, cat: Catalog, item: Any, errors: dict[str, str]) -> None:
    """Two active priorities in one cell of the Eisenhower matrix would make deriving one ambiguous."""
    if kind.name != "priorities" or item.important is None or not item.active:
        return
    for other in cat.priorities:
        if (other.code != item.code and other.active and other.important is item.important
                and other.urgent is item.urgent):
            errors["important"] = _("La prioridad «%(label)s» ya ocupa esa celda de la matriz "
                                    "(importante: %(i)s, urgente: %(u)s).", label=other.label,
                                    i=yes_no(item.important).lower(), u=yes_no(item.urgent).lower())


def _save(kind: ListKind, item: Any, errors: dict[str, str]) -> bool:
    admin = pqrs().catalog_admin
    who = actor()
    if kind.name == "priorities":
        return attempt(lambda: admin.put_priority(item, who), errors)
    if kind.name == "queues":
        return attempt(lambda: admin.put_queue(item, who), errors)
    return attempt(lambda: admin.put_entry(kind.name, item, who), errors)


def _page(kind: ListKind, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
          status: int = 200) -> tuple[str, int]:
    cat = catalog()
    sources = pqrs().catalog_admin.sources()
    items = _items(kind, cat)
    rows = [{"item": item, "order": order_of(item),
             "source": source_label(sources.get((kind.name, item.code)))} for item in items]
    if kind.name == "queues":
        policies = policy_rows()
        for row in rows:
            row.update(policies.get(row["item"].code, {**MANUAL_ROW, "strategy_label": _("Manual")}))
    next_order = max((order_of(i) for i in items), default=0) + 1
    page = render_template("admin/catalog_list.html", kind=kind, lists=LISTS, rows=rows, errors=errors or {},
                           values=values or {"order": next_order if kind.name != "queues" else 1},
                           eisenhower=EISENHOWER, yes_no=yes_no, tabs=tabs())
    return page, status


@bp.get("/listas", defaults={"slug": "tipos"})
@bp.get("/listas/<slug>")
@login_required
@require(Permission.CATALOG)
def catalog_list(slug: str) -> tuple[str, int]:
    return _page(_kind(slug))


@bp.post("/listas/<slug>")
@login_required
@require(Permission.CATALOG)
def catalog_add(slug: str) -> Response | tuple[str, int]:
    kind = _kind(slug)
    cat = catalog()
    errors: dict[str, str] = {}
    items = _items(kind, cat)
    label = text("label", 500)
    code = new_code(errors, label, {i.code for i in items}, upper=kind.upper)
    default_order = max((order_of(i) for i in items), default=0) + 1 if kind.name != "queues" else 1
    item = _read(kind, code, errors, default_order=default_order, active=True)
    _check_matrix(kind, cat, item, errors)
    if not errors and _save(kind, item, errors):
        flash(_("Se agregó %(what)s «%(label)s» (código %(code)s).", what=kind.one, label=item.label,
                code=item.code), "success")
        return redirect(url_for("admin.catalog_list", slug=kind.slug))
    values = {"label": label, "code": text("code", 200), "description": text("description", 2_000),
              "order": text("order", 20), "important": text("important", 2), "urgent": text("urgent", 2)}
    return _page(kind, errors, values, 422)


@bp.route("/listas/<slug>/<code>", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def catalog_edit(slug: str, code: str) -> Response | tuple[str, int]:
    kind = _kind(slug)
    cat = catalog()
    current = _item(kind, cat, code)
    errors: dict[str, str] = {}
    values = _values(current)
    queues = kind.name == "queues"
    if queues:
        values.update(policy_values(code))
    status = 200
    source = source_label(pqrs().catalog_admin.sources().get((kind.name, code)))
    if request.method == "POST":
        item = _read(kind, code, errors, default_order=order_of(current), active=checked("active"))
        _check_matrix(kind, cat, item, errors)
        if not errors and (not queues or save_policy(code, errors)) and _save(kind, item, errors):
            flash(_("Se guardó %(what)s «%(label)s».", what=kind.one, label=item.label), "success")
            return redirect(url_for("admin.catalog_list", slug=kind.slug))
        values = {"label": text("label", 500), "description": text("description", 2_000),
                  "order": text("order", 20), "important": text("important", 2),
                  "urgent": text("urgent", 2), "active": checked("active"),
                  "strategy": text("strategy", 40), "cap": text("cap", 20)}
        status = 422
    page = render_template("admin/catalog_edit.html", kind=kind, item=current, values=values, errors=errors,
                           source=source, eisenhower=EISENHOWER, tabs=tabs(),
                           strategies=strategy_choices() if queues else ())
    return page, status


@bp.post("/listas/<slug>/<code>/activo")
@login_required
@require(Permission.CATALOG)
def catalog_toggle(slug: str, code: str) -> Response:
    kind = _kind(slug)
    current = _item(kind, catalog(), code)
    active = checked("active")
    errors: dict[str, str] = {}
    if _save(kind, attrs.evolve(current, active=active), errors):
        message = (_("Se reactivó %(what)s «%(label)s».", what=kind.one, label=current.label) if active
                   else _("Se desactivó %(what)s «%(label)s»: ya no se ofrece en los formularios; los casos "
                          "anteriores no cambian.", what=kind.one, label=current.label))
        flash(message, "success")
    for message in errors.values():
        flash(message, "error")
    return redirect(url_for("admin.catalog_list", slug=kind.slug))

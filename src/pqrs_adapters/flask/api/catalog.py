"""``GET /catalog`` and its administration (administrators only)."""

from __future__ import annotations

import re
from typing import Any

import attrs
from flask import Response

from pqrs_core.domain.access import Permission, Role
from pqrs_core.domain.catalog import LIST_NAMES, Catalog, CatalogEntry, Priority, Queue
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.fields import DEFAULT_LONG_TEXT, FieldDefinition, FieldType, field_to_plain
from pqrs_core.services.catalog_admin import ADMIN_ROLES

from .auth import current_actor
from .inputs import json_body
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.catalog import (
    CatalogEntrySchema,
    CatalogSchema,
    EntryInputSchema,
    FieldDefinitionSchema,
    FieldInputSchema,
    FieldPatchSchema,
    PriorityInputSchema,
    PrioritySchema,
    QueueInputSchema,
    QueueSchema,
    RoleInputSchema,
    RoleSchema,
    TypificationCreateSchema,
    TypificationNodeSchema,
    TypificationPatchSchema,
)
from .schemas.common import CODE_PATTERN

_CATALOG = CatalogSchema()


def _sorted(values: Any) -> list[str]:
    return sorted(values)


def catalog_data(catalog: Catalog) -> dict[str, Any]:
    def entries(name: str) -> list[dict[str, Any]]:
        return [{"code": e.code, "label": e.label, "description": e.description, "position": e.position,
                 "active": e.active} for e in catalog.entries(name)]

    kinds_by_workflow: dict[str, list[str]] = {}
    for kind in catalog.kinds:
        code = catalog.kind_workflows.get(kind.code, catalog.default_workflow)
        kinds_by_workflow.setdefault(code, []).append(kind.code)
    plain = {
        **{name: entries(name) for name in LIST_NAMES},
        "priorities": [priority_data(p) for p in catalog.priorities],
        "queues": [queue_data(q) for q in catalog.queues],
        "typifications": [typification_data(catalog, n.code) for n in catalog.typifications],
        "fields_": [field_to_plain(f) for f in catalog.fields],
        "roles": [role_data(r) for r in catalog.roles],
        "workflows": [{
            "code": w.code, "label": w.label, "description": w.description, "version": w.version,
            "initial_state": w.initial_state, "kinds": kinds_by_workflow.get(w.code, []),
            "states": [{"code": s.code, "label": s.label, "category": s.category.value} for s in w.states],
            "transitions": [{"name": t.name, "label": t.label, "sources": list(t.sources),
                             "target": t.target, "roles": _sorted(t.roles), "guard": t.guard,
                             "required_fields": list(t.required_fields)}
                            for t in w.transitions],
        } for w in catalog.workflows],
        "default_workflow": catalog.default_workflow,
    }
    dumped: dict[str, Any] = _CATALOG.dump(plain)
    return dumped


def priority_data(p: Priority) -> dict[str, Any]:
    return {"code": p.code, "label": p.label, "rank": p.rank, "important": p.important, "urgent": p.urgent,
            "active": p.active}


def queue_data(q: Queue) -> dict[str, Any]:
    return {"code": q.code, "label": q.label, "tier": q.tier, "description": q.description,
            "active": q.active}


def role_data(r: Role) -> dict[str, Any]:
    return {"code": r.code, "label": r.label, "permissions": _sorted(r.permissions),
            "scopes": _sorted(r.scopes), "kinds": list(r.kinds), "typifications": list(r.typifications),
            "active": r.active}


def typification_data(catalog: Catalog, code: str) -> dict[str, Any]:
    n = catalog.typifications.get(code)
    return {"code": n.code, "label": n.label, "parent": n.parent, "description": n.description,
            "version": n.version, "active": n.active, "position": n.position}


@api_route("/catalog", "GET", Operation(
    summary="El catálogo", tag="catalog",
    description="Tipos, motivos, canales, tipos de documento, prioridades, colas, el árbol de "
                "tipificación, campos adicionales, roles y flujos de trabajo con sus estados y transiciones.",
    replies={200: Reply("El catálogo vigente", CatalogSchema)}))
def get_catalog() -> Response:
    current_actor()
    return json_response(catalog_data(pqrs().catalog()))


# ------------------------------------------------------------------------------------ administration
def _admin(permission: Permission = Permission.CATALOG) -> Any:
    """The caller, if their roles grant ``permission`` (administrators hold every permission)."""
    actor = current_actor()
    if not actor.has_any(ADMIN_ROLES) and permission not in pqrs().catalog().permissions(actor):
        raise ApiProblem("forbidden", "Solo un administrador cambia el catálogo.")
    return actor


def _code(code: str) -> str:
    """A code given in the URL: 422 unless it has the shape of a code."""
    if not re.match(CODE_PATTERN, code):
        raise ApiProblem("validation-error",
                         "El código solo admite letras, dígitos, «_», «.» y «-» (hasta 64).",
                         errors={"code": "no es un código válido"})
    return code


def _admin_operation(summary: str, body: type[Any], reply: type[Any], status: int = 200,
                     description: str = "") -> Operation:
    return Operation(summary=summary, tag="catalog", body=body, description=description,
                     replies={status: Reply("La entrada como quedó", reply)}, problems=(403, 409))


_ENTRY, _PRIORITY, _QUEUE = EntryInputSchema(), PriorityInputSchema(), QueueInputSchema()
_ROLE = RoleInputSchema()
_NEW_TYP, _PATCH_TYP = TypificationCreateSchema(), TypificationPatchSchema()
_LISTS = ", ".join(LIST_NAMES)


@api_route(f"/catalog/<any({_LISTS}):list_name>/<code>", "PUT", _admin_operation(
    "Crear o editar una entrada de una lista", EntryInputSchema, CatalogEntrySchema,
    description="Tipos de caso, motivos, canales o tipos de documento."))
def put_catalog_entry(list_name: str, code: str) -> Response:
    actor = _admin()
    code = _code(code)
    data = json_body(_ENTRY)
    pqrs().catalog_admin.put_entry(list_name, CatalogEntry(code=code, **data), actor)
    entry = next(e for e in pqrs().catalog().entries(list_name) if e.code == code)
    return json_response({"code": entry.code, "label": entry.label, "description": entry.description,
                          "position": entry.position, "active": entry.active})


@api_route("/catalog/priorities/<code>", "PUT", _admin_operation(
    "Crear o editar una prioridad", PriorityInputSchema, PrioritySchema))
def put_priority(code: str) -> Response:
    actor = _admin()
    code = _code(code)
    data = json_body(_PRIORITY)
    pqrs().catalog_admin.put_priority(Priority(code=code, **data), actor)
    return json_response(priority_data(pqrs().catalog().priority(code)))


@api_route("/catalog/queues/<code>", "PUT", _admin_operation(
    "Crear o editar una cola", QueueInputSchema, QueueSchema))
def put_queue(code: str) -> Response:
    actor = _admin()
    code = _code(code)
    data = json_body(_QUEUE)
    pqrs().catalog_admin.put_queue(Queue(code=code, **data), actor)
    return json_response(queue_data(pqrs().catalog().queue(code)))


@api_route("/catalog/roles/<code>", "PUT", _admin_operation(
    "Crear o editar un rol", RoleInputSchema, RoleSchema,
    description="Permisos, alcances de visibilidad y los tipos o tipificaciones a los que da acceso."))
def put_role(code: str) -> Response:
    actor = _admin(Permission.USERS)
    code = _code(code)
    data = json_body(_ROLE)
    role = Role(code=code, label=data["label"], permissions=frozenset(data["permissions"]),
                scopes=frozenset(data["scopes"]), kinds=tuple(data["kinds"]),
                typifications=tuple(data["typifications"]), active=data["active"])
    pqrs().catalog_admin.put_role(role, actor)
    return json_response(role_data(pqrs().catalog().role(code)))


@api_route("/catalog/typifications", "POST", _admin_operation(
    "Agregar un nodo de tipificación", TypificationCreateSchema, TypificationNodeSchema, 201))
def add_typification() -> Response:
    actor = _admin()
    data = json_body(_NEW_TYP)
    _code(data["code"])
    pqrs().catalog_admin.add_typification(data["code"], data["label"], actor, parent=data["parent"],
                                          description=data["description"])
    return json_response(typification_data(pqrs().catalog(), data["code"]), 201)


@api_route("/catalog/typifications/<code>", "PATCH", _admin_operation(
    "Renombrar, mover, activar o desactivar una tipificación", TypificationPatchSchema,
    TypificationNodeSchema,
    description="Cada cambio crea una versión nueva del nodo; los casos ya tipificados conservan la suya."))
def change_typification(code: str) -> Response:
    actor = _admin()
    code = _code(code)
    data = json_body(_PATCH_TYP)
    admin = pqrs().catalog_admin
    if code not in pqrs().catalog().typifications:
        raise NotFound("la tipificación", code)
    if "label" in data or "description" in data:
        label = data.get("label") or pqrs().catalog().typifications.get(code).label
        admin.rename_typification(code, label, actor, description=data.get("description"))
    if "parent" in data:
        admin.move_typification(code, data["parent"], actor)
    if "active" in data:
        admin.set_typification_active(code, data["active"], actor)
    return json_response(typification_data(pqrs().catalog(), code))


_NEW_FIELD = FieldInputSchema()
_PATCH_FIELD = FieldPatchSchema(partial=True)
_FIELD_TUPLES = ("choices", "kinds", "typifications", "required_for_transitions")


def _field(data: dict[str, Any], base: FieldDefinition | None = None) -> FieldDefinition:
    values: dict[str, Any] = {k: tuple(v) if k in _FIELD_TUPLES else v for k, v in data.items()}
    if base is not None:
        return attrs.evolve(base, **values)
    if values.get("max_length") is None:
        values["max_length"] = DEFAULT_LONG_TEXT if values["type"] == FieldType.LONG_TEXT else 500
    return FieldDefinition(**{**values, "type": FieldType(values["type"])})


def _defined(code: str) -> FieldDefinition:
    found = next((f for f in pqrs().catalog().fields if f.code == code), None)
    if found is None:
        raise NotFound("el campo", code)
    return found


@api_route("/catalog/fields", "POST", _admin_operation(
    "Crear un campo adicional", FieldInputSchema, FieldDefinitionSchema, 201,
    description="Texto, texto largo, número (entero o decimal, con rango), fecha, sí/no, lista de opciones "
                "o selección múltiple. Los casos lo llevan en ``custom_fields``; el listado de casos se "
                "filtra con ``cf.<código>=valor``."))
def add_field() -> Response:
    actor = _admin()
    data = json_body(_NEW_FIELD)
    _code(data["code"])
    if any(f.code == data["code"] for f in pqrs().catalog().fields):
        raise ApiProblem("duplicate", f"Ya existe un campo con el código «{data['code']}».",
                         errors={"code": "ya existe un campo con este código"})
    pqrs().catalog_admin.put_field(_field(data), actor)
    return json_response(field_to_plain(_defined(data["code"])), 201)


@api_route("/catalog/fields/<code>", "PATCH", _admin_operation(
    "Editar o desactivar un campo adicional", FieldPatchSchema, FieldDefinitionSchema,
    description="Envíe solo lo que cambia; el código y el tipo no cambian. Renombrar una opción "
                "(``choice_labels``) conserva su código: los casos conservan su valor."))
def change_field(code: str) -> Response:
    actor = _admin()
    current = _defined(_code(code))
    data = json_body(_PATCH_FIELD)
    pqrs().catalog_admin.put_field(_field(data, current), actor)
    return json_response(field_to_plain(_defined(code)))

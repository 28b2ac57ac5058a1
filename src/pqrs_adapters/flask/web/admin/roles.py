"""Roles: what each lets its members do (permissions) and which cases it lets them see (scopes), and
the kinds and typifications it gives access to. Editing a role changes what every member may do from
their next page on."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission, Role, Scope, permissions_of
from pqrs_core.domain.errors import NotFound

from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .support import attempt, bp, checked, chosen, new_code, source_label, tabs, text
from .typifications import parent_choices

# What each permission lets a person do, as an administrator reads it.
PERMISSIONS: dict[str, tuple[str, str]] = {
    Permission.FILE: ("Radicar", "Registrar PQRS recibidas por cualquier canal."),
    Permission.EDIT: ("Editar y tipificar", "Cambiar los datos de un caso y su tipificación."),
    Permission.NOTE: ("Registro de trabajo", "Escribir y leer las notas internas de los casos."),
    Permission.ASSIGN: ("Asignar", "Asignar casos a otras personas y repartirlos (distribución)."),
    Permission.TAKE: ("Tomar casos", "Asignarse a sí mismo un caso."),
    Permission.WORK: ("Gestionar", "Cambiar el estado de un caso, pedir información, responder y cerrar."),
    Permission.REPLY: ("Escribir como peticionario",
                       "Enviar la información pedida y contrarrespuestas a sus propios casos."),
    Permission.ATTACH: ("Adjuntar", "Agregar archivos a los casos."),
    Permission.CATALOG: ("Administrar el catálogo",
                         "Listas, tipificaciones, nombres de los estados, términos y días de cierre."),
    Permission.USERS: ("Administrar usuarios y roles", "Crear cuentas, asignar roles y editar los roles."),
    Permission.REPORTS: ("Ver reportes", "Consultar los indicadores y reportes de los casos que puede ver."),
    Permission.QUALITY: ("Revisar calidad", "Registrar revisiones de calidad de casos cerrados."),
    Permission.APPROVE_LETTERS: ("Dar visto bueno a las respuestas",
                                 "Aprobar o devolver las respuestas redactadas por otros antes de enviarlas; "
                                 "con la firma digital, su visto bueno es el que permite firmar el oficio."),
    Permission.DELETE: ("Pedir anulaciones",
                        "Pedir que se anule un caso o un radicado de salida (nunca se borra)."),
    Permission.APPROVE_VOIDING: ("Decidir anulaciones",
                                 "Aprobar o rechazar las anulaciones que pidió otra persona."),
    Permission.AUDIT: ("Auditar anulados",
                       "Consultar y listar los casos anulados con su registro de anulación."),
}

# Which cases a scope lets a person see.
SCOPES: dict[str, tuple[str, str]] = {
    Scope.OWN: ("Propios", "Los casos que radicó o en los que es el peticionario (todos ven los suyos)."),
    Scope.AFFECTED: ("Como afectado", "Los casos en los que es el peticionario."),
    Scope.NETWORK: ("Su red", "Los casos de las personas de su red (genealogía) que están por debajo."),
    Scope.ASSIGNED: ("Asignados", "Los casos de los que es responsable."),
    Scope.QUEUE: ("Sus colas", "Los casos de las colas en las que trabaja."),
    Scope.ROLE_MATCH: ("Tipos y tipificaciones del rol",
                       "Los casos de los tipos y tipificaciones elegidos abajo (todos, si no se elige "
                       "ninguno)."),
    Scope.CLOSED: ("Cerrados", "Todos los casos cerrados (para revisar la calidad)."),
    Scope.ALL: ("Todos", "Todos los casos."),
}


def _role(code: str) -> Role:
    try:
        return catalog().role(code)
    except NotFound:
        abort(404)


@bp.get("/roles")
@login_required
@require(Permission.USERS)
def roles() -> str:
    cat = catalog()
    sources = pqrs().catalog_admin.sources()
    rows = [{"role": r, "source": source_label(sources.get(("roles", r.code))),
             "permissions": [PERMISSIONS.get(p, (p, ""))[0] for p in sorted(r.permissions)],
             "scopes": [SCOPES.get(s, (s, ""))[0] for s in sorted(r.scopes)],
             "kinds": [k.label for k in cat.kinds if k.code in r.kinds],
             "typifications": [cat.typifications.get(t).label if t in cat.typifications else t
                               for t in r.typifications]}
            for r in cat.roles]
    return render_template("admin/roles.html", rows=rows, tabs=tabs())


def _form(role: Role | None, values: dict[str, Any], errors: dict[str, str], status: int) -> tuple[str, int]:
    cat = catalog()
    page = render_template("admin/role_form.html", role=role, values=values, errors=errors,
                           permissions=PERMISSIONS, scopes=SCOPES,
                           kinds=[(k.code, k.label) for k in cat.kinds],
                           typifications=parent_choices(cat.typifications), tabs=tabs())
    return page, status


def _values(role: Role) -> dict[str, Any]:
    return {"label": role.label, "permissions": sorted(role.permissions), "scopes": sorted(role.scopes),
            "kinds": list(role.kinds), "typifications": list(role.typifications), "active": role.active}


def _read(code: str, errors: dict[str, str]) -> tuple[Role | None, dict[str, Any]]:
    cat = catalog()
    values: dict[str, Any] = {"label": text("label", 500), "permissions": chosen("permissions"),
                              "scopes": chosen("scopes"), "kinds": chosen("kinds"),
                              "typifications": chosen("typifications"), "active": checked("active")}
    if not values["label"]:
        errors["label"] = _("Escriba el nombre del rol.")
    if set(values["permissions"]) - set(PERMISSIONS):
        errors["permissions"] = _("Elija permisos de la lista.")
    if set(values["scopes"]) - set(SCOPES):
        errors["scopes"] = _("Elija alcances de la lista.")
    if set(values["kinds"]) - {k.code for k in cat.kinds}:
        errors["kinds"] = _("Elija tipos de caso de la lista.")
    if set(values["typifications"]) - {n.code for n in cat.typifications}:
        errors["typifications"] = _("Elija tipificaciones de la lista.")
    if errors:
        return None, values
    return Role(code=code, label=values["label"], permissions=frozenset(values["permissions"]),
                scopes=frozenset(values["scopes"]), kinds=tuple(values["kinds"]),
                typifications=tuple(values["typifications"]), active=values["active"]), values


def _put(role: Role) -> None:
    pqrs().catalog_admin.put_role(role, actor())


def _keeps_users_admin(edited: Role) -> bool:
    """Whether the person editing still administers users once ``edited`` replaces its old version."""
    after = [edited if r.code == edited.code else r for r in catalog().roles]
    return Permission.USERS in permissions_of(actor(), after)


@bp.route("/roles/nuevo", methods=["GET", "POST"])
@login_required
@require(Permission.USERS)
def role_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _form(None, {"permissions": [], "scopes": [Scope.ASSIGNED.value], "kinds": [],
                            "typifications": [], "active": True}, {}, 200)
    errors: dict[str, str] = {}
    code = new_code(errors, text("label", 500), {r.code for r in catalog().roles}, upper=False)
    role, values = _read(code, errors)
    values["code"] = text("code", 200)
    if role is not None and not errors and attempt(lambda: _put(role), errors):
        flash(_("Se creó el rol «%(label)s» (código %(code)s). Asígnelo a las personas en Usuarios.",
                label=role.label, code=role.code), "success")
        return redirect(url_for("admin.roles"))
    return _form(None, values, errors, 422)


@bp.route("/roles/<code>", methods=["GET", "POST"])
@login_required
@require(Permission.USERS)
def role_edit(code: str) -> Response | tuple[str, int]:
    current = _role(code)
    if request.method == "GET":
        return _form(current, _values(current), {}, 200)
    errors: dict[str, str] = {}
    role, values = _read(code, errors)
    if role is not None and not _keeps_users_admin(role):
        errors["permissions"] = _("No puede quitarse a sí mismo el permiso de administrar usuarios.")
    if role is not None and not errors and attempt(lambda: _put(role), errors):
        flash(_("Se guardó el rol «%(label)s»: sus miembros tienen estos permisos desde su próxima página.",
                label=role.label), "success")
        return redirect(url_for("admin.roles"))
    return _form(current, values, errors, 422)

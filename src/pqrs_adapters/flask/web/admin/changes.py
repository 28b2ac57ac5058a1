"""The administration log: every change to the catalog, the roles, the users, the terms and the closure
days, newest first, each as a Spanish sentence with who made it and when."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import render_template

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.working_days import describe_working_days

from ..auth import login_required
from ..common import catalog, labels, pqrs
from .archive import retention_change
from .roles import PERMISSIONS, SCOPES
from .support import _, bp, require_any, tabs

LIMIT = 300
# The lists as the log names them: (what, its article form).
NOUNS = {
    "kinds": "el tipo de caso", "reasons": "el motivo", "channels": "el canal",
    "document_types": "el tipo de documento", "root_causes": "la causa raíz",
    "priorities": "la prioridad", "queues": "la cola",
    "fields": "el campo adicional", "tags": "la etiqueta",
}
USER_FIELDS = {"display_name": "nombre", "email": "correo", "roles": "roles", "queues": "colas",
               "sponsor": "patrocinador"}


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _typification(cat: Catalog, code: Any) -> str:
    if not code:
        return ""
    return f"«{cat.typifications.get(code).label}»" if code in cat.typifications else f"«{code}»"


def _active(data: Mapping[str, Any], feminine: bool = False) -> str:
    if data.get("active", True):
        return _("activa") if feminine else _("activo")
    return _("inactiva") if feminine else _("inactivo")


def _listed(values: Any, names: Mapping[str, Any] | None = None) -> str:
    items = list(values or [])
    if not items:
        return _("ninguno")
    return ", ".join(str((names or {}).get(v, v)) for v in items)


def describe(change: Mapping[str, Any], cat: Catalog) -> str:  # noqa: C901, PLR0911, PLR0912 - one case per kind of change
    """One Spanish sentence saying what an administration change did."""
    what, data = str(change.get("what", "")), change.get("data") or {}
    area, _dot, action = what.partition(".")
    code = data.get("code", "")
    role_names = {r.code: r.label for r in cat.roles}
    if area in NOUNS and action == "put":
        feminine = NOUNS[area].startswith("la ")
        detail = [_active(data, feminine)]
        if area == "priorities":
            detail.insert(0, _("orden %(n)s", n=data.get("rank")))
        elif area == "queues":
            detail.insert(0, _("nivel %(n)s", n=data.get("tier")))
        return _("Guardó %(noun)s «%(label)s» (código %(code)s): %(detail)s.", noun=NOUNS[area],
                 label=data.get("label", code), code=code, detail=", ".join(detail))
    if what == "roles.put":
        permissions = _listed(data.get("permissions"), {k: v[0] for k, v in PERMISSIONS.items()})
        scopes = _listed(data.get("scopes"), {k: v[0] for k, v in SCOPES.items()})
        return _("Guardó el rol «%(role)s»: permisos %(p)s; casos que ve: %(s)s.",
                 role=role_names.get(code, code), p=permissions, s=scopes)
    if what == "term_policies.put":
        return _("Guardó la política de términos «%(label)s»: %(terms)s, %(active)s.",
                 label=data.get("label", code), terms=_listed(data.get("terms")), active=_active(data, True))
    if what == "closures.add":
        return _("Agregó el día de cierre %(day)s (%(label)s).", day=_day(data.get("day")),
                 label=data.get("label", ""))
    if what == "closures.remove":
        return _("Quitó el día de cierre %(day)s.", day=_day(data.get("day")))
    if what == "calendar.working_weekdays":
        return _("Eligió los días hábiles: %(days)s.", days=describe_working_days(data.get("weekdays") or ()))
    if what == "retention.put":
        return retention_change(data, cat)
    if what == "typifications.add":
        if data.get("parent"):
            return _("Agregó la tipificación «%(label)s» (código %(code)s) bajo %(parent)s.",
                     label=data.get("label"), code=code, parent=_typification(cat, data.get("parent")))
        return _("Agregó la categoría de tipificación «%(label)s» (código %(code)s).",
                 label=data.get("label"), code=code)
    if what == "typifications.rename":
        return _("Renombró la tipificación %(code)s a «%(label)s».", code=code, label=data.get("label"))
    if what == "typifications.move":
        if data.get("parent"):
            return _("Movió la tipificación %(node)s bajo %(parent)s.", node=_typification(cat, code),
                     parent=_typification(cat, data.get("parent")))
        return _("Convirtió la tipificación %(node)s en una categoría.", node=_typification(cat, code))
    if what == "typifications.active":
        if data.get("active"):
            return _("Reactivó la tipificación %(node)s.", node=_typification(cat, code))
        return _("Desactivó la tipificación %(node)s.", node=_typification(cat, code))
    if what == "workflows.relabel_state":
        return _("Cambió el nombre del estado %(state)s del flujo %(workflow)s a «%(label)s».",
                 state=data.get("state"), workflow=data.get("workflow"), label=data.get("label"))
    if what == "workflows.relabel_transition":
        return _("Cambió el nombre de la transición %(name)s del flujo %(workflow)s a «%(label)s».",
                 name=data.get("transition"), workflow=data.get("workflow"), label=data.get("label"))
    if area == "workflows" and action in WORKFLOW_CHANGES:
        return _(WORKFLOW_CHANGES[action], workflow=data.get("workflow"), label=data.get("label"),
                 state=data.get("state"), transition=data.get("transition"), version=data.get("version"),
                 kinds=_listed(data.get("kinds")), source=data.get("copy_of"))
    if area == "mailboxes":
        return _mailbox_change(action, data)
    if area == "webhooks":
        return _webhook_change(action, data)
    if what == "catalog.sync":
        return _("Actualizó el catálogo con lo que registran los complementos (%(n)d cambios).",
                 n=len(data.get("changed") or []))
    if area == "users":
        return _user_change(action, data, role_names)
    return f"{what}: {data}"


WORKFLOW_CHANGES = {
    "create": "Creó el flujo «%(label)s» (código %(workflow)s) como copia de %(source)s.",
    "add_state": "Agregó el estado %(state)s al flujo %(workflow)s, con la transición %(transition)s que "
                 "lleva a él (versión %(version)s).",
    "add_transition": "Agregó la transición %(transition)s al flujo %(workflow)s (versión %(version)s).",
    "kinds": "Eligió los tipos de caso del flujo %(workflow)s: %(kinds)s.",
}


MAILBOX_FIELDS = {"address": "dirección", "imap_url": "URL IMAP", "username": "usuario",
                  "credential": "credencial", "kind": "tipo", "queue": "cola", "typification": "tipificación",
                  "enabled": "activo", "processed_folder": "carpeta del correo procesado",
                  "processed_keyword": "marca del correo procesado"}


def _webhook_change(action: str, data: Mapping[str, Any]) -> str:
    """A webhook created, changed, removed, given a new secret (never shown) or switched off."""
    hook = data.get("webhook")
    events = (_("todos los eventos") if data.get("event_types") is None
              else ", ".join(str(e) for e in data["event_types"]))
    detail = {"hook": hook, "url": data.get("url", ""), "events": events, "state": _active(data)}
    if action == "create":
        return _("Creó el webhook %(hook)s (%(url)s): %(events)s; %(state)s.", **detail)
    if action == "update":
        return _("Cambió el webhook %(hook)s (%(url)s): %(events)s; %(state)s.", **detail)
    if action == "delete":
        return _("Eliminó el webhook %(hook)s con su registro de entregas.", hook=hook)
    if action == "rotate_secret":
        return _("Generó un secreto nuevo para el webhook %(hook)s.", hook=hook)
    return _("Se desactivó el webhook %(hook)s: %(reason)s.", hook=hook, reason=data.get("reason", ""))


def _mailbox_change(action: str, data: Mapping[str, Any]) -> str:
    """A mailbox created or changed: its fields, the credential only as «cambiada» (never a value)."""
    def value(field: str) -> str:
        raw = data.get(field)
        if field == "credential":
            return _("cambiada") if raw else _("ninguna")
        if field == "enabled":
            return _("sí") if raw else _("no")
        return str(raw) if raw not in (None, "") else "—"

    fields = [f"{MAILBOX_FIELDS[f]}: {value(f)}" for f in MAILBOX_FIELDS if f in data]
    if action == "create":
        return _("Creó el buzón «%(mailbox)s» (%(fields)s).", mailbox=data.get("mailbox"),
                 fields="; ".join(fields))
    if list(data) == ["mailbox", "enabled"]:
        return (_("Activó el buzón «%(mailbox)s».", mailbox=data.get("mailbox")) if data.get("enabled")
                else _("Desactivó el buzón «%(mailbox)s».", mailbox=data.get("mailbox")))
    return _("Cambió el buzón «%(mailbox)s»: %(fields)s.", mailbox=data.get("mailbox"),
             fields="; ".join(fields))


def _user_change(action: str, data: Mapping[str, Any], role_names: Mapping[str, str]) -> str:
    parts = []
    for field, word in USER_FIELDS.items():
        value = data.get(field)
        if field not in data or (action == "create" and not value):
            continue
        if not value:
            shown = _("ninguna") if field == "queues" else _("ninguno")
        elif isinstance(value, list):
            shown = _listed(value, role_names if field == "roles" else None)
        else:
            shown = str(value)
        parts.append(f"{word}: {shown}")
    if "active" in data and action != "create":
        parts.append(_("cuenta activada") if data["active"] else _("cuenta desactivada"))
    if "password" in data:
        parts.append(_("contraseña asignada") if action == "create" else _("contraseña restablecida"))
    detail = "; ".join(parts)
    if action == "create":
        return _("Creó el usuario «%(name)s» (%(detail)s).", name=data.get("username"), detail=detail)
    return _("Cambió el usuario «%(name)s»: %(detail)s.", name=data.get("username"), detail=detail)


@bp.get("/historial")
@login_required
@require_any(Permission.CATALOG, Permission.USERS)
def changes() -> str:
    entries = pqrs().catalog_admin.changes(LIMIT)
    cat = catalog()
    names = labels(e["actor"] for e in entries)
    rows = [{"at": e["at"], "actor": names.user(e["actor"]), "text": describe(e, cat)} for e in entries]
    return render_template("admin/changes.html", rows=rows, labels=names, limit=LIMIT, tabs=tabs())

"""``/mailboxes``: the addresses mail is received at, for administrators (``catalog.admin``). Create,
read, change (including ``enabled``) and «probar conexión». Invalid settings are a 422 problem naming
the field; the credential reference is write-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
from flask import Response, current_app, url_for
from sqlalchemy import Engine

from ...mail.imap_client import FetchError, check_connection
from ...mail.mailboxes import Mailbox, MailboxError, MailboxSettings, catalog_problems
from ...sqlalchemy.mailbox_store import create_mailbox, get_mailbox, list_mailboxes, update_mailbox
from .catalog import _admin
from .inputs import json_body
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.mailboxes import (
    ConnectionCheckSchema,
    MailboxCreateSchema,
    MailboxListSchema,
    MailboxPatchSchema,
    MailboxSchema,
)

MAX_ID = 2**31 - 1
_CREATE, _PATCH = MailboxCreateSchema(), MailboxPatchSchema()


def mailbox_data(mailbox: Mailbox) -> dict[str, Any]:
    data = attrs.asdict(mailbox.settings)
    data.pop("credential")
    return {"id": mailbox.id, **data, "has_credential": bool(mailbox.settings.credential),
            "uidvalidity": mailbox.uidvalidity, "last_uid": mailbox.last_uid,
            "last_fetch_at": mailbox.last_fetch_at.isoformat() if mailbox.last_fetch_at else None,
            "last_error": mailbox.last_error}


def _engine() -> Engine:
    engine: Engine = current_app.extensions["pqrs.engine"]
    return engine


def _now() -> datetime:
    return pqrs().deps.clock.now()


def _found(mailbox_id: int) -> Mailbox:
    mailbox = get_mailbox(_engine(), mailbox_id) if mailbox_id <= MAX_ID else None
    if mailbox is None:
        raise ApiProblem("not-found", f"No existe el buzón {mailbox_id}.")
    return mailbox


def _check_catalog(settings: MailboxSettings) -> None:
    cat = pqrs().catalog()
    errors = catalog_problems(settings, {k.code for k in cat.kinds}, {q.code for q in cat.queues},
                              cat.typifications)
    if errors:
        raise ApiProblem("validation-error", "Hay valores por defecto que no están en el catálogo.",
                         errors=errors)


def _invalid(exc: MailboxError) -> ApiProblem:
    return ApiProblem("validation-error", exc.message, errors={exc.field: exc.message})


def _operation(summary: str, reply: Reply, *, body: type[Any] | None = None, status: int = 200,
               description: str = "", problems: tuple[int, ...] = (403,)) -> Operation:
    return Operation(summary=summary, tag="mailboxes", body=body, description=description,
                     replies={status: reply}, problems=problems)


@api_route("/mailboxes", "GET", _operation(
    "Los buzones de correo", Reply("Los buzones, por dirección", MailboxListSchema)))
def list_mailboxes_view() -> Response:
    _admin()
    return json_response({"items": [mailbox_data(m) for m in list_mailboxes(_engine())]})


@api_route("/mailboxes", "POST", _operation(
    "Crear un buzón", Reply("El buzón creado", MailboxSchema, headers=("Location",)),
    body=MailboxCreateSchema, status=201, problems=(403,),
    description="La dirección debe ser única; con URL IMAP, el usuario y la credencial son obligatorios."))
def create_mailbox_view() -> Response:
    actor = _admin()
    data = json_body(_CREATE)
    settings = MailboxSettings(**data)
    _check_catalog(settings)
    try:
        mailbox = create_mailbox(_engine(), settings, _now(), actor=actor.username)
    except MailboxError as exc:
        raise _invalid(exc) from None
    return json_response(mailbox_data(mailbox), 201,
                         {"Location": url_for("api.get_mailbox_view", mailbox_id=mailbox.id)})


@api_route("/mailboxes/<int:mailbox_id>", "GET", _operation(
    "Un buzón", Reply("El buzón", MailboxSchema)))
def get_mailbox_view(mailbox_id: int) -> Response:
    _admin()
    return json_response(mailbox_data(_found(mailbox_id)))


@api_route("/mailboxes/<int:mailbox_id>", "PATCH", _operation(
    "Cambiar un buzón", Reply("El buzón como quedó", MailboxSchema), body=MailboxPatchSchema,
    description="Solo cambian los campos enviados (p. ej. {\"enabled\": false} lo desactiva). Cambiar la "
                "URL IMAP o el usuario olvida el último UID leído: la carpeta nueva se lee desde el "
                "principio, sin radicar dos veces lo ya recibido."))
def change_mailbox_view(mailbox_id: int) -> Response:
    actor = _admin()
    mailbox = _found(mailbox_id)
    data = json_body(_PATCH)
    settings = attrs.evolve(mailbox.settings, **data)
    _check_catalog(settings)
    try:
        mailbox = update_mailbox(_engine(), mailbox_id, settings, _now(), actor=actor.username)
    except MailboxError as exc:
        raise _invalid(exc) from None
    return json_response(mailbox_data(mailbox))


@api_route("/mailboxes/<int:mailbox_id>/check", "POST", _operation(
    "Probar la conexión IMAP de un buzón", Reply("El resultado de la prueba", ConnectionCheckSchema),
    description="Ingresa al servidor, abre la carpeta y dice cuántos mensajes tiene, o por qué no pudo "
                "(ok=false con el motivo en español).", problems=(403,)))
def check_mailbox_view(mailbox_id: int) -> Response:
    _admin()
    mailbox = _found(mailbox_id)
    try:
        message = check_connection(mailbox, current_app.extensions["pqrs.config"].mail_in)
    except FetchError as exc:
        return json_response({"ok": False, "message": str(exc)})
    return json_response({"ok": True, "message": message})

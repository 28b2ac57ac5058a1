"""Mailboxes, under ``/admin/buzones``: the addresses mail is received at (``pqrs mail fetch`` reads
the ones with an IMAP URL, ``pqrs mail serve`` accepts mail for all of them), created, edited, switched
on and off, and «Probar conexión», which logs in, selects the folder and says how many messages it
holds (or why it could not). The credential is a reference (``env:PQRS_IMAP_NAME`` or ``file:/path``): the
password is never typed here, stored or shown. For people with ``catalog.admin``."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission

from ....mail.imap_client import FetchError, check_connection
from ....mail.mailboxes import (
    DEFAULT_KEYWORD,
    Mailbox,
    MailboxError,
    MailboxSettings,
    catalog_problems,
)
from ....sqlalchemy.mailbox_store import (
    create_mailbox,
    get_mailbox,
    list_mailboxes,
    set_enabled,
    update_mailbox,
)
from ..auth import login_required
from ..common import actor, catalog, config, engine, labels, now, require, typification_choices
from .support import bp, checked, tabs, text

FIELDS = ("address", "imap_url", "username", "credential", "kind", "queue", "typification",
          "processed_folder", "processed_keyword")


def _mailbox(mailbox_id: int) -> Mailbox:
    found = get_mailbox(engine(), mailbox_id)
    if found is None:
        abort(404)
    return found


def _read() -> MailboxSettings:
    values: dict[str, Any] = {name: text(name, 400) or None for name in FIELDS}
    return MailboxSettings(enabled=checked("enabled"), address=values.pop("address") or "", **values)


def _catalog_errors(settings: MailboxSettings) -> dict[str, str]:
    cat = catalog()
    return {field: _(message) for field, message in catalog_problems(
        settings, {k.code for k in cat.kinds}, {q.code for q in cat.queues}, cat.typifications).items()}


def _form(mailbox: Mailbox | None, values: MailboxSettings, errors: dict[str, str],
          status: int) -> tuple[str, int]:
    cat = catalog()
    page = render_template(
        "admin/mailbox_form.html", mailbox=mailbox, values=values, errors=errors, tabs=tabs(),
        labels=labels(),
        kinds=[(k.code, k.label) for k in cat.kinds if k.active],
        queues=[(q.code, q.label) for q in cat.queues if q.active],
        typifications=typification_choices(), default_keyword=DEFAULT_KEYWORD)
    return page, status


def _save(mailbox: Mailbox | None) -> Response | tuple[str, int]:
    settings = _read()
    errors = _catalog_errors(settings)
    if not errors:
        try:
            if mailbox is None:
                saved = create_mailbox(engine(), settings, now(), actor=actor().username)
            else:
                saved = update_mailbox(engine(), mailbox.id, settings, now(), actor=actor().username)
        except MailboxError as exc:
            errors[exc.field] = exc.message
        else:
            flash(_("Se guardó el buzón «%(address)s».", address=saved.address), "success")
            return redirect(url_for("admin.mailboxes"))
    return _form(mailbox, settings, errors, 422)


@bp.get("/buzones")
@login_required
@require(Permission.CATALOG)
def mailboxes() -> str:
    return render_template("admin/mailboxes.html", mailboxes=list_mailboxes(engine()), labels=labels(),
                           tabs=tabs())


@bp.route("/buzones/nuevo", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def mailbox_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _form(None, MailboxSettings(address=""), {}, 200)
    return _save(None)


@bp.route("/buzones/<int(max=2147483647):mailbox_id>", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def mailbox_edit(mailbox_id: int) -> Response | tuple[str, int]:
    mailbox = _mailbox(mailbox_id)
    if request.method == "GET":
        return _form(mailbox, mailbox.settings, {}, 200)
    return _save(mailbox)


@bp.post("/buzones/<int(max=2147483647):mailbox_id>/activo")
@login_required
@require(Permission.CATALOG)
def mailbox_toggle(mailbox_id: int) -> Response:
    mailbox = _mailbox(mailbox_id)
    enabled = checked("enabled")
    set_enabled(engine(), mailbox.id, enabled, now(), actor=actor().username)
    flash(_("Se activó el buzón «%(address)s».", address=mailbox.address) if enabled else
          _("Se desactivó el buzón «%(address)s»: no se lee ni recibe correo hasta que se active.",
            address=mailbox.address), "success")
    return redirect(url_for("admin.mailboxes"))


@bp.post("/buzones/<int(max=2147483647):mailbox_id>/probar")
@login_required
@require(Permission.CATALOG)
def mailbox_check(mailbox_id: int) -> Response:
    mailbox = _mailbox(mailbox_id)
    try:
        flash(check_connection(mailbox, config().mail_in), "success")
    except FetchError as exc:
        flash(_("No se pudo leer el buzón «%(address)s»: %(reason)s.", address=mailbox.address,
                reason=str(exc)), "error")
    return redirect(url_for("admin.mailbox_edit", mailbox_id=mailbox.id))

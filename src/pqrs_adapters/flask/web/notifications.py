"""In-app notifications for the staff: the bell in the header (how many are unread), the list
(``/notificaciones``), read state kept on the server, and what each person has seen of each case.

- ``GET /notificaciones``: the latest notifications, unread first in bold; «Marcar todas como leídas».
- ``GET /notificaciones/<id>``: marks one read and opens its case.
- ``POST /notificaciones/leidas``: marks every one read.
- ``GET /notificaciones/resumen``: ``{"unread": n}`` for the bell's script.
- ``GET /bandeja/nuevos?desde=<instant>&<the inbox's filters>``: ``{"new": n}``, the cases of that view
  filed since the page was shown («3 casos nuevos»).

The notifications themselves are the outbox's (``pqrs_core.domain.notifications``), kept for the
application by ``SqlOutbox``; opening a case page records the version seen (``record_view``), which
drives the inbox's marker on cases with activity the person has not seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from pqrs_core.domain.case import Case

from ...mail.formatting import percent
from ...presentation import Labels
from ...sqlalchemy import staff_notifications as store
from .auth import current_actor, login_required
from .common import actor, config, engine, labels, now, pqrs, staff, staff_pages
from .inbox_filters import parse_filters

bp = Blueprint("notifications", __name__)
staff_pages(bp, {"notifications.index": "portal.index"})


def describe(item: store.StaffNotification, names: Labels) -> str:
    """One notification as a sentence (``names``: the display names of the people it names)."""
    c = item.context
    number = item.filing_number
    text: str
    match item.template:
        case "assigned":
            text = _("Le asignaron el caso %(n)s: %(s)s", n=number, s=c.get("subject", ""))
        case "requester_replied":
            text = _("El peticionario respondió en el caso %(n)s", n=number)
        case "alarm":
            text = _("Alarma de término del caso %(n)s: va en el %(p)s del término", n=number,
                     p=percent(float(c.get("fraction") or 0)))
        case "mention":
            text = _("%(who)s lo mencionó en una nota del caso %(n)s", who=names.user(c.get("author")),
                     n=number)
        case "reopened_staff":
            text = _("Se reabrió el caso %(n)s", n=number)
        case "internal_request":
            text = _("Solicitud interna a %(q)s en el caso %(n)s", q=names.queue(c.get("queue", "")),
                     n=number)
        case "internal_answered":
            text = _("%(q)s respondió la solicitud interna del caso %(n)s", q=names.queue(c.get("queue", "")),
                     n=number)
        case "internal_alarm":
            text = (_("La solicitud interna del caso %(n)s venció sin respuesta", n=number)
                    if c.get("level") == "overdue" else
                    _("La solicitud interna del caso %(n)s vence pronto", n=number))
        case "escalation":
            text = _("El caso %(n)s se escaló", n=number)
        case "rule_notice":
            text = _("La regla «%(r)s» actuó en el caso %(n)s", r=c.get("rule_name", ""), n=number)
        case "rule_disabled":
            text = _("Se desactivó la regla «%(r)s»: falló en el caso %(n)s", r=c.get("rule_name", ""),
                     n=number)
        case "webhook_disabled":
            text = _("Se desactivó el webhook «%(w)s»: no recibió los eventos durante tres días",
                     w=c.get("description") or c.get("url", ""))
        case "response_returned":
            text = _("%(who)s devolvió su respuesta del caso %(n)s: %(c)s",
                     who=names.user(c.get("returned_by")), n=number, c=c.get("comment", ""))
        case "voiding_requested" if c.get("number"):
            text = _("%(who)s pidió anular el radicado de salida %(o)s del caso %(n)s: espera su decisión",
                     who=names.user(c.get("requested_by")), o=c["number"], n=number)
        case "voiding_requested":
            text = _("%(who)s pidió anular el caso %(n)s: espera su decisión",
                     who=names.user(c.get("requested_by")), n=number)
        case _:
            text = _("Novedad en el caso %(n)s", n=number)
    return text


def unread() -> int:
    """The bell's count for the logged-in person (0 for customers and the public)."""
    who = current_actor()
    if who is None or not staff():
        return 0
    return store.unread_count(engine(), who)


def unseen_activity(cases: Iterable[Case]) -> set[str]:
    """The ids of ``cases`` with activity the logged-in person has not seen: changed after the version
    they last opened, or never opened."""
    listed = list(cases)
    who = current_actor()
    if who is None or not listed:
        return set()
    seen = store.seen_versions(engine(), who.username, [x.id for x in listed])
    return {x.id for x in listed if seen.get(x.id, 0) < x.version}


def record_view(case: Case) -> None:
    who = current_actor()
    if who is not None:
        store.record_view(engine(), who.username, case.id, case.version, now())


@bp.get("/notificaciones")
@login_required
def index() -> ResponseReturnValue:
    items = store.latest(engine(), actor())
    names = labels(item.context.get("author") or item.context.get("requested_by") for item in items)
    return render_template("web/notifications.html", items=[(item, describe(item, names)) for item in items],
                           unread_count=sum(1 for item in items if not item.read), labels=names)


@bp.get("/notificaciones/<int:notification_id>")
@login_required
def open_one(notification_id: int) -> ResponseReturnValue:
    found = store.find(engine(), actor(), notification_id)
    if found is None:
        abort(404)
    store.mark_read(engine(), actor(), now(), [notification_id])
    if found.template == "voiding_requested":  # decided on the list of voiding requests
        return redirect(url_for("admin.voidings"))
    return redirect(url_for("case_page.detail", filing_number=found.filing_number))


@bp.post("/notificaciones/leidas")
@login_required
def read_all() -> ResponseReturnValue:
    marked = store.mark_read(engine(), actor(), now())
    flash(ngettext("Se marcó %(num)d notificación como leída.",
                   "Se marcaron %(num)d notificaciones como leídas.", marked)
          if marked else _("No había notificaciones sin leer."), "success")
    return redirect(url_for("notifications.index"))


@bp.get("/notificaciones/resumen")
@login_required
def summary() -> ResponseReturnValue:
    response = jsonify(unread=store.unread_count(engine(), actor()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/bandeja/nuevos")
@login_required
def new_cases() -> ResponseReturnValue:
    since = _instant(request.args.get("desde", ""))
    if since is None:
        return jsonify(new=0, error=_("Falta el instante desde el que contar (desde).")), 400
    filters = parse_filters(request.args)
    query = filters.query(actor(), now(), config().timezone, limit=1)
    try:
        after = since + timedelta(microseconds=1)  # filed after the page was shown, not at that instant
    except OverflowError:  # the last instant there is: nothing can be filed after it
        return jsonify(new=0, error=_("El instante «desde» no es válido.")), 400
    query = attrs.evolve(query, filed_from=max(after, query.filed_from or after))
    count = pqrs().count(query, actor())
    response = jsonify(new=count, message=ngettext("%(num)d caso nuevo", "%(num)d casos nuevos", count))
    response.headers["Cache-Control"] = "no-store"
    return response


def _instant(value: str) -> datetime | None:
    try:
        found = datetime.fromisoformat(value[:40])
    except ValueError:
        return None
    return found if found.tzinfo is not None else None

"""Webhooks, under ``/admin/webhooks``: the systems told of the cases' events. Each subscription has a
URL, the events it receives (all, or some types) and a signing secret that is generated, shown once
(when created or rotated) and never again. The page of a subscription shows its latest deliveries: the
status code, the start of the response, the attempts, and «Reenviar». For people with
``catalog.admin``."""

from __future__ import annotations

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission

from ....sqlalchemy.webhook_store import (
    create_subscription,
    delete_subscription,
    get_delivery,
    get_subscription,
    list_deliveries,
    list_subscriptions,
    resend,
    rotate_secret,
    update_subscription,
)
from ....webhooks.addresses import MAX_URL
from ....webhooks.delivery import RETRY_SCHEDULE
from ....webhooks.events import DESCRIPTIONS
from ....webhooks.subscriptions import MAX_DESCRIPTION, Subscription, SubscriptionSettings, WebhookError
from ..auth import login_required
from ..common import actor, config, engine, labels, now, require
from .support import bp, checked, chosen, tabs, text

_ID = "<int(max=2147483647):webhook_id>"


def _subscription(webhook_id: int) -> Subscription:
    found = get_subscription(engine(), webhook_id)
    if found is None:
        abort(404)
    return found


def _read(active: bool) -> SubscriptionSettings:
    every = checked("all_events")
    return SubscriptionSettings(url=text("url", MAX_URL + 1),
                                description=text("description", MAX_DESCRIPTION + 1),
                                event_types=None if every else tuple(chosen("event_types")), active=active)


def _page(subscription: Subscription | None, values: SubscriptionSettings, errors: dict[str, str],
          status: int, secret: str | None = None) -> tuple[str, int]:
    deliveries = list_deliveries(engine(), subscription.id) if subscription is not None else []
    page = render_template(
        "admin/webhook_form.html", subscription=subscription, values=values, errors=errors, tabs=tabs(),
        labels=labels(), event_choices=list(DESCRIPTIONS.items()), secret=secret, deliveries=deliveries,
        attempts=len(RETRY_SCHEDULE) + 1)
    return page, status


def _save(subscription: Subscription | None) -> Response | tuple[str, int]:
    settings = _read(subscription.settings.active if subscription is not None else True)
    try:
        settings = settings.validated(config().webhook_allow)
    except WebhookError as exc:
        return _page(subscription, settings, {exc.field: exc.message}, 422)
    if subscription is None:
        created = create_subscription(engine(), settings, now(), actor=actor().username)
        flash(_("Se creó el webhook. Copie su secreto ahora: no se volverá a mostrar."), "success")
        return _page(created, created.settings, {}, 201, secret=created.secret)
    update_subscription(engine(), subscription.id, settings, now(), actor=actor().username)
    flash(_("Se guardó el webhook «%(url)s».", url=settings.url), "success")
    return redirect(url_for("admin.webhook_edit", webhook_id=subscription.id))


@bp.get("/webhooks")
@login_required
@require(Permission.CATALOG)
def webhooks() -> str:
    return render_template("admin/webhooks.html", subscriptions=list_subscriptions(engine()), labels=labels(),
                           tabs=tabs())


@bp.route("/webhooks/nuevo", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def webhook_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _page(None, SubscriptionSettings(url=""), {}, 200)
    return _save(None)


@bp.route(f"/webhooks/{_ID}", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def webhook_edit(webhook_id: int) -> Response | tuple[str, int]:
    subscription = _subscription(webhook_id)
    if request.method == "GET":
        return _page(subscription, subscription.settings, {}, 200)
    return _save(subscription)


@bp.post(f"/webhooks/{_ID}/activo")
@login_required
@require(Permission.CATALOG)
def webhook_toggle(webhook_id: int) -> Response | tuple[str, int]:
    subscription = _subscription(webhook_id)
    active = checked("active")
    settings = attrs.evolve(subscription.settings, active=active)
    if active:
        try:  # the address may have become private, or the allow-list changed, since it was saved
            settings = settings.validated(config().webhook_allow)
        except WebhookError as exc:
            return _page(subscription, subscription.settings, {exc.field: exc.message}, 422)
    update_subscription(engine(), subscription.id, settings, now(), actor=actor().username)
    flash(_("Se activó el webhook: recibe los eventos nuevos y los que quedaron pendientes.") if active else
          _("Se desactivó el webhook: no recibe eventos hasta que se active."), "success")
    return redirect(url_for("admin.webhooks"))


@bp.post(f"/webhooks/{_ID}/secreto")
@login_required
@require(Permission.CATALOG)
def webhook_rotate(webhook_id: int) -> tuple[str, int]:
    rotated = rotate_secret(engine(), _subscription(webhook_id).id, now(), actor=actor().username)
    flash(_("Se generó un secreto nuevo; el anterior ya no firma las entregas. Cópielo ahora: no se volverá "
            "a mostrar."), "success")
    return _page(rotated, rotated.settings, {}, 200, secret=rotated.secret)


@bp.post(f"/webhooks/{_ID}/eliminar")
@login_required
@require(Permission.CATALOG)
def webhook_delete(webhook_id: int) -> Response:
    subscription = _subscription(webhook_id)
    delete_subscription(engine(), subscription.id, now(), actor=actor().username)
    flash(_("Se eliminó el webhook «%(url)s» con su registro de entregas.", url=subscription.settings.url),
          "success")
    return redirect(url_for("admin.webhooks"))


@bp.post(f"/webhooks/{_ID}/entregas/<int(max=2147483647):delivery_id>/reenviar")
@login_required
@require(Permission.CATALOG)
def webhook_resend(webhook_id: int, delivery_id: int) -> Response:
    subscription = _subscription(webhook_id)
    if get_delivery(engine(), subscription.id, delivery_id) is None:
        abort(404)
    resend(engine(), subscription.id, delivery_id, now())
    flash(_("La entrega volvió a la cola: se envía en la próxima vuelta del trabajador.") if
          subscription.settings.active else
          _("La entrega volvió a la cola; se enviará cuando el webhook se active."), "success")
    return redirect(url_for("admin.webhook_edit", webhook_id=subscription.id) + "#entregas")


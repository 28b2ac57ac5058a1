"""``/admin/webhooks``: creating a subscription shows its secret once, private addresses are refused
naming the URL, the events chosen are kept, the secret is rotated, the delivery log shows status and
response, and «Reenviar» queues a delivery again; the worker then delivers it to a real receiver."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pqrs_adapters.sqlalchemy.webhook_store import get_subscription, list_deliveries, list_subscriptions
from pqrs_adapters.webhooks.addresses import AllowList
from pqrs_adapters.webhooks.delivery import WebhookOptions, deliver_webhooks
from webhook_receiver import Receiver

from .conftest import Site, serve_site

LOCAL = AllowList.parse("127.0.0.1")


@pytest.fixture()
def allowed_site(tmp_path: Path) -> Iterator[Site]:
    yield from serve_site(tmp_path, webhook_allow=LOCAL)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def secret_in(page: str) -> str:
    found = re.search(r'value="(whsec_[A-Za-z0-9+/=]+)"', page)
    assert found, "the secret is not on the page"
    return found.group(1)


def test_the_pages_are_for_catalog_administrators_only(site: Site) -> None:
    for path in ("/admin/webhooks", "/admin/webhooks/nuevo"):
        assert site.as_user("ana").get(path).status_code == 403
        assert site.as_user("admin").get(path).status_code == 200
    assert site.as_user("ana").post("/admin/webhooks/nuevo", {"url": "https://8.8.8.8/x",
                                                               "all_events": "1"}).status_code == 403
    assert list_subscriptions(site.engine) == []
    assert "Webhooks" in site.as_user("admin").page("/admin")


def test_a_private_address_is_refused_unless_allowed(site: Site) -> None:
    admin = site.as_user("admin")
    for url in ("http://127.0.0.1:8080/x", "http://10.1.2.3/x", "http://[::1]/x", "http://localhost/x",
                "ftp://8.8.8.8/x"):
        response = admin.post("/admin/webhooks/nuevo", {"url": url, "all_events": "1"})
        assert response.status_code == 422, url
        page = response.get_data(as_text=True)
        assert 'href="#url"' in page and f'value="{url}"' in page
    assert "PQRS_WEBHOOK_ALLOW" in admin.post("/admin/webhooks/nuevo", {
        "url": "http://192.168.0.5/x", "all_events": "1"}).get_data(as_text=True)
    assert list_subscriptions(site.engine) == []


def test_the_secret_is_shown_once_and_rotated(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/webhooks/nuevo", {"url": "https://8.8.8.8/pqrs", "description": "CRM",
                                                    "event_types": ["case.filed", "case.closed"]})

    assert response.status_code == 201
    [created] = list_subscriptions(site.engine)
    assert secret_in(response.get_data(as_text=True)) == created.secret
    assert created.settings.event_types == ("case.filed", "case.closed")
    assert created.settings.description == "CRM" and created.settings.active
    edit = admin.page(f"/admin/webhooks/{created.id}")
    assert created.secret not in edit and "whsec_" not in edit
    assert created.secret not in admin.page("/admin/webhooks")

    rotated = admin.post(f"/admin/webhooks/{created.id}/secreto")
    assert rotated.status_code == 200
    new = secret_in(rotated.get_data(as_text=True))
    assert new != created.secret and get_subscription(site.engine, created.id).secret == new  # type: ignore[union-attr]


def test_an_edit_changes_the_events_and_the_toggle_switches_it_off(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/webhooks/nuevo", {"url": "https://8.8.8.8/pqrs", "all_events": "1"})
    [created] = list_subscriptions(site.engine)
    assert created.settings.event_types is None

    assert admin.post(f"/admin/webhooks/{created.id}", {"url": "https://8.8.4.4/otro",
                                                        "event_types": ["case.assigned"]}).status_code == 302
    assert admin.post(f"/admin/webhooks/{created.id}", {"url": "https://8.8.4.4/otro"}).status_code == 422
    assert admin.post(f"/admin/webhooks/{created.id}/activo", {"active": "0"}).status_code == 302

    changed = get_subscription(site.engine, created.id)
    assert changed is not None and changed.settings.url == "https://8.8.4.4/otro"
    assert changed.settings.event_types == ("case.assigned",) and not changed.settings.active
    assert admin.post(f"/admin/webhooks/{created.id}/eliminar").status_code == 302
    assert list_subscriptions(site.engine) == []
    log = admin.page("/admin/historial")
    assert f"Creó el webhook {created.id} (https://8.8.8.8/pqrs): todos los eventos; activo." in log
    assert f"Cambió el webhook {created.id} (https://8.8.4.4/otro): case.assigned; inactivo." in log
    assert f"Eliminó el webhook {created.id} con su registro de entregas." in log


def test_the_delivery_log_shows_what_the_receiver_answered_and_resends(
        allowed_site: Site, receiver: Receiver) -> None:
    site = allowed_site
    admin = site.as_user("admin")
    page = admin.post("/admin/webhooks/nuevo", {"url": receiver.url, "event_types": ["case.filed"]})
    assert page.status_code == 201
    receiver.secret = secret_in(page.get_data(as_text=True))
    [subscription] = list_subscriptions(site.engine)
    case = site.file()
    options = WebhookOptions(allow=LOCAL)

    assert deliver_webhooks(site.engine, site.now(), options=options).delivered == 1
    log = admin.page(f"/admin/webhooks/{subscription.id}")
    [delivery] = list_deliveries(site.engine, subscription.id)
    assert "case.filed" in log and str(case.filing_number) in log and "HTTP 200" in log
    assert f"recibido {delivery.message_id}" in log and "Entregado" in log

    resent = admin.post(f"/admin/webhooks/{subscription.id}/entregas/{delivery.id}/reenviar")
    assert resent.status_code == 302
    assert "Pendiente" in admin.page(f"/admin/webhooks/{subscription.id}")
    assert deliver_webhooks(site.engine, site.now(), options=options).delivered == 1
    assert receiver.ids() == [delivery.message_id, delivery.message_id] and receiver.rejected == []
    assert admin.post(f"/admin/webhooks/{subscription.id}/entregas/999/reenviar").status_code == 404

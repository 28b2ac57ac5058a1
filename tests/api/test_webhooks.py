"""``/api/v1/webhooks``: administrators create (the secret returned once), read, change, rotate and
delete webhooks, read their delivery log and resend a delivery; a private or malformed URL is a 422
problem naming ``url``; a filed case is delivered to a real receiver that verifies the signature."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from pqrs_adapters.webhooks.addresses import AllowList
from pqrs_adapters.webhooks.delivery import WebhookOptions, deliver_webhooks
from webhook_receiver import Receiver

from .conftest import Api, assert_problem

HOOK = {"url": "https://8.8.8.8/pqrs", "description": "CRM", "event_types": ["case.filed", "case.closed"]}


def create(api: Api, **fields: Any) -> dict[str, Any]:
    response = api.post("webhooks", "admin", json={**HOOK, **fields})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_an_administrator_creates_a_webhook_and_sees_its_secret_only_then(api: Api) -> None:
    created = create(api)

    assert created["secret"].startswith("whsec_") and len(created["secret"]) == 6 + 32
    assert created["event_types"] == ["case.filed", "case.closed"] and created["active"] is True
    read = api.get(f"webhooks/{created['id']}", "admin")
    assert read.status_code == 200 and "secret" not in read.get_json()
    assert read.get_json() == {k: v for k, v in created.items() if k != "secret"}
    assert created["secret"] not in api.get("webhooks", "admin").get_data(as_text=True)

    rotated = api.post(f"webhooks/{created['id']}/secret", "admin")
    assert rotated.status_code == 200 and rotated.get_json()["secret"] not in ("", created["secret"])


def test_patch_changes_only_what_is_sent_and_delete_removes_it(api: Api) -> None:
    created = create(api)

    body = api.patch(f"webhooks/{created['id']}", "admin",
                     json={"active": False, "event_types": None}).get_json()

    assert body["active"] is False and body["event_types"] is None and body["url"] == HOOK["url"]
    assert api.request("DELETE", f"webhooks/{created['id']}", "admin").status_code == 204
    assert_problem(api.get(f"webhooks/{created['id']}", "admin"), 404, "not-found")


@pytest.mark.parametrize(("fields", "field"), [
    ({"url": "http://127.0.0.1:8080/x"}, "url"),
    ({"url": "http://10.0.0.7/x"}, "url"),
    ({"url": "http://[::ffff:192.168.1.1]/x"}, "url"),
    ({"url": "http://169.254.169.254/latest/meta-data"}, "url"),
    ({"url": "http://localhost/x"}, "url"),
    ({"url": "ftp://8.8.8.8/x"}, "url"),
    ({"url": "https://usuario:clave@8.8.8.8/x"}, "url"),
    ({"url": "no es una url"}, "url"),
    ({"url": ""}, "url"),
    ({"event_types": ["case.no_existe"]}, "event_types.0"),
    ({"event_types": []}, "event_types"),
    ({"active": "tal vez"}, "active"),
    ({"secret": "whsec_propio"}, "secret"),
])
def test_bad_fields_are_a_problem_naming_the_field(api: Api, fields: dict[str, Any], field: str) -> None:
    body = assert_problem(api.post("webhooks", "admin", json={**HOOK, **fields}), 422, "validation-error")

    assert field in body["errors"], body
    assert api.get("webhooks", "admin").get_json()["items"] == []


def test_a_private_address_is_refused_on_change_too(api: Api) -> None:
    created = create(api)
    body = assert_problem(api.patch(f"webhooks/{created['id']}", "admin", json={"url": "http://192.168.1.10/"}),
                          422, "validation-error")
    assert "PQRS_WEBHOOK_ALLOW" in body["errors"]["url"]


def test_only_administrators_see_or_change_webhooks(api: Api) -> None:
    created = create(api)
    assert_problem(api.get("webhooks", "ana"), 403, "forbidden")
    assert_problem(api.post("webhooks", "sofia", json=HOOK), 403, "forbidden")
    assert_problem(api.patch(f"webhooks/{created['id']}", "ana", json={"active": False}), 403, "forbidden")
    assert_problem(api.post(f"webhooks/{created['id']}/secret", "ana"), 403, "forbidden")
    assert_problem(api.get(f"webhooks/{created['id']}/deliveries", "ana"), 403, "forbidden")
    assert_problem(api.get("webhooks", None), 401, "unauthorized")
    assert_problem(api.get("webhooks/999", "admin"), 404, "not-found")
    assert_problem(api.get("webhooks/99999999999999999999", "admin"), 404, "not-found")
    assert_problem(api.post(f"webhooks/{created['id']}/deliveries/5/resend", "admin"), 404, "not-found")


def test_a_filed_case_reaches_the_receiver_and_the_log_tells_it_and_resends_it(api: Api) -> None:
    local = AllowList.parse("127.0.0.1")
    api.app.extensions["pqrs.config"] = attrs.evolve(api.app.extensions["pqrs.config"], webhook_allow=local)
    receiver = Receiver().start()
    try:
        created = create(api, url=receiver.url, event_types=["case.filed"])
        receiver.secret = created["secret"]
        case = api.file()
        clock = api.app.extensions["pqrs"].deps.clock

        assert deliver_webhooks(api.engine, clock.now(), options=WebhookOptions(allow=local)).delivered == 1

        [delivery] = api.get(f"webhooks/{created['id']}/deliveries", "admin").get_json()["items"]
        assert delivery["status"] == "delivered" and delivery["attempts"] == 1
        assert delivery["last_status"] == 200 and delivery["event_type"] == "case.filed"
        assert delivery["payload"]["data"]["filing_number"] == case["filing_number"]
        assert [r.payload for r in receiver.received] == [delivery["payload"]]
        resent = api.post(f"webhooks/{created['id']}/deliveries/{delivery['id']}/resend", "admin")
        assert resent.status_code == 200 and resent.get_json()["status"] == "pending"
        assert deliver_webhooks(api.engine, clock.now(), options=WebhookOptions(allow=local)).delivered == 1
        assert receiver.ids() == [delivery["message_id"]] * 2 and receiver.rejected == []
    finally:
        receiver.stop()

"""``/api/v1/mailboxes``: administrators create, read and change the mailboxes mail is received at;
bad settings are problem+json naming the field; the credential reference is never returned."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api, assert_problem

IMAP = {"address": "PQRS@Acme.co", "imap_url": "imaps://correo.acme.co/INBOX", "username": "pqrs",
        "credential": "env:PQRS_IMAP_BUZON_CLAVE", "kind": "peticion", "queue": "primer_nivel"}


def create(api: Api, **fields: Any) -> dict[str, Any]:
    response = api.post("mailboxes", "admin", json={**IMAP, **fields})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_an_administrator_creates_reads_and_lists_a_mailbox_without_its_credential(api: Api) -> None:
    created = create(api)

    assert created["address"] == "pqrs@acme.co"
    assert created["has_credential"] is True
    assert "credential" not in created
    assert created["enabled"] is True and created["last_uid"] is None
    read = api.get(f"mailboxes/{created['id']}", "admin")
    assert read.status_code == 200 and read.get_json() == created
    listed = api.get("mailboxes", "admin").get_json()["items"]
    assert [m["address"] for m in listed] == ["pqrs@acme.co"]
    assert "PQRS_IMAP_BUZON_CLAVE" not in api.get("mailboxes", "admin").get_data(as_text=True)


def test_a_mailbox_is_disabled_and_changed_with_patch(api: Api) -> None:
    created = create(api)

    response = api.patch(f"mailboxes/{created['id']}", "admin", json={"enabled": False, "queue": None})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["enabled"] is False and body["queue"] is None and body["kind"] == "peticion"
    assert body["has_credential"] is True


@pytest.mark.parametrize(("fields", "field"), [
    ({"address": "no-es-un-correo"}, "address"),
    ({"address": "pqrs+caso@acme.co"}, "address"),
    ({"imap_url": "http://correo.acme.co"}, "imap_url"),
    ({"imap_url": "imaps://correo.acme.co:99999/INBOX"}, "imap_url"),
    ({"imap_url": "imaps://correo.acme.co/INBOX?starttls=1"}, "imap_url"),
    ({"credential": "mi-contraseña-secreta"}, "credential"),
    ({"credential": None}, "credential"),
    ({"username": None}, "username"),
    ({"kind": "no_existe"}, "kind"),
    ({"queue": "no_existe"}, "queue"),
    ({"typification": "NO_EXISTE"}, "typification"),
    ({"processed_keyword": "dos palabras"}, "processed_keyword"),
    ({"enabled": "tal vez"}, "enabled"),
    ({"color": "rojo"}, "color"),
])
def test_bad_settings_are_a_problem_naming_the_field(api: Api, fields: dict[str, Any], field: str) -> None:
    body = assert_problem(api.post("mailboxes", "admin", json={**IMAP, **fields}), 422, "validation-error")

    assert field in body["errors"], body
    assert api.get("mailboxes", "admin").get_json()["items"] == []


def test_a_second_mailbox_with_the_same_address_is_refused(api: Api) -> None:
    create(api)
    body = assert_problem(api.post("mailboxes", "admin", json={**IMAP, "address": "pqrs@ACME.co"}), 422,
                          "validation-error")
    assert "Ya existe" in body["errors"]["address"]


def test_only_administrators_see_or_change_mailboxes(api: Api) -> None:
    created = create(api)
    assert_problem(api.get("mailboxes", "ana"), 403, "forbidden")
    assert_problem(api.post("mailboxes", "sofia", json={**IMAP, "address": "otro@acme.co"}), 403,
                   "forbidden")
    assert_problem(api.patch(f"mailboxes/{created['id']}", "ana", json={"enabled": False}), 403, "forbidden")
    assert_problem(api.get("mailboxes", None), 401, "unauthorized")
    assert_problem(api.get("mailboxes/999", "admin"), 404, "not-found")
    assert_problem(api.get("mailboxes/99999999999999999999", "admin"), 404, "not-found")


def test_checking_a_mailbox_that_cannot_be_reached_says_why_in_spanish(api: Api) -> None:
    created = create(api, imap_url="imap://127.0.0.1:1/INBOX", credential="env:PQRS_IMAP_NO_SUCH_VARIABLE")

    body = api.post(f"mailboxes/{created['id']}/check", "admin").get_json()

    assert body == {"ok": False, "message": "la variable de entorno PQRS_IMAP_NO_SUCH_VARIABLE de la "
                                            "credencial no está definida"}

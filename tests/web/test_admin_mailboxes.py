"""``/admin/buzones``: the mailboxes page, its form, switching a mailbox on and off, and «Probar conexión»
against a real Dovecot."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

from dovecot import PASSWORD, USER, Dovecot, run_dovecot
from pqrs_adapters.sqlalchemy.mailbox_store import list_mailboxes

from .conftest import Site

FORM = {"address": "pqrs@acme.co", "imap_url": "imaps://correo.acme.co/INBOX", "username": "pqrs",
        "credential": "env:PQRS_IMAP_BUZON_CLAVE", "kind": "queja", "queue": "primer_nivel", "enabled": "1"}


@pytest.fixture()
def dovecot() -> Iterator[Dovecot]:
    yield from run_dovecot()


def test_the_page_is_for_catalog_administrators_only(site: Site) -> None:
    for path in ("/admin/buzones", "/admin/buzones/nuevo"):
        assert site.as_user("ana").get(path).status_code == 403
        assert site.as_user("admin").get(path).status_code == 200
    assert site.as_user("ana").post("/admin/buzones/nuevo", FORM).status_code == 403
    assert list_mailboxes(site.engine) == []
    assert "Buzones" in site.as_user("admin").page("/admin")


def test_an_administrator_creates_a_mailbox_and_sees_it_listed(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/buzones/nuevo", FORM)

    assert response.status_code == 302
    [mailbox] = list_mailboxes(site.engine)
    assert mailbox.settings.kind == "queja" and mailbox.settings.enabled
    page = admin.page("/admin/buzones")
    assert "pqrs@acme.co" in page and "IMAP TLS: correo.acme.co:993/INBOX" in page


def test_a_form_with_errors_keeps_what_was_typed_and_names_the_field(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/buzones/nuevo", {**FORM, "credential": "mi-clave-secreta",
                                                   "imap_url": "imaps://correo.acme.co/Recibidos"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "La credencial es una referencia, no la contraseña" in page
    assert 'value="imaps://correo.acme.co/Recibidos"' in page
    assert list_mailboxes(site.engine) == []
    response = admin.post("/admin/buzones/nuevo", {**FORM, "csrf_token": "falso"})
    assert response.status_code in (400, 403) and list_mailboxes(site.engine) == []


def test_a_mailbox_is_disabled_and_enabled_again(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/buzones/nuevo", FORM)
    [mailbox] = list_mailboxes(site.engine)

    admin.post(f"/admin/buzones/{mailbox.id}/activo", {"enabled": "0"})
    assert not list_mailboxes(site.engine)[0].settings.enabled
    admin.post(f"/admin/buzones/{mailbox.id}/activo", {"enabled": "1"})
    assert list_mailboxes(site.engine)[0].settings.enabled


def test_every_change_is_in_the_administration_log_without_the_credential(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/buzones/nuevo", FORM)
    [mailbox] = list_mailboxes(site.engine)
    admin.post(f"/admin/buzones/{mailbox.id}", {**FORM, "queue": "", "credential": "env:PQRS_IMAP_OTRA"})
    admin.post(f"/admin/buzones/{mailbox.id}/activo", {"enabled": "0"})

    page = admin.page("/admin/historial")

    assert "Creó el buzón «pqrs@acme.co»" in page
    assert "Cambió el buzón «pqrs@acme.co»: credencial: cambiada; cola: —." in page
    assert "Desactivó el buzón «pqrs@acme.co»." in page
    assert "PQRS_IMAP_BUZON_CLAVE" not in page and "PQRS_IMAP_OTRA" not in page


def test_probar_conexion_counts_the_messages_or_says_why_not(site: Site, dovecot: Dovecot,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    config = site.app.extensions["pqrs.config"]
    site.app.extensions["pqrs.config"] = attrs.evolve(
        config, mail_in=attrs.evolve(config.mail_in, imap_ca_file=dovecot.cert))
    monkeypatch.setenv("PQRS_IMAP_TEST_MAILBOX", PASSWORD)
    dovecot.append(b"Subject: uno\r\n\r\nhola\r\n")
    dovecot.append(b"Subject: dos\r\n\r\nhola\r\n")
    admin = site.as_user("admin")
    admin.post("/admin/buzones/nuevo", {**FORM, "imap_url": dovecot.url("starttls"), "username": USER,
                                        "credential": "env:PQRS_IMAP_TEST_MAILBOX"})
    [mailbox] = list_mailboxes(site.engine)

    page = admin.post(f"/admin/buzones/{mailbox.id}/probar", follow_redirects=True).get_data(as_text=True)
    assert "Conexión correcta: la carpeta «INBOX» tiene 2 mensajes." in page

    monkeypatch.setenv("PQRS_IMAP_TEST_MAILBOX", "otra-clave")
    page = admin.post(f"/admin/buzones/{mailbox.id}/probar", follow_redirects=True).get_data(as_text=True)
    assert "rechazó el usuario o la contraseña" in page
    assert "otra-clave" not in page and PASSWORD not in page

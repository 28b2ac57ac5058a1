"""What a mailbox's settings mean: the IMAP URL format, the addresses a mailbox receives for, and the
credential reference (the password is read from the environment or a secret file, never stored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pqrs_adapters.config import ConfigError, read_secret
from pqrs_adapters.mail.mailboxes import (
    ImapLocation,
    Mailbox,
    MailboxError,
    MailboxSettings,
    parse_imap_url,
    recipient_mailbox,
)


@pytest.mark.parametrize(("url", "location"), [
    ("imaps://correo.acme.co/INBOX", ImapLocation("correo.acme.co", 993, "INBOX", tls=True)),
    ("imaps://correo.acme.co", ImapLocation("correo.acme.co", 993, "INBOX", tls=True)),
    ("imap://correo.acme.co:1143/Recibidos%20PQRS?starttls=1",
     ImapLocation("correo.acme.co", 1143, "Recibidos PQRS", tls=False, starttls=True)),
    ("imap://127.0.0.1/INBOX", ImapLocation("127.0.0.1", 143, "INBOX", tls=False)),
])
def test_imap_urls(url: str, location: ImapLocation) -> None:
    assert parse_imap_url(url) == location


@pytest.mark.parametrize(("url", "reason"), [
    ("https://correo.acme.co/INBOX", "imaps:// o imap://"),
    ("imaps:///INBOX", "falta el servidor"),
    ("imaps://correo.acme.co:0x/INBOX", "puerto"),
    ("imaps://pqrs:clave@correo.acme.co/INBOX", "no van en la URL"),
    ("imaps://correo.acme.co/INBOX?starttls=1", "solo va con imap://"),
    ("imap://correo.acme.co/INBOX?verificar=no", "opción desconocida"),
])
def test_bad_imap_urls_say_why_in_spanish(url: str, reason: str) -> None:
    with pytest.raises(MailboxError) as error:
        parse_imap_url(url)
    assert error.value.field == "imap_url" and reason in error.value.message


def test_a_mailbox_receives_for_its_address_and_its_token_forms_only() -> None:
    mailbox = Mailbox(id=1, settings=MailboxSettings(address="pqrs@acme.co"))
    addresses = {"pqrs@acme.co": mailbox}

    assert recipient_mailbox("PQRS@Acme.co", addresses) is mailbox
    assert recipient_mailbox("<pqrs+k3y9@acme.co>", addresses) is mailbox
    assert recipient_mailbox("ventas@acme.co", addresses) is None
    assert recipient_mailbox("pqrs@otra.co", addresses) is None


def test_settings_are_trimmed_and_checked_field_by_field() -> None:
    settings = MailboxSettings(address=" PQRS@Acme.co ", imap_url=" imaps://correo.acme.co ", username="pqrs",
                               credential="file:/run/secrets/pqrs", queue="  ").validated()
    assert (settings.address, settings.imap_url, settings.queue) == ("pqrs@acme.co", "imaps://correo.acme.co",
                                                                     None)
    with pytest.raises(MailboxError) as error:
        MailboxSettings(address="pqrs@acme.co", processed_keyword="\\Deleted").validated()
    assert error.value.field == "processed_keyword"


def test_the_credential_is_read_from_the_environment_or_a_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "clave"
    secret.write_text("s3creta\n", encoding="utf-8")

    assert read_secret("env:PQRS_IMAP", {"PQRS_IMAP": "de-entorno"}) == "de-entorno"
    assert read_secret(f"file:{secret}", {}) == "s3creta"
    for reference, message in (("env:FALTA", "no está definida"), (f"file:{tmp_path}/no", "no se pudo leer"),
                               ("s3creta", "no es una referencia")):
        with pytest.raises(ConfigError) as error:
            read_secret(reference, {})
        assert message in str(error.value) and "s3creta" not in str(error.value)

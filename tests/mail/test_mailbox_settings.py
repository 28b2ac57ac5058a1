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
    ("imap://correo.acme.co/INBOX", "sin cifrado solo se admite un servidor en esta máquina"),
    ("imap://10.0.0.7:143/INBOX", "use imaps:// o imap://…?starttls=1"),
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
    secrets = tmp_path / "secretos"
    secrets.mkdir()
    secret = secrets / "clave"
    secret.write_text("s3creta\n", encoding="utf-8")

    assert read_secret("env:PQRS_IMAP_CLAVE", {"PQRS_IMAP_CLAVE": "de-entorno"}) == "de-entorno"
    assert read_secret(f"file:{secret}", {}, secrets_dir=secrets) == "s3creta"
    for reference, message in (("env:PQRS_IMAP_FALTA", "no está definida"),
                               (f"file:{secrets}/no", "no se pudo leer"),
                               ("s3creta", "no es una referencia")):
        with pytest.raises(ConfigError) as error:
            read_secret(reference, {}, secrets_dir=secrets)
        assert message in str(error.value) and "s3creta" not in str(error.value)


def test_a_credential_never_reaches_other_settings_or_files_outside_the_secrets_dir(tmp_path: Path) -> None:
    secrets = tmp_path / "secretos"
    secrets.mkdir()
    outside = tmp_path / "otra"
    outside.write_text("no-es-del-buzon", encoding="utf-8")
    (secrets / "enlace").symlink_to(outside)
    (secrets / "grande").write_bytes(b"x" * 5000)
    environ = {"PQRS_SECRET_KEY": "llave-de-sesiones"}

    for reference, secrets_dir, message in (
            ("env:PQRS_SECRET_KEY", secrets, "no empieza por PQRS_IMAP_"),
            (f"file:{outside}", None, "requieren PQRS_MAIL_SECRETS_DIR"),
            (f"file:{outside}", secrets, "no está dentro de PQRS_MAIL_SECRETS_DIR"),
            (f"file:{secrets}/../otra", secrets, "no puede contener «..»"),
            (f"file:{secrets}/enlace", secrets, "no está dentro de PQRS_MAIL_SECRETS_DIR"),
            (f"file:{secrets}", secrets, "no está dentro de PQRS_MAIL_SECRETS_DIR"),
            (f"file:{secrets}/grande", secrets, "más de 4096 bytes")):
        with pytest.raises(ConfigError) as error:
            read_secret(reference, environ, secrets_dir=secrets_dir)
        assert message in str(error.value), reference
        assert "llave-de-sesiones" not in str(error.value) and "no-es-del-buzon" not in str(error.value)


def test_an_administrator_can_only_name_pqrs_imap_variables() -> None:
    with pytest.raises(MailboxError) as error:
        MailboxSettings(address="pqrs@acme.co", imap_url="imaps://correo.acme.co", username="pqrs",
                        credential="env:PQRS_SECRET_KEY").validated()
    assert error.value.field == "credential" and "PQRS_IMAP_" in error.value.message

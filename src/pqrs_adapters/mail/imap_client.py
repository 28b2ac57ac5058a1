"""Talking to an IMAP server with IMAPClient: opening a logged-in connection for a mailbox (TLS from
the start, or STARTTLS, verified against the system's certificate authorities or ``PQRS_IMAP_CA_FILE``),
«Probar conexión», and saying in Spanish what went wrong."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from functools import partial

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from ..config import ConfigError, MailInSettings, read_secret
from .mailboxes import Mailbox


class FetchError(Exception):
    """A mailbox could not be read now (message in Spanish, without secrets)."""


def describe_imap_error(exc: BaseException, mailbox: Mailbox) -> str:
    """A Spanish sentence for what went wrong talking to the mailbox's server."""
    location = mailbox.location
    where = f"{location.host}:{location.port}" if location else mailbox.address
    if isinstance(exc, FetchError | ConfigError):
        return str(exc)
    if isinstance(exc, LoginError):
        return f"el servidor IMAP {where} rechazó el usuario o la contraseña"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"el certificado del servidor IMAP {where} no es válido ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"no se pudo cifrar la conexión con el servidor IMAP {where} ({exc.reason})"
    if isinstance(exc, ConnectionRefusedError):
        return f"no se pudo conectar con el servidor IMAP {where}: conexión rechazada"
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"el servidor IMAP {where} no respondió a tiempo"
    if isinstance(exc, socket.gaierror):
        return f"no se encontró el servidor IMAP {where}"
    if isinstance(exc, OSError):
        return f"se perdió la conexión con el servidor IMAP {where} ({exc.strerror or exc})"
    if isinstance(exc, IMAPClientError):
        detail = str(exc).strip() or type(exc).__name__
        return f"el servidor IMAP {where} respondió con un error: {detail}"
    return f"error al leer el buzón por IMAP: {type(exc).__name__}: {exc}"


def _ssl_context(settings: MailInSettings) -> ssl.SSLContext:
    cafile = str(settings.imap_ca_file) if settings.imap_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def connect(mailbox: Mailbox, settings: MailInSettings, *,
            secret: Callable[[str], str] | None = None) -> IMAPClient:
    """A logged-in client for the mailbox, its folder not yet selected; raises the library's errors
    (see ``describe_imap_error``) or ``FetchError``/``ConfigError``."""
    location = mailbox.location
    if location is None:
        raise FetchError(f"el buzón {mailbox.address} no tiene URL IMAP: recibe solo por SMTP/LMTP")
    if secret is None:
        secret = partial(read_secret, secrets_dir=settings.secrets_dir)
    password = secret(mailbox.settings.credential or "")
    context = _ssl_context(settings)
    client = IMAPClient(location.host, port=location.port, ssl=location.tls,
                        ssl_context=context if location.tls else None, timeout=settings.imap_timeout)
    try:
        if location.starttls:
            client.starttls(context)
        client.login(mailbox.settings.username or "", password)
    except BaseException:
        close_client(client)
        raise
    client.normalise_times = False  # INTERNALDATE with its offset, never the machine's zone
    return client


def close_client(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - the connection may already be gone
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001
            pass


def check_connection(mailbox: Mailbox, settings: MailInSettings, *,
                     secret: Callable[[str], str] | None = None) -> str:
    """«Probar conexión»: log in, select the folder and say how many messages it holds (Spanish);
    ``FetchError`` with the Spanish reason when something fails."""
    try:
        client = connect(mailbox, settings, secret=secret)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence
        raise FetchError(describe_imap_error(exc, mailbox)) from exc
    try:
        folder = mailbox.location.folder if mailbox.location else "INBOX"
        info = client.select_folder(folder, readonly=True)
        count = int(info.get(b"EXISTS", 0))
    except Exception as exc:  # noqa: BLE001
        raise FetchError(folder_error(exc, mailbox)) from exc
    finally:
        close_client(client)
    return f"Conexión correcta: la carpeta «{folder}» tiene {count} mensaje{'s' if count != 1 else ''}."


def folder_error(exc: BaseException, mailbox: Mailbox) -> str:
    if isinstance(exc, IMAPClientError) and not isinstance(exc, LoginError):
        folder = mailbox.location.folder if mailbox.location else "INBOX"
        return f"no se pudo abrir la carpeta «{folder}» del buzón {mailbox.address}: {exc}"
    return describe_imap_error(exc, mailbox)

"""Mailboxes are data: the addresses the organisation receives PQRS at, how to read each over IMAP,
and what a case filed from it gets by default.

The IMAP URL names the server, the security and the folder to read:

- ``imaps://host[:port]/FOLDER`` — TLS from the first byte (port 993 by default);
- ``imap://host[:port]/FOLDER?starttls=1`` — plain connection upgraded with STARTTLS (port 143);
- ``imap://host[:port]/FOLDER`` — no encryption at all: only for a server on the same machine
  (``localhost`` or a loopback address); refused for any other host, where the password would travel
  in clear.

The folder is ``INBOX`` when the path is empty; it is percent-decoded (``Recibidos%20PQRS``). The
password is never stored: ``credential`` is a *reference* to it, ``env:PQRS_IMAP_NAME`` (an environment
variable of the process that reads the mailbox, whose name starts with ``PQRS_IMAP_``) or ``file:/path``
(a secret file inside ``PQRS_MAIL_SECRETS_DIR``, e.g. a Docker or systemd secret); ``config.read_secret``
resolves it when a connection is opened, and refuses any other variable or file.

A mailbox without an IMAP URL still receives mail through ``pqrs mail serve`` (the SMTP/LMTP
receiver), which accepts its address and its ``+token`` forms.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import datetime
from ipaddress import ip_address
from urllib.parse import parse_qs, unquote, urlsplit

import attrs

ADDRESS_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
CREDENTIAL_RE = re.compile(r"^(env:PQRS_IMAP_[A-Za-z0-9_]+|file:/\S+)$")
KEYWORD_RE = re.compile(r"^(\\Seen|\\Flagged|[A-Za-z0-9$_.-]{1,64})$")
DEFAULT_KEYWORD = "\\Seen"
MAX_LENGTH = 300


class MailboxError(ValueError):
    """A mailbox setting that cannot be used; ``field`` names it, the message is Spanish."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@attrs.frozen
class ImapLocation:
    """Where a mailbox is read: parsed from its IMAP URL."""

    host: str
    port: int
    folder: str = "INBOX"
    tls: bool = True  # TLS from the start (imaps)
    starttls: bool = False

    @property
    def security(self) -> str:
        return "TLS" if self.tls else "STARTTLS" if self.starttls else "sin cifrado"


def parse_imap_url(url: str) -> ImapLocation:
    """The server, port, security and folder of an IMAP URL (format in the module's docstring);
    ``MailboxError`` on the field ``imap_url`` when it is not one."""
    def bad(reason: str) -> MailboxError:
        return MailboxError("imap_url", f"«{url}» no es una URL IMAP válida: {reason}. Ejemplos: "
                                        "imaps://correo.ejemplo.co:993/INBOX o "
                                        "imap://correo.ejemplo.co:143/INBOX?starttls=1")

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise bad("el puerto no es un número entre 1 y 65535") from None
    if parts.scheme not in ("imap", "imaps"):
        raise bad("debe empezar por imaps:// o imap://")
    if not parts.hostname:
        raise bad("falta el servidor")
    if parts.username or parts.password:
        raise bad("el usuario y la contraseña no van en la URL (use los campos usuario y credencial)")
    options = parse_qs(parts.query)
    unknown = set(options) - {"starttls"}
    if unknown:
        raise bad(f"opción desconocida {', '.join(sorted(unknown))}")
    starttls = options.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes", "si", "sí")
    tls = parts.scheme == "imaps"
    if tls and starttls:
        raise bad("imaps ya cifra la conexión; starttls=1 solo va con imap://")
    if not tls and not starttls and not _loopback(parts.hostname):
        raise bad(f"sin cifrado solo se admite un servidor en esta máquina (localhost); para "
                  f"{parts.hostname} use imaps:// o imap://…?starttls=1")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapLocation(host=parts.hostname, port=port or (993 if tls else 143), folder=folder, tls=tls,
                        starttls=starttls)


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


@attrs.frozen(kw_only=True)
class MailboxSettings:
    """What an administrator sets on a mailbox (the IMAP state is kept apart, in ``Mailbox``)."""

    address: str
    imap_url: str | None = None
    username: str | None = None
    credential: str | None = None  # env:NAME or file:/path, never the password
    kind: str | None = None
    queue: str | None = None
    typification: str | None = None
    enabled: bool = True
    processed_folder: str | None = None  # move processed mail there; otherwise flag it
    processed_keyword: str | None = None  # the flag: \Seen when empty

    def validated(self) -> MailboxSettings:
        """The settings trimmed, the address lower-cased; ``MailboxError`` naming the first bad field."""
        def clean(value: str | None) -> str | None:
            value = (value or "").strip()
            return value or None

        address = (clean(self.address) or "").lower()
        if not address:
            raise MailboxError("address", "Escriba la dirección de correo del buzón.")
        if len(address) > MAX_LENGTH or not ADDRESS_RE.match(address) or "+" in address.split("@")[0]:
            raise MailboxError("address", f"«{address}» no es una dirección de correo válida "
                                          "(sin «+»: las formas +token se aceptan solas).")
        values = {name: clean(getattr(self, name)) for name in
                  ("imap_url", "username", "credential", "kind", "queue", "typification",
                   "processed_folder", "processed_keyword")}
        for name, value in values.items():
            if value is not None and len(value) > MAX_LENGTH:
                raise MailboxError(name, f"El valor tiene más de {MAX_LENGTH} caracteres.")
        if values["imap_url"] is not None:
            parse_imap_url(values["imap_url"])
            if values["username"] is None:
                raise MailboxError("username", "Un buzón que se lee por IMAP necesita el usuario.")
            if values["credential"] is None:
                raise MailboxError("credential", "Un buzón que se lee por IMAP necesita la credencial: "
                                                 "env:PQRS_IMAP_VARIABLE o file:/ruta/del/secreto.")
        if values["credential"] is not None and not CREDENTIAL_RE.match(values["credential"]):
            raise MailboxError("credential", "La credencial es una referencia, no la contraseña: "
                                             "env:PQRS_IMAP_NOMBRE (una variable que empiece por "
                                             "PQRS_IMAP_) o file:/ruta/absoluta/del/secreto (dentro de "
                                             "PQRS_MAIL_SECRETS_DIR).")
        keyword = values["processed_keyword"]
        if keyword is not None and not KEYWORD_RE.match(keyword):
            raise MailboxError("processed_keyword", "La marca es \\Seen, \\Flagged o una palabra clave "
                                                    "IMAP (letras, dígitos, punto, guion).")
        return attrs.evolve(self, address=address, **values)  # type: ignore[arg-type]


def catalog_problems(settings: MailboxSettings, kinds: set[str], queues: set[str],
                     typifications: Container[str]) -> dict[str, str]:
    """The defaults of ``settings`` that are not in the catalog: field → Spanish message."""
    problems: dict[str, str] = {}
    if settings.kind and settings.kind not in kinds:
        problems["kind"] = "Elija un tipo de caso del catálogo."
    if settings.queue and settings.queue not in queues:
        problems["queue"] = "Elija una cola del catálogo."
    if settings.typification and settings.typification not in typifications:
        problems["typification"] = "Elija una tipificación del catálogo."
    return problems


@attrs.frozen(kw_only=True)
class Mailbox:
    """A stored mailbox: its settings and what the fetcher remembers of it."""

    id: int
    settings: MailboxSettings
    uidvalidity: int | None = None
    last_uid: int | None = None
    last_fetch_at: datetime | None = None
    last_error: str | None = None

    @property
    def address(self) -> str:
        return self.settings.address

    @property
    def location(self) -> ImapLocation | None:
        url = self.settings.imap_url
        return parse_imap_url(url) if url else None

    @property
    def keyword(self) -> str:
        return self.settings.processed_keyword or DEFAULT_KEYWORD


def recipient_mailbox(recipient: str, addresses: dict[str, Mailbox]) -> Mailbox | None:
    """The mailbox a recipient address belongs to: the address itself or its ``local+token@domain``
    form (compared without case)."""
    address = recipient.strip().strip("<>").lower()
    found = addresses.get(address)
    if found is not None or "@" not in address:
        return found
    local, domain = address.rsplit("@", 1)
    if "+" in local:
        return addresses.get(f"{local.split('+', 1)[0]}@{domain}")
    return None

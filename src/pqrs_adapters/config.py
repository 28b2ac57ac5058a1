"""The one place settings are read from the environment.

Every other module receives a ``Config`` (or the core ``Settings`` it produces); nothing else looks at
``os.environ``. Relative paths are resolved against the working directory at the time ``from_env`` is
called, so a ``Config`` means the same thing wherever it is passed afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from pqrs_core.domain.calendar import MONDAY_TO_FRIDAY, MONDAY_TO_SATURDAY, BusinessCalendar
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.letters import Letterhead, parse_kinds
from pqrs_core.settings import Settings

from .webhooks.addresses import AllowList

DEFAULT_FILING_PREFIX = "PQRS"
DEFAULT_TIMEZONE = "America/Bogota"

ENV_VARS = {
    "PQRS_DATABASE_URL": "SQLAlchemy URL of the database (default: sqlite:///<cwd>/var/pqrs.sqlite3)",
    "PQRS_FILING_PREFIX": "prefix of filing numbers (default: PQRS)",
    "PQRS_TIMEZONE": "time zone dates are shown in and years are counted in (default: America/Bogota)",
    "PQRS_FILES_DIR": "directory for attachments (default: var/files)",
    "PQRS_FILE_STORE": "where attachments are kept: local (the PQRS_FILES_DIR folder, one host; the default) "
                       "or database (PostgreSQL only; every host sharing the database serves them)",
    "PQRS_SECRET_KEY": "secret used to sign web sessions (default: a key kept in var/secret_key)",
    "PQRS_SECURE_COOKIES": "1 to send session cookies over HTTPS only (set it behind HTTPS)",
    "PQRS_DISABLE_PLUGINS": "comma-separated names of plugins not to load",
    "PQRS_DEMO_CUSTOMERS": "1 to install the demo's customer directory (the customers of `pqrs demo`)",
    "PQRS_INVOICE_TIMEOUT_MS": "milliseconds an invoice source (the ERP) has to answer before the form "
                               "goes on without it (default: 2000)",
    "PQRS_INVOICE_CACHE_SECONDS": "seconds an invoice source's answers are kept (default: 60; 0: none)",
    "PQRS_ORGANISATION_NAME": "name of the organisation, shown in pages and letters",
    "PQRS_ORGANISATION_LOGO": "path of an image file (PNG, SVG, JPEG) shown as the logo in the pages",
    "PQRS_HOLIDAYS_COUNTRY": "country whose public holidays are not business days (default: CO; 'none')",
    "PQRS_HOLIDAYS_SUBDIVISION": "its subdivision, for regional holidays (default: none)",
    "PQRS_SATURDAY_BUSINESS_DAY": "1 when Saturdays count as business days (default: 0), until the "
                                  "organisation chooses (pqrs init --working-days, or the administration)",
    "PQRS_WORKING_HOURS": "working hours (default: 08:00-17:00; with a break: 08:00-12:00,13:00-17:00)",
    "PQRS_AFTER_CLOSING_NEXT_DAY": "1 when a petition received after closing time counts as received "
                                   "the next business day (default: 0, it counts that day)",
    "PQRS_ALARM_FRACTIONS": "shares of a term at which alarms are raised (default: 0.5,0.8,1)",
    "PQRS_RISK_THRESHOLD": "share of a term after which a case is 'at risk' (default: 0.8)",
    "PQRS_PUBLIC_FUNCTIONS": "1 when the organisation is a public authority or a private party performing "
                             "public functions (terms of Decreto 491 de 2020 for 2020-2022 receptions)",
    "PQRS_SMTP_HOST": "SMTP server the worker sends e-mail through (default: localhost)",
    "PQRS_SMTP_PORT": "its port (default: 25; 587 with STARTTLS, 465 with SSL)",
    "PQRS_SMTP_USER": "SMTP user name (optional)",
    "PQRS_SMTP_PASSWORD": "SMTP password (optional)",
    "PQRS_SMTP_STARTTLS": "1 to upgrade the SMTP connection with STARTTLS",
    "PQRS_SMTP_SSL": "1 to connect over TLS from the start (port 465)",
    "PQRS_SMTP_TIMEOUT": "seconds to wait for the SMTP server (default: 20)",
    "PQRS_WEBHOOK_ALLOW": "private or local hosts, addresses or networks webhooks may call, comma-separated "
                          "(default: none; e.g. 127.0.0.1, 10.0.0.0/8, receptor.interno)",
    "PQRS_MAIL_FROM": "sender of notifications, e.g. 'PQRS Acme <pqrs@acme.co>' (default: pqrs@localhost)",
    "PQRS_MAIL_TEMPLATES_DIR": "directory whose templates replace the packaged ones, file by file",
    "PQRS_MAIL_MAX_ATTEMPTS": "delivery attempts before a notification is given up (default: 10)",
    "PQRS_MAIL_MAX_MESSAGE_MB": "largest message the SMTP/LMTP receiver (pqrs mail serve) accepts, in "
                                "megabytes (default: 35)",
    "PQRS_IMAP_CA_FILE": "PEM file of the certificate authorities IMAP servers are verified against "
                         "(default: the system's)",
    "PQRS_IMAP_TIMEOUT": "seconds to wait for an IMAP server (default: 30)",
    "PQRS_MAIL_SECRETS_DIR": "directory of the secret files mailbox credentials may name (file:/path); "
                             "without it only env:PQRS_IMAP_* references are accepted",
    "PQRS_WORKER_FETCH_MAIL": "1 for pqrs worker to read the enabled mailboxes over IMAP too (default: 0)",
    "PQRS_MAIL_FETCH_POLL": "seconds between two readings of a mailbox without IDLE (default: 60)",
    "PQRS_LOGIN_FAILURES_BEFORE_WAIT": "failed logins to one account from one address before a wait "
                                       "(default: 5)",
    "PQRS_LOGIN_WAIT_MINUTES": "minutes those failures are counted in; the longest wait (default: 5)",
    "PQRS_LOGIN_FAILURES_BEFORE_LOCK": "failed logins to one account from one address before a lock "
                                       "(default: 20)",
    "PQRS_LOGIN_LOCK_MINUTES": "minutes those failures are counted in; the longest lock (default: 60)",
    "PQRS_LOGIN_FAILURES_PER_ADDRESS": "failed logins from one address, to any accounts, before it is "
                                       "locked for PQRS_LOGIN_LOCK_MINUTES (default: 100)",
    "PQRS_TRUSTED_PROXIES": "addresses or networks of the reverse proxies in front of pqrs, comma-separated "
                            "(e.g. 127.0.0.1,10.0.0.0/8); only their X-Forwarded-* headers are believed "
                            "(default: none, every client address is the connection's)",
    "PQRS_PROXY_HOPS": "how many trusted proxies each request passes through (default: 1)",
    "PQRS_PUBLIC_FILINGS_PER_HOUR": "public filing forms one client address may send per hour (default: 10)",
    "PQRS_LOOKUP_FAILURES": "failed public lookups one client address may make per window (default: 5)",
    "PQRS_LOOKUP_FAILURES_MINUTES": "minutes that window lasts (default: 15)",
    "PQRS_KEEP_IDEMPOTENCY_DAYS": "days an API response is kept for retries with its Idempotency-Key "
                                  "(default: 7)",
    "PQRS_KEEP_SENT_MAIL_DAYS": "days a delivered notification stays in the outbox (default: 365)",
    "PQRS_LOG_FORMAT": "text (default) or json: one JSON object per line, with the request id",
    "PQRS_LOG_LEVEL": "DEBUG, INFO (default), WARNING or ERROR",
    "PQRS_METRICS_TOKEN": "bearer token Prometheus scrapes /metrics with (default: none, /metrics is off)",
    "PQRS_MAX_FILES_PER_CASE": "attachments a case may hold (default: 30)",
    "PQRS_MAX_MB_PER_CASE": "megabytes the attachments of a case may add up to (default: 100)",
    "PQRS_MAX_FILES_PER_HOUR": "attachments one person may upload per hour (default: 20)",
    "PQRS_MAX_MB_PER_HOUR": "megabytes one person may upload per hour (default: 60)",
    "PQRS_PUBLIC_URL": "address the requesters reach the application at, e.g. https://pqrs.acme.co; links "
                       "in e-mails (the satisfaction survey) start with it (default: none, no links)",
    "PQRS_SIGNING_P12": "PKCS#12 file (.p12/.pfx) with the organisation's certificate: the answer's "
                        "letter is signed (PAdES) after a second person's approval (needs PQRS_PUBLIC_URL)",
    "PQRS_SIGNING_PASSWORD": "passphrase of PQRS_SIGNING_P12 or of PQRS_SIGNING_KEY",
    "PQRS_SIGNING_KEY": "PEM private key of the organisation's certificate (with PQRS_SIGNING_CERT)",
    "PQRS_SIGNING_CERT": "PEM certificate that goes with PQRS_SIGNING_KEY",
    "PQRS_SIGNING_DEMO": "1: sign with a throwaway self-signed certificate kept at PQRS_SIGNING_P12, made "
                         "when missing (make run's demo; never in production)",
    "PQRS_SURVEY_DAYS": "days the satisfaction survey link sent with a response stays valid (default: 30)",
    "PQRS_SURVEY_NPS": "1 to ask, in the survey, how likely the requester is to recommend us (0 to 10)",
    "PQRS_TARGET_FILING_SECONDS": "target time to file a case from opening the form, seconds (default: 120)",
    "PQRS_TARGET_RESPONSE_SECONDS": "target time to write a response from opening its form, seconds "
                                    "(default: 270)",
    "PQRS_TARGET_SOLUTIONS_PER_DAY": "target of cases answered a day per person (default: 55)",
    "PQRS_CAUSE_REQUIRED": "kinds whose closing requires a root cause, comma-separated (default: "
                           "reclamo,queja; 'none' for none)",
}

_TRUE = ("1", "true", "yes", "si", "sí")
_MB = 1024 * 1024


class ConfigError(ValueError):
    """A ``PQRS_*`` variable has a value that cannot be used (message in Spanish)."""


def _path(value: str | None, base: Path) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else base / path


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("INFO", "DEBUG", "WARNING", "ERROR")
# Where attachments are kept (``PQRS_FILE_STORE``): the local folder (one host) or the database (several
# hosts on one PostgreSQL database).
FILE_STORES = ("local", "database")


def _choice(name: str, value: str | None, choices: tuple[str, ...]) -> str:
    """``value`` (any case) if it is one of ``choices``, the first of them when not given."""
    if value is None:
        return choices[0]
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ConfigError(f"{name}: «{value}» no es válido; use {', '.join(choices)}")


def _int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ConfigError(f"{name}: «{value}» debe ser un número entero entre {low} y {high}")
    return number


def _reply_mailbox(value: str | None) -> str | None:
    if value is not None and ("@" not in value or any(c in value for c in " <>,")):
        raise ConfigError(f"PQRS_MAIL_REPLY_TO: «{value}» no es una dirección de correo")
    return value


@attrs.frozen(kw_only=True)
class MailSettings:
    """Outgoing e-mail (``pqrs worker``): the SMTP server, the sender and the templates."""

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = attrs.field(default=None, repr=False)
    smtp_password: str | None = attrs.field(default=None, repr=False)
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout: int = 20
    mail_from: str = "pqrs@localhost"
    templates_dir: Path | None = None
    max_attempts: int = 10
    # Incoming mail: what a new case from a mailbox without its own defaults is filed as, and how many
    # messages one sender may send in an hour before the rest are noted on one case, unacknowledged.
    intake_kind: str = "peticion"
    intake_queue: str | None = None
    intake_flood_limit: int = 500
    # The mailbox replies come back to (``PQRS_MAIL_REPLY_TO``): when set, the requester's mail carries the
    # case's own reply address in it (``local+TOKEN@domain``), whichever way the case was filed.
    reply_mailbox: str | None = None

    @classmethod
    def from_env(cls, get: Callable[[str], str | None], base: Path) -> MailSettings:
        starttls = (get("PQRS_SMTP_STARTTLS") or "0").lower() in _TRUE
        ssl = (get("PQRS_SMTP_SSL") or "0").lower() in _TRUE
        if starttls and ssl:
            raise ConfigError("PQRS_SMTP_STARTTLS y PQRS_SMTP_SSL no pueden usarse a la vez")
        default_port = 465 if ssl else 587 if starttls else 25
        templates = get("PQRS_MAIL_TEMPLATES_DIR")
        templates_dir = Path(templates) if templates else None
        if templates_dir is not None and not templates_dir.is_absolute():
            templates_dir = base / templates_dir
        mail_from = get("PQRS_MAIL_FROM") or "pqrs@localhost"
        if "@" not in mail_from:
            raise ConfigError(f"PQRS_MAIL_FROM: «{mail_from}» no es una dirección de correo")
        return cls(
            smtp_host=get("PQRS_SMTP_HOST") or "localhost",
            smtp_port=_int("PQRS_SMTP_PORT", get("PQRS_SMTP_PORT"), default_port, 1, 65535),
            smtp_user=get("PQRS_SMTP_USER"),
            smtp_password=get("PQRS_SMTP_PASSWORD"),
            smtp_starttls=starttls,
            smtp_ssl=ssl,
            smtp_timeout=_int("PQRS_SMTP_TIMEOUT", get("PQRS_SMTP_TIMEOUT"), 20, 1, 600),
            mail_from=mail_from,
            templates_dir=templates_dir,
            max_attempts=_int("PQRS_MAIL_MAX_ATTEMPTS", get("PQRS_MAIL_MAX_ATTEMPTS"), 10, 1, 1000),
            intake_kind=get("PQRS_MAIL_INTAKE_KIND") or "peticion",
            intake_queue=get("PQRS_MAIL_INTAKE_QUEUE"),
            intake_flood_limit=_int("PQRS_MAIL_FLOOD_LIMIT", get("PQRS_MAIL_FLOOD_LIMIT"), 500, 1, 1_000_000),
            reply_mailbox=_reply_mailbox(get("PQRS_MAIL_REPLY_TO")),
        )


@attrs.frozen(kw_only=True)
class MailInSettings:
    """Incoming e-mail: ``pqrs mail fetch`` (IMAP) and ``pqrs mail serve`` (SMTP/LMTP)."""

    max_message_mb: int = 35
    imap_ca_file: Path | None = None
    imap_timeout: int = 30
    fetch_in_worker: bool = False
    fetch_poll: int = 60
    secrets_dir: Path | None = None  # where file: credential references may point

    @classmethod
    def from_env(cls, get: Callable[[str], str | None], base: Path) -> MailInSettings:
        return cls(
            max_message_mb=_int("PQRS_MAIL_MAX_MESSAGE_MB", get("PQRS_MAIL_MAX_MESSAGE_MB"), 35, 1, 2000),
            imap_ca_file=_path(get("PQRS_IMAP_CA_FILE"), base),
            imap_timeout=_int("PQRS_IMAP_TIMEOUT", get("PQRS_IMAP_TIMEOUT"), 30, 1, 600),
            fetch_in_worker=(get("PQRS_WORKER_FETCH_MAIL") or "0").lower() in _TRUE,
            fetch_poll=_int("PQRS_MAIL_FETCH_POLL", get("PQRS_MAIL_FETCH_POLL"), 60, 1, 86_400),
            secrets_dir=_path(get("PQRS_MAIL_SECRETS_DIR"), base),
        )


SECRET_ENV_PREFIX = "PQRS_IMAP_"  # the only environment variables a credential may name
MAX_SECRET_BYTES = 4096


def read_secret(reference: str, environ: Mapping[str, str] | None = None, *,
                secrets_dir: Path | None = None) -> str:
    """The secret a credential reference points at: ``env:PQRS_IMAP_NAME`` (an environment variable of
    this process whose name starts with ``PQRS_IMAP_``) or ``file:/path`` (the file's content without its
    final line break, at most 4 KB), a file inside ``secrets_dir`` (``PQRS_MAIL_SECRETS_DIR``) once links
    and ``..`` are resolved. An administrator can thus never make the server send another of its
    settings (``PQRS_SECRET_KEY``...) or any file it can read as a password. ``ConfigError`` in Spanish,
    without the secret, when it cannot be read."""
    env = os.environ if environ is None else environ
    kind, _, name = reference.partition(":")
    if kind == "env" and name:
        if not name.startswith(SECRET_ENV_PREFIX):
            raise ConfigError(f"la variable de entorno {name} de la credencial no empieza por "
                              f"{SECRET_ENV_PREFIX}: solo esas variables pueden ser credenciales de buzones")
        value = env.get(name)
        if not value:
            raise ConfigError(f"la variable de entorno {name} de la credencial no está definida")
        return value
    if kind == "file" and name:
        path = _secret_path(name, secrets_dir)
        try:
            with path.open("rb") as file:
                data = file.read(MAX_SECRET_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"no se pudo leer el archivo de la credencial {name} "
                              f"({exc.strerror or type(exc).__name__})") from None
        if len(data) > MAX_SECRET_BYTES:
            raise ConfigError(f"el archivo de la credencial {name} tiene más de {MAX_SECRET_BYTES} bytes: "
                              "no es una contraseña")
        try:
            return data.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise ConfigError(f"el archivo de la credencial {name} no está en UTF-8") from None
    # Not repeated in the message: what was given instead of a reference may be the password itself.
    raise ConfigError("la credencial no es una referencia (env:NOMBRE o file:/ruta)")


def _secret_path(name: str, secrets_dir: Path | None) -> Path:
    """The file a ``file:`` reference names, refused unless it lies inside ``secrets_dir``."""
    if secrets_dir is None:
        raise ConfigError(f"las credenciales file: requieren PQRS_MAIL_SECRETS_DIR (la carpeta de los "
                          f"secretos de los buzones); {name} no se lee")
    if ".." in Path(name).parts:
        raise ConfigError(f"la ruta de la credencial {name} no puede contener «..»")
    try:
        base = secrets_dir.resolve(strict=True)
        path = Path(name).resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise ConfigError(f"no se pudo leer el archivo de la credencial {name} "
                          f"({getattr(exc, 'strerror', None) or type(exc).__name__})") from None
    if not path.is_relative_to(base) or path == base:
        raise ConfigError(f"el archivo de la credencial {name} no está dentro de PQRS_MAIL_SECRETS_DIR "
                          f"({secrets_dir})")
    return path


@attrs.frozen(kw_only=True)
class LoginLimits:
    """How many failed password checks (login, password change) are allowed before a wait and before a
    lock (``PQRS_LOGIN_*``). Counted per account and client address, and per address across accounts;
    successful logins never count. Windows last at most a day (the counters are kept two days)."""

    failures_before_wait: int = 5
    wait_minutes: int = 5
    failures_before_lock: int = 20
    lock_minutes: int = 60
    failures_per_address: int = 100

    @classmethod
    def from_env(cls, get: Callable[[str], str | None]) -> LoginLimits:
        def number(name: str, default: int, high: int) -> int:
            return _int(f"PQRS_LOGIN_{name}", get(f"PQRS_LOGIN_{name}"), default, 1, high)

        return cls(failures_before_wait=number("FAILURES_BEFORE_WAIT", 5, 1000),
                   wait_minutes=number("WAIT_MINUTES", 5, 1440),
                   failures_before_lock=number("FAILURES_BEFORE_LOCK", 20, 10_000),
                   lock_minutes=number("LOCK_MINUTES", 60, 1440),
                   failures_per_address=number("FAILURES_PER_ADDRESS", 100, 100_000))


@attrs.frozen(kw_only=True)
class TermSettings:
    """The business calendar and the alarm shares (``PQRS_HOLIDAYS_*``, ``PQRS_SATURDAY_BUSINESS_DAY``,
    ``PQRS_WORKING_HOURS``, ``PQRS_AFTER_CLOSING_NEXT_DAY``, ``PQRS_ALARM_FRACTIONS``,
    ``PQRS_RISK_THRESHOLD``, ``PQRS_PUBLIC_FUNCTIONS``)."""

    calendar: BusinessCalendar = attrs.field(factory=BusinessCalendar)
    alarm_fractions: tuple[float, ...] = (0.5, 0.8, 1.0)
    risk_threshold: float = 0.8
    public_functions: bool = False

    @classmethod
    def from_env(cls, get: Callable[[str], str | None], timezone: str) -> TermSettings:
        country = get("PQRS_HOLIDAYS_COUNTRY") or "CO"
        weekdays = MONDAY_TO_SATURDAY if (get("PQRS_SATURDAY_BUSINESS_DAY") or "0").lower() in _TRUE \
            else MONDAY_TO_FRIDAY
        hours = tuple(h.strip() for h in (get("PQRS_WORKING_HOURS") or "08:00-17:00").split(",") if h.strip())
        try:
            calendar = BusinessCalendar(
                timezone=timezone, working_weekdays=weekdays, working_hours=hours,
                country=None if country.lower() == "none" else country.upper(),
                subdivision=get("PQRS_HOLIDAYS_SUBDIVISION"),
                after_closing_next_day=(get("PQRS_AFTER_CLOSING_NEXT_DAY") or "0").lower() in _TRUE)
        except (ValidationError, ValueError) as exc:
            raise ConfigError(f"calendario de días hábiles: {exc}") from None
        try:
            fractions = tuple(float(f) for f in (get("PQRS_ALARM_FRACTIONS") or "0.5,0.8,1").split(","))
            risk = float(get("PQRS_RISK_THRESHOLD") or "0.8")
        except ValueError:
            raise ConfigError("PQRS_ALARM_FRACTIONS y PQRS_RISK_THRESHOLD son números "
                              "(p. ej. 0.5,0.8,1 y 0.8)") from None
        if not fractions or any(not 0 < f <= 1 for f in fractions) or not 0 < risk <= 1:
            raise ConfigError("las fracciones de alarma y el umbral de riesgo van entre 0 y 1")
        return cls(calendar=calendar, alarm_fractions=tuple(sorted(set(fractions))), risk_threshold=risk,
                   public_functions=(get("PQRS_PUBLIC_FUNCTIONS") or "0").lower() in _TRUE)


def _core_default(name: str) -> int:
    value: int = getattr(attrs.fields(Settings), name).default
    return value


@attrs.frozen(kw_only=True)
class UploadLimits:
    """What attachments may cost (``PQRS_MAX_FILES_PER_CASE``, ``PQRS_MAX_MB_PER_CASE``,
    ``PQRS_MAX_FILES_PER_HOUR``, ``PQRS_MAX_MB_PER_HOUR``); the defaults are the core's."""

    files_per_case: int = _core_default("max_attachments_per_case")
    mb_per_case: int = _core_default("max_case_attachment_bytes") // _MB
    files_per_hour: int = _core_default("max_uploads_per_hour")
    mb_per_hour: int = _core_default("max_upload_bytes_per_hour") // _MB

    @classmethod
    def from_env(cls, get: Callable[[str], str | None]) -> UploadLimits:
        default = cls()

        def number(name: str, value: int, high: int) -> int:
            return _int(name, get(name), value, 1, high)

        return cls(
            files_per_case=number("PQRS_MAX_FILES_PER_CASE", default.files_per_case, 10_000),
            mb_per_case=number("PQRS_MAX_MB_PER_CASE", default.mb_per_case, 100_000),
            files_per_hour=number("PQRS_MAX_FILES_PER_HOUR", default.files_per_hour, 10_000),
            # The store counts bytes in a 32-bit column: an hour's allowance stays below 2 GiB.
            mb_per_hour=number("PQRS_MAX_MB_PER_HOUR", default.mb_per_hour, 1_024),
        )

    def apply(self, settings: Settings) -> Settings:
        return attrs.evolve(settings, max_attachments_per_case=self.files_per_case,
                            max_case_attachment_bytes=self.mb_per_case * _MB,
                            max_uploads_per_hour=self.files_per_hour,
                            max_upload_bytes_per_hour=self.mb_per_hour * _MB)


@attrs.frozen(kw_only=True)
class ClientAddresses:
    """Who the client of a request is, and how much it may try on the public pages
    (``PQRS_TRUSTED_PROXIES``, ``PQRS_PROXY_HOPS``, ``PQRS_PUBLIC_FILINGS_PER_HOUR``,
    ``PQRS_LOOKUP_FAILURES``, ``PQRS_LOOKUP_FAILURES_MINUTES``).

    Behind a reverse proxy every request comes from the proxy's address; the client's is in the
    ``X-Forwarded-For`` header the proxy adds. That header is believed only on requests whose peer is one
    of the trusted proxies: anyone else could write any address in it and escape the limits, or lock out
    someone else."""

    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    proxy_hops: int = 1
    public_filings_per_hour: int = 10
    lookup_failures: int = 5
    lookup_failures_minutes: int = 15

    @classmethod
    def from_env(cls, get: Callable[[str], str | None]) -> ClientAddresses:
        networks = []
        for item in _split_names(get("PQRS_TRUSTED_PROXIES") or ""):
            try:
                networks.append(ip_network(item, strict=False))
            except ValueError:
                raise ConfigError(f"PQRS_TRUSTED_PROXIES: «{item}» no es una dirección IP ni una red "
                                  "(ejemplos: 127.0.0.1, 10.0.0.0/8)") from None
        return cls(
            trusted_proxies=tuple(networks),
            proxy_hops=_int("PQRS_PROXY_HOPS", get("PQRS_PROXY_HOPS"), 1, 1, 10),
            public_filings_per_hour=_int("PQRS_PUBLIC_FILINGS_PER_HOUR", get("PQRS_PUBLIC_FILINGS_PER_HOUR"),
                                         10, 1, 100_000),
            lookup_failures=_int("PQRS_LOOKUP_FAILURES", get("PQRS_LOOKUP_FAILURES"), 5, 1, 100_000),
            lookup_failures_minutes=_int("PQRS_LOOKUP_FAILURES_MINUTES", get("PQRS_LOOKUP_FAILURES_MINUTES"),
                                         15, 1, 24 * 60),
        )


@attrs.frozen(kw_only=True)
class Retention:
    """How long what expires is kept before ``pqrs maintain`` purges it (``PQRS_KEEP_*``; see
    ``sqlalchemy/retention.py``). Idle web sessions go after the application's session lifetime."""

    idempotency: timedelta = timedelta(days=7)
    sent_mail: timedelta = timedelta(days=365)

    @classmethod
    def from_env(cls, get: Callable[[str], str | None]) -> Retention:
        return cls(idempotency=timedelta(days=_int("PQRS_KEEP_IDEMPOTENCY_DAYS",
                                                   get("PQRS_KEEP_IDEMPOTENCY_DAYS"), 7, 1, 3650)),
                   sent_mail=timedelta(days=_int("PQRS_KEEP_SENT_MAIL_DAYS", get("PQRS_KEEP_SENT_MAIL_DAYS"),
                                                 365, 1, 36500)))


_LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml"}


@attrs.frozen(kw_only=True)
class LetterSettings:
    """The official letters (oficios): the letterhead's data besides the organisation's name and logo
    (NIT, address, city, phone, e-mail, web site), which communications produce one
    (``PQRS_LETTERS``: ``respuesta, radicacion, completar, prorroga, traslado, desistimiento``; only
    the response by default; empty for none) and whether a response letter waits for a second
    person's approval (``PQRS_LETTERS_APPROVAL``)."""

    nit: str = ""
    address: str = ""
    city: str = "Bogotá D.C."
    phone: str = ""
    email: str = ""
    website: str = ""
    kinds: frozenset[str] = frozenset({"response"})
    approval: bool = False

    @classmethod
    def from_env(cls, get: Callable[[str], str | None], env: Mapping[str, str]) -> LetterSettings:
        try:
            kinds = parse_kinds(env.get("PQRS_LETTERS", "respuesta"))
        except ValueError as exc:
            raise ConfigError(f"PQRS_LETTERS: {exc}") from None
        return cls(nit=get("PQRS_ORGANISATION_NIT") or "", address=get("PQRS_ORGANISATION_ADDRESS") or "",
                   city=get("PQRS_ORGANISATION_CITY") or "Bogotá D.C.",
                   phone=get("PQRS_ORGANISATION_PHONE") or "", email=get("PQRS_ORGANISATION_EMAIL") or "",
                   website=get("PQRS_ORGANISATION_WEBSITE") or "", kinds=kinds,
                   approval=(get("PQRS_LETTERS_APPROVAL") or "0").lower() in _TRUE)

    def letterhead(self, name: str, logo: Path | None) -> Letterhead:
        """The letterhead, with the logo's bytes when its file can be read."""
        content, media_type = None, "image/png"
        if logo is not None and logo.is_file():
            content, media_type = logo.read_bytes(), _LOGO_TYPES.get(logo.suffix.lower(), media_type)
        return Letterhead(name=name, nit=self.nit, address=self.address, city=self.city, phone=self.phone,
                          email=self.email, website=self.website, logo=content, logo_type=media_type)


@attrs.frozen(kw_only=True)
class QualitySettings:
    """The satisfaction survey and the root causes (``PQRS_PUBLIC_URL``, ``PQRS_SURVEY_DAYS``,
    ``PQRS_SURVEY_NPS``, ``PQRS_CAUSE_REQUIRED``). Without a public address the response e-mail carries
    no survey link: a link the requester cannot open is worse than none."""

    public_url: str | None = None
    survey_days: int = 30
    survey_nps: bool = False
    cause_required_kinds: frozenset[str] = frozenset({"reclamo", "queja"})
    # Seed 002's targets: 2 minutes to file, 4 min 30 s to answer, 55 solutions a day per person.
    target_filing_seconds: int = 120
    target_response_seconds: int = 270
    target_solutions_per_day: int = 55

    @classmethod
    def from_env(cls, get: Callable[[str], str | None]) -> QualitySettings:
        url = get("PQRS_PUBLIC_URL")
        if url is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
            raise ConfigError(f"PQRS_PUBLIC_URL: «{url}» debe ser una dirección http:// o https://")
        required = get("PQRS_CAUSE_REQUIRED")
        kinds = frozenset({"reclamo", "queja"}) if required is None else \
            frozenset() if required.lower() == "none" else frozenset(_split_names(required))
        return cls(public_url=url.rstrip("/") if url else None,
                   survey_days=_int("PQRS_SURVEY_DAYS", get("PQRS_SURVEY_DAYS"), 30, 1, 3650),
                   survey_nps=(get("PQRS_SURVEY_NPS") or "0").lower() in _TRUE,
                   cause_required_kinds=kinds,
                   target_filing_seconds=_int("PQRS_TARGET_FILING_SECONDS", get("PQRS_TARGET_FILING_SECONDS"),
                                              120, 1, 86_400),
                   target_response_seconds=_int("PQRS_TARGET_RESPONSE_SECONDS",
                                                get("PQRS_TARGET_RESPONSE_SECONDS"), 270, 1, 86_400),
                   target_solutions_per_day=_int("PQRS_TARGET_SOLUTIONS_PER_DAY",
                                                 get("PQRS_TARGET_SOLUTIONS_PER_DAY"), 55, 1, 10_000))


def _file_store(value: str | None, database_url: str) -> str:
    """``PQRS_FILE_STORE``; the database only on PostgreSQL (SQLite serves one host, and its single
    writer would wait on itself: a file is written beside the transaction that records it)."""
    store = _choice("PQRS_FILE_STORE", value, FILE_STORES)
    if store == "database" and database_url.startswith("sqlite"):
        raise ConfigError("PQRS_FILE_STORE: «database» necesita PostgreSQL (PQRS_DATABASE_URL); con SQLite, "
                          "un solo servidor, use «local»")
    return store
def _webhook_allow(value: str | None) -> AllowList:
    try:
        return AllowList.parse(value or "")
    except ValueError as exc:
        raise ConfigError(f"PQRS_WEBHOOK_ALLOW: {exc}") from None


@attrs.frozen(kw_only=True)
class SigningSettings:
    """The organisation's certificate the answer's letter is signed with (``PQRS_SIGNING_P12`` and
    ``PQRS_SIGNING_PASSWORD``, or ``PQRS_SIGNING_KEY`` and ``PQRS_SIGNING_CERT`` in PEM); none: letters
    are not signed. ``demo``: the P12 is a throwaway certificate made when missing."""

    p12: Path | None = None
    key: Path | None = None
    cert: Path | None = None
    password: str | None = attrs.field(default=None, repr=False)
    demo: bool = False

    @property
    def enabled(self) -> bool:
        return self.p12 is not None or self.key is not None

    @classmethod
    def from_env(cls, get: Callable[[str], str | None], base: Path,
                 public_url: str | None) -> SigningSettings:
        settings = cls(p12=_path(get("PQRS_SIGNING_P12"), base), key=_path(get("PQRS_SIGNING_KEY"), base),
                       cert=_path(get("PQRS_SIGNING_CERT"), base), password=get("PQRS_SIGNING_PASSWORD"),
                       demo=(get("PQRS_SIGNING_DEMO") or "0").lower() in _TRUE)
        if settings.p12 is not None and settings.key is not None:
            raise ConfigError("PQRS_SIGNING_P12 y PQRS_SIGNING_KEY: use uno de los dos")
        if (settings.key is None) != (settings.cert is None):
            raise ConfigError("PQRS_SIGNING_KEY y PQRS_SIGNING_CERT van juntos")
        if settings.enabled and not public_url:
            raise ConfigError("PQRS_SIGNING_P12/PQRS_SIGNING_KEY: firmar los oficios necesita "
                              "PQRS_PUBLIC_URL (la dirección de la página de verificación impresa en "
                              "cada oficio)")
        return settings


def env_getter(env: Mapping[str, str]) -> Callable[[str], str | None]:
    """How every setting is read from ``env``: stripped, and a blank value is no value."""

    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    return get


@attrs.frozen(kw_only=True)
class Config:
    database_url: str
    files_dir: Path
    file_store: str = "local"
    filing_prefix: str = DEFAULT_FILING_PREFIX
    timezone: str = DEFAULT_TIMEZONE
    secret_key: str | None = None
    secure_cookies: bool = False
    disabled_plugins: tuple[str, ...] = ()
    demo_customers: bool = False
    organisation_name: str | None = None
    organisation_logo: Path | None = None
    letters: LetterSettings = attrs.field(factory=LetterSettings)
    mail: MailSettings = attrs.field(factory=MailSettings)
    mail_in: MailInSettings = attrs.field(factory=MailInSettings)
    terms: TermSettings = attrs.field(factory=lambda: TermSettings())
    login: LoginLimits = attrs.field(factory=LoginLimits)
    uploads: UploadLimits = attrs.field(factory=UploadLimits)
    clients: ClientAddresses = attrs.field(factory=ClientAddresses)
    retention: Retention = attrs.field(factory=Retention)
    quality: QualitySettings = attrs.field(factory=QualitySettings)
    signing: SigningSettings = attrs.field(factory=SigningSettings)
    log_format: str = "text"
    log_level: str = "INFO"
    metrics_token: str | None = None
    # Invoice sources (the ERP): how long one may take to answer, how long its answers are kept.
    invoice_timeout_ms: int = 2000
    invoice_cache_seconds: int = 60
    webhook_allow: AllowList = attrs.field(factory=AllowList)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, cwd: Path | None = None) -> Config:
        """Read ``PQRS_*`` variables from ``environ`` (``os.environ`` by default)."""
        env = os.environ if environ is None else environ
        get = env_getter(env)
        base = (cwd or Path.cwd()).resolve()
        database_url = get("PQRS_DATABASE_URL") or f"sqlite:///{base / 'var' / 'pqrs.sqlite3'}"
        files_dir = Path(get("PQRS_FILES_DIR") or "var/files")
        if not files_dir.is_absolute():
            files_dir = base / files_dir
        file_store = _file_store(get("PQRS_FILE_STORE"), database_url)
        prefix = (get("PQRS_FILING_PREFIX") or DEFAULT_FILING_PREFIX).upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9]{0,15}", prefix):
            raise ConfigError(f"PQRS_FILING_PREFIX: «{prefix}» debe empezar por una letra y tener "
                              "hasta 16 letras o dígitos")
        timezone = get("PQRS_TIMEZONE") or DEFAULT_TIMEZONE
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"PQRS_TIMEZONE: «{timezone}» no es una zona horaria conocida") from None
        return cls(
            database_url=database_url,
            files_dir=files_dir,
            file_store=file_store,
            filing_prefix=prefix,
            timezone=timezone,
            secret_key=get("PQRS_SECRET_KEY"),
            secure_cookies=(get("PQRS_SECURE_COOKIES") or "0").lower() in _TRUE,
            disabled_plugins=_split_names(env.get("PQRS_DISABLE_PLUGINS", "")),
            demo_customers=(get("PQRS_DEMO_CUSTOMERS") or "0").lower() in _TRUE,
            organisation_name=get("PQRS_ORGANISATION_NAME"),
            organisation_logo=_path(get("PQRS_ORGANISATION_LOGO"), base),
            letters=LetterSettings.from_env(get, env),
            mail=MailSettings.from_env(get, base),
            mail_in=MailInSettings.from_env(get, base),
            terms=TermSettings.from_env(get, timezone),
            login=LoginLimits.from_env(get),
            uploads=UploadLimits.from_env(get),
            clients=ClientAddresses.from_env(get),
            retention=Retention.from_env(get),
            quality=(quality := QualitySettings.from_env(get)),
            signing=SigningSettings.from_env(get, base, quality.public_url),
            log_format=_choice("PQRS_LOG_FORMAT", get("PQRS_LOG_FORMAT"), LOG_FORMATS),
            log_level=_choice("PQRS_LOG_LEVEL", get("PQRS_LOG_LEVEL"), LOG_LEVELS),
            metrics_token=get("PQRS_METRICS_TOKEN"),
            invoice_timeout_ms=_int("PQRS_INVOICE_TIMEOUT_MS", get("PQRS_INVOICE_TIMEOUT_MS"), 2000, 1,
                                    60_000),
            invoice_cache_seconds=_int("PQRS_INVOICE_CACHE_SECONDS", get("PQRS_INVOICE_CACHE_SECONDS"), 60, 0,
                                       86_400),
            webhook_allow=_webhook_allow(get("PQRS_WEBHOOK_ALLOW")),
        )

    def settings(self) -> Settings:
        """The organisation settings the core needs."""
        settings = Settings(filing_prefix=self.filing_prefix, timezone=self.timezone,
                            calendar=self.terms.calendar, alarm_fractions=self.terms.alarm_fractions,
                            risk_threshold=self.terms.risk_threshold,
                            public_functions=self.terms.public_functions)
        settings = self.uploads.apply(settings)
        if self.organisation_name:
            settings = attrs.evolve(settings, organisation_name=self.organisation_name)
        return attrs.evolve(settings, letters=self.letters.kinds, letters_need_approval=self.letters.approval,
                            public_url=self.quality.public_url,
                            letterhead=self.letters.letterhead(settings.organisation_name,
                                                               self.organisation_logo))

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the URL names a SQLite file, else ``None``."""
        for scheme in ("sqlite:///", "sqlite+pysqlite:///"):
            if self.database_url.startswith(scheme):
                path = self.database_url[len(scheme):].split("?", 1)[0]
                return Path(path) if path and path != ":memory:" else None
        return None

    def describe_database(self) -> str:
        """The URL without its password, for messages."""
        url = self.database_url
        if "://" in url and "@" in url.split("://", 1)[1]:
            scheme, rest = url.split("://", 1)
            credentials, host = rest.rsplit("@", 1)
            user = credentials.split(":", 1)[0]
            return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
        return url


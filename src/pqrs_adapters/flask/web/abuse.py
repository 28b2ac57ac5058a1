"""Keeping robots and guessers off the public pages without any third-party service.

- A **honeypot**: a field people never see (hidden off-screen, out of the tab order, labelled "leave
  empty") that form-filling robots fill in.
- A **signed timestamp**: the form carries the instant it was rendered, signed with the application's
  secret key; a form sent back in under ``FORM_MIN_SECONDS`` (no person types a PQRS that fast) or
  older than ``FORM_MAX_AGE`` is refused.
- **Rate limits per client address**, counted in the database (``sqlalchemy/rate_limits.py``) so that
  every gunicorn worker on every host shares them. The address is personal data (Ley 1581 de 2012):
  only a keyed hash of it is stored, and the rows are deleted after two days.

The limits are settings (``PQRS_PUBLIC_FILINGS_PER_HOUR``, ``PQRS_LOOKUP_FAILURES``,
``PQRS_LOOKUP_FAILURES_MINUTES``), kept in ``app.config["PQRS_RATE_LIMITS"]`` (a mapping from bucket name
to ``Limit``), which tests may replace. Behind a reverse proxy the client address is the one the trusted
proxies forward (``flask/proxies.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs
from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from pqrs_core.domain.rates import window_end

from ...config import ClientAddresses
from ...sqlalchemy import rate_limits
from .common import engine, now

HONEYPOT_FIELD = "sitio_web"
TOKEN_FIELD = "formulario_desde"
FORM_MIN_SECONDS = 3
FORM_MAX_AGE = timedelta(hours=6)
_SALT = "pqrs.public-form"


@attrs.frozen
class Limit:
    """At most ``attempts`` per ``window`` from one client address."""

    bucket: str
    attempts: int
    window: timedelta


FILING = "public_filing"  # filing forms sent (accepted or not)
LOOKUP_FAILURES = "lookup_failure"  # wrong radicado/document pairs
HELP_SUGGESTIONS = "help_suggestions"  # help articles suggested as a subject is typed on /radicar
HELP_VOTES = "help_votes"  # «¿Resolvió su duda?» answers
VERIFICATIONS = "verifications"  # copies checked and unknown codes on /verificar


def limits_from(clients: ClientAddresses) -> dict[str, Limit]:
    """The limits the settings set, by bucket."""
    return {FILING: Limit(FILING, clients.public_filings_per_hour, timedelta(hours=1)),
            LOOKUP_FAILURES: Limit(LOOKUP_FAILURES, clients.lookup_failures,
                                   timedelta(minutes=clients.lookup_failures_minutes)),
            # Typing a subject asks once per pause (the script waits for a pause): generous for a person,
            # a wall for a script reading the knowledge base or inflating the counts.
            HELP_SUGGESTIONS: Limit(HELP_SUGGESTIONS, 300, timedelta(hours=1)),
            HELP_VOTES: Limit(HELP_VOTES, 30, timedelta(hours=1)),
            VERIFICATIONS: Limit(VERIFICATIONS, 30, timedelta(hours=1))}


# --- honeypot and signed timestamp ------------------------------------------------------------------
def wall_clock() -> float:
    """Seconds since the epoch, by which forms are timed (a function so that tests can set the time)."""
    return time.time()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.secret_key), salt=_SALT)


def form_token(rendered_at: float | None = None) -> str:
    """The signed instant (seconds since the epoch) a form was rendered at: now, unless given."""
    return _serializer().dumps(int(rendered_at if rendered_at is not None else wall_clock()))


def form_refusal(form: Mapping[str, Any]) -> str | None:
    """Why a public form looks sent by a robot (``"honeypot"``, ``"too_fast"``, ``"expired"``,
    ``"invalid"``), or ``None`` when it looks sent by a person."""
    if str(form.get(HONEYPOT_FIELD, "")).strip():
        return "honeypot"
    try:
        rendered_at = _serializer().loads(str(form.get(TOKEN_FIELD, "")))
    except BadSignature:
        return "invalid"
    if not isinstance(rendered_at, int):
        return "invalid"
    age = wall_clock() - rendered_at
    if age < FORM_MIN_SECONDS:
        return "too_fast"
    if age > FORM_MAX_AGE.total_seconds():
        return "expired"
    return None


def refusal_message(reason: str) -> str:
    if reason == "expired":
        return str(_("El formulario estuvo abierto demasiado tiempo. Revise los datos y envíelo de nuevo."))
    return str(_("No pudimos recibir el formulario. Revise los datos, espere unos segundos y envíelo de "
                 "nuevo."))


# --- rate limits ------------------------------------------------------------------------------------
def limit(bucket: str) -> Limit:
    configured: Mapping[str, Limit] = current_app.config.get("PQRS_RATE_LIMITS") or {}
    return configured.get(bucket) or limits_from(ClientAddresses())[bucket]


def client_key() -> str:
    """A keyed hash of the client's address (what the rate limits count), never the address itself.
    Behind trusted reverse proxies (``PQRS_TRUSTED_PROXIES``) the address is the one they forward."""
    address = request.remote_addr or "unknown"
    secret = str(current_app.secret_key).encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def is_blocked(bucket: str) -> bool:
    """Whether this client has used up its attempts in ``bucket`` for the current window."""
    rule = limit(bucket)
    used = rate_limits.attempts(engine(), rule.bucket, client_key(), window=rule.window, now=now())
    return used >= rule.attempts


def count_attempt(bucket: str) -> bool:
    """Count one attempt of this client in ``bucket``; whether it was within the limit."""
    rule = limit(bucket)
    used = rate_limits.record_attempt(engine(), rule.bucket, client_key(), window=rule.window, now=now())
    return used <= rule.attempts


def minutes_until_allowed(bucket: str) -> int:
    """Minutes (rounded up, at least 1) until this client may try again."""
    rule = limit(bucket)
    at = now()
    left = window_end(at, rule.window) - at
    return max(1, -(-int(left.total_seconds()) // 60))


def blocked_message(bucket: str) -> str:
    return str(_("Se hicieron demasiados intentos desde su conexión. Por seguridad, espere %(n)d minutos y "
                 "vuelva a intentarlo.", n=minutes_until_allowed(bucket)))

"""Throttling password guesses on the login form and the password-change form.

Failed password checks are counted in the database (``sqlalchemy/rate_limits.py``), so every worker
process on every host counts the same failures; successful logins are never counted. The thresholds are
``Config.login`` (``PQRS_LOGIN_*``):

- per account and client address: after ``failures_before_wait`` failures in a window of
  ``wait_minutes`` the pair waits until that window ends (a short backoff); after
  ``failures_before_lock`` in a window of ``lock_minutes`` it is locked until that window ends;
- per client address, whatever the accounts: ``failures_per_address`` per ``lock_minutes`` (one
  address trying one password on many accounts).

A refused attempt is answered 429 with ``Retry-After`` before the password is checked, and is not
counted: a lock always ends when its window does, however hard someone keeps trying. Nothing is counted
per account alone, so someone guessing from elsewhere cannot lock the real person out. Failures are
logged with the account name and the keyed hash of the address (as the counters store it), never the
password.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
from datetime import timedelta

import attrs
from flask import current_app
from flask_babel import ngettext

from ...sqlalchemy import rate_limits
from .abuse import Limit, client_key
from .common import config, engine, now

log = logging.getLogger(__name__)


@attrs.frozen
class Refusal:
    """Attempts are refused for ``retry_after`` more seconds."""

    retry_after: int

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return str(ngettext("Se hicieron demasiados intentos fallidos. Por seguridad, espere %(num)d minuto "
                            "y vuelva a intentarlo.",
                            "Se hicieron demasiados intentos fallidos. Por seguridad, espere %(num)d "
                            "minutos y vuelva a intentarlo.", minutes))

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def _counters(account: str) -> list[tuple[Limit, str]]:
    """The limits a password check for ``account`` from this client falls under, each with the subject
    it is counted for."""
    settings = config().login
    address = client_key()
    secret = str(current_app.secret_key).encode()
    pair = f"{account.strip().casefold()}\n{address}".encode()
    account_and_address = hmac.new(secret, pair, hashlib.sha256).hexdigest()[:32]
    return [
        (Limit("login_failure_wait", settings.failures_before_wait,
               timedelta(minutes=settings.wait_minutes)), account_and_address),
        (Limit("login_failure_lock", settings.failures_before_lock,
               timedelta(minutes=settings.lock_minutes)), account_and_address),
        (Limit("login_failure_address", settings.failures_per_address,
               timedelta(minutes=settings.lock_minutes)), address),
    ]


def refusal(account: str) -> Refusal | None:
    """Why a password check for ``account`` from this client is refused now, or ``None``."""
    at = now()
    ends = [rate_limits.window_end(at, limit.window) for limit, subject in _counters(account)
            if rate_limits.attempts(engine(), limit.bucket, subject, window=limit.window, now=at)
            >= limit.attempts]
    if not ends:
        return None
    return Refusal(retry_after=max(1, math.ceil((max(ends) - at).total_seconds())))


def record_failure(account: str, form: str) -> None:
    """Count a wrong password for ``account`` from this client (``form``: where it was typed)."""
    at = now()
    for limit, subject in _counters(account):
        rate_limits.record_attempt(engine(), limit.bucket, subject, window=limit.window, now=at)
    log.warning("failed password check on the %s form for account %r from client %s", form, account[:100],
                client_key())


def log_refusal(account: str, form: str) -> None:
    log.warning("password check on the %s form refused (too many failures) for account %r from client %s",
                form, account[:100], client_key())

"""Delivering the queued webhooks: ``deliver_webhooks`` claims a batch and sends each one (``pqrs
worker`` calls it at every turn of its loop).

Claiming works as the mail outbox's does (``mail/worker.py``): a short transaction takes the due rows
of active subscriptions and sets ``claimed_until`` (now + the lease), with ``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL (two workers never take the same row) and ``BEGIN IMMEDIATE`` on SQLite; what
is not sent when half the lease has gone is given back. Each attempt is then recorded in its own
transaction: the status, the first characters of the response, the error.

Retries. A failed attempt is tried again after ``RETRY_SCHEDULE``: 1 and 5 minutes, 30 minutes, 2, 5,
10, 14, 20 and 24 hours — ten attempts over about three days (75 h 36 min). After the last one the
delivery is given up, its subscription switched off (the deliveries it still has wait until an
administrator switches it on again) and the administrators told, in the application and by e-mail
(the ``webhook_disabled`` notification).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
import httpx
from sqlalchemy import Engine, and_, or_, select, update

from pqrs_core.domain.notifications import Notification
from pqrs_core.services.routing import ADMINS

from ..sqlalchemy.engine import begin_write, is_sqlite
from ..sqlalchemy.outbox import SqlOutbox
from ..sqlalchemy.tables import webhook_deliveries, webhook_subscriptions
from ..sqlalchemy.webhook_store import disable_subscription
from .addresses import AllowList, Resolver, UnsafeUrl, check_url, system_resolver
from .sending import Outcome, client, post, signed_headers

log = logging.getLogger("pqrs.webhooks")

RETRY_SCHEDULE = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                  timedelta(hours=5), timedelta(hours=10), timedelta(hours=14), timedelta(hours=20),
                  timedelta(hours=24))
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
MAX_ERROR = 2000


@attrs.frozen(kw_only=True)
class WebhookOptions:
    allow: AllowList = AllowList()
    lease: timedelta = timedelta(minutes=5)
    resolve: Resolver = system_resolver
    make_client: Callable[[], httpx.Client] = client


@attrs.frozen
class WebhookReport:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0  # will be tried again
    given_up: int = 0
    released: int = 0  # claimed but given back unsent (the batch ran out of time)


@attrs.frozen
class Claimed:
    id: int
    subscription_id: int
    message_id: str
    case_id: str
    filing_number: str
    body: str
    round_attempts: int
    url: str
    secret: str
    description: str


def retry_delay(round_attempts: int) -> timedelta | None:
    """How long after the ``round_attempts``-th failed attempt to try again (``None``: give up)."""
    return RETRY_SCHEDULE[round_attempts - 1] if round_attempts <= len(RETRY_SCHEDULE) else None


def claim(engine: Engine, now: datetime, batch: int, lease: timedelta) -> list[Claimed]:
    d, s = webhook_deliveries.c, webhook_subscriptions.c
    stmt = (select(d.id, d.subscription_id, d.message_id, d.case_id, d.filing_number, d.body,
                   d.round_attempts, s.url, s.secret, s.description)
            .join(webhook_subscriptions, s.id == d.subscription_id)
            .where(d.next_attempt_at <= now, s.active.is_(True),
                   or_(d.claimed_until.is_(None), d.claimed_until < now))
            .order_by(d.next_attempt_at, d.id).limit(batch))
    if not is_sqlite(engine):
        stmt = stmt.with_for_update(skip_locked=True, of=webhook_deliveries)
    with begin_write(engine) as conn:
        rows = [Claimed(**row) for row in conn.execute(stmt).mappings()]
        if rows:
            conn.execute(update(webhook_deliveries).where(d.id.in_([r.id for r in rows]))
                         .values(claimed_until=now + lease))
    return rows


def deliver_webhooks(engine: Engine, now: datetime, batch: int = 20, *,
                     options: WebhookOptions | None = None) -> WebhookReport:
    """Claim up to ``batch`` due deliveries and send them; what happened, counted."""
    options = options or WebhookOptions()
    rows = claim(engine, now, batch, options.lease)
    if not rows:
        return WebhookReport()
    counts = {"delivered": 0, "failed": 0, "given_up": 0, "released": 0}
    give_back_at = time.monotonic() + options.lease.total_seconds() / 2
    with options.make_client() as http:
        for index, row in enumerate(rows):
            if time.monotonic() > give_back_at:  # slow receivers: never let a lease run out under us
                release(engine, rows[index:])
                counts["released"] = len(rows) - index
                break
            outcome = attempt(http, row, now, options)
            counts[record(engine, row, now, outcome)] += 1
    return WebhookReport(claimed=len(rows), **counts)


def attempt(http: httpx.Client, row: Claimed, now: datetime, options: WebhookOptions) -> Outcome:
    try:
        target = check_url(row.url, options.allow, options.resolve)
        return post(http, target, row.body, signed_headers(row.secret, row.message_id, now, row.body))
    except UnsafeUrl as exc:
        return Outcome(error=str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever a request raises fails this delivery only
        log.exception("webhook %s: error inesperado", row.message_id)
        return Outcome(error=f"error inesperado: {type(exc).__name__}: {exc}")


def release(engine: Engine, rows: list[Claimed]) -> None:
    """Give claims back without counting an attempt."""
    d = webhook_deliveries.c
    with begin_write(engine) as conn:
        conn.execute(update(webhook_deliveries).where(d.id.in_([r.id for r in rows]))
                     .values(claimed_until=None))


def record(engine: Engine, row: Claimed, now: datetime, outcome: Outcome) -> str:
    """Write the attempt's result; ``delivered``, ``failed`` or ``given_up``."""
    d = webhook_deliveries.c
    attempts = row.round_attempts + 1
    values = {"attempts": d.attempts + 1, "round_attempts": attempts, "last_attempt_at": now,
              "claimed_until": None, "last_status": outcome.status, "last_response": outcome.excerpt,
              "last_error": outcome.error[:MAX_ERROR] if outcome.error else None}
    if outcome.ok:
        values.update(delivered_at=now, next_attempt_at=None)
        result = "delivered"
    else:
        delay = retry_delay(attempts)
        values.update(next_attempt_at=now + delay if delay is not None else None,
                      given_up_at=None if delay is not None else now)
        result = "failed" if delay is not None else "given_up"
    with begin_write(engine) as conn:
        conn.execute(update(webhook_deliveries).where(and_(d.id == row.id, d.next_attempt_at.is_not(None)))
                     .values(**values))
        if result == "given_up":
            reason = f"{MAX_ATTEMPTS} intentos fallidos en tres días; el último: {_describe(outcome)}"
            if disable_subscription(conn, row.subscription_id, now, reason[:MAX_ERROR]):
                SqlOutbox(conn).add(_notice(row, now, reason))
    if result == "delivered":
        log.info("webhook %s (%s) entregado: %s", row.message_id, row.url, outcome.status)
    else:
        log.warning("webhook %s (%s) no entregado (intento %d): %s", row.message_id, row.url, attempts,
                    _describe(outcome))
    return result


def _describe(outcome: Outcome) -> str:
    if outcome.status is not None:
        return f"HTTP {outcome.status}" + (f", {outcome.error}" if outcome.error else "")
    return outcome.error or "error desconocido"


def _notice(row: Claimed, now: datetime, reason: str) -> Notification:
    return Notification(key=uuid.uuid4().hex, template="webhook_disabled", recipient=ADMINS,
                        case_id=row.case_id, filing_number=row.filing_number, created_at=now,
                        context={"webhook_id": row.subscription_id, "url": row.url,
                                 "description": row.description, "error": reason[:500],
                                 "filing_number": row.filing_number})

"""Purging what has expired, in batches (``pqrs maintain``, also run by ``pqrs worker`` every hour).

- **Idempotency keys**: a stored response is replayed to retries of the same request; after
  ``PQRS_KEEP_IDEMPOTENCY_DAYS`` (7 by default) nobody retries any more.
- **Rate-limit counters**: a window's count is useless once the window has ended; rows older than
  ``rate_limits.KEEP`` (two days, longer than any window) go. They hold keyed hashes of client addresses,
  personal data kept no longer than needed (Ley 1581 de 2012 art. 4, principle of purpose).
- **Web sessions** idle for longer than the application's session lifetime (10 hours) can never be
  used again.
- **Worker heartbeats** of workers silent for a day (stopped, or their host renamed).
- **Delivered mail**: outbox rows sent more than ``PQRS_KEEP_SENT_MAIL_DAYS`` ago (365 by default).
  Rows not sent (pending, or given up after every attempt) are kept for an administrator. The case's
  history keeps what happened; the outbox row is only the delivery's bookkeeping.
- **Delivered webhooks**: deliveries made more than ``PQRS_KEEP_SENT_MAIL_DAYS`` ago, likewise (the
  pending and the failed ones stay, for «Reenviar»).

Cases, their events and their voiding records are never purged here: a filed case is a public record
(Ley 594 de 2000, art. 4 and 11) kept under the organisation's retention tables (TRD, Acuerdo 004 de 2019
del AGN), whose final disposal is an archival decision with its own record, not a maintenance task. A
mistaken case is voided instead (``services.voiding``): it stays stored, its number stays used.

Each batch is its own short transaction, so a purge of millions of rows never holds a long lock
(SQLite's single writer keeps serving filings between batches).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from sqlalchemy import ColumnElement, Engine, Table, delete, select, tuple_

from ..accounts.sessions import IDLE
from ..config import Retention
from .engine import begin_write
from .rate_limits import KEEP as RATE_LIMIT_ROWS_KEPT
from .store_metrics import STALE_HEARTBEATS
from .tables import (
    idempotency_keys,
    outbox,
    rate_limits,
    user_sessions,
    webhook_deliveries,
    worker_heartbeats,
)

BATCH = 1000


@attrs.frozen
class PurgeReport:
    idempotency_keys: int = 0
    rate_limits: int = 0
    sessions: int = 0
    sent_mail: int = 0
    heartbeats: int = 0
    webhooks: int = 0

    @property
    def total(self) -> int:
        return (self.idempotency_keys + self.rate_limits + self.sessions + self.sent_mail + self.heartbeats
                + self.webhooks)


def _purge(engine: Engine, table: Table, expired: ColumnElement[bool], batch: int) -> int:
    """Delete the rows of ``table`` matching ``expired``, ``batch`` at a time; how many."""
    key = tuple_(*table.primary_key.columns)
    deleted = 0
    while True:
        with begin_write(engine) as conn:
            chosen = select(*table.primary_key.columns).where(expired).limit(batch)
            count = int(conn.execute(delete(table).where(key.in_(chosen))).rowcount)
        deleted += count
        if count < batch:
            return deleted


def purge_expired(engine: Engine, now: datetime, retention: Retention | None = None, *,
                  sessions_idle: timedelta = IDLE, batch: int = BATCH) -> PurgeReport:
    """Delete what has expired at ``now``: sessions idle for ``sessions_idle``, the rest as ``retention``
    says."""
    keep = retention or Retention()
    return PurgeReport(
        idempotency_keys=_purge(engine, idempotency_keys,
                                idempotency_keys.c.created_at < now - keep.idempotency, batch),
        rate_limits=_purge(engine, rate_limits, rate_limits.c.window_start < now - RATE_LIMIT_ROWS_KEPT,
                           batch),
        sessions=_purge(engine, user_sessions, user_sessions.c.last_seen_at < now - sessions_idle, batch),
        sent_mail=_purge(engine, outbox, outbox.c.sent_at < now - keep.sent_mail, batch),
        heartbeats=_purge(engine, worker_heartbeats, worker_heartbeats.c.beat_at < now - STALE_HEARTBEATS,
                          batch),
        webhooks=_purge(engine, webhook_deliveries, webhook_deliveries.c.delivered_at < now - keep.sent_mail,
                        batch),
    )

"""Attempt counters for rate limits, kept in the database so that every worker process on every host
counts the same attempts (an in-process counter would give each gunicorn worker its own allowance).

Attempts are counted per ``bucket`` (what is limited) and ``subject`` (who: the public pages use a keyed
hash of the client's address, never the address itself) in fixed windows aligned on the epoch: at most
``limit`` attempts per window. Rows older than ``KEEP`` are deleted as new attempts come in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.rates import window_end, window_start

from .engine import begin_write
from .tables import rate_limits

__all__ = ["KEEP", "SqlRateCounter", "add", "attempts", "record_attempt", "window_end", "window_start"]

KEEP = timedelta(days=2)  # longer than the longest window (``MAX_WINDOW``)


def attempts(engine: Engine, bucket: str, subject: str, *, window: timedelta, now: datetime) -> int:
    """How many attempts ``subject`` made in ``bucket`` in the current window."""
    t = rate_limits
    with engine.connect() as conn:
        hits = conn.execute(select(t.c.hits).where(
            t.c.bucket == bucket, t.c.subject == subject,
            t.c.window_start == window_start(now, window))).scalar_one_or_none()
    return int(hits or 0)


def record_attempt(engine: Engine, bucket: str, subject: str, *, window: timedelta, now: datetime) -> int:
    """Count one attempt of ``subject`` in ``bucket``; return the attempts in the current window,
    this one included. Concurrent attempts from several processes are all counted (an atomic upsert)."""
    with begin_write(engine) as conn:
        return add(conn, bucket, subject, 1, window=window, now=now)


def add(conn: Connection, bucket: str, subject: str, amount: int, *, window: timedelta,
        now: datetime) -> int:
    """Count ``amount`` for ``subject`` in ``bucket`` in the transaction of ``conn``; return the count
    of the current window, this amount included."""
    t = rate_limits
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = insert(t).values(bucket=bucket, subject=subject, window_start=window_start(now, window),
                                 hits=amount)
    statement = statement.on_conflict_do_update(
        index_elements=[t.c.bucket, t.c.subject, t.c.window_start], set_={"hits": t.c.hits + amount})
    hits = conn.execute(statement.returning(t.c.hits)).scalar_one()
    conn.execute(delete(t).where(t.c.window_start < now - KEEP))
    return int(hits)


class SqlRateCounter:
    """The core's ``RateCounter`` in a unit of work's transaction: every worker on every host shares
    the counts, and a count is kept only when the unit of work commits."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, bucket: str, subject: str, amount: int, *, window: timedelta,
            now: datetime) -> tuple[int, datetime]:
        return add(self._conn, bucket, subject, amount, window=window, now=now), window_end(now, window)

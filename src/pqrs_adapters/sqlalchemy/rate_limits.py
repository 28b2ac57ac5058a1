"""Attempt counters for rate limits, kept in the database so that every worker process on every host
counts the same attempts (an in-process counter would give each gunicorn worker its own allowance).

Attempts are counted per ``bucket`` (what is limited) and ``subject`` (who: the public pages use a keyed
hash of the client's address, never the address itself) in fixed windows aligned on the epoch: at most
``limit`` attempts per window. Rows older than ``KEEP`` are deleted as new attempts come in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from .engine import begin_write
from .tables import rate_limits

# Windows longer than a day are not supported: their rows would be deleted before they end.
KEEP = timedelta(days=2)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the window ``now`` falls in."""
    if window <= timedelta(0) or window > timedelta(days=1):
        raise ValueError("a rate-limit window lasts more than nothing and at most a day")
    elapsed = now.astimezone(UTC) - _EPOCH
    return _EPOCH + (elapsed // window) * window


def window_end(now: datetime, window: timedelta) -> datetime:
    """When the window ``now`` falls in ends (attempts are allowed again)."""
    return window_start(now, window) + window


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
    t = rate_limits
    start = window_start(now, window)
    with begin_write(engine) as conn:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        statement = insert(t).values(bucket=bucket, subject=subject, window_start=start, hits=1)
        statement = statement.on_conflict_do_update(
            index_elements=[t.c.bucket, t.c.subject, t.c.window_start], set_={"hits": t.c.hits + 1})
        hits = conn.execute(statement.returning(t.c.hits)).scalar_one()
        conn.execute(delete(t).where(t.c.window_start < now - KEEP))
    return int(hits)

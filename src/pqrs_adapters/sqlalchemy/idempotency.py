"""Stored responses for ``Idempotency-Key`` (the HTTP API): the same key from the same user gets the
same response, never a second case.

The API computes a hash of the request (method, path, body); a key reused with a different request is
the client's error (compare ``StoredResponse.request_hash``). A request claims its key *before* the work
(``claim`` inserts the row or finds it taken, atomically), so when identical requests race, exactly one
does the work and the others wait for its response (``wait_settled``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .engine import begin_write
from .tables import idempotency_keys

MAX_KEY_LENGTH = 255


@attrs.frozen
class StoredResponse:
    request_hash: str
    status_code: int
    body: Any
    location: str | None
    created_at: datetime


def _find(conn: Connection, key: str, username: str) -> StoredResponse | None:
    t = idempotency_keys
    row = conn.execute(select(t).where(t.c.key == key, t.c.username == username)).mappings().first()
    if row is None:
        return None
    return StoredResponse(request_hash=row["request_hash"], status_code=row["status_code"],
                          body=row["response_body"], location=row["location"], created_at=row["created_at"])


def lookup(engine: Engine, key: str, username: str) -> StoredResponse | None:
    """The response stored for ``key`` and ``username``, if any."""
    with engine.connect() as conn:
        return _find(conn, key, username)


# --- claiming a key before the work ----------------------------------------------------------------
# A request that must not file twice (an API retry, a double click, a browser resubmit) claims its key
# *before* filing: the first request inserts the row with ``PENDING``, any other gets ``False`` and waits
# for the first one's response. On success the row gets the response; on failure it is released so the
# request can be corrected and sent again with the same key.
PENDING = 0


def claim(engine: Engine, key: str, username: str, request_hash: str, *,
          now: datetime | None = None) -> bool:
    """Reserve ``key`` for ``username``: ``True`` when this caller got it, ``False`` when it was taken
    (by a request that finished or is still at work; ``lookup`` tells which)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"an idempotency key has 1 to {MAX_KEY_LENGTH} characters")
    with begin_write(engine) as conn:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        inserted = conn.execute(insert(idempotency_keys).values(
            key=key, username=username, request_hash=request_hash, status_code=PENDING, response_body={},
            location=None, created_at=now or datetime.now(UTC)).on_conflict_do_nothing()
            .returning(idempotency_keys.c.key)).first()
        return inserted is not None


def settle(engine: Engine, key: str, username: str, status: int, body: Any, location: str | None) -> None:
    """Store the response of the work a ``claim`` reserved ``key`` for."""
    t = idempotency_keys
    with begin_write(engine) as conn:
        conn.execute(update(t).where(t.c.key == key, t.c.username == username)
                     .values(status_code=status, response_body=body, location=location))


def release(engine: Engine, key: str, username: str) -> None:
    """Give up a claim whose work failed (only while it is still pending)."""
    t = idempotency_keys
    with begin_write(engine) as conn:
        conn.execute(delete(t).where(t.c.key == key, t.c.username == username, t.c.status_code == PENDING))


def wait_settled(engine: Engine, key: str, username: str, *, timeout: float,
                 interval: float = 0.05) -> StoredResponse | None:
    """Wait (at most ``timeout`` seconds) for the work that claimed ``key`` to finish: its stored response
    once settled, ``None`` when the claim was released (the work failed) or never existed, or the
    still-``PENDING`` row when the time ran out."""
    deadline = time.monotonic() + timeout
    while True:
        stored = lookup(engine, key, username)
        if stored is None or stored.status_code != PENDING or time.monotonic() >= deadline:
            return stored
        time.sleep(interval)

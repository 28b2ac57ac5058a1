"""People's web sessions, kept on the server: the ``user_sessions`` table.

The session cookie is signed, so it cannot be forged, but on its own it stays valid until it expires
whatever happens on the server. It therefore holds only a random token (32 bytes), and the token's
SHA-256 is stored here with its user: a request whose token has no row is not logged in. Logging out
deletes the session's row; a password change or a deactivation (``accounts.save_user``) deletes every
row of the user; a person may also end all their sessions but the one in use.

A session lasts while it is used: it ends after ``idle`` without a request (the web application passes
its session lifetime). ``last_seen_at`` is written at most once per ``LAST_SEEN_RESOLUTION`` so that a
page view is not always a write; rows of ended sessions are deleted when someone logs in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, select, update

from ..sqlalchemy.engine import begin_write
from ..sqlalchemy.tables import user_sessions

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
IDLE = timedelta(hours=10)  # the web application's session lifetime: a working day without a request


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(engine: Engine, username: str, *, now: datetime, idle: timedelta) -> str:
    """A new session of ``username``; returns its token (for the cookie, never stored as such)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    t = user_sessions
    with begin_write(engine) as conn:
        conn.execute(delete(t).where(t.c.last_seen_at < now - idle))
        conn.execute(t.insert().values(token_hash=_hash(token), username=username, created_at=now,
                                       last_seen_at=now))
    return token


def session_user(engine: Engine, token: str, *, now: datetime, idle: timedelta) -> str | None:
    """The user name of the session ``token`` stands for; ``None`` when it was ended or has been idle
    for ``idle`` or more. Records that it was used."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    t = user_sessions
    digest = _hash(token)
    with engine.connect() as conn:
        row = conn.execute(select(t.c.username, t.c.last_seen_at).where(t.c.token_hash == digest)).first()
    if row is None or now - row.last_seen_at >= idle:
        return None
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        with begin_write(engine) as write:
            write.execute(update(t).where(t.c.token_hash == digest).values(last_seen_at=now))
    return str(row.username)


def end_session(engine: Engine, token: str) -> None:
    """End the session ``token`` stands for (logging out)."""
    with begin_write(engine) as conn:
        conn.execute(delete(user_sessions).where(user_sessions.c.token_hash == _hash(token)))


def end_user_sessions(conn: Connection, username: str, *, keep: str | None = None) -> int:
    """End every session of ``username`` but the one ``keep`` stands for, inside the caller's
    transaction; returns how many were ended."""
    t = user_sessions
    statement = delete(t).where(t.c.username == username)
    if keep is not None:
        statement = statement.where(t.c.token_hash != _hash(keep))
    return int(conn.execute(statement).rowcount or 0)


def end_other_sessions(engine: Engine, username: str, keep: str) -> int:
    """End every session of ``username`` but the one ``keep`` stands for; returns how many."""
    with begin_write(engine) as conn:
        return end_user_sessions(conn, username, keep=keep)


def other_sessions(engine: Engine, username: str, keep: str, *, now: datetime, idle: timedelta) -> int:
    """How many sessions of ``username`` other than ``keep`` are open."""
    t = user_sessions
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(t).where(
            t.c.username == username, t.c.token_hash != _hash(keep),
            t.c.last_seen_at > now - idle)).scalar_one()
    return int(count)

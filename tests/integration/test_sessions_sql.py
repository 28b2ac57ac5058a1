"""People's web sessions on the server, on SQLite and PostgreSQL: a session stands for its user until it
is ended or left idle, and a new password or a deactivation ends all of the user's sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from pqrs_adapters.accounts import save_user
from pqrs_adapters.accounts.sessions import (
    end_other_sessions,
    end_session,
    other_sessions,
    session_user,
    start_session,
)
from pqrs_adapters.sqlalchemy.tables import user_sessions

if TYPE_CHECKING:
    from conftest import StoreUnderTest

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
IDLE = timedelta(hours=10)


def _engine(sql_store: StoreUnderTest) -> Engine:
    assert sql_store.engine is not None
    return sql_store.engine


def test_a_session_lasts_while_it_is_used_and_ends_when_asked(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "ana", roles=("agent",))
    token = start_session(engine, "ana", now=T0, idle=IDLE)

    assert session_user(engine, token, now=T0 + timedelta(hours=9), idle=IDLE) == "ana"
    assert session_user(engine, token, now=T0 + timedelta(hours=18), idle=IDLE) == "ana"  # used at 9 h
    assert session_user(engine, token, now=T0 + timedelta(hours=28, minutes=1), idle=IDLE) is None
    assert session_user(engine, "otro" + token, now=T0, idle=IDLE) is None
    with engine.connect() as conn:  # only a hash of the token is stored
        assert conn.execute(select(user_sessions.c.token_hash)).scalar_one() != token

    other = start_session(engine, "ana", now=T0, idle=IDLE)
    end_session(engine, other)
    assert session_user(engine, other, now=T0, idle=IDLE) is None


def test_a_new_password_or_a_deactivation_ends_every_session(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "ana", roles=("agent",))
    save_user(engine, "bruno", roles=("agent",))
    first, second = (start_session(engine, "ana", now=T0, idle=IDLE) for _ in range(2))
    brunos = start_session(engine, "bruno", now=T0, idle=IDLE)

    save_user(engine, "ana", display_name="Ana María")  # other changes keep them
    assert session_user(engine, first, now=T0, idle=IDLE) == "ana"
    save_user(engine, "ana", password="clave-nueva-1")
    assert session_user(engine, first, now=T0, idle=IDLE) is None
    assert session_user(engine, second, now=T0, idle=IDLE) is None
    assert session_user(engine, brunos, now=T0, idle=IDLE) == "bruno"
    save_user(engine, "bruno", active=False)
    assert session_user(engine, brunos, now=T0, idle=IDLE) is None


def test_ending_the_other_sessions_keeps_this_one(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "ana", roles=("agent",))
    this, *others = (start_session(engine, "ana", now=T0, idle=IDLE) for _ in range(3))
    assert other_sessions(engine, "ana", this, now=T0, idle=IDLE) == 2

    assert end_other_sessions(engine, "ana", this) == 2

    assert session_user(engine, this, now=T0, idle=IDLE) == "ana"
    assert all(session_user(engine, t, now=T0, idle=IDLE) is None for t in others)
    assert other_sessions(engine, "ana", this, now=T0, idle=IDLE) == 0


def test_sessions_left_idle_are_deleted_when_someone_logs_in(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "ana", roles=("agent",))
    start_session(engine, "ana", now=T0, idle=IDLE)

    start_session(engine, "ana", now=T0 + IDLE + timedelta(seconds=1), idle=IDLE)

    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(user_sessions)).scalar_one() == 1

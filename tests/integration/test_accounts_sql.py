"""Users as actors (roles, queues, network), API tokens and idempotency keys, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, select

from pqrs_adapters.accounts import (
    AccountError,
    actor_for_token,
    authenticate,
    create_token,
    hash_password,
    list_tokens,
    load_actor,
    revoke_token,
    save_user,
)
from pqrs_adapters.sqlalchemy import idempotency
from pqrs_adapters.sqlalchemy.tables import api_tokens, users
from pqrs_core.domain.values import Actor

if TYPE_CHECKING:
    from conftest import StoreUnderTest

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _engine(sql_store: StoreUnderTest) -> Engine:
    assert sql_store.engine is not None
    return sql_store.engine


def _network(engine: Engine) -> None:
    """diana → (pedro → (lina → tomás), juan); sara apart."""
    save_user(engine, "diana", roles=("consultant",))
    for name, sponsor in (("pedro", "diana"), ("juan", "diana"), ("lina", "pedro"), ("tomas", "lina"),
                          ("sara", "")):
        save_user(engine, name, roles=("consultant",), sponsor=sponsor)


def test_an_actor_has_roles_queues_and_everyone_below_them(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    _network(engine)
    save_user(engine, "sofia", roles=("supervisor", "agent"), queues=("primer_nivel", "back_office"))

    assert load_actor(engine, "diana") == Actor("diana", frozenset({"consultant"}),
                                                network=frozenset({"pedro", "juan", "lina", "tomas"}))
    assert load_actor(engine, "pedro").network == {"lina", "tomas"}  # type: ignore[union-attr]
    assert load_actor(engine, "tomas").network == frozenset()  # type: ignore[union-attr]
    assert load_actor(engine, "sofia") == Actor("sofia", frozenset({"supervisor", "agent"}),
                                                queues=frozenset({"primer_nivel", "back_office"}))
    with engine.connect() as conn:  # a connection works as well as an engine
        assert load_actor(conn, "sara") == Actor("sara", frozenset({"consultant"}))

    save_user(engine, "lina", active=False)  # an inactive person: no actor, still in the network
    assert load_actor(engine, "lina") is None
    assert load_actor(engine, "nadie") is None
    assert load_actor(engine, "pedro").network == {"lina", "tomas"}  # type: ignore[union-attr]


def test_a_sponsor_must_exist_and_cannot_come_from_below(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    _network(engine)
    with pytest.raises(AccountError, match="no existe"):
        save_user(engine, "sara", sponsor="fantasma")
    for sponsor in ("tomas", "pedro", "diana"):
        with pytest.raises(AccountError, match="red"):
            save_user(engine, "diana", sponsor=sponsor)
    save_user(engine, "lina", sponsor="sara")  # moving a branch carries everyone below
    assert load_actor(engine, "sara").network == {"lina", "tomas"}  # type: ignore[union-attr]
    assert load_actor(engine, "diana").network == {"pedro", "juan"}  # type: ignore[union-attr]
    save_user(engine, "lina", sponsor="")
    assert load_actor(engine, "sara").network == frozenset()  # type: ignore[union-attr]


def test_a_token_is_shown_once_stored_hashed_and_stands_for_its_user(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "bot", roles=("agent",), queues=("primer_nivel",))
    token = create_token(engine, "bot", "chatbot", now=T0)
    other = create_token(engine, "bot", now=T0)

    assert token.startswith("pqrs_") and len(token) >= 40 and token != other
    with engine.connect() as conn:
        stored = conn.execute(select(api_tokens)).mappings().all()
    assert token not in str(list(stored))
    assert stored[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert actor_for_token(engine, token, now=T0 + timedelta(hours=1)) == Actor(
        "bot", frozenset({"agent"}), queues=frozenset({"primer_nivel"}))
    first, second = list_tokens(engine, "bot")
    assert (first.name, first.prefix, first.last_used_at) == ("chatbot", token[:12], T0 + timedelta(hours=1))
    assert second.last_used_at is None and list_tokens(engine, "nadie") == []

    for wrong in ("", token[:-1], token + "x", "Bearer " + token, "pqrs_" + "A" * 500, "\udcff"):
        assert actor_for_token(engine, wrong) is None
    with pytest.raises(AccountError, match="no existe"):
        create_token(engine, "nadie")


def test_revoked_tokens_and_inactive_users_are_refused(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "bot", roles=("agent",))
    token, kept = create_token(engine, "bot"), create_token(engine, "bot")
    first = list_tokens(engine)[0]
    assert revoke_token(engine, first.id, now=T0) is True
    assert revoke_token(engine, first.id) is False and revoke_token(engine, 999) is False
    assert actor_for_token(engine, token) is None
    assert list_tokens(engine)[0].revoked_at == T0
    assert actor_for_token(engine, kept) is not None

    save_user(engine, "bot", active=False)
    assert actor_for_token(engine, kept) is None
    with pytest.raises(AccountError, match="inactivo"):
        create_token(engine, "bot")


def test_an_idempotency_key_keeps_the_first_response(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    assert idempotency.lookup(engine, "k1", "bot") is None
    assert idempotency.claim(engine, "k1", "bot", "h1", now=T0) is True
    idempotency.settle(engine, "k1", "bot", 201, {"filing_number": "PQRS-2026-000001"},
                       "/api/v1/cases/PQRS-2026-000001")
    assert idempotency.claim(engine, "k1", "bot", "h2") is False
    stored = idempotency.wait_settled(engine, "k1", "bot", timeout=0)
    assert stored == idempotency.lookup(engine, "k1", "bot")
    assert stored is not None
    assert (stored.request_hash, stored.status_code, stored.created_at) == ("h1", 201, T0)
    assert stored.body == {"filing_number": "PQRS-2026-000001"}
    assert idempotency.lookup(engine, "k1", "otro") is None  # keys belong to a user
    with pytest.raises(ValueError):
        idempotency.claim(engine, "", "bot", "h")


def test_waiting_for_a_claimed_key_ends_when_it_is_settled_released_or_the_time_is_up(
        sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    assert idempotency.wait_settled(engine, "nunca", "bot", timeout=5) is None
    assert idempotency.claim(engine, "lento", "bot", "h") is True
    pending = idempotency.wait_settled(engine, "lento", "bot", timeout=0.1, interval=0.02)
    assert pending is not None and pending.status_code == idempotency.PENDING

    def finish() -> None:
        idempotency.settle(engine, "lento", "bot", 201, {"n": 1}, "/cases/1")

    timer = threading.Timer(0.2, finish)
    timer.start()
    settled = idempotency.wait_settled(engine, "lento", "bot", timeout=30, interval=0.02)
    timer.join()
    assert settled is not None and (settled.status_code, settled.location) == (201, "/cases/1")


def test_an_administrators_change_is_recorded_without_the_password(sql_store: StoreUnderTest) -> None:
    from pqrs_adapters.sqlalchemy.tables import catalog_changes

    engine = _engine(sql_store)
    save_user(engine, "lucia", display_name="Lucía Díaz", roles=("agent",), queues=("primer_nivel",),
              password="clave-secreta-1", changed_by="admin", now=T0)
    save_user(engine, "lucia", roles=("agent", "supervisor"), email="lucia@example.com",
              display_name="Lucía Díaz", changed_by="admin", now=T0 + timedelta(minutes=1))
    save_user(engine, "lucia", password="otra-clave-segura", changed_by="sofia",
              now=T0 + timedelta(minutes=2))
    save_user(engine, "lucia", display_name="Lucía Díaz", changed_by="admin")  # nothing changes: no entry
    save_user(engine, "lucia", active=False)  # no one named: not an administration change

    with engine.connect() as conn:
        rows = conn.execute(select(catalog_changes).order_by(catalog_changes.c.id)).mappings().all()
    assert [(r["actor"], r["at"], r["what"]) for r in rows] == [
        ("admin", T0, "users.create"), ("admin", T0 + timedelta(minutes=1), "users.update"),
        ("sofia", T0 + timedelta(minutes=2), "users.update")]
    assert rows[0]["data"] == {"username": "lucia", "display_name": "Lucía Díaz", "roles": ["agent"],
                               "queues": ["primer_nivel"], "active": True, "password": "changed"}
    assert rows[1]["data"] == {"username": "lucia", "roles": ["agent", "supervisor"],
                               "email": "lucia@example.com"}
    assert rows[2]["data"] == {"username": "lucia", "password": "changed"}
    assert not any("clave" in str(r["data"]) for r in rows)


def test_a_claimed_key_is_taken_once_settled_or_released(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    claims: list[bool] = []
    barrier = threading.Barrier(5)

    def request() -> None:
        barrier.wait()
        claims.append(idempotency.claim(engine, "form-1", "ana", "web"))

    threads = [threading.Thread(target=request) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claims) == [False, False, False, False, True]  # a double click files once
    pending = idempotency.lookup(engine, "form-1", "ana")
    assert pending is not None and pending.status_code == idempotency.PENDING

    idempotency.settle(engine, "form-1", "ana", 201, {"filing_number": "PQRS-2026-000007"}, "/casos/x")
    done = idempotency.lookup(engine, "form-1", "ana")
    assert done is not None and (done.status_code, done.body["filing_number"]) == (201, "PQRS-2026-000007")
    idempotency.release(engine, "form-1", "ana")  # a settled key stays
    assert idempotency.lookup(engine, "form-1", "ana") == done
    assert idempotency.claim(engine, "form-1", "ana", "web") is False

    assert idempotency.claim(engine, "form-2", "ana", "web") is True
    idempotency.release(engine, "form-2", "ana")  # the filing failed: the form may be sent again
    assert idempotency.lookup(engine, "form-2", "ana") is None
    assert idempotency.claim(engine, "form-2", "ana", "web") is True
    assert idempotency.claim(engine, "form-2", "bruno", "web") is True  # keys belong to a user


def test_system_actor_names_cannot_become_accounts_nor_log_in(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    for name in ("formulario.web", "system", "System", " FORMULARIO.WEB "):
        with pytest.raises(AccountError, match="actor del sistema"):
            save_user(engine, name, roles=("admin",), password="clave-secreta-1")
    with engine.connect() as conn:
        assert conn.execute(select(users.c.username)).scalars().all() == []

    # A row an older version let an administrator create: it reads nothing and never logs in.
    with engine.begin() as conn:
        conn.execute(users.insert().values(
            username="formulario.web", display_name="x", roles=["admin"], queues=[], active=True,
            created_at=T0, password_hash=hash_password("clave-secreta-1")))
        conn.execute(api_tokens.insert().values(
            username="formulario.web", name="viejo", token_hash=hashlib.sha256(b"pqrs_viejo").hexdigest(),
            prefix="pqrs_viejo", created_at=T0))
    assert authenticate(engine, "formulario.web", "clave-secreta-1") is None
    assert load_actor(engine, "formulario.web") is None
    assert actor_for_token(engine, "pqrs_viejo") is None
    with pytest.raises(AccountError, match="actor del sistema"):
        create_token(engine, "formulario.web")
    # It can still be deactivated (an update, not a creation).
    assert save_user(engine, "formulario.web", active=False) is False

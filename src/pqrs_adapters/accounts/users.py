"""User accounts and API tokens: the ``users`` and ``api_tokens`` tables.

- People log in with a password hashed with scrypt (``pqrs_adapters.accounts.passwords``: memory-hard, 16 MiB
  per check).
- A user holds roles, works in queues and may have a sponsor: the person who brought them into the
  network (genealogía). ``load_actor`` turns a user into the core's ``Actor``: roles, queues and
  network (everyone below them, however deep, read with a recursive query).
- Machines use bearer tokens: 32 random bytes shown once at creation and stored as their SHA-256 (a
  token is as random as a key, so a fast hash is enough and a lookup by hash compares in constant
  time what matters). Tokens can be revoked; an inactive user's tokens stop working.
- A new password or a deactivation ends the user's web sessions (``pqrs_adapters.accounts.sessions``).
- A change made by someone (``save_user(..., changed_by=...)``) is recorded in the administration
  log (``catalog_changes``) in the same transaction: who, when, which fields, never a password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, Select, bindparam, exists, select, update

from pqrs_core.domain.values import Actor, is_system_actor_name

from ..sqlalchemy.engine import begin_write
from ..sqlalchemy.tables import api_tokens, catalog_changes, users
from .passwords import (
    DUMMY_HASH,
    AccountError,
    hash_password,
    verify_password,
)
from .sessions import end_user_sessions

TOKEN_BYTES = 32
TOKEN_PREFIX = "pqrs_"
DISPLAY_PREFIX_LENGTH = 12  # "pqrs_" and 7 characters of the token: enough to tell tokens apart
# ``last_used_at`` is written at most this often per token (a read should not always be a write).
LAST_USED_RESOLUTION = timedelta(minutes=1)


@attrs.frozen
class User:
    username: str
    display_name: str
    email: str | None
    roles: tuple[str, ...]
    active: bool
    created_at: datetime | None
    has_password: bool
    queues: tuple[str, ...] = ()
    sponsor: str | None = None
    job_title: str | None = None  # cargo, under the person's signature on official letters


@attrs.frozen
class ApiToken:
    """A stored token, without its secret."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@contextmanager
def _connection(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn


def _row_to_user(row: Any) -> User:
    return User(username=row.username, display_name=row.display_name or row.username, email=row.email,
                roles=tuple(row.roles or ()), active=bool(row.active), created_at=row.created_at,
                has_password=row.password_hash is not None, queues=tuple(row.queues or ()),
                sponsor=row.sponsor, job_title=row.job_title)


def _check_username(username: str) -> str:
    name = username.strip()
    allowed = set(string.ascii_letters + string.digits + "._-@")
    if not name or len(name) > 100 or not set(name) <= allowed:
        raise AccountError(f"«{username}» no es un nombre de usuario válido (letras, dígitos y . _ - @)")
    return name


def _check_new_username(name: str) -> None:
    """A new account may not take a system actor's name (checked on creation only, so that a row left
    by an older version can still be edited or deactivated)."""
    if is_system_actor_name(name):
        raise AccountError(f"«{name}» es el nombre de un actor del sistema: no puede ser una cuenta de "
                           "usuario")


# ------------------------------------------------------------------------------------------ users
def get_user(engine: Engine, username: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    return _row_to_user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    return [_row_to_user(row) for row in rows]


def display_names(engine: Engine, usernames: Iterable[str]) -> dict[str, str]:
    """``username -> display_name`` for the given users that exist."""
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(users.c.username, users.c.display_name)
                            .where(users.c.username.in_(wanted))).all()
    return {row.username: row.display_name or row.username for row in rows}


def save_user(engine: Engine, username: str, *, display_name: str | None = None, email: str | None = None,
              roles: Sequence[str] | None = None, password: str | None = None,
              active: bool | None = None, queues: Sequence[str] | None = None, sponsor: str | None = None,
              job_title: str | None = None, now: datetime | None = None,
              changed_by: str | None = None) -> bool:
    """Create the user, or update the given fields of an existing one. Returns ``True`` when created.

    ``password`` is hashed before it is stored; ``None`` leaves a field as it is; ``sponsor=""`` removes
    the sponsor. A sponsor must exist and must not be the user or someone of the user's network.
    With ``changed_by`` (the person making the change) the creation, or the fields that changed, are
    recorded in ``catalog_changes`` as ``users.create``/``users.update`` (a new password only as
    ``"password": "changed"``). A new password or a deactivation ends every web session of the user.
    """
    name = _check_username(username)
    values: dict[str, Any] = {}
    if display_name is not None:
        values["display_name"] = display_name.strip() or name
    if email is not None:
        values["email"] = email.strip() or None
    if job_title is not None:
        values["job_title"] = job_title.strip() or None
    if roles is not None:
        values["roles"] = sorted(set(roles))
    if queues is not None:
        values["queues"] = sorted(set(queues))
    if password is not None:
        values["password_hash"] = hash_password(password)
    if active is not None:
        values["active"] = active
    with begin_write(engine) as conn:
        if sponsor is not None:
            values["sponsor"] = _check_sponsor(conn, name, sponsor.strip()) if sponsor.strip() else None
        before = conn.execute(select(users).where(users.c.username == name)).mappings().first()
        if before is None:
            _check_new_username(name)
            values.setdefault("display_name", name)
            values.setdefault("roles", [])
            values.setdefault("queues", [])
            values.setdefault("active", True)
            values["created_at"] = now or datetime.now(UTC)
            conn.execute(users.insert().values(username=name, **values))
        elif values:
            conn.execute(users.update().where(users.c.username == name).values(**values))
            if "password_hash" in values or values.get("active") is False:
                # Whoever held the old password, or the deactivated person, is logged out everywhere.
                end_user_sessions(conn, name)
        if changed_by is not None:
            _record_user_change(conn, changed_by, now or datetime.now(UTC), name, before, values)
        return before is None


_RECORDED_FIELDS = ("display_name", "email", "job_title", "roles", "queues", "sponsor", "active")


def _record_user_change(conn: Connection, actor: str, at: datetime, username: str, before: Any,
                        values: dict[str, Any]) -> None:
    """Append who changed which fields of ``username`` to the administration log (never a password)."""
    data: dict[str, Any] = {"username": username}
    for field in _RECORDED_FIELDS:
        if field in values and (before is None or _plain(before[field]) != _plain(values[field])):
            data[field] = _plain(values[field])
    if "password_hash" in values:
        data["password"] = "changed"
    if before is not None and len(data) == 1:
        return  # nothing changed
    what = "users.create" if before is None else "users.update"
    conn.execute(catalog_changes.insert().values(actor=actor, at=at, what=what, data=data))


def _plain(value: Any) -> Any:
    return sorted(value) if isinstance(value, list | tuple) else value


def _check_sponsor(conn: Connection, username: str, sponsor: str) -> str:
    if conn.execute(select(users.c.username).where(users.c.username == sponsor)).first() is None:
        raise AccountError(f"no existe el usuario «{sponsor}» (patrocinador)")
    if sponsor == username or sponsor in network_of(conn, username):
        raise AccountError(f"«{sponsor}» está en la red de «{username}»: no puede ser su patrocinador")
    return sponsor


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user whose password matches, or ``None`` (a hash is computed either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.strip())).first()
    # A system actor never logs in, even through a row an older version let someone create.
    stored = row.password_hash if row is not None and not is_system_actor_name(row.username) else None
    if stored is None:
        # Spend the same time as a real check so that response times do not reveal which users exist.
        verify_password(password, DUMMY_HASH)
        return None
    if row is None or not verify_password(password, stored) or not row.active:
        return None
    return _row_to_user(row)


# ------------------------------------------------------------------------------------------ actors
def _network_statement() -> Select[str]:
    below = select(users.c.username).where(users.c.sponsor == bindparam("username")).cte(
        "network", recursive=True)
    below = below.union(select(users.c.username).where(users.c.sponsor == below.c.username))
    return select(below.c.username)


# Built once: SQLAlchemy then compiles each statement once per process (it is on every request).
_NETWORK = _network_statement()
_SPONSORED = users.alias("sponsored")
_ACTOR_COLUMNS = (users.c.username, users.c.roles, users.c.queues, users.c.active,
                  exists().where(_SPONSORED.c.sponsor == users.c.username).label("has_network"))
_ACTOR = select(*_ACTOR_COLUMNS).where(users.c.username == bindparam("username"))


def network_of(conn: Connection, username: str) -> frozenset[str]:
    """Everyone below ``username`` in the sponsor tree, however deep (inactive people included: their
    cases stay in the network). A recursive CTE; ``UNION`` ends it even on a corrupted, cyclic tree."""
    return frozenset(conn.execute(_NETWORK, {"username": username}).scalars()) - {username}


def _actor(conn: Connection, row: Any) -> Actor | None:
    """The ``Actor`` of a row of ``_ACTOR_COLUMNS``; the network is read only for someone who sponsors
    anyone. A system actor's name is never a person's actor, whatever rows an older version left."""
    if not row.active or is_system_actor_name(row.username):
        return None
    network = network_of(conn, row.username) if row.has_network else frozenset()
    return Actor(row.username, frozenset(row.roles or ()), queues=frozenset(row.queues or ()),
                 network=network)


def load_actor(bind: Engine | Connection, username: str) -> Actor | None:
    """The ``Actor`` of an active user (roles, queues, network); ``None`` for an unknown or inactive one."""
    with _connection(bind) as conn:
        row = conn.execute(_ACTOR, {"username": username}).first()
        return None if row is None else _actor(conn, row)


# ------------------------------------------------------------------------------------------ tokens
def _token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(engine: Engine, username: str, name: str = "", *, now: datetime | None = None) -> str:
    """A new token for ``username`` (an active user), returned in plain text: it is stored hashed and
    cannot be shown again."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with begin_write(engine) as conn:
        active = conn.execute(select(users.c.active).where(users.c.username == username)).scalar_one_or_none()
        if active is None:
            raise AccountError(f"no existe el usuario «{username}»")
        if is_system_actor_name(username):
            raise AccountError(f"«{username}» es el nombre de un actor del sistema: no puede tener tokens")
        if not active:
            raise AccountError(f"el usuario «{username}» está inactivo")
        conn.execute(api_tokens.insert().values(
            username=username, name=name.strip()[:200], token_hash=_token_hash(plaintext),
            prefix=plaintext[:DISPLAY_PREFIX_LENGTH], created_at=now or datetime.now(UTC)))
    return plaintext


# The token and its user's actor in one query (on every API request).
_TOKEN_ACTOR = (select(api_tokens.c.id.label("token_id"), api_tokens.c.token_hash, api_tokens.c.last_used_at,
                       *_ACTOR_COLUMNS)
                .join_from(api_tokens, users, users.c.username == api_tokens.c.username)
                .where(api_tokens.c.token_hash == bindparam("digest"), api_tokens.c.revoked_at.is_(None)))


def actor_for_token(engine: Engine, plaintext: str, *, now: datetime | None = None) -> Actor | None:
    """The actor a bearer token stands for; ``None`` when the token is unknown or revoked or its user
    is inactive. Records when the token was last used."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    digest = _token_hash(plaintext)
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        row = conn.execute(_TOKEN_ACTOR, {"digest": digest}).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        actor = _actor(conn, row)
    if actor is not None and (row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION):
        with begin_write(engine) as conn:
            conn.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used_at=now))
    return actor


def list_tokens(engine: Engine, username: str | None = None) -> list[ApiToken]:
    stmt = select(api_tokens).order_by(api_tokens.c.id)
    if username is not None:
        stmt = stmt.where(api_tokens.c.username == username)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [ApiToken(id=r["id"], username=r["username"], name=r["name"], prefix=r["prefix"],
                     created_at=r["created_at"], last_used_at=r["last_used_at"], revoked_at=r["revoked_at"])
            for r in rows]


def revoke_token(engine: Engine, token_id: int, *, now: datetime | None = None) -> bool:
    """Revoke the token; ``False`` when no such token exists or it was already revoked."""
    with begin_write(engine) as conn:
        revoked = conn.execute(update(api_tokens)
                               .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                               .values(revoked_at=now or datetime.now(UTC))).rowcount
    return bool(revoked)

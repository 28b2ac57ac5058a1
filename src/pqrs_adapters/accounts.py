"""User accounts: the ``users`` table and passwords hashed with scrypt.

A password is stored as ``scrypt$n$r$p$salt_b64$hash_b64`` (hashlib.scrypt: memory-hard, n=2**14,
r=8, p=1, 16 random bytes of salt, 32 bytes of hash). ``verify_password`` compares in constant time
and reads the parameters from the stored value, so stronger parameters can be adopted later without
invalidating existing hashes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import string
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
from sqlalchemy import select
from sqlalchemy.engine import Engine

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 8
# Parameters accepted when verifying a stored hash (bounds stop a tampered row from exhausting memory).
_MAX_N = 2**20


class AccountError(ValueError):
    """A user cannot be created or updated as asked (message in Spanish)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt_b64$hash_b64`` for ``password`` with a fresh random salt."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"la contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres")
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the stored hash; ``False`` for a missing or malformed hash."""
    if not stored:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not (1 < n <= _MAX_N and n & (n - 1) == 0 and 0 < r <= 32 and 0 < p <= 16 and expected):
        return False
    actual = _scrypt(password, salt, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


def generate_password(length: int = 16) -> str:
    """A random password of letters and digits (easy to copy from a terminal)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


@attrs.frozen
class User:
    username: str
    display_name: str
    email: str | None
    roles: tuple[str, ...]
    active: bool
    created_at: datetime | None
    has_password: bool


def _users_table() -> Any:
    from .sqlalchemy.tables import users

    return users


def _row_to_user(row: Any) -> User:
    return User(username=row.username, display_name=row.display_name or row.username, email=row.email,
                roles=tuple(row.roles or ()), active=bool(row.active), created_at=row.created_at,
                has_password=row.password_hash is not None)


def _check_username(username: str) -> str:
    name = username.strip()
    allowed = set(string.ascii_letters + string.digits + "._-@")
    if not name or len(name) > 100 or not set(name) <= allowed:
        raise AccountError(f"«{username}» no es un nombre de usuario válido (letras, dígitos y . _ - @)")
    return name


def get_user(engine: Engine, username: str) -> User | None:
    users = _users_table()
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    return _row_to_user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    users = _users_table()
    with engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    return [_row_to_user(row) for row in rows]


def display_names(engine: Engine, usernames: Iterable[str]) -> dict[str, str]:
    """``username -> display_name`` for the given users that exist."""
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    users = _users_table()
    with engine.connect() as conn:
        rows = conn.execute(select(users.c.username, users.c.display_name)
                            .where(users.c.username.in_(wanted))).all()
    return {row.username: row.display_name or row.username for row in rows}


def save_user(engine: Engine, username: str, *, display_name: str | None = None, email: str | None = None,
              roles: Sequence[str] | None = None, password: str | None = None,
              active: bool | None = None, now: datetime | None = None) -> bool:
    """Create the user, or update the given fields of an existing one. Returns ``True`` when created.

    ``password`` is hashed before it is stored; ``None`` leaves the stored hash as it is.
    """
    users = _users_table()
    name = _check_username(username)
    values: dict[str, Any] = {}
    if display_name is not None:
        values["display_name"] = display_name.strip() or name
    if email is not None:
        values["email"] = email.strip() or None
    if roles is not None:
        values["roles"] = sorted(set(roles))
    if password is not None:
        values["password_hash"] = hash_password(password)
    if active is not None:
        values["active"] = active
    from .sqlalchemy.engine import begin_write

    with begin_write(engine) as conn:
        exists = conn.execute(select(users.c.username).where(users.c.username == name)).first()
        if exists is None:
            values.setdefault("display_name", name)
            values.setdefault("roles", [])
            values.setdefault("active", True)
            values["created_at"] = now or datetime.now(UTC)
            conn.execute(users.insert().values(username=name, **values))
            return True
        if values:
            conn.execute(users.update().where(users.c.username == name).values(**values))
        return False


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user whose password matches, or ``None`` (a hash is computed either way)."""
    users = _users_table()
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.strip())).first()
    stored = row.password_hash if row is not None else None
    if stored is None:
        # Spend the same time as a real check so that response times do not reveal which users exist.
        verify_password(password, _DUMMY_HASH)
        return None
    if row is None or not verify_password(password, stored) or not row.active:
        return None
    return _row_to_user(row)


_DUMMY_HASH = ("scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$"
               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")

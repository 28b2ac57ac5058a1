"""User accounts behind ``pqrs init`` and ``pqrs demo``: scrypt hashes and the users table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pqrs_adapters.accounts import (
    AccountError,
    authenticate,
    get_user,
    hash_password,
    save_user,
    verify_password,
)
from pqrs_adapters.app import make_engine, migrate
from pqrs_adapters.config import Config


def test_a_password_is_stored_as_salted_scrypt_and_verified() -> None:
    first, second = hash_password("clave-secreta-1"), hash_password("clave-secreta-1")

    assert first.startswith("scrypt$16384$8$1$") and len(first.split("$")) == 6
    assert first != second  # a fresh salt every time
    assert verify_password("clave-secreta-1", first) and verify_password("clave-secreta-1", second)
    assert not verify_password("clave-secreta-2", first)


@pytest.mark.parametrize("stored", [None, "", "plain-text", "scrypt$16384$8$1$no-base64!$AAAA",
                                    "scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA", "bcrypt$x$y$z$a$b"])
def test_a_missing_or_malformed_hash_never_verifies(stored: str | None) -> None:
    assert verify_password("cualquier-clave", stored) is False


def test_a_short_password_is_refused_in_spanish() -> None:
    with pytest.raises(AccountError, match="al menos 8 caracteres"):
        hash_password("corta")


def test_users_are_created_once_and_updated_field_by_field(tmp_path: Path) -> None:
    config = Config.from_env({"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    migrate(config)
    engine = make_engine(config)
    try:
        assert save_user(engine, "lucia.agente", display_name="Lucía", roles=("agent",),
                         password="clave-de-lucia") is True
        assert save_user(engine, "lucia.agente", email="lucia@example.co") is False

        user = get_user(engine, "lucia.agente")
        assert user is not None and user.display_name == "Lucía" and user.roles == ("agent",)
        assert user.email == "lucia@example.co" and user.has_password
        assert authenticate(engine, "lucia.agente", "clave-de-lucia") is not None
        save_user(engine, "lucia.agente", active=False)
        assert authenticate(engine, "lucia.agente", "clave-de-lucia") is None
        assert authenticate(engine, "nadie", "clave-de-lucia") is None
        with pytest.raises(AccountError):
            save_user(engine, "con espacios")
    finally:
        engine.dispose()

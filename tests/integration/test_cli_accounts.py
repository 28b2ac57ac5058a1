"""User accounts behind ``pqrs init``, ``pqrs demo``, ``pqrs user`` and ``pqrs token``: scrypt hashes,
the users table, API tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pqrs_adapters.accounts import (
    AccountError,
    actor_for_token,
    authenticate,
    get_user,
    hash_password,
    load_actor,
    save_user,
    verify_password,
)
from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.wiring import make_engine, migrate
from pqrs_core.domain.values import Actor


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


def _cli(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_users_and_tokens_from_the_command_line(tmp_path: Path) -> None:
    env = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PQRS_FILES_DIR": str(tmp_path / "f")}
    assert _cli(env, "init", "--admin-password", "clave-admin-123").exit_code == 0

    created = _cli(env, "user", "create", "lucia", "--role", "agent", "--role", "back_office",
                   "--queue", "back_office", "--password", "clave-de-lucia", "--display-name", "Lucía")
    assert created.exit_code == 0, created.output
    assert _cli(env, "user", "create", "diana", "--role", "consultant").exit_code == 0
    assert _cli(env, "user", "create", "pedro", "--role", "consultant", "--sponsor", "diana").exit_code == 0
    refused = [(("lucia", "--role", "agent"), "ya existe"), (("x", "--role", "jefe"), "no es un rol"),
               (("x", "--queue", "nada"), "no es una cola"), (("x", "--sponsor", "nadie"), "no existe"),
               (("x", "--password", "corta"), "al menos 8"),
               (("formulario.web", "--role", "agent"), "actor del sistema"),
               (("system", "--password", "clave-de-sistema"), "actor del sistema")]
    for args, message in refused:
        failed = _cli(env, "user", "create", *args)
        assert failed.exit_code == 1 and message in failed.output, (args, failed.output)
    listing = _cli(env, "user", "list").output
    assert "lucia" in listing and "agent, back_office" in listing and "Lucía" in listing
    assert "pedro" in listing and "diana" in listing

    config = Config.from_env(env)
    engine = make_engine(config)
    try:
        assert load_actor(engine, "diana") == Actor("diana", frozenset({"consultant"}),
                                                    network=frozenset({"pedro"}))
        output = _cli(env, "token", "create", "--user", "lucia", "--name", "chatbot").output
        token = output.strip().splitlines()[-1]
        assert "no se vuelve a mostrar" in output
        assert actor_for_token(engine, token) == Actor("lucia", frozenset({"agent", "back_office"}),
                                                       queues=frozenset({"back_office"}))
        tokens = _cli(env, "token", "list", "--user", "lucia").output
        assert "chatbot" in tokens and token[:12] in tokens and token not in tokens and "activo" in tokens
        assert _cli(env, "token", "revoke", "1").exit_code == 0
        assert actor_for_token(engine, token) is None
        assert "revocado" in _cli(env, "token", "list").output
        again = _cli(env, "token", "revoke", "1")
        assert again.exit_code == 1 and "no hay un token activo" in again.output
        missing = _cli(env, "token", "create", "--user", "nadie")
        assert missing.exit_code == 1 and "no existe" in missing.output
    finally:
        engine.dispose()

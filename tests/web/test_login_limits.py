"""Password guessing is throttled on the login and password-change forms: failures per account and
address lead to a wait, then a lock (429 with Retry-After), counted in the database for every worker;
both end with their window, successful logins never count, and other people are not locked out."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from flask import Flask

from pqrs_adapters import accounts
from pqrs_adapters.config import Config, ConfigError, LoginLimits
from pqrs_adapters.flask import create_app
from pqrs_adapters.sqlalchemy.rate_limits import window_start
from pqrs_adapters.wiring import build_pqrs
from pqrs_core.clock import FrozenClock

from .conftest import Site, Visitor

PASSWORD = "clave-de-ana-2026"
WRONG = "no-es-la-clave"
LIMITS = LoginLimits(failures_before_wait=3, wait_minutes=5, failures_before_lock=6, lock_minutes=60,
                     failures_per_address=10)


def _use_clock(app: Flask, clock: FrozenClock, limits: LoginLimits) -> None:
    config: Config = attrs.evolve(app.extensions["pqrs.config"], login=limits)
    app.extensions["pqrs.config"] = config
    app.extensions["pqrs"] = build_pqrs(config, engine=app.extensions["pqrs.engine"], clock=clock, sync=False)


@pytest.fixture()
def clock(site: Site) -> FrozenClock:
    """The application's clock stopped at the start of its present lock window (so that the windows of
    a test do not roll over on their own), with ``LIMITS``."""
    clock = FrozenClock(window_start(site.pqrs.deps.clock.now(), timedelta(minutes=LIMITS.lock_minutes)))
    _use_clock(site.app, clock, LIMITS)
    accounts.save_user(site.engine, "ana", password=PASSWORD)
    accounts.save_user(site.engine, "bruno", password=PASSWORD)
    return clock


def _login(visitor: Visitor, password: str, username: str = "ana") -> int:
    response = visitor.post("/ingresar", {"usuario": username, "contrasena": password})
    return response.status_code


def _retry_after(visitor: Visitor, username: str = "ana") -> int:
    response = visitor.post("/ingresar", {"usuario": username, "contrasena": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 429, page[:500]
    assert "Se hicieron demasiados intentos fallidos. Por seguridad, espere" in page
    assert f'value="{username}"' in page  # the name typed is kept
    assert visitor.get("/bandeja").status_code == 302  # not logged in
    return int(response.headers["Retry-After"])


def test_wrong_passwords_lead_to_a_wait_even_for_the_right_one_then_it_logs_in(
        site: Site, clock: FrozenClock) -> None:
    guesser = site.as_user(None)

    assert [_login(guesser, f"{WRONG}-{i}") for i in range(3)] == [401, 401, 401]

    wait = _retry_after(guesser)
    assert 0 < wait <= 5 * 60
    clock.advance(seconds=wait)
    assert _login(guesser, PASSWORD) == 302


def test_a_wait_becomes_a_lock_that_ends_with_its_window(site: Site, clock: FrozenClock) -> None:
    guesser = site.as_user(None)
    failures = 0
    while failures < LIMITS.failures_before_lock:
        assert _login(guesser, WRONG) == 401
        failures += 1
        if failures % LIMITS.failures_before_wait == 0 and failures < LIMITS.failures_before_lock:
            clock.advance(seconds=_retry_after(guesser))  # each wait is at most a few minutes...

    lock = _retry_after(guesser)
    assert lock > LIMITS.wait_minutes * 60  # ...the lock is longer
    clock.advance(seconds=lock - 1)
    _retry_after(guesser)  # still locked, and trying again did not make the lock longer
    clock.advance(seconds=1)
    assert _login(guesser, PASSWORD) == 302


def test_the_lock_is_shared_by_every_worker(site: Site, clock: FrozenClock) -> None:
    other = create_app(site.app.extensions["pqrs.config"])  # another worker on the same database
    other.config["TESTING"] = True
    _use_clock(other, clock, LIMITS)
    first, second = site.as_user(None), Visitor(other, None)

    statuses = [_login(visitor, WRONG) for visitor in (first, second, first)]

    assert statuses == [401, 401, 401]
    _retry_after(second)
    _retry_after(first)
    other.extensions["pqrs.engine"].dispose()


def test_a_guesser_does_not_lock_out_the_person_nor_others_at_the_same_address(
        site: Site, clock: FrozenClock) -> None:
    guesser = site.as_user(None)
    guesser.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(LIMITS.failures_before_wait):
        _login(guesser, WRONG)
    _retry_after(guesser)

    assert _login(site.as_user(None), PASSWORD) == 302  # ana, from her own address
    colleague = site.as_user(None)
    colleague.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert _login(colleague, PASSWORD, "bruno") == 302  # another account from the guesser's address


def test_successful_logins_never_count(site: Site, clock: FrozenClock) -> None:
    statuses = [_login(site.as_user(None), PASSWORD, username) for _ in range(LIMITS.failures_per_address)
                for username in ("ana", "bruno")]

    assert set(statuses) == {302}


def test_one_address_trying_many_accounts_is_locked(site: Site, clock: FrozenClock) -> None:
    sprayer = site.as_user(None)
    sprayer.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for i in range(LIMITS.failures_per_address):
        assert _login(sprayer, WRONG, f"persona{i}") == 401

    _retry_after(sprayer, "bruno")
    assert _login(site.as_user(None), PASSWORD, "bruno") == 302  # from elsewhere


def test_failed_logins_are_logged_without_the_password(site: Site, clock: FrozenClock,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pqrs_adapters.flask.web.login_limits"):
        _login(site.as_user(None), "mi-clave-secreta-equivocada")

    assert "ana" in caplog.text and "login" in caplog.text
    assert "mi-clave-secreta-equivocada" not in caplog.text


def test_wrong_current_passwords_on_the_password_form_lead_to_a_wait(site: Site, clock: FrozenClock) -> None:
    ana = site.as_user(None)
    assert _login(ana, PASSWORD) == 302
    change = {"nueva": "clave-nueva-de-ana", "confirmacion": "clave-nueva-de-ana"}
    for _ in range(LIMITS.failures_before_wait):
        assert ana.post("/cuenta/contrasena", {"actual": WRONG, **change}).status_code == 422

    refused = ana.post("/cuenta/contrasena", {"actual": PASSWORD, **change})

    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Se hicieron demasiados intentos fallidos" in refused.get_data(as_text=True)
    assert accounts.authenticate(site.engine, "ana", PASSWORD) is not None  # unchanged


def test_the_thresholds_are_settings_with_defaults(tmp_path: Path) -> None:
    base = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    assert Config.from_env(base).login == LoginLimits()
    read = Config.from_env({**base, "PQRS_LOGIN_FAILURES_BEFORE_WAIT": "3", "PQRS_LOGIN_WAIT_MINUTES": "2",
                            "PQRS_LOGIN_FAILURES_BEFORE_LOCK": "9", "PQRS_LOGIN_LOCK_MINUTES": "30",
                            "PQRS_LOGIN_FAILURES_PER_ADDRESS": "40"}).login
    assert read == LoginLimits(failures_before_wait=3, wait_minutes=2, failures_before_lock=9,
                               lock_minutes=30, failures_per_address=40)
    for bad in ({"PQRS_LOGIN_LOCK_MINUTES": "2000"}, {"PQRS_LOGIN_FAILURES_BEFORE_WAIT": "0"},
                {"PQRS_LOGIN_WAIT_MINUTES": "cinco"}):
        with pytest.raises(ConfigError, match="PQRS_LOGIN_"):
            Config.from_env({**base, **bad})

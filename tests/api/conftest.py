"""The HTTP API through Flask's test client, on a real SQLite file and on real PostgreSQL.

Every test that takes ``api`` runs once per database. PostgreSQL is looked for at
``PQRS_TEST_POSTGRES_URL`` (default postgres@127.0.0.1:5432, trust auth): a fresh database for the
session, emptied before each test. When it is unreachable its tests are skipped, except on CI
(``CI=true``), where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.test import TestResponse

from pqrs_adapters import accounts
from pqrs_adapters.accounts import sessions
from pqrs_adapters.config import Config
from pqrs_adapters.flask import create_app
from pqrs_adapters.sqlalchemy import make_engine, upgrade
from pqrs_adapters.sqlalchemy.tables import ALL_TABLES
from pqrs_adapters.wiring import build_pqrs
from pqrs_core.clock import FrozenClock

# username -> (roles, queues, sponsor)
USERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {
    "admin": (("admin",), (), None),
    "ana": (("agent",), ("primer_nivel",), None),
    "bruno": (("back_office",), ("back_office",), None),
    "sofia": (("supervisor",), ("primer_nivel", "back_office"), None),
    "carlos": (("quality",), (), None),
    "diana": (("consultant",), (), None),
    "eva": (("consultant",), (), "diana"),  # in diana's network
    "felipe": (("requester",), (), "eva"),  # below eva, so in diana's network too
    "juan": (("requester",), (), None),
    "pedro": (("requester",), (), None),
}


def open_session(app: Flask, username: str) -> str:
    """The token of a new server-side session of ``username``: what logging in puts in the cookie."""
    return sessions.start_session(app.extensions["pqrs.engine"], username,
                                  now=app.extensions["pqrs"].deps.clock.now(),
                                  idle=app.permanent_session_lifetime)


def freeze_clock(app: Flask, engine: Engine) -> FrozenClock:
    """Give ``app`` a frozen clock (a Monday, 09:00 in Bogotá) that a test may move, and return it."""
    frozen = FrozenClock()
    app.extensions["pqrs"] = build_pqrs(app.extensions["pqrs.config"], engine=engine, clock=frozen,
                                        sync=False)
    return frozen


class Api:
    """A test client that speaks JSON and authenticates as one of ``USERS`` with a bearer token."""

    def __init__(self, app: Flask, tokens: dict[str, str], database: str) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.tokens = tokens
        self.database = database

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.extensions["pqrs.engine"]
        return engine

    def headers(self, user: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return headers

    def request(self, method: str, path: str, user: str | None = "ana", *, json: Any = None,
                headers: dict[str, str] | None = None, **kwargs: Any) -> TestResponse:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return self.client.open(url, method=method, json=json, headers=self.headers(user, headers), **kwargs)

    def get(self, path: str, user: str | None = "ana", **kwargs: Any) -> TestResponse:
        return self.request("GET", path, user, **kwargs)

    def post(self, path: str, user: str | None = "ana", **kwargs: Any) -> TestResponse:
        return self.request("POST", path, user, **kwargs)

    def patch(self, path: str, user: str | None = "ana", **kwargs: Any) -> TestResponse:
        return self.request("PATCH", path, user, **kwargs)

    def put(self, path: str, user: str | None = "ana", **kwargs: Any) -> TestResponse:
        return self.request("PUT", path, user, **kwargs)

    def file(self, user: str = "ana", **fields: Any) -> dict[str, Any]:
        """File a case (201 expected) and return its JSON."""
        body = {"kind": "peticion", "subject": "Solicitud de certificado",
                "description": "Necesito un certificado de paz y salvo.", **fields}
        response = self.post("cases", user, json=body)
        assert response.status_code == 201, response.get_json()
        data: dict[str, Any] = response.get_json()
        return data


def assert_problem(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """``response`` is a problem+json of ``status`` whose type ends in ``code``; returns its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["type"] == f"https://pqrs.dev/problems/{code}", body
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


# --------------------------------------------------------------------------------- databases
def _database_url(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if name == "sqlite":
        url = f"sqlite:///{tmp_path / 'data' / 'pqrs.sqlite3'}"
        (tmp_path / "data").mkdir()
        upgrade(url)
        return url
    url: str = request.getfixturevalue("api_postgres_url")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in ALL_TABLES)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return url


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=DATABASES)
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    url = _database_url(request.param, request, tmp_path)
    config = Config(database_url=url, files_dir=tmp_path / "files", secret_key="test-secret")
    app = create_app(config)
    app.config["TESTING"] = True
    engine: Engine = app.extensions["pqrs.engine"]
    tokens: dict[str, str] = {}
    for username, (roles, queues, sponsor) in USERS.items():
        accounts.save_user(engine, username, roles=roles, queues=queues, sponsor=sponsor)
        tokens[username] = accounts.create_token(engine, username, "tests")
    yield Api(app, tokens, request.param)
    engine.dispose()

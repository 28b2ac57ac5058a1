"""The web pages through Flask's test client, on a real SQLite file: quick checks of what a page shows
and what a form does. The browser tests in ``tests/e2e`` cover the same pages in Chromium.

``site.as_user("ana")`` gives a ``Visitor`` logged in as one of ``tests.api.conftest.USERS``; its
``post`` adds the page's CSRF token to every form it sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from werkzeug.test import TestResponse

from api.conftest import (  # tests/ is on sys.path: its packages import by name
    USERS,
    freeze_clock,
    open_session,
)
from pqrs_adapters import accounts
from pqrs_adapters.config import Config
from pqrs_adapters.flask import create_app
from pqrs_adapters.sqlalchemy import upgrade
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester
from pqrs_core.services.messagebus import Pqrs

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class Visitor:
    """A browser-like client: one cookie jar, forms posted with the session's CSRF token."""

    def __init__(self, app: Flask, username: str | None) -> None:
        self.client: FlaskClient = app.test_client()
        self.username = username
        if username is not None:
            with self.client.session_transaction() as session:
                session["_user_id"] = open_session(app, username)
        self._token: str | None = None

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def page(self, path: str, status: int = 200) -> str:
        """The HTML of ``path``, asserting its status."""
        response = self.client.get(path)
        assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:2000])
        return response.get_data(as_text=True)

    def csrf_token(self) -> str:
        if self._token is None:
            found = CSRF.search(self.client.get("/ingresar").get_data(as_text=True))
            assert found is not None
            self._token = found.group(1)
        return self._token

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
             **kwargs: Any) -> TestResponse:
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf_token())
        response = self.client.post(path, data=form, **kwargs)
        if path.startswith("/ingresar"):
            self._token = None  # logging in starts a new session, with a CSRF token of its own
        return response


class Site:
    def __init__(self, app: Flask) -> None:
        self.app = app

    @property
    def pqrs(self) -> Pqrs:
        pqrs: Pqrs = self.app.extensions["pqrs"]
        return pqrs

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.extensions["pqrs.engine"]
        return engine

    def now(self) -> datetime:
        """The application's clock."""
        return self.pqrs.deps.clock.now()

    def days_ago(self, days: int) -> datetime:
        return self.now() - timedelta(days=days)

    def today(self) -> date:
        """The organisation's date now: what the pages call "today" (not UTC's date)."""
        return self.now().astimezone(ZoneInfo(self.pqrs.deps.settings.timezone)).date()

    def as_user(self, username: str | None) -> Visitor:
        return Visitor(self.app, username)

    def actor(self, username: str) -> Any:
        actor = accounts.load_actor(self.engine, username)
        assert actor is not None
        return actor

    def file(self, username: str = "ana", **fields: Any) -> Case:
        """File a case through the use case (as ``username``) and return it."""
        values: dict[str, Any] = {"kind": "peticion", "subject": "Solicitud de certificado",
                                  "description": "Necesito un certificado de paz y salvo.",
                                  "channel": "phone",
                                  "requester": Requester(full_name="Marta Gómez", document_type="CC",
                                                         document_number="43123456",
                                                         email="marta@example.com"),
                                  **fields}
        case: Case = self.pqrs.handle(c.FileCase(**values), self.actor(username))
        return case


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    yield from serve_site(tmp_path)


def serve_site(tmp_path: Path, **settings: Any) -> Iterator[Site]:
    """A site on a new SQLite file under ``tmp_path`` with the test users; ``settings`` are given to
    its ``Config`` (e.g. ``letters=LetterSettings(approval=True)``)."""
    url = f"sqlite:///{tmp_path / 'pqrs.sqlite3'}"
    upgrade(url)
    config = Config(database_url=url, files_dir=tmp_path / "files", secret_key="test-secret", **settings)
    app = create_app(config)
    app.config["TESTING"] = True
    engine: Engine = app.extensions["pqrs.engine"]
    for username, (roles, queues, sponsor) in USERS.items():
        accounts.save_user(engine, username, roles=roles, queues=queues, sponsor=sponsor,
                           email=f"{username}@example.com")
    yield Site(app)
    engine.dispose()


@pytest.fixture()
def clock(site: Site) -> FrozenClock:
    return freeze_clock(site.app, site.engine)

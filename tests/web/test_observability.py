"""What an operator watches: request ids, JSON request lines, /metrics behind its token, and the
liveness and readiness checks."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import attrs
import pytest
from flask import Flask

from pqrs_adapters.config import Config
from pqrs_adapters.flask import create_app
from pqrs_adapters.logs import RequestIdFilter, formatter
from pqrs_adapters.sqlalchemy.store_metrics import beat
from pqrs_adapters.sqlalchemy.tables import outbox

from .conftest import Site, Visitor
from .test_filing import NEW, open_form

TOKEN = "token-de-metricas-123"
PHONE_CALL = {"kind": "peticion", "subject": "Certificado", "description": "Necesito un certificado.",
              "requester.full_name": "Marta Gómez", "requester.email": "marta@example.com"}


@pytest.fixture
def watched(site: Site) -> Iterator[Flask]:
    """Another application on the site's database, with metrics on and JSON request lines."""
    config = attrs.evolve(site.app.extensions["pqrs.config"], metrics_token=TOKEN, log_format="json")
    app = create_app(config)
    app.config["TESTING"] = True
    yield app
    app.extensions["pqrs.engine"].dispose()


def test_every_response_carries_a_request_id_kept_from_a_proxy_when_it_is_a_plain_token(site: Site) -> None:
    client = site.app.test_client()
    made = client.get("/health").headers["X-Request-Id"]
    assert len(made) == 32 and made != client.get("/health").headers["X-Request-Id"]
    assert client.get("/health", headers={"X-Request-Id": "nginx-7f3a.91"}).headers["X-Request-Id"] == \
        "nginx-7f3a.91"
    forged = client.get("/health", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"]
    assert forged != "<script>" and len(forged) == 32


def test_requests_are_logged_as_json_lines_with_their_id_and_without_the_query(watched: Flask) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("pqrs.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = watched.test_client().get("/consultar?documento=43123456",
                                             headers={"X-Request-Id": "abc-123"})
    finally:
        logger.removeHandler(handler)
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == "abc-123" == response.headers["X-Request-Id"]
    assert (line["method"], line["path"], line["status"], line["endpoint"]) == (
        "GET", "/consultar", response.status_code, "public.lookup")
    assert line["level"] == "INFO" and line["logger"] == "pqrs.requests" and line["duration_ms"] >= 0
    assert "43123456" not in stream.getvalue()


def test_the_request_id_reaches_the_outbox(site: Site) -> None:
    visitor = site.as_user("ana")
    visitor.client.environ_base["HTTP_X_REQUEST_ID"] = "radicacion-42"
    response = visitor.post(NEW, {**open_form(visitor), **PHONE_CALL})
    assert response.status_code == 303
    with site.engine.connect() as conn:
        contexts = [row.context for row in conn.execute(outbox.select())]
    assert contexts and all(context["_request_id"] == "radicacion-42" for context in contexts)


def test_metrics_need_their_token_and_report_requests_filings_the_outbox_alarms_and_workers(
        site: Site, watched: Flask) -> None:
    client = watched.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer otro"}).status_code == 401
    assert site.app.test_client().get("/metrics",
                                      headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404

    agent = Visitor(watched, "ana")
    assert agent.post(NEW, {**open_form(agent), **PHONE_CALL}).status_code == 303
    now = site.now()
    beat(site.engine, "servidor-1:4242", now - timedelta(seconds=45), started_at=now - timedelta(hours=2))
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert re.search(r'pqrs_http_request_duration_seconds_count\{endpoint="[a-z_.]+",method="POST",'
                     r'status="303"\} [1-9]', body), body
    assert 'pqrs_cases_filed_total{channel="phone"}' in body
    pending = next(line for line in body.splitlines() if line.startswith("pqrs_outbox_pending "))
    assert float(pending.split()[1]) >= 1
    assert "pqrs_outbox_oldest_pending_age_seconds " in body and "pqrs_alarms_due " in body
    age = next(line for line in body.splitlines()
               if line.startswith('pqrs_worker_heartbeat_age_seconds{worker="servidor-1:4242"}'))
    assert 44 <= float(age.split()[1]) <= 3600
    assert 'pqrs_info{version="' in body


def test_liveness_answers_without_the_database_and_readiness_checks_it(site: Site, tmp_path: object) -> None:
    broken = Config(database_url="postgresql+psycopg://nadie@127.0.0.1:1/nada", files_dir=site.app.extensions[
        "pqrs.config"].files_dir, secret_key="x")
    app = create_app(broken)
    client = app.test_client()
    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code == 503
    assert client.get("/health").get_json()["database"] == "unreachable"
    assert site.app.test_client().get("/health/ready").get_json() == {"status": "ok", "database": "ok",
                                                                      "files": "ok"}
    app.extensions["pqrs.engine"].dispose()

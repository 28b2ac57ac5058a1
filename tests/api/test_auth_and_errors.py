"""Authentication (bearer tokens, web sessions) and the shape of every error."""

from __future__ import annotations

import logging
import re

import pytest

from pqrs_adapters import accounts

from .conftest import Api, assert_problem, open_session


def test_without_credentials_the_api_answers_401_with_a_bearer_challenge(api: Api) -> None:
    for path in ("cases", "catalog", "reports/summary", "cases/PQRS-2026-000001"):
        response = api.get(path, None)
        assert_problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(api.post("cases", None, json={}), 401, "unauthorized")


def test_unknown_malformed_and_revoked_tokens_are_401(api: Api) -> None:
    for header in ("Bearer pqrs_nada", "Bearer", "Basic YWRtaW46YWRtaW4=", "Bearer " + "x" * 10_000,
                   "Bearer pqrs_\u00f1"):
        assert_problem(api.get("cases", None, headers={"Authorization": header}), 401, "unauthorized")
    token = accounts.create_token(api.engine, "juan", "temporal")
    assert api.get("cases", None, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = accounts.list_tokens(api.engine, "juan")[-1].id
    assert accounts.revoke_token(api.engine, token_id)
    assert_problem(api.get("cases", None, headers={"Authorization": f"Bearer {token}"}), 401, "unauthorized")


def test_an_inactive_users_tokens_stop_working(api: Api) -> None:
    accounts.save_user(api.engine, "pedro", active=False)
    assert_problem(api.get("cases", "pedro"), 401, "unauthorized")


def test_a_web_session_reads_and_with_its_csrf_token_writes(api: Api) -> None:
    client = api.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = open_session(api.app, "ana")
    assert client.get("/api/v1/cases").status_code == 200
    page = client.get("/ingresar").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert token is not None
    body = {"kind": "queja", "subject": "Desde la web", "description": "Con sesión"}
    assert_problem(client.post("/api/v1/cases", json=body), 403, "csrf")
    assert_problem(client.post("/api/v1/cases", json=body, headers={"X-CSRF-Token": "otro"}), 403, "csrf")
    response = client.post("/api/v1/cases", json=body, headers={"X-CSRF-Token": token.group(1)})
    assert response.status_code == 201
    assert response.get_json()["filed_by"] == "ana"


def test_a_session_of_an_unknown_user_is_not_authenticated(api: Api) -> None:
    client = api.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "nadie"
    assert_problem(client.get("/api/v1/cases"), 401, "unauthorized")


def test_unknown_paths_and_methods_under_the_api_are_problems(api: Api) -> None:
    assert_problem(api.get("no-existe"), 404, "not-found")
    assert_problem(api.get("/api/v2/cases"), 404, "not-found")
    response = api.request("DELETE", "cases")
    assert_problem(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]
    # Outside the API, pages keep their HTML errors.
    page = api.get("/no-existe", None)
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_request_larger_than_any_attachment_is_413(api: Api) -> None:
    n = api.file()["filing_number"]
    limit = api.app.config["MAX_CONTENT_LENGTH"]
    response = api.post(f"cases/{n}/notes", data=b"x" * (limit + 1), content_type="application/json")
    assert_problem(response, 413, "payload-too-large")


def test_problems_carry_a_stable_type_a_spanish_detail_and_field_errors(api: Api) -> None:
    response = api.post("cases", json={"kind": "peticion"})
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == {"subject": "es obligatorio", "description": "es obligatorio"}
    assert body["detail"].startswith("Revise los campos")
    assert set(body) == {"type", "title", "status", "detail", "errors"}


_BROKEN_INSERT = {
    "sqlite": ("CREATE TRIGGER broken_insert BEFORE INSERT ON cases "
               "BEGIN SELECT RAISE(ABORT, 'disco dañado'); END", "DROP TRIGGER broken_insert"),
    "postgres": ("CREATE FUNCTION broken_insert() RETURNS trigger LANGUAGE plpgsql AS "
                 "$$ BEGIN RAISE EXCEPTION 'disco dañado'; END $$; "
                 "CREATE TRIGGER broken_insert BEFORE INSERT ON cases FOR EACH ROW "
                 "EXECUTE FUNCTION broken_insert()",
                 "DROP TRIGGER broken_insert ON cases; DROP FUNCTION broken_insert()"),
}


def test_a_database_error_is_logged_without_the_personal_data_it_was_writing(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    create, drop = _BROKEN_INSERT[api.database]
    with api.engine.begin() as conn:
        conn.exec_driver_sql(create)
    try:
        with caplog.at_level(logging.INFO):
            response = api.post("cases", json={
                "kind": "peticion", "subject": "Certificado", "description": "Necesito un certificado.",
                "requester": {"full_name": "Marta Gómez", "document_type": "CC",
                              "document_number": "43123456", "email": "marta@example.com"}})
    finally:
        with api.engine.begin() as conn:
            conn.exec_driver_sql(drop)

    assert_problem(response, 503, "service-unavailable")
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "database error" in logged
    for personal in ("Marta", "43123456", "marta@example.com"):
        assert personal not in logged

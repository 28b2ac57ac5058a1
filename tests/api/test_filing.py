"""POST /cases: filing with every field, validation problems, content types, body limits and
Idempotency-Key."""

from __future__ import annotations

import threading

import pytest

from .conftest import Api, assert_problem

FULL_CASE = {
    "kind": "reclamo",
    "subject": "Pedido incompleto de la factura FV-1001",
    "description": "Llegaron 8 de las 10 cajas facturadas.",
    "requester": {"kind": "person", "full_name": "María Pérez", "document_type": "CC",
                  "document_number": "52123456", "address": "Calle 10 # 5-20, Bogotá",
                  "email": "maria@example.com", "phone": "+57 300 123 4567"},
    "channel": "phone",
    "reason": "PEDIDO_INCOMPLETO",
    "typification": "RECLAMO_PRODUCTO_FACTURADO_Y_NO_ENVIADO",
    "important": True,
    "urgent": False,
    "queue": "back_office",
    "non_crm_contact": "Llamar después de las 3 p. m.",
    "references": [{"kind": "invoice", "number": "FV-1001"}, {"kind": "order", "number": "PED-77"}],
    "custom_fields": {},
    "received_at": "2026-01-15T09:30:00-05:00",
    "received_by": "ana",
    "verbal": True,
    "missing_information": ["copia de la factura"],
}


def test_filing_a_case_with_every_field_returns_it_with_its_location_and_version(api: Api) -> None:
    response = api.post("cases", json=FULL_CASE)

    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert response.headers["Location"] == f"/api/v1/cases/{case['filing_number']}"
    assert response.headers["ETag"] == f'"{case["version"]}"'
    assert case["filing_number"].startswith("PQRS-")
    assert (case["state"], case["state_category"], case["version"]) == ("filed", "todo", 1)
    deadlines = case["deadlines"]  # from the legal presets plugin, installed with the project
    assert (deadlines["policy"], deadlines["term"]) == ("co_peticion_general", "15 días hábiles")
    # Received Thursday 15 January 2026 (09:30 in Bogotá): day 1 is Friday 16; 15 business days end
    # Thursday 5 February, at midnight in Bogotá.
    assert deadlines["resolution_due"].startswith("2026-02-06T04:59:59")
    assert deadlines["status"] in {"on_time", "at_risk", "overdue"} and deadlines["extended_by"] == 0
    assert case["priority"] == "alta"  # important and not urgent (Eisenhower)
    assert case["requester"]["full_name"] == "María Pérez"
    assert case["references"] == FULL_CASE["references"]
    assert case["received_at"].startswith("2026-01-15T14:30:00")  # stored in UTC
    assert case["verbal"] is True and case["received_by"] == "ana"
    assert case["typification"]["code"] == FULL_CASE["typification"]
    assert case["typification"]["path"][0] == "Operaciones"
    assert "copia de la factura" in case["missing_information"]
    assert "start" in case["allowed_transitions"]
    again = api.get(response.headers["Location"])
    assert again.status_code == 200 and again.get_json() == case


def test_a_case_resolved_at_first_contact_is_filed_closed(api: Api) -> None:
    case = api.file(resolved_at_first_contact=True, solution="Se envió el certificado por correo.")
    assert (case["state"], case["state_category"]) == ("closed", "done")
    assert case["first_contact_resolution"] is True


def test_invalid_fields_are_a_422_problem_naming_each_field(api: Api) -> None:
    response = api.post("cases", json={"kind": "inventado", "subject": "", "description": "x" * 20_001,
                                       "requester": {"email": "no-es-correo", "document_number": "12"},
                                       "received_at": "2026-01-15T09:30:00"})
    body = assert_problem(response, 422, "validation-error")
    assert set(body["errors"]) >= {"subject", "description", "received_at"}
    assert "zona horaria" in body["errors"]["received_at"]

    # Domain validation (catalog codes, formats) is reported the same way.
    response = api.post("cases", json={"kind": "inventado", "subject": "Asunto", "description": "Texto",
                                       "requester": {"email": "no-es-correo"}, "channel": "paloma"})
    body = assert_problem(response, 422, "validation-error")
    assert set(body["errors"]) == {"kind", "channel", "requester.email"}
    assert "no es un valor válido" in body["errors"]["kind"]


def test_unknown_fields_are_rejected_not_ignored(api: Api) -> None:
    response = api.post("cases", json={"kind": "peticion", "subject": "a", "description": "b",
                                       "estado": "closed", "requester": {"nombre": "x"}})
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == {"estado": "no es un campo conocido",
                              "requester.nombre": "no es un campo conocido"}


def test_wrong_types_and_non_objects_are_422(api: Api) -> None:
    body = assert_problem(api.post("cases", json=["kind"]), 422, "validation-error")
    assert body["errors"] == {"_schema": "debe ser un objeto JSON"}
    body = assert_problem(api.post("cases", json={"kind": 1, "subject": "a", "description": "b",
                                                  "verbal": "tal vez", "references": {"a": 1}}),
                          422, "validation-error")
    assert set(body["errors"]) == {"kind", "verbal", "references"}


def test_malformed_json_is_400_and_other_content_types_are_415(api: Api) -> None:
    assert_problem(api.post("cases", data="{not json", content_type="application/json"), 400,
                   "malformed-json")
    assert_problem(api.post("cases", data="NaN", content_type="application/json"), 400, "malformed-json")
    assert_problem(api.post("cases", data="[" * 100_000, content_type="application/json"), 400,
                   "malformed-json")
    assert_problem(api.post("cases", data="kind=peticion", content_type="application/x-www-form-urlencoded"),
                   415, "unsupported-media-type")
    assert_problem(api.post("cases"), 415, "unsupported-media-type")


def test_bodies_over_the_json_limit_are_413(api: Api) -> None:
    huge = {"kind": "peticion", "subject": "a", "description": "x" * (2 * 1024 * 1024)}
    assert_problem(api.post("cases", json=huge), 413, "payload-too-large")


def test_the_same_idempotency_key_and_body_return_the_same_case(api: Api) -> None:
    body = {"kind": "queja", "subject": "Mala atención", "description": "En la sede norte."}
    headers = {"Idempotency-Key": "chatbot-123"}
    first = api.post("cases", json=body, headers=headers)
    assert first.status_code == 201
    # Same body with other key order and spacing: same request.
    second = api.post("cases", data='{ "description": "En la sede norte.", "subject": "Mala atención",'
                                     ' "kind": "queja" }', content_type="application/json", headers=headers)
    assert second.status_code == 201
    assert second.get_data() == first.get_data()
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["ETag"] == first.headers["ETag"] == '"1"'
    listed = api.get("cases", "admin").get_json()["items"]
    assert len(listed) == 1

    # Another user's key is another key.
    other = api.post("cases", "sofia", json=body, headers=headers)
    assert other.status_code == 201
    assert other.get_json()["filing_number"] != first.get_json()["filing_number"]


def test_twenty_simultaneous_requests_with_one_key_file_one_case_and_get_its_response(api: Api) -> None:
    body = {"kind": "queja", "subject": "Cobro doble", "description": "Me cobraron dos veces la factura."}
    headers = api.headers("ana", {"Idempotency-Key": "reintento-simultaneo"})
    barrier = threading.Barrier(20)
    responses: list[tuple[int, bytes, str | None]] = []

    def send() -> None:
        client = api.app.test_client()  # one client (one connection) per request, as retries would be
        barrier.wait()
        response = client.post("/api/v1/cases", json=body, headers=headers)
        responses.append((response.status_code, response.get_data(), response.headers.get("Location")))

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _, _ in responses] == [201] * 20
    assert len({(data, location) for _, data, location in responses}) == 1
    assert len(api.get("cases", "admin").get_json()["items"]) == 1


def test_a_retry_while_the_first_request_is_still_at_work_gets_409(api: Api) -> None:
    from pqrs_adapters.sqlalchemy import idempotency as stored_keys

    body = {"kind": "queja", "subject": "a", "description": "b"}
    first = api.post("cases", json=body, headers={"Idempotency-Key": "lento"})
    assert first.status_code == 201
    # The same request under another key, claimed by a request that has not finished: the retry waits,
    # then is told to come back (the same body and path have the same request hash).
    earlier = stored_keys.lookup(api.engine, "lento", "ana")
    assert earlier is not None
    assert stored_keys.claim(api.engine, "en-curso", "ana", earlier.request_hash) is True
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pqrs_adapters.flask.api.idempotency.WAIT_FOR_TWIN", 0.2)
        response = api.post("cases", json=body, headers={"Idempotency-Key": "en-curso"})
    assert_problem(response, 409, "idempotency-key-in-use")
    assert len(api.get("cases", "admin").get_json()["items"]) == 1


def test_an_idempotency_key_reused_with_another_body_is_422(api: Api) -> None:
    headers = {"Idempotency-Key": "form-42"}
    assert api.post("cases", json={"kind": "queja", "subject": "a", "description": "b"},
                    headers=headers).status_code == 201
    other = {"kind": "queja", "subject": "otro", "description": "b"}
    response = api.post("cases", json=other, headers=headers)
    assert_problem(response, 422, "idempotency-key-reused")
    assert len(api.get("cases", "admin").get_json()["items"]) == 1


def test_invalid_idempotency_keys_are_400(api: Api) -> None:
    body = {"kind": "queja", "subject": "a", "description": "b"}
    for key in ("", "x" * 256, "ñandú"):
        response = api.post("cases", json=body, headers={"Idempotency-Key": key})
        assert_problem(response, 400, "invalid-header")


def test_a_failed_filing_is_not_remembered_under_its_key(api: Api) -> None:
    headers = {"Idempotency-Key": "retry-me"}
    assert api.post("cases", json={"kind": "queja", "subject": "a"}, headers=headers).status_code == 422
    assert api.post("cases", json={"kind": "queja", "subject": "a", "description": "b"},
                    headers=headers).status_code == 201


# --- what a filing may contain, by who files it ---------------------------------------------------
FORGED_RECEPTION = {"received_at": "2019-03-04T09:00:00-05:00", "received_by": "Gerente general",
                    "verbal": True, "channel": "phone", "priority": "bloqueante"}


def test_a_customer_or_consultant_cannot_forge_how_their_case_was_received(api: Api) -> None:
    for user in ("juan", "diana"):
        response = api.post("cases", user, json={
            "kind": "peticion", "subject": "Certificado", "description": "Necesito un certificado.",
            **FORGED_RECEPTION})

        body = assert_problem(response, 422, "validation-error")
        assert set(body["errors"]) == set(FORGED_RECEPTION)
        assert "equipo de servicio" in body["errors"]["received_at"]
        assert "api" in body["errors"]["channel"]
    assert api.get("cases", "admin").get_json()["items"] == []


def test_a_case_filed_over_the_api_by_a_customer_or_consultant_has_the_api_channel(api: Api) -> None:
    for user in ("juan", "diana"):
        case = api.file(user)

        assert case["channel"] == "api"
        assert case["received_at"] == case["filed_at"] and case["received_by"] is None
        assert case["priority"] is None and case["verbal"] is False
        # The term runs from the filing itself: the case is not born overdue.
        assert case["deadlines"]["status"] == "on_time"


def test_staff_registering_a_case_keep_its_channel_or_get_the_api_one(api: Api) -> None:
    assert api.file("ana", channel="phone", verbal=True)["channel"] == "phone"
    assert api.file("ana")["channel"] == "api"


# --- the Ley 1581 consent -----------------------------------------------------------------------------
NOTICE_DIGEST = "a" * 64


def test_the_consent_a_client_collected_is_kept_and_returned(api: Api) -> None:
    consent = {"given_at": "2026-03-04T09:15:00-05:00", "notice_version": "2026-03",
               "notice_digest": NOTICE_DIGEST}
    case = api.file(consent=consent)
    assert case["consent"] == {"given_at": "2026-03-04T14:15:00+00:00", "notice_version": "2026-03",
                               "notice_digest": NOTICE_DIGEST, "channel": "api"}
    again = api.get(f"cases/{case['filing_number']}").get_json()
    assert again["consent"] == case["consent"]

    by_chat = api.file("admin", channel="chat", consent={**consent, "channel": "chat"})
    assert by_chat["consent"]["channel"] == "chat"
    assert api.file()["consent"] is None


def test_a_consent_without_its_proof_is_refused_naming_the_field(api: Api) -> None:
    body = {"kind": "peticion", "subject": "Certificado", "description": "Necesito un certificado."}
    cases = [({"notice_version": "2026-03", "notice_digest": NOTICE_DIGEST}, "consent.given_at"),
             ({"given_at": "2026-03-04T09:15:00", "notice_version": "2026-03",
               "notice_digest": NOTICE_DIGEST}, "consent.given_at"),
             ({"given_at": "2026-03-04T09:15:00-05:00", "notice_version": "2026-03", "notice_digest": "abc"},
              "consent.notice_digest"),
             ({"given_at": "2026-03-04T09:15:00-05:00", "notice_digest": NOTICE_DIGEST},
              "consent.notice_version"),
             ({"given_at": "2026-03-04T09:15:00-05:00", "notice_version": "2026-03",
               "notice_digest": NOTICE_DIGEST, "channel": "paloma"}, "consent.channel"),
             ({"given_at": "2999-03-04T09:15:00-05:00", "notice_version": "2026-03",
               "notice_digest": NOTICE_DIGEST}, "consent.given_at")]
    for consent, field in cases:
        response = api.post("cases", json={**body, "consent": consent})
        problem = assert_problem(response, 422, "validation-error")
        assert field in problem["errors"], (consent, problem)
    assert api.get("cases", "admin").get_json()["items"] == []

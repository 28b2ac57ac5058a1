"""The actions on a case, each with its role checks, and optimistic concurrency (If-Match / version)."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'
    data: dict[str, Any] = response.get_json()
    return data


def test_a_case_goes_from_filing_to_answer_and_back(api: Api) -> None:
    n = api.file("juan", requester={"full_name": "Juan", "user": "juan"})["filing_number"]
    url = f"cases/{n}"
    case = _ok(api.post(f"{url}/assignment", "sofia", json={"assignee": "bruno", "queue": "back_office"}))
    assert (case["assignee"], case["queue"], case["state"]) == ("bruno", "back_office", "assigned")
    case = _ok(api.post(f"{url}/typification", "bruno", json={"typification": "DERECHO_DE_PETICION"}))
    assert case["typification"]["path"] == ["Legales", "Derecho de petición"]
    case = _ok(api.post(f"{url}/transitions", "bruno", json={"transition": "start"}))
    assert case["state"] == "in_progress"
    case = _ok(api.post(f"{url}/notes", "bruno", json={"text": "Revisar cartera", "public": False}))
    case = _ok(api.post(f"{url}/notes", "bruno", json={"text": "Estamos revisando", "public": True}))
    case = _ok(api.post(f"{url}/information-requests", "bruno",
                        json={"message": "Envíe la factura", "missing": ["factura"]}))
    assert case["state_category"] == "waiting"
    case = _ok(api.post(f"{url}/requester-replies", "juan", json={"message": "Adjunto la factura"}))
    assert case["state"] == "in_progress"
    case = _ok(api.post(f"{url}/responses", "bruno", json={"text": "Se emitió la nota crédito."}))
    assert case["state"] == "responded" and case["solution"] == "Se emitió la nota crédito."
    case = _ok(api.post(f"{url}/transitions", "bruno", json={"transition": "close"}))
    assert case["state"] == "closed" and case["closed_at"]
    # A counter-response within the window reopens the case.
    case = _ok(api.post(f"{url}/requester-replies", "juan", json={"message": "No llegó la nota"}))
    assert case["state"] == "in_progress"
    _ok(api.post(f"{url}/responses", "bruno", json={"text": "Reenviada.", "close": True}))
    assert_problem(api.post(f"{url}/reopen", "juan", json={"reason": "Otra vez"}), 403, "forbidden")
    case = _ok(api.post(f"{url}/reopen", "bruno", json={"reason": "El cliente llamó: falta una parte"}))
    assert case["state"] == "in_progress"
    case = _ok(api.post(f"{url}/returns", "bruno", json={"reason": "La tipificación no corresponde"}))
    assert case["state"] == "returned"

    history = api.get(f"{url}/history", "bruno").get_json()["items"]
    types = [e["type"] for e in history]
    assert types[0] == "CaseFiled" and "CaseReturnedForRetypification" in types
    assert all({"type", "actor", "occurred_at", "data"} == set(e) for e in history)
    filed = history[0]
    assert filed["actor"] == "juan" and filed["data"]["filing_number"] == n
    notes = [e["data"]["text"] for e in history if e["type"] == "NoteAdded"]
    assert notes == ["Revisar cartera", "Estamos revisando"]

    # The requester does not read the internal work log.
    mine = api.get(f"{url}/history", "juan").get_json()["items"]
    assert [e["data"]["text"] for e in mine if e["type"] == "NoteAdded"] == ["Estamos revisando"]


def test_responding_with_close_closes_the_case(api: Api) -> None:
    n = api.file()["filing_number"]
    _ok(api.post(f"cases/{n}/transitions", json={"transition": "start"}))
    body = {"text": "Listo", "solution": "Se envió", "close": True}
    case = _ok(api.post(f"cases/{n}/responses", json=body))
    assert case["state"] == "closed" and case["solution"] == "Se envió"


def test_an_impossible_transition_is_409_with_the_allowed_ones(api: Api) -> None:
    n = api.file()["filing_number"]
    body = assert_problem(api.post(f"cases/{n}/transitions", json={"transition": "resubmit"}), 409,
                          "invalid-transition")
    assert "start" in body["allowed"] and body["state"] == "filed"
    assert_problem(api.post(f"cases/{n}/transitions", json={"transition": "respond"}), 409,
                   "invalid-operation")


def test_roles_that_may_not_act_get_403(api: Api) -> None:
    n = api.file("juan")["filing_number"]
    assert_problem(api.post(f"cases/{n}/responses", "juan", json={"text": "Me respondo"}), 403, "forbidden")
    assert_problem(api.post(f"cases/{n}/assignment", "ana", json={"assignee": "bruno"}), 403, "forbidden")
    assert_problem(api.post(f"cases/{n}/transitions", "carlos", json={"transition": "start"}), 403,
                   "forbidden")
    assert_problem(api.patch(f"cases/{n}", "juan", json={"subject": "Otro"}), 403, "forbidden")
    # Back office may not fire the supervisor's "assign" transition path; an agent may take the case.
    case = _ok(api.post(f"cases/{n}/assignment", "ana", json={"assignee": "ana"}))
    assert case["assignee"] == "ana"
    # Only back office and supervisors return cases for re-typification.
    _ok(api.post(f"cases/{n}/transitions", "ana", json={"transition": "start"}))
    body = assert_problem(api.post(f"cases/{n}/returns", "ana", json={"reason": "x"}), 403,
                          "transition-not-permitted")
    assert body["transition"] == "return_for_retypification"


def test_a_consultant_cannot_counter_respond_for_a_customer_of_her_network(api: Api) -> None:
    n = api.file("ana", requester={"full_name": "Felipe Mora", "user": "felipe"})["filing_number"]
    _ok(api.post(f"cases/{n}/transitions", "ana", json={"transition": "start"}))
    answered = _ok(api.post(f"cases/{n}/responses", "ana", json={"text": "Listo.", "close": True}))
    assert api.get(f"cases/{n}", "diana").status_code == 200  # felipe is in diana's network

    body = assert_problem(api.post(f"cases/{n}/requester-replies", "diana",
                                   json={"message": "No está de acuerdo"}), 403, "forbidden")

    assert "Solo el peticionario (Felipe Mora)" in body["detail"]
    case = api.get(f"cases/{n}", "ana").get_json()
    assert (case["state"], case["version"]) == ("closed", answered["version"])
    reply = api.post(f"cases/{n}/requester-replies", "felipe", json={"message": "No estoy de acuerdo"})
    assert _ok(reply)["state"] == "in_progress"


def test_acting_on_a_case_one_cannot_see_is_404(api: Api) -> None:
    n = api.file("pedro")["filing_number"]
    assert_problem(api.post(f"cases/{n}/requester-replies", "juan", json={"message": "hola"}), 404,
                   "not-found")
    assert_problem(api.post("cases/PQRS-2026-999999/notes", json={"text": "x"}), 404, "not-found")


def test_a_stale_version_is_409_and_changes_nothing(api: Api) -> None:
    n = api.file()["filing_number"]
    etag = api.get(f"cases/{n}").headers["ETag"]
    _ok(api.post(f"cases/{n}/notes", "bruno", json={"text": "Primero"}, headers={"If-Match": etag}))
    body = assert_problem(api.post(f"cases/{n}/notes", "ana", json={"text": "Segundo"},
                                   headers={"If-Match": etag}), 409, "version-conflict")
    assert (body["expected_version"], body["current_version"]) == (1, 2)
    assert_problem(api.patch(f"cases/{n}", json={"subject": "Nuevo", "version": 1}), 409, "version-conflict")
    case = _ok(api.patch(f"cases/{n}", json={"subject": "Nuevo", "version": 2}))
    assert case["subject"] == "Nuevo" and case["version"] == 3
    _ok(api.post(f"cases/{n}/notes", json={"text": "Sin versión"}))
    _ok(api.post(f"cases/{n}/notes", json={"text": "Cualquiera"}, headers={"If-Match": "*"}))
    _ok(api.post(f"cases/{n}/notes", json={"text": "Débil"}, headers={"If-Match": 'W/"5"'}))


def test_if_match_must_be_a_version_and_agree_with_the_body(api: Api) -> None:
    n = api.file()["filing_number"]
    assert_problem(api.post(f"cases/{n}/notes", json={"text": "x"}, headers={"If-Match": "abc"}), 400,
                   "invalid-header")
    assert_problem(api.post(f"cases/{n}/notes", json={"text": "x", "version": 2},
                            headers={"If-Match": '"1"'}), 409, "version-conflict")
    body = assert_problem(api.post(f"cases/{n}/notes", json={"text": "x", "version": 0}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"version"}


def test_patch_changes_the_editable_fields(api: Api) -> None:
    n = api.file()["filing_number"]
    case = _ok(api.patch(f"cases/{n}", json={
        "subject": "Asunto corregido", "channel": "email", "priority": "media",
        "requester": {"full_name": "Ana María", "email": "ana@example.com"},
        "references": [{"kind": "purchase_order", "number": "OC-9"}], "verbal": True,
        "missing_information": ["cédula"]}))
    assert case["subject"] == "Asunto corregido" and case["channel"] == "email"
    assert case["requester"]["full_name"] == "Ana María" and case["requester"]["kind"] == "person"
    assert case["references"] == [{"kind": "purchase_order", "number": "OC-9"}]
    changed = [e["data"]["field"] for e in api.get(f"cases/{n}/history").get_json()["items"]
               if e["type"] == "FieldChanged"]
    assert set(changed) == {"subject", "channel", "priority", "requester", "references", "verbal",
                            "missing_information"}


def test_patch_rejects_fields_that_are_not_editable(api: Api) -> None:
    n = api.file()["filing_number"]
    body = assert_problem(api.patch(f"cases/{n}", json={"state": "closed", "assignee": "x"}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"state", "assignee"}
    assert _ok(api.patch(f"cases/{n}", json={}))["version"] == 1  # nothing to change
    body = assert_problem(api.patch(f"cases/{n}", json={"kind": "inventado", "subject": None}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"subject"}
    body = assert_problem(api.patch(f"cases/{n}", json={"kind": "inventado"}), 422, "validation-error")
    assert set(body["errors"]) == {"kind"}


def test_action_bodies_are_validated(api: Api) -> None:
    n = api.file()["filing_number"]
    for path, body, fields in [
        ("transitions", {}, {"transition"}),
        ("assignment", {"queue": "x"}, {"assignee"}),
        ("notes", {"text": ""}, {"text"}),
        ("notes", {"text": "a", "publica": True}, {"publica"}),
        ("responses", {"text": "x" * 20_001}, {"text"}),
        ("typification", {"typification": "NO_EXISTE"}, {"typification"}),
        ("information-requests", {"message": "m", "missing": "factura"}, {"missing"}),
        ("requester-replies", {"message": None}, {"message"}),
        ("reopen", {}, {"reason"}),
        ("returns", {"reason": 5}, {"reason"}),
    ]:
        problem = assert_problem(api.post(f"cases/{n}/{path}", "sofia", json=body), 422, "validation-error")
        assert set(problem["errors"]) == fields, (path, problem)

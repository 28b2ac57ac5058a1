"""The term of a case over HTTP: deadlines in the case, the extension, incomplete petitions
(Ley 1755 art. 17), transfers (art. 21) and the explanation of the deadline."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def test_a_case_carries_its_deadlines_and_can_be_extended_once(api: Api) -> None:
    case = api.file("ana", kind="peticion")
    n, deadlines = case["filing_number"], case["deadlines"]
    assert deadlines["policy"] == "co_peticion_general" and deadlines["status"] in {"on_time", "at_risk"}
    url = f"cases/{n}"
    _ok(api.post(f"{url}/assignment", "sofia", json={"assignee": "bruno"}))
    assert_problem(api.post(f"{url}/extensions", "juan", json={"reason": "Por favor"}), 403, "forbidden")
    assert_problem(api.post(f"{url}/extensions", "bruno", json={"reason": "x", "extra": 16}), 422,
                   "validation-error")
    extended = _ok(api.post(f"{url}/extensions", "bruno", json={"reason": "Se consulta al proveedor"}))
    assert extended["deadlines"]["extended_by"] == 15
    assert extended["deadlines"]["resolution_due"] > deadlines["resolution_due"]
    assert_problem(api.post(f"{url}/extensions", "bruno", json={"reason": "Otra vez"}), 409,
                   "invalid-operation")
    lines = _ok(api.get(f"{url}/term", "bruno"))["lines"]
    assert any("prórroga de 15" in line for line in lines) and lines[-1].startswith("Estado del término")


def test_an_incomplete_petition_waits_for_the_requester_and_restarts_its_term(api: Api) -> None:
    n = api.file("juan", kind="peticion", requester={"full_name": "Juan", "user": "juan"})["filing_number"]
    url = f"cases/{n}"
    _ok(api.post(f"{url}/assignment", "sofia", json={"assignee": "bruno"}))
    asked = _ok(api.post(f"{url}/completion-requests", "bruno",
                         json={"message": "Falta la copia de la factura", "missing": ["factura"]}))
    assert asked["state_category"] == "waiting" and asked["deadlines"]["status"] == "paused"
    assert asked["deadlines"]["completion_due"]
    extended = _ok(api.post(f"{url}/completion-extensions", "juan", json={}))
    assert extended["deadlines"]["completion_due"] > asked["deadlines"]["completion_due"]
    assert_problem(api.post(f"{url}/withdrawal", "bruno", json={"reason": "No completó"}), 409,
                   "invalid-operation")
    completed = _ok(api.post(f"{url}/requester-replies", "juan", json={"message": "Adjunto la factura"}))
    assert completed["state"] == "in_progress" and completed["deadlines"]["completion_due"] is None
    assert completed["missing_information"] == []


def test_a_transfer_closes_the_case_and_names_the_competent_entity(api: Api) -> None:
    n = api.file("ana", kind="queja")["filing_number"]
    body = {"entity": "Superintendencia de Servicios Públicos", "reason": "Es de su competencia"}
    moved = _ok(api.post(f"cases/{n}/transfer", "ana", json=body))
    assert moved["state"] == "transferred" and moved["state_category"] == "done"
    assert moved["solution"].startswith("Trasladado a Superintendencia de Servicios Públicos")
    assert_problem(api.post(f"cases/{n}/transfer", "ana", json={"entity": "", "reason": "x"}), 422,
                   "validation-error")


def test_staff_suspend_a_utility_term_for_evidence_and_end_it(api: Api) -> None:
    n = api.file("ana", kind="reclamo", typification="SERVICIOS_PUBLICOS")["filing_number"]
    url = f"cases/{n}/term-suspension"
    refused = api.post(url, "bruno", json={"cause": "vacaciones", "reason": "x"})
    assert_problem(refused, 422, "validation-error")
    assert "cause" in str(refused.get_json())
    suspended = _ok(api.post(url, "bruno", json={"cause": "practica_pruebas", "reason": "Visita al medidor"}))
    assert suspended["deadlines"]["status"] == "paused"
    assert_problem(api.post(url, "bruno", json={"cause": "demora_usuario", "reason": "Otra"}), 409,
                   "invalid-operation")
    resumed = _ok(api.post(f"{url}/end", "bruno", json={}))
    assert resumed["deadlines"]["status"] != "paused"
    lines = _ok(api.get(f"cases/{n}/term", "bruno"))["lines"]
    assert any("suspendido por práctica de pruebas: Visita al medidor" in line for line in lines)


def test_a_general_petition_term_is_not_suspended(api: Api) -> None:
    n = api.file("ana", kind="peticion")["filing_number"]
    refused = api.post(f"cases/{n}/term-suspension", "bruno",
                       json={"cause": "practica_pruebas", "reason": "Pruebas"})
    assert_problem(refused, 422, "validation-error")
    assert "cause" in str(refused.get_json())

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


def test_a_tutela_waits_for_the_judges_notices_and_takes_the_judges_terms(api: Api) -> None:
    n = api.file("ana", kind="tutela")["filing_number"]
    url = f"cases/{n}"
    assert api.get(url, "bruno").get_json()["deadlines"] is None  # nothing runs from filing
    lines = _ok(api.get(f"{url}/term", "bruno"))["lines"]
    assert any("notificación del auto admisorio" in line for line in lines)

    refused = assert_problem(api.post(f"{url}/tutela/admission-notice", "bruno", json={"days": 4}), 422,
                             "validation-error")
    assert set(refused["errors"]) == {"days"}
    assert_problem(api.post(f"{url}/tutela/admission-notice", "bruno", json={}), 422, "validation-error")
    # Notified Wednesday 1 April 2026 at 14:30; Holy Thursday and Good Friday are holidays, so day 1 is
    # Monday 6 April and day 2 Tuesday 7 April 2026 (midnight in Bogotá is 04:59:59 UTC on the 8th).
    admitted = _ok(api.post(f"{url}/tutela/admission-notice", "bruno",
                            json={"days": 2, "notified_at": "2026-04-01T14:30:00-05:00"}))
    assert admitted["deadlines"]["policy"] == "co_tutela"
    assert admitted["deadlines"]["term"] == "2 días hábiles"
    assert admitted["deadlines"]["resolution_due"].startswith("2026-04-08T04:59:59")
    no_extension = assert_problem(api.post(f"{url}/extensions", "bruno", json={"reason": "Pruebas"}), 422,
                                  "validation-error")
    assert "improrrogables" in no_extension["errors"]["extra"]

    # 24 clock hours from Friday 10 April 2026 at 16:00 (Bogotá) → Saturday 11 April 16:00 = 21:00 UTC.
    ruled = _ok(api.post(f"{url}/tutela/ruling-notice", "bruno",
                         json={"hours": 24, "notified_at": "2026-04-10T16:00:00-05:00"}))
    assert ruled["deadlines"]["term"] == "24 horas"
    assert ruled["deadlines"]["resolution_due"].startswith("2026-04-11T21:00:00")
    refused = assert_problem(api.post(f"{url}/tutela/ruling-notice", "bruno", json={"hours": 72}), 422,
                             "validation-error")
    assert set(refused["errors"]) == {"hours"}


def test_a_judges_notice_on_another_kind_of_case_is_refused(api: Api) -> None:
    n = api.file("ana", kind="peticion")["filing_number"]
    assert_problem(api.post(f"cases/{n}/tutela/admission-notice", "bruno", json={"days": 2}), 409,
                   "invalid-operation")


def test_a_missed_documents_request_shows_the_term_for_the_copies(api: Api) -> None:
    # Received Friday 20 March 2026: San José Monday 23, day 1 Tuesday 24, Holy Thursday and Good Friday
    # skipped, day 10 Wednesday 8 April; long past by the application's clock, so the request is deemed
    # granted and the copies are due 9 10 13 → Monday 13 April 2026 (04:59:59 UTC on the 14th).
    case = api.file("ana", kind="solicitud_documentos", received_at="2026-03-20T10:00:00-05:00")
    deadlines = case["deadlines"]
    assert deadlines["resolution_due"].startswith("2026-04-09T04:59:59")
    assert deadlines["status"] == "overdue"
    assert deadlines["deemed_granted_due"].startswith("2026-04-14T04:59:59")
    lines = _ok(api.get(f"cases/{case['filing_number']}/term", "ana"))["lines"]
    assert any("se entiende aceptada" in line and "13/04/2026" in line for line in lines)
    assert api.file("ana", kind="peticion")["deadlines"]["deemed_granted_due"] is None


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

"""Numbers from elsewhere and numbers sent out, through the API: a document another system filed first
is registered with that system's number (once per system: a repeat is a 422 naming the field), and
both it and a response's outgoing number find the case in ``GET /cases?q=``."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem

EXTERNAL = {"kind": "peticion", "subject": "Oficio remitido por la Alcaldía",
            "description": "Solicitud de información sobre el contrato 12.", "channel": "physical_document",
            "external_source": "Orfeo", "external_number": "20265600012341"}


def _numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [case["filing_number"] for case in response.get_json()["items"]]


def test_a_document_filed_by_another_system_keeps_its_number_once_per_system(api: Api) -> None:
    response = api.post("cases", json=EXTERNAL)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert (case["external_source"], case["external_number"]) == ("Orfeo", "20265600012341")
    assert _numbers(api.get("cases?q=20265600012341")) == [case["filing_number"]]

    repeated = assert_problem(api.post("cases", json=EXTERNAL), 422, "validation-error")
    assert list(repeated["errors"]) == ["external_number"]
    assert case["filing_number"] in repeated["errors"]["external_number"]
    # The same number from another system is another document.
    other = api.post("cases", json={**EXTERNAL, "external_source": "Gestor documental SGDEA"})
    assert other.status_code == 201, other.get_json()

    half = assert_problem(api.post("cases", json={**EXTERNAL, "external_source": None}), 422,
                          "validation-error")
    assert list(half["errors"]) == ["external_source"]


def test_a_search_by_a_responses_outgoing_number_finds_the_case(api: Api) -> None:
    case = api.file()
    number = case["filing_number"]
    assert api.post(f"cases/{number}/transitions", "sofia",
                    json={"transition": "start", "version": case["version"]}).status_code in (200, 201)
    current = api.get(f"cases/{number}").get_json()
    answered = api.post(f"cases/{number}/responses", "sofia",
                        json={"text": "Adjuntamos el certificado.", "version": current["version"]})
    assert answered.status_code in (200, 201), answered.get_json()
    history = api.get(f"cases/{number}/history").get_json()
    [sent] = [e["data"]["outgoing_number"] for e in history["items"] if e["type"] == "CaseResponded"]
    assert sent and _numbers(api.get(f"cases?q={sent}")) == [number]


def test_a_requester_may_not_register_another_systems_number(api: Api) -> None:
    case = api.post("cases", json=EXTERNAL).get_json()
    mine = {key: value for key, value in EXTERNAL.items() if key != "channel"}
    refused = assert_problem(api.post("cases", "juan", json=mine), 422, "validation-error")
    assert set(refused["errors"]) == {"external_source", "external_number"}
    assert case["filing_number"] not in refused["detail"] + str(refused["errors"])
    assert _numbers(api.get("cases?q=20265600012341")) == [case["filing_number"]]

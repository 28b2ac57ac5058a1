"""Custom fields through the API: an administrator creates and edits them under ``/catalog/fields``,
cases are filed and edited with them, listings filter on them (``cf.<code>=value``), and a field
required before a transition stops it with a 422 naming the field."""

from __future__ import annotations

from .conftest import Api, assert_problem

METER = {"code": "medidor", "label": "Número de medidor", "type": "text", "pattern": "M-[0-9]+",
         "pattern_message": "debe ser M- seguido de dígitos", "required_for_transitions": ["start"]}
ZONES = {"code": "zonas", "label": "Zonas", "type": "multi_choice", "choices": ["norte", "sur"],
         "choice_labels": {"norte": "Zona norte"}, "public": True}


def test_an_administrator_creates_a_field_that_cases_are_filed_and_filtered_with(api: Api) -> None:
    response = api.post("catalog/fields", "admin", json=ZONES)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {
        **ZONES, "required": False, "max_length": 500, "kinds": [], "active": True, "pattern": "",
        "pattern_message": "", "minimum": None, "maximum": None, "typifications": [],
        "required_for_transitions": [], "help": ""}
    amount = {"code": "monto", "label": "Monto", "type": "decimal", "minimum": 0, "maximum": "5000"}
    assert api.post("catalog/fields", "admin", json=amount).status_code == 201
    listed = {f["code"]: f for f in api.get("catalog", "juan").get_json()["fields"]}
    assert listed["monto"]["maximum"] == "5000" and listed["zonas"]["choices"] == ["norte", "sur"]

    a = api.file(custom_fields={"zonas": ["sur", "norte"], "monto": 120})["filing_number"]
    b = api.file(custom_fields={"zonas": ["sur"]})["filing_number"]
    body = assert_problem(api.post("cases", json={"kind": "peticion", "subject": "s", "description": "d",
                                                  "custom_fields": {"monto": 9000}}), 422, "validation-error")
    assert body["errors"] == {"custom_fields.monto": "debe estar entre 0 y 5000"}

    def listed_numbers(query: str) -> list[str]:
        response = api.get(f"cases?{query}")
        assert response.status_code == 200, response.get_json()
        return sorted(c["filing_number"] for c in response.get_json()["items"])

    assert listed_numbers("cf.zonas=sur") == sorted([a, b])
    assert listed_numbers("cf.zonas=NORTE") == [a]
    assert listed_numbers("cf.monto=120.0&cf.zonas=sur") == [a]
    body = assert_problem(api.get("cases?cf.nada=1"), 400, "invalid-query")
    assert body["errors"] == {"cf.nada": "no es un campo adicional del catálogo"}
    body = assert_problem(api.get("cases?cf.zonas=a%00b"), 400, "invalid-query")
    assert body["errors"] == {"cf.zonas": "contiene caracteres no permitidos"}

    # Renaming an option keeps its code: the cases keep their value.
    relabel = {"choice_labels": {"norte": "Norte de la ciudad"}}
    response = api.patch("catalog/fields/zonas", "admin", json=relabel)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["choice_labels"] == {"norte": "Norte de la ciudad"}
    assert api.get(f"cases/{a}").get_json()["custom_fields"]["zonas"] == ["norte", "sur"]


def test_field_definitions_are_validated_as_problems_naming_the_part(api: Api) -> None:
    body = assert_problem(api.post("catalog/fields", "admin", json={
        "code": "lista", "label": "Lista", "type": "choice"}), 422, "validation-error")
    assert set(body["errors"]) == {"choices"}
    body = assert_problem(api.post("catalog/fields", "admin", json={
        "code": "texto", "label": "Texto", "type": "text", "pattern": "[a-"}), 422, "validation-error")
    assert set(body["errors"]) == {"pattern"}
    body = assert_problem(api.post("catalog/fields", "admin", json={
        "code": "texto", "label": "Texto", "type": "color"}), 422, "validation-error")
    assert set(body["errors"]) == {"type"}
    assert api.post("catalog/fields", "admin", json=METER).status_code == 201
    assert_problem(api.post("catalog/fields", "admin", json=METER), 409, "duplicate")
    assert_problem(api.post("catalog/fields", "ana", json=ZONES), 403, "forbidden")
    assert_problem(api.patch("catalog/fields/nada", "admin", json={"label": "X"}), 404, "not-found")
    body = assert_problem(api.patch("catalog/fields/medidor", "admin", json={"minimum": 3}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"minimum"}


def test_a_field_required_before_a_transition_is_a_422_naming_it(api: Api) -> None:
    assert api.post("catalog/fields", "admin", json=METER).status_code == 201
    n = api.file()["filing_number"]
    body = assert_problem(api.post(f"cases/{n}/transitions", json={"transition": "start"}), 422,
                          "validation-error")
    assert body["errors"] == {"custom_fields.medidor": "es obligatorio antes de «Iniciar gestión»"}
    body = assert_problem(api.patch(f"cases/{n}", json={"custom_fields": {"medidor": "X1"}}), 422,
                          "validation-error")
    assert body["errors"] == {"custom_fields.medidor": "debe ser M- seguido de dígitos"}
    assert api.patch(f"cases/{n}", json={"custom_fields": {"medidor": "M-12"}}).status_code == 200
    response = api.post(f"cases/{n}/transitions", json={"transition": "start"})
    assert response.status_code == 200, response.get_json()
    # Deactivated, it binds no longer.
    assert api.patch("catalog/fields/medidor", "admin", json={"active": False}).get_json()["active"] is False


def test_a_requester_sees_only_the_public_fields_of_the_case_and_its_history(api: Api) -> None:
    amount = {"code": "monto", "label": "Monto", "type": "decimal"}
    for field in (ZONES, amount):
        assert api.post("catalog/fields", "admin", json=field).status_code == 201
    n = api.file("juan", custom_fields={"zonas": ["norte"]})["filing_number"]
    response = api.patch(f"cases/{n}", json={"custom_fields": {"monto": 120}})
    assert response.status_code == 200, response.get_json()
    response = api.patch(f"cases/{n}", json={"custom_fields": {"zonas": ["sur"], "monto": 80}})
    assert response.status_code == 200, response.get_json()

    assert set(api.get(f"cases/{n}").get_json()["custom_fields"]) == {"zonas", "monto"}
    assert api.get(f"cases/{n}", "juan").get_json()["custom_fields"] == {"zonas": ["sur"]}

    def field_changes(user: str) -> list[tuple[object, object]]:
        items = api.get(f"cases/{n}/history", user).get_json()["items"]
        return [(e["data"]["before"], e["data"]["after"]) for e in items
                if e["type"] == "FieldChanged" and e["data"]["field"] == "custom_fields"]

    assert len(field_changes("ana")) == 2
    assert field_changes("juan") == [({"zonas": ["norte"]}, {"zonas": ["sur"]})]

"""The workflow editor and term policies through the API (administrators only), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from pqrs_adapters import accounts
from pqrs_core.domain.catalog import FieldDefinition

from .conftest import Api, assert_problem

REVIEW = {"code": "en_revision", "label": "En revisión", "category": "doing",
          "entry": {"name": "revisar", "label": "Revisar", "sources": ["filed"]}}


def _define_field(api: Api) -> None:
    admin = accounts.load_actor(api.app.extensions["pqrs.engine"], "admin")
    assert admin is not None
    api.app.extensions["pqrs"].catalog_admin.put_field(FieldDefinition("lote", "Lote"), admin)


def _move(api: Api, case: dict[str, Any], transition: str, user: str = "bruno") -> Any:
    return api.post(f"cases/{case['filing_number']}/transitions", user, json={"transition": transition})


def test_an_administrator_builds_a_workflow_and_binds_a_kind(api: Api) -> None:
    _define_field(api)
    new = {"code": "x", "label": "X", "copy_of": "generic"}
    assert_problem(api.post("catalog/workflows", "ana", json=new), 403, "forbidden")
    response = api.post("catalog/workflows", "admin", json={"code": "garantias", "label": "Garantías",
                                                              "copy_of": "generic"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"] == 1 and response.get_json()["kinds"] == []

    response = api.post("catalog/workflows/garantias/states", "admin", json=REVIEW)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"] == 2
    response = api.post("catalog/workflows/garantias/transitions", "admin", json={
        "name": "aprobar", "label": "Aprobar", "sources": ["en_revision"], "target": "in_progress",
        "roles": ["back_office"], "required_fields": ["lote"]})
    assert response.status_code == 201, response.get_json()
    approve = next(t for t in response.get_json()["transitions"] if t["name"] == "aprobar")
    assert approve["required_fields"] == ["lote"] and approve["roles"] == ["back_office"]
    response = api.put("catalog/workflows/garantias/kinds", "admin", json={"kinds": ["reclamo"]})
    assert response.status_code == 200 and response.get_json()["kinds"] == ["reclamo"]

    case = api.file(kind="reclamo")
    assert (case["workflow"], case["workflow_version"]) == ("garantias", 3)
    assert _move(api, case, "revisar").status_code == 200
    body = assert_problem(_move(api, case, "aprobar"), 422, "validation-error")
    assert body["errors"] == {"custom_fields.lote": "es obligatorio antes de «Aprobar»"}
    filled = api.file(kind="reclamo", custom_fields={"lote": "L-1"})
    _move(api, filled, "revisar")
    assert _move(api, filled, "aprobar").get_json()["state"] == "in_progress"


def test_a_state_or_transition_that_does_not_fit_is_refused_naming_the_field(api: Api) -> None:
    orphan = {**REVIEW, "entry": {"name": "revisar", "label": "Revisar", "sources": ["nada"]}}
    body = assert_problem(api.post("catalog/workflows/generic/states", "admin", json=orphan), 422,
                          "validation-error")
    assert body["errors"] == {"transition.sources": "«nada» no es un estado del flujo"}
    body = assert_problem(api.post("catalog/workflows/generic/transitions", "admin", json={
        "name": "x", "label": "X", "sources": ["filed"], "target": "closed", "required_fields": ["nada"]}),
        422, "validation-error")
    assert body["errors"] == {"transitions.x.required_fields": "campos personalizados desconocidos: nada"}
    assert_problem(api.post("catalog/workflows/no_existe/transitions", "admin", json={
        "name": "x", "label": "X", "sources": ["filed"], "target": "closed"}), 404, "not-found")
    body = assert_problem(api.put("catalog/workflows/generic/kinds", "admin", json={"kinds": ["nada"]}),
                          422, "validation-error")
    assert body["errors"] == {"kinds": "tipos de caso desconocidos: nada"}


def test_a_term_policy_put_through_the_api_sets_new_cases_deadlines(api: Api) -> None:
    policy = {"label": "Quejas por API", "kinds": ["queja"], "channels": ["api"], "amount": 2,
              "unit": "business_days", "extension_allowed": False}
    response = api.put("catalog/term-policies/quejas_api", "admin", json=policy)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["extension_allowed"] is False
    case = api.file(kind="queja", channel="api")
    assert (case["deadlines"]["policy"], case["deadlines"]["term"]) == ("quejas_api", "2 días hábiles")
    body = assert_problem(api.put("catalog/term-policies/otra", "admin", json=policy), 422,
                          "validation-error")
    assert set(body["errors"]) == {"scope"}
    body = assert_problem(api.put("catalog/term-policies/otra", "admin", json={**policy, "amount": 0}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"amount"}

"""GET /openapi.json: a complete OpenAPI 3 document, generated from the schemas and the routes."""

from __future__ import annotations

import re
from typing import Any

from .conftest import Api

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _document(api: Api) -> dict[str, Any]:
    response = api.get("openapi.json", None)  # public: no credentials needed
    assert response.status_code == 200 and response.mimetype == "application/json"
    document: dict[str, Any] = response.get_json()
    return document


def test_every_route_of_the_api_is_documented(api: Api) -> None:
    document = _document(api)
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "/api/v1"}]
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    routed = set()
    for rule in api.app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routed |= {(m, path) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert documented == routed
    assert len(routed) >= 25


def test_operations_document_parameters_bodies_and_problems(api: Api) -> None:
    document = _document(api)
    file_case = document["paths"]["/cases"]["post"]
    assert file_case["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FileCase"}
    assert {p["name"] for p in file_case["parameters"]} == {"Idempotency-Key"}
    assert set(file_case["responses"]) >= {"201", "400", "401", "403", "413", "415", "422"}
    assert file_case["responses"]["201"]["headers"].keys() == {"Location", "ETag"}
    for status in ("400", "401", "422"):
        assert file_case["responses"][status]["content"]["application/problem+json"]["schema"] == PROBLEM_REF

    listing = document["paths"]["/cases"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names == {"state", "state_category", "kind", "typification", "priority", "queue", "assignee",
                     "channel", "requester_document", "filed_from", "filed_to", "due_from", "due_to", "q",
                     "tag", "lot", "product", "sort", "limit", "cursor", "include_voided"}
    state = next(p for p in listing["parameters"] if p["name"] == "state")
    assert state["schema"]["type"] == "array" and state["explode"] is True

    transition = document["paths"]["/cases/{number}/transitions"]["post"]
    assert {p["name"] for p in transition["parameters"]} == {"number", "If-Match"}
    assert set(transition["responses"]) >= {"200", "404", "409", "422"}

    upload = document["paths"]["/cases/{number}/attachments"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert set(upload["responses"]) >= {"201", "413", "415"}

    entry = document["paths"]["/catalog/{list_name}/{code}"]["put"]
    list_name = next(p for p in entry["parameters"] if p["name"] == "list_name")
    assert list_name["schema"]["enum"] == ["channels", "document_types", "kinds", "reasons", "root_causes",
                                           "tags"]


def test_schemas_reject_unknown_fields_and_carry_the_domain_limits(api: Api) -> None:
    schemas = _document(api)["components"]["schemas"]
    file_case = schemas["FileCase"]
    assert file_case["additionalProperties"] is False
    assert set(file_case["required"]) == {"kind", "subject", "description"}
    assert file_case["properties"]["subject"]["maxLength"] == 250
    assert file_case["properties"]["description"]["maxLength"] == 20_000
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail"}
    assert "allowed_transitions" in schemas["Case"]["required"]


def test_the_bearer_scheme_secures_every_operation_but_the_document(api: Api) -> None:
    document = _document(api)
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "Token creado con «pqrs token create»"}
    assert {"bearer": []} in document["security"]
    assert document["paths"]["/openapi.json"]["get"]["security"] == []
    for path, item in document["paths"].items():
        for operation in item.values():
            if path != "/openapi.json":
                assert "401" in operation["responses"], (path, operation["operationId"])


def test_tags_are_ascii_identifiers_with_their_spanish_names_in_the_descriptions(api: Api) -> None:
    # Client generators make module names of the tags (openapi-python-client: api/<tag>/): accents there
    # give modules like «api.catálogo».
    document = _document(api)
    tags = {tag["name"]: tag for tag in document["tags"]}
    used = {tag for item in document["paths"].values() for operation in item.values()
            for tag in operation["tags"]}
    assert used == set(tags)
    for name, tag in tags.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        assert tag["description"] and tag["x-displayName"], name
    assert tags["catalog"]["x-displayName"] == "Catálogo"
    assert tags["terms"]["x-displayName"] == "Términos"
    assert "vencimiento" in tags["terms"]["description"]
    assert document["paths"]["/cases"]["post"]["tags"] == ["cases"]
    assert document["paths"]["/catalog"]["get"]["tags"] == ["catalog"]
    assert document["paths"]["/cases/{number}/term"]["get"]["tags"] == ["terms"]

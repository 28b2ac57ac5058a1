"""``/api/v1/rules``: administrators manage the routing rules (create, read with versions, change,
switch, dry run); bad rules are problem+json naming the field; a filed case follows the rules and its
tags are listed, filtered and changed through the API."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem

COBRO_DOBLE: dict[str, Any] = {
    "name": "Cobro doble", "trigger": "filed", "enabled": True,
    "conditions": [{"field": "kind", "operator": "is", "value": "reclamo"},
                   {"field": "subject", "operator": "contains", "value": "cobro doble"}],
    "actions": [{"kind": "set_queue", "value": "back_office"}, {"kind": "set_priority", "value": "alta"},
                {"kind": "add_tag", "value": "Facturación"}],
}


def test_an_administrator_creates_a_rule_and_a_filing_follows_it(api: Api) -> None:
    response = api.post("rules", "admin", json=COBRO_DOBLE)
    assert response.status_code == 201, response.get_json()
    rule = response.get_json()
    assert rule["code"] == "COBRO_DOBLE" and rule["version"] == 1 and rule["enabled"] is True
    assert rule["sentence"].startswith("Cuando se radica un caso, si el tipo es Reclamo y el asunto contiene")
    assert response.headers["Location"].endswith("/api/v1/rules/COBRO_DOBLE")
    case = api.file(kind="reclamo", subject="Me cobraron doble: COBRO DOBLE")
    assert (case["queue"], case["priority"], case["tags"]) == ("back_office", "alta", ["Facturación"])
    history = api.get(f"cases/{case['filing_number']}/history", "admin").get_json()
    assert any("Cobro doble" in str(item) for item in history["items"])

    changed = api.put("rules/COBRO_DOBLE", "admin", json={**COBRO_DOBLE, "stop": True}).get_json()
    assert changed["version"] == 2 and [v["version"] for v in changed["versions"]] == [2, 1]
    off = api.put("rules/COBRO_DOBLE/enabled", "admin", json={"enabled": False}).get_json()
    assert off["enabled"] is False and off["version"] == 2
    assert [r["code"] for r in api.get("rules", "admin").get_json()["items"]] == ["COBRO_DOBLE"]


def test_a_dry_run_says_what_a_rule_would_do_without_storing_anything(api: Api) -> None:
    case = api.file(kind="reclamo", subject="Cobro doble en la factura")
    api.file(subject="Otra cosa")
    response = api.post("rules/dry-run", "admin", json={**COBRO_DOBLE, "limit": 10})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["matched"] == 1
    hit = next(c for c in body["cases"] if c["matched"])
    assert hit["filing_number"] == case["filing_number"]
    assert "cola: primer_nivel → back_office" in hit["changes"]
    assert api.get("rules", "admin").get_json()["items"] == []


def test_bad_rules_are_problems_naming_the_field(api: Api) -> None:
    bad = {**COBRO_DOBLE, "conditions": [{"field": "kind", "operator": "is", "value": "nada"}]}
    body = assert_problem(api.post("rules", "admin", json=bad), 422, "validation-error")
    assert "conditions.0.value" in body["errors"]
    body = assert_problem(api.post("rules", "admin", json={**COBRO_DOBLE, "trigger": "nunca"}), 422,
                          "validation-error")
    assert "trigger" in body["errors"]
    body = assert_problem(api.post("rules", "admin", json={**COBRO_DOBLE, "actions": []}), 422,
                          "validation-error")
    assert "actions" in body["errors"]
    assert_problem(api.post("rules", "ana", json=COBRO_DOBLE), 403, "forbidden")
    assert_problem(api.get("rules/NO_EXISTE", "admin"), 404, "not-found")


def test_tags_are_set_listed_and_filtered(api: Api) -> None:
    case = api.file()
    other = api.file(subject="Otra")
    number = case["filing_number"]
    response = api.post(f"cases/{number}/tags", "ana", json={"add": ["VIP", "Urgente"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["tags"] == ["VIP", "Urgente"]
    listed = api.get("cases?tag=vip", "ana").get_json()["items"]
    assert [c["filing_number"] for c in listed] == [number]
    assert other["filing_number"] not in str(api.get("cases?tag=vip&tag=urgente", "ana").get_json())
    body = assert_problem(api.post(f"cases/{number}/tags", "ana", json={"add": [""]}), 422,
                          "validation-error")
    assert "add.0" in body["errors"] or "tags.0" in body["errors"]

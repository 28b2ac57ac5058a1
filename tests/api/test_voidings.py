"""Voidings over HTTP: an administrator asks, a supervisor approves (a numbered record) or rejects; the
requester may not decide (403 naming «actor»); a voided case leaves ``GET /cases`` unless an auditor
asks for ``include_voided``; every refusal is problem+json."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def _listed(api: Api, user: str, query: str = "") -> list[str]:
    return [c["filing_number"] for c in _ok(api.get(f"cases{query}", user))["items"]]


def test_a_voiding_asked_approved_and_left_out_of_the_lists(api: Api) -> None:
    gone = api.file("ana", subject="Duplicado")["filing_number"]
    kept = api.file("ana", subject="Original")["filing_number"]

    assert_problem(api.post("voidings", "sofia", json={"target": gone, "reason": "x"}), 403, "forbidden")
    blank = assert_problem(api.post("voidings", "admin", json={"target": gone}), 422, "validation-error")
    assert "reason" in blank["errors"]
    unknown = assert_problem(api.post("voidings", "admin", json={"target": gone, "reason": "x",
                                                                 "target_kind": "factura"}),
                             422, "validation-error")
    assert "target_kind" in unknown["errors"]
    assert_problem(api.post("voidings", "admin", json={"target": "PQRS-2026-999999", "reason": "x"}),
                   404, "not-found")

    pending = _ok(api.post("voidings", "admin", json={"target": gone, "reason": "Radicado dos veces"}), 201)
    assert (pending["status"], pending["number"], pending["target_kind"]) == ("pending", None, "case")
    assert_problem(api.post("voidings", "admin", json={"target": gone, "reason": "otra"}), 409,
                   "invalid-operation")
    assert sorted(_listed(api, "admin")) == sorted([gone, kept])  # nothing changes until approved

    refused = assert_problem(api.post(f"voidings/{pending['id']}/approve", "admin"), 403, "forbidden")
    assert "otra persona" in refused["errors"]["actor"]
    assert_problem(api.post(f"voidings/{pending['id']}/approve", "bruno"), 403, "forbidden")
    approved = _ok(api.post(f"voidings/{pending['id']}/approve", "sofia"))
    assert approved["status"] == "approved" and approved["decided_by"] == "sofia"
    assert approved["number"].startswith("AN-") and approved["number"].endswith("-000001")
    assert_problem(api.post(f"voidings/{pending['id']}/reject", "sofia"), 409, "invalid-operation")

    for user in ("admin", "ana", "sofia"):
        assert _listed(api, user) == [kept]
    assert_problem(api.get(f"cases/{gone}", "admin"), 404, "not-found")
    audited = _ok(api.get("cases?include_voided=true&sort=oldest", "sofia"))["items"]
    assert [(c["filing_number"], c["voided_at"] is not None) for c in audited] == [
        (gone, True), (kept, False)]
    denied = assert_problem(api.get("cases?include_voided=true", "ana"), 403, "forbidden")
    assert "include_voided" in denied["errors"]
    records = _ok(api.get(f"voidings?status=approved&target={gone}", "sofia"))["items"]
    assert [r["number"] for r in records] == [approved["number"]]
    assert_problem(api.get("voidings", "ana"), 403, "forbidden")
    assert_problem(api.get("voidings?status=perhaps", "admin"), 400, "invalid-query")


def test_a_rejected_voiding_keeps_the_case(api: Api) -> None:
    number = api.file("ana")["filing_number"]
    pending = _ok(api.post("voidings", "admin", json={"target": number, "reason": "Prueba"}), 201)
    rejected = _ok(api.post(f"voidings/{pending['id']}/reject", "sofia", json={"note": "Es real"}))
    assert (rejected["status"], rejected["note"], rejected["number"]) == ("rejected", "Es real", None)
    assert _listed(api, "admin") == [number]
    history = [e["type"] for e in _ok(api.get(f"cases/{number}/history", "admin"))["items"]]
    assert history[-2:] == ["VoidingRequested", "VoidingRejected"]
    assert_problem(api.post("voidings/no-existe/approve", "sofia"), 404, "not-found")


def test_the_requester_does_not_see_the_deliberation_on_a_voiding(api: Api) -> None:
    number = api.file("juan")["filing_number"]
    pending = _ok(api.post("voidings", "admin", json={"target": number, "reason": "Parece duplicado"}), 201)
    _ok(api.post(f"voidings/{pending['id']}/reject", "sofia", json={"note": "Es real"}))
    staff = [e["type"] for e in _ok(api.get(f"cases/{number}/history", "admin"))["items"]]
    assert {"VoidingRequested", "VoidingRejected"} <= set(staff)
    mine = [e["type"] for e in _ok(api.get(f"cases/{number}/history", "juan"))["items"]]
    assert mine and not {"VoidingRequested", "VoidingRejected"} & set(mine)

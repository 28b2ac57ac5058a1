"""Voiding an outgoing number over HTTP (``target_kind`` ``outgoing_number``): an administrator asks,
the requester may not approve (403 naming «actor»), a supervisor approves; the case's history tells
it, the number stays used (the next response takes the next one), and every refusal is problem+json
naming the field at fault."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem

KIND = "outgoing_number"


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def _history(api: Api, number: str) -> list[dict[str, Any]]:
    return list(_ok(api.get(f"cases/{number}/history", "sofia"))["items"])


def _answered(api: Api, subject: str) -> tuple[str, str]:
    """A case filed and answered over HTTP: its filing number and the response's outgoing number."""
    n = api.file("ana", subject=subject)["filing_number"]
    _ok(api.post(f"cases/{n}/assignment", "sofia", json={"assignee": "bruno", "queue": "back_office"}))
    _ok(api.post(f"cases/{n}/transitions", "bruno", json={"transition": "start"}))
    _ok(api.post(f"cases/{n}/responses", "bruno", json={"text": "Se emitió la nota crédito."}))
    [sent] = [e["data"]["outgoing_number"] for e in _history(api, n) if e["type"] == "CaseResponded"]
    return n, sent


def test_an_outgoing_number_voided_over_http_stays_used(api: Api) -> None:
    case, sent = _answered(api, "Factura duplicada")

    def ask(user: str, **body: Any) -> Any:
        fields = {"target_kind": KIND, "target": sent, "reason": "Se numeró dos veces", **body}
        return api.post("voidings", user, json=fields)

    assert_problem(ask("sofia"), 403, "forbidden")
    missing = assert_problem(ask("admin", target="RS-1999-000009"), 404, "not-found")
    assert "target" in missing["errors"]
    blank = assert_problem(ask("admin", reason="  "), 422, "validation-error")
    assert "reason" in blank["errors"]

    pending = _ok(ask("admin", target=sent.lower()), 201)
    assert (pending["target_kind"], pending["target"], pending["status"]) == (KIND, sent, "pending")
    twice = assert_problem(ask("admin"), 409, "invalid-operation")
    assert "target" in twice["errors"]
    refused = assert_problem(api.post(f"voidings/{pending['id']}/approve", "admin"), 403, "forbidden")
    assert "otra persona" in refused["errors"]["actor"]

    approved = _ok(api.post(f"voidings/{pending['id']}/approve", "sofia"))
    assert approved["status"] == "approved" and approved["number"].endswith("-000001")
    [voided] = [e for e in _history(api, case) if e["type"] == "OutgoingNumberVoided"]
    assert (voided["actor"], voided["data"]["number"], voided["data"]["record"]) == (
        "sofia", sent, approved["number"])
    assert _ok(api.get(f"cases/{case}", "admin"))["filing_number"] == case  # the case goes on
    again = assert_problem(ask("admin"), 409, "invalid-operation")
    assert "ya fue anulado" in again["errors"]["target"]
    records = _ok(api.get(f"voidings?status=approved&target={sent}", "sofia"))["items"]
    assert [(r["target_kind"], r["number"]) for r in records] == [(KIND, approved["number"])]

    _other, following = _answered(api, "Cobro no reconocido")
    assert following == sent.replace("000001", "000002")

"""Internal requests over HTTP: asked from a case, refused outside the legal term as problem+json on
«due», listed for the area that owes them, answered by that area only; the requester reads none of it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .conftest import Api, assert_problem

INTERNAL_EVENTS = {"InternalRequestSent", "InternalRequestAnswered", "InternalRequestAlarmRaised"}


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def test_a_case_asks_back_office_and_back_office_answers(api: Api) -> None:
    n = api.file("juan", requester={"full_name": "Juan", "user": "juan"})["filing_number"]
    case = _ok(api.get(f"cases/{n}", "ana"))
    due_at = datetime.fromisoformat(case["deadlines"]["resolution_due"].replace("Z", "+00:00"))
    legal_end = due_at.astimezone(ZoneInfo("America/Bogota")).date()
    late = api.post(f"cases/{n}/internal-requests", "ana", json={
        "queue": "back_office", "text": "¿Saldo?", "due": (legal_end + timedelta(days=2)).isoformat()})
    body = assert_problem(late, 422, "validation-error")
    assert "término legal" in body["errors"]["due"]
    assert_problem(api.post(f"cases/{n}/internal-requests", "ana", json={
        "queue": "back_office", "text": "¿Saldo?", "due": "mañana"}), 422, "validation-error")
    assert_problem(api.post(f"cases/{n}/internal-requests", "ana", json={
        "queue": "no_existe", "text": "¿Saldo?", "due": legal_end.isoformat()}), 422, "validation-error")

    asked = _ok(api.post(f"cases/{n}/internal-requests", "ana", json={
        "queue": "back_office", "text": "¿Saldo del cliente?", "due": legal_end.isoformat()}))
    [item] = asked["internal_requests"]
    assert (item["queue"], item["state"], item["answer"]) == ("back_office", "pending", None)

    pending = _ok(api.get("internal-requests", "bruno"))["items"]
    assert [(p["filing_number"], p["id"]) for p in pending] == [(n, item["id"])]
    assert _ok(api.get("internal-requests", "ana"))["items"] == []

    assert api.post(f"cases/{n}/internal-requests/{item['id']}/answer", "ana",
                    json={"answer": "Yo no soy del área"}).status_code in (404, 409)
    assert_problem(api.post(f"cases/{n}/internal-requests/{item['id']}/answer", "bruno", json={"answer": ""}),
                   422, "validation-error")
    answered = _ok(api.post(f"cases/{n}/internal-requests/{item['id']}/answer", "bruno",
                            json={"answer": "Saldo en cero"}))
    assert answered["internal_request"]["state"] == "answered"
    assert answered["internal_request"]["answered_by"] == "bruno"
    assert _ok(api.get("internal-requests", "bruno"))["items"] == []

    # The requester reads none of it.
    mine = _ok(api.get(f"cases/{n}", "juan"))
    assert "internal_requests" not in mine
    types = {e["type"] for e in _ok(api.get(f"cases/{n}/history", "juan"))["items"]}
    assert not types & INTERNAL_EVENTS


def test_someone_outside_the_service_team_is_refused_the_pending_list(api: Api) -> None:
    body = assert_problem(api.get("internal-requests", "juan"), 403, "forbidden")
    assert "equipo de atención" in body["detail"]

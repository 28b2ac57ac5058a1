"""Escalation to a third party over HTTP: the staff send the case with chosen notes and files, read
«con tercero» in the case, record the answer or take the case back; bad input is problem+json naming
the field; the requester reads none of it (case, history)."""

from __future__ import annotations

import io
from typing import Any

from .conftest import Api, assert_problem

VENDOR = "soporte@mind.example.co"
THIRD_PARTY_EVENTS = {"EscalatedToThirdParty", "ThirdPartyReplied", "ThirdPartyEscalationEnded"}


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def _worked_case(api: Api) -> tuple[str, int, str]:
    """Juan's case, assigned to Bruno, with an internal note and a file: number, note position, file id."""
    n = api.file("juan", requester={"full_name": "Juan", "user": "juan"})["filing_number"]
    _ok(api.post(f"cases/{n}/assignment", "sofia", json={"assignee": "bruno"}))
    _ok(api.post(f"cases/{n}/notes", "bruno", json={"text": "Falla con más de 100 facturas"}))
    history = _ok(api.get(f"cases/{n}/history", "bruno"))["items"]
    note_id = len(history)
    assert history[note_id - 1]["type"] == "NoteAdded"
    data = {"file": (io.BytesIO(b"Traceback"), "log.txt", "text/plain")}
    uploaded = api.post(f"cases/{n}/attachments", "bruno", data=data, content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_json()
    return n, note_id, uploaded.get_json()["id"]


def test_staff_escalate_read_and_take_back_the_case(api: Api) -> None:
    n, note_id, file_id = _worked_case(api)
    before = _ok(api.get(f"cases/{n}", "bruno"))
    assert before["third_party"] is None
    body = {"address": VENDOR, "name": "Mind de Colombia", "message": "Revisen el error, por favor",
            "note_ids": [note_id], "attachment_ids": [file_id], "version": before["version"]}
    escalated = _ok(api.post(f"cases/{n}/third-party-escalations", "bruno", json=body))
    held = escalated["third_party"]
    assert (held["address"], held["name"], held["escalated_by"]) == (VENDOR, "Mind de Colombia", "bruno")
    assert held["pauses_term"] is False and held["since"]
    # The term keeps running: same deadline, not paused.
    assert escalated["deadlines"]["resolution_due"] == before["deadlines"]["resolution_due"]
    assert escalated["deadlines"]["status"] != "paused"
    assert_problem(api.post(f"cases/{n}/third-party-escalations", "bruno",
                            json={**body, "version": None}), 409, "invalid-operation")
    # What was sent is in the history, without where the files are stored.
    history = _ok(api.get(f"cases/{n}/history", "bruno"))["items"]
    sent = next(e for e in history if e["type"] == "EscalatedToThirdParty")
    assert sent["data"]["notes"] == ["Falla con más de 100 facturas"]
    assert [a["id"] for a in sent["data"]["attachments"]] == [file_id]
    assert "storage_key" not in sent["data"]["attachments"][0]

    replied = _ok(api.post(f"cases/{n}/third-party-replies", "bruno",
                           json={"message": "Corregido", "sender": VENDOR,
                                 "received_at": "2026-03-02T10:15:00-05:00"}))
    assert replied["third_party"] is None
    _ok(api.post(f"cases/{n}/third-party-escalations", "bruno", json={**body, "version": None}))
    resumed = _ok(api.post(f"cases/{n}/third-party-resumption", "bruno", json={}))
    assert resumed["third_party"] is None
    assert_problem(api.post(f"cases/{n}/third-party-resumption", "bruno", json={}), 409, "invalid-operation")


def test_bad_escalations_are_problems_naming_the_fields(api: Api) -> None:
    n, _, _ = _worked_case(api)
    refused = assert_problem(api.post(f"cases/{n}/third-party-escalations", "bruno", json={
        "address": "no es un correo", "name": "Mind", "message": "Hola", "note_ids": [1],
        "attachment_ids": ["no-existe"]}), 422, "validation-error")
    assert set(refused["errors"]) == {"address", "note_ids.0", "attachment_ids.0"}
    missing = assert_problem(api.post(f"cases/{n}/third-party-escalations", "bruno",
                                      json={"note_ids": ["uno"], "otro": 1}), 422, "validation-error")
    assert {"address", "name", "message", "otro"} <= set(missing["errors"])
    naive = assert_problem(api.post(f"cases/{n}/third-party-replies", "bruno", json={
        "message": "x", "sender": VENDOR, "received_at": "2026-03-02T10:15:00"}), 422, "validation-error")
    assert set(naive["errors"]) == {"received_at"}
    assert _ok(api.get(f"cases/{n}", "bruno"))["third_party"] is None


def test_the_requester_reads_nothing_of_the_third_party(api: Api) -> None:
    n, note_id, file_id = _worked_case(api)
    _ok(api.post(f"cases/{n}/third-party-escalations", "bruno", json={
        "address": VENDOR, "name": "Mind", "message": "Revisen", "note_ids": [note_id],
        "attachment_ids": [file_id]}))
    _ok(api.post(f"cases/{n}/third-party-replies", "bruno", json={"message": "Lo vemos", "sender": "x@y.co"}))

    own = _ok(api.get(f"cases/{n}", "juan"))
    assert "third_party" not in own
    names = {e["type"] for e in _ok(api.get(f"cases/{n}/history", "juan"))["items"]}
    assert "CaseFiled" in names and not names & THIRD_PARTY_EVENTS
    assert "Mind" not in api.get(f"cases/{n}/history", "juan").get_data(as_text=True)
    # Nor may the requester act on it.
    assert_problem(api.post(f"cases/{n}/third-party-replies", "juan",
                            json={"message": "Soy el tercero", "sender": VENDOR}), 403, "forbidden")
    assert_problem(api.post(f"cases/{n}/third-party-resumption", "juan", json={}), 403, "forbidden")

"""The proof of notification over HTTP: the staff record a courier delivery with its guide and a
personal one with the signed receipt, and publish the aviso of an answer that could not be notified;
the case says when the answer was notified and whether within the term; bad input is problem+json
naming the field; the requester reads no ``notification`` and records none."""

from __future__ import annotations

import io
from typing import Any

from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor

from .conftest import Api, assert_problem


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def _answered(api: Api) -> str:
    n: str = api.file("juan", requester={"full_name": "Juan", "user": "juan"})["filing_number"]
    _ok(api.post(f"cases/{n}/assignment", "sofia", json={"assignee": "bruno"}))
    _ok(api.post(f"cases/{n}/transitions", "bruno", json={"transition": "start"}))
    _ok(api.post(f"cases/{n}/responses", "bruno", json={"text": "Le enviamos el certificado"}))
    return n


def _upload(api: Api, n: str) -> str:
    data = {"file": (io.BytesIO(b"%PDF-1.4 recibido"), "recibido.pdf", "application/pdf")}
    uploaded = api.post(f"cases/{n}/attachments", "bruno", data=data, content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_json()
    file_id: str = uploaded.get_json()["id"]
    return file_id


def test_courier_and_in_person_are_recorded_and_the_case_says_notified_in_time(api: Api) -> None:
    n = _answered(api)
    before = _ok(api.get(f"cases/{n}", "bruno"))["notification"]
    assert before == {"notified_at": None, "in_time": None, "failed": True, "steps": []}  # no e-mail
    dispatched = _ok(api.post(f"cases/{n}/notification/courier", "bruno", json={
        "company": "4-72", "guide": "RA1", "status": "dispatched"}))
    assert dispatched["notification"]["steps"][0]["status"] == "dispatched"
    assert dispatched["notification"]["notified_at"] is None
    delivered = _ok(api.post(f"cases/{n}/notification/courier", "bruno", json={
        "company": "4-72", "guide": "RA1", "status": "delivered", "proof": _upload(api, n)}))
    notice = delivered["notification"]
    assert notice["notified_at"] == notice["steps"][-1]["at"] and notice["in_time"] is True
    receipt = _upload(api, n)
    personal = _ok(api.post(f"cases/{n}/notification/in-person", "bruno", json={
        "received_by": "Juan", "receipt": receipt}))
    assert personal["notification"]["steps"][-1]["channel"] == "in_person"
    assert "notification" not in _ok(api.get(f"cases/{n}", "juan"))
    assert_problem(api.post(f"cases/{n}/notification/courier", "juan", json={
        "company": "4-72", "guide": "RA1", "status": "delivered"}), 403, "forbidden")


def test_bad_input_is_a_problem_naming_the_field(api: Api) -> None:
    n = _answered(api)
    bad = assert_problem(api.post(f"cases/{n}/notification/courier", "bruno", json={
        "company": "", "status": "perdido", "communication": "carta"}), 422, "validation-error")
    assert {"company", "guide", "status", "communication"} <= set(bad["errors"])
    no_reason = assert_problem(api.post(f"cases/{n}/notification/courier", "bruno", json={
        "company": "4-72", "guide": "RA1", "status": "returned"}), 422, "validation-error")
    assert set(no_reason["errors"]) == {"reason"}
    no_receipt = assert_problem(api.post(f"cases/{n}/notification/in-person", "bruno", json={
        "received_by": "Juan", "receipt": "no-existe"}), 422, "validation-error")
    assert set(no_receipt["errors"]) == {"receipt"}


def test_the_aviso_only_when_the_answer_could_not_be_notified(api: Api) -> None:
    n = _answered(api)
    _ok(api.post(f"cases/{n}/notification/courier", "bruno", json={
        "company": "4-72", "guide": "RA1", "status": "delivered"}))
    assert_problem(api.post(f"cases/{n}/notification/aviso", "bruno", json={}), 409, "invalid-operation")
    m = _answered(api)
    api.app.extensions["pqrs"].handle(c.RecordEmailDelivery(
        filing_number=m, communication="response", status="bounced", reason="550 5.1.1"), Actor.system())
    published = _ok(api.post(f"cases/{m}/notification/aviso", "bruno", json={}))
    aviso = published["notification"]["steps"][-1]
    assert aviso["channel"] == "aviso" and aviso["until"] and aviso["notifies_at"]
    assert published["notification"]["failed"] is False

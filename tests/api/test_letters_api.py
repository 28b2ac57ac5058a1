"""The response's approval over the API: a response drafted when the organisation asks for approval,
then approved by someone else holding ``letters.approve`` (sent with its letter) or returned."""

from __future__ import annotations

from typing import Any

import attrs

from .conftest import Api, assert_problem


def _require_approval(api: Api) -> None:
    pqrs = api.app.extensions["pqrs"]
    pqrs.deps = attrs.evolve(pqrs.deps, settings=attrs.evolve(pqrs.deps.settings, letters_need_approval=True))


def _started(api: Api) -> str:
    n: str = api.file("ana", requester={"full_name": "Juana Núñez", "email": "juana@example.com"})[
        "filing_number"]
    assert api.post(f"cases/{n}/assignment", "sofia",
                    json={"assignee": "bruno", "queue": "back_office"}).status_code == 200
    assert api.post(f"cases/{n}/transitions", "bruno", json={"transition": "start"}).status_code == 200
    return n


def _case(api: Api, n: str) -> dict[str, Any]:
    data: dict[str, Any] = api.get(f"cases/{n}", "sofia").get_json()
    return data


def test_a_drafted_response_is_approved_by_someone_else_and_goes_out_with_its_letter(api: Api) -> None:
    _require_approval(api)
    n = _started(api)

    drafted = api.post(f"cases/{n}/responses", "bruno", json={"text": "Le reintegramos el valor."})

    assert drafted.status_code == 200 and drafted.get_json()["state"] == "in_progress"
    assert_problem(api.post(f"cases/{n}/responses/approval", "bruno", json={}), 403, "forbidden")
    approved = api.post(f"cases/{n}/responses/approval", "sofia", json={})
    assert approved.status_code == 200 and approved.get_json()["state"] == "responded"
    [letter] = [a for a in _case(api, n)["attachments"] if a["filename"].startswith("oficio-respuesta-")]
    assert letter["content_type"] == "application/pdf"


def test_a_returned_response_needs_a_comment_and_sends_nothing(api: Api) -> None:
    _require_approval(api)
    n = _started(api)
    api.post(f"cases/{n}/responses", "bruno", json={"text": "Borrador."})

    assert_problem(api.post(f"cases/{n}/responses/return", "sofia", json={"comment": ""}), 422,
                   "validation-error")
    returned = api.post(f"cases/{n}/responses/return", "sofia", json={"comment": "Falta el valor."})

    assert returned.status_code == 200 and returned.get_json()["responded_at"] is None
    assert _case(api, n)["attachments"] == []
    assert_problem(api.post(f"cases/{n}/responses/approval", "sofia", json={}), 409, "invalid-operation")

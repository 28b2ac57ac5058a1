"""``/api/v1/answers``: staff list, search and render canned answers for a case (those for its
typification first); administrators and supervisors create, change and delete them; mistakes are
problem+json naming the field. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem

ANSWER = {"title": "Devolución aprobada", "typifications": ["CAMBIOS_Y_DEVOLUCIONES"], "kinds": ["peticion"],
          "body": "Hola {{ peticionario.nombre }}: aprobamos la devolución del caso {{ radicado }}."}


def create(api: Api, user: str = "admin", **fields: Any) -> dict[str, Any]:
    response = api.post("answers", user, json={**ANSWER, **fields})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_an_administrator_creates_reads_changes_and_deletes_an_answer(api: Api) -> None:
    created = create(api)
    assert created["title"] == "Devolución aprobada" and created["macro"] is None
    assert created["personal"] is False and created["usage_count"] == 0 and created["active"] is True
    assert api.get(f"answers/{created['id']}", "bruno").get_json() == created

    changed = api.patch(f"answers/{created['id']}", "sofia",
                        json={"active": False, "macro": {"priority": "alta", "transition": "close"}})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["active"] is False
    assert changed.get_json()["macro"] == {"priority": "alta", "typification": None, "queue": None,
                                           "transition": "close"}

    assert api.request("DELETE", f"answers/{created['id']}", "admin").status_code == 204
    assert_problem(api.get(f"answers/{created['id']}", "admin"), 404, "not-found")


def test_only_administrators_and_supervisors_write_and_requesters_read_nothing(api: Api) -> None:
    assert_problem(api.post("answers", "ana", json=ANSWER), 403, "forbidden")
    assert_problem(api.post("answers", "bruno", json=ANSWER), 403, "forbidden")
    created = create(api, "sofia")
    assert_problem(api.patch(f"answers/{created['id']}", "ana", json={"title": "x"}), 403, "forbidden")
    assert_problem(api.get("answers", "juan"), 403, "forbidden")


def test_mistakes_are_problems_naming_the_field(api: Api) -> None:
    problem = assert_problem(api.post("answers", "admin", json={**ANSWER, "body": "Hola {{ radicado }"}),
                             422, "validation-error")
    assert "body" in problem["errors"] and "línea 1" in problem["errors"]["body"]
    problem = assert_problem(api.post("answers", "admin", json={**ANSWER, "typifications": ["NO_EXISTE"]}),
                             422, "validation-error")
    assert "typifications" in problem["errors"]
    problem = assert_problem(api.post("answers", "admin", json={**ANSWER, "macro": {"queue": "nadie"}}),
                             422, "validation-error")
    assert "macro.queue" in problem["errors"]
    assert_problem(api.post("answers", "admin", json={"title": "Sin texto"}), 422, "validation-error")
    assert_problem(api.get("answers/99999999999", "admin"), 404, "not-found")


def test_for_a_case_its_typifications_answers_come_first_and_render_with_its_data(api: Api) -> None:
    case = api.file(typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES",
                    requester={"full_name": "Marta Gómez", "email": "marta@example.com"})
    general = create(api, title="Saludo", typifications=[], kinds=[], body="Hola.")
    specific = create(api)
    create(api, "sofia", title="Personal de Sofía", personal=True)

    listed = api.get(f"answers?case={case['filing_number']}", "bruno").get_json()["items"]
    assert [(a["id"], a["suggested"]) for a in listed] == [(specific["id"], True), (general["id"], False)]
    assert [a["title"] for a in api.get("answers?q=devolucion", "bruno").get_json()["items"]] == [
        "Devolución aprobada"]

    rendered = api.post(f"answers/{specific['id']}/render", "bruno", json={"case": case["filing_number"]})
    assert rendered.status_code == 200, rendered.get_json()
    assert rendered.get_json()["text"] == (
        f"Hola Marta Gómez: aprobamos la devolución del caso {case['filing_number']}.")
    assert api.get(f"answers/{specific['id']}", "bruno").get_json()["usage_count"] == 1


def test_rendering_a_broken_answer_or_for_an_unknown_case_is_a_problem(api: Api) -> None:
    case = api.file()
    broken = create(api, body="Hola {{ peticionario.apellido }}")
    problem = assert_problem(api.post(f"answers/{broken['id']}/render", "bruno",
                                      json={"case": case["filing_number"]}), 422, "validation-error")
    assert "apellido" in problem["errors"]["body"]
    assert_problem(api.post(f"answers/{broken['id']}/render", "bruno", json={"case": "PQRS-2026-999999"}),
                   404, "not-found")
    assert_problem(api.post(f"answers/{broken['id']}/render", "bruno", json={}), 422, "validation-error")

"""GET /reports/summary: figures over the cases the caller may see."""

from __future__ import annotations

from typing import Any

from .conftest import Api, assert_problem


def test_the_summary_counts_the_cases_by_category_kind_and_priority(api: Api) -> None:
    api.file(kind="queja", priority="alta")
    api.file(kind="queja", typification="QUEJA_DE_CALIDAD")
    api.file(resolved_at_first_contact=True, solution="Hecho")
    summary = api.get("reports/summary", "sofia").get_json()
    assert summary["total"] == 3
    assert summary["by_kind"] == {"queja": 2, "peticion": 1}
    assert summary["by_state_category"] == {"todo": 2, "done": 1}
    assert summary["by_priority"] == {"alta": 1, "": 2}
    assert summary["by_category"] == {"SERVICIO_AL_CLIENTE": 1, "Sin tipificar": 2}
    assert summary["by_typification"] == {"QUEJA_DE_CALIDAD": 1, "Sin tipificar": 2}
    assert summary["first_contact_resolutions"] == 1
    assert api.get("reports/summary?kind=queja", "sofia").get_json()["total"] == 2
    assert api.get("reports/summary?filed_to=2000-01-01", "sofia").get_json()["total"] == 0


def test_the_summary_only_counts_what_the_caller_may_see(api: Api) -> None:
    api.file("juan")
    api.file("ana", resolved_at_first_contact=True, solution="Hecho")
    assert api.get("reports/summary", "carlos").get_json()["total"] == 1  # quality: closed cases only
    assert api.get("reports/summary", "admin").get_json()["total"] == 2


def test_the_summary_needs_the_reports_permission_and_valid_parameters(api: Api) -> None:
    assert_problem(api.get("reports/summary", "juan"), 403, "forbidden")
    assert_problem(api.get("reports/summary", "ana"), 403, "forbidden")
    body = assert_problem(api.get("reports/summary?sort=newest", "sofia"), 400, "invalid-query")
    assert set(body["errors"]) == {"sort"}


# ------------------------------------------------------------------- volume, timeliness, levels, regulatory
def _answered(api: Api, user: str = "ana", **fields: Any) -> str:
    number: str = api.file(user)["filing_number"]
    assert api.post(f"cases/{number}/assignment", "sofia", json={"assignee": user}).status_code == 200
    assert api.post(f"cases/{number}/transitions", user, json={"transition": "start"}).status_code == 200
    response = api.post(f"cases/{number}/responses", user, json={"text": "Respuesta", **fields})
    assert response.status_code == 200, response.get_json()
    return number


def test_the_volume_counts_today_by_kind_and_period(api: Api) -> None:
    api.file(kind="queja")
    api.file()
    api.file("eva", kind="sugerencia")
    body = api.get("reports/volume?period=day", "sofia").get_json()
    assert body["total"] == 3 and body["previous_total"] == 0 and body["period"] == "day"
    assert len(body["periods"]) == 30 and body["periods"][-1]["count"] == 3
    assert {c["key"]: c["count"] for c in body["by"]["kind"]} == {"queja": 1, "peticion": 1, "sugerencia": 1}
    assert {c["key"]: c["label"] for c in body["by"]["kind"]}["queja"] == "Queja"
    only = api.get("reports/volume?kind=queja&kind=sugerencia", "sofia").get_json()
    assert only["total"] == 2
    # diana sees her network's cases only (eva's).
    assert api.get("reports/volume", "diana").get_json()["total"] == 1


def test_timeliness_levels_and_regulatory_read_the_responses(api: Api) -> None:
    _answered(api)
    _answered(api, "bruno", access_denied=True)
    api.file()
    timeliness = api.get("reports/timeliness", "sofia").get_json()
    assert timeliness["overall"]["on_time"] == 2 and timeliness["overall"]["running"] == 1
    assert timeliness["resolution_hours"]["total"][0]["count"] == 2
    levels = api.get("reports/resolution-levels", "sofia").get_json()
    # bruno works in the back office: his answer to a case of the front line's queue is back office's.
    assert {c["key"]: c["count"] for c in levels["by_level"]} == {
        "first_contact": 0, "first_line": 1, "back_office": 1, "specialists": 0}
    assert (levels["answered"], levels["pending"]) == (2, 1)
    regulatory = api.get("reports/regulatory", "sofia").get_json()
    assert regulatory["period"] == "quarter"
    assert (regulatory["totals"]["received"], regulatory["totals"]["access_denied"]) == (3, 1)
    assert sum(1 for c in regulatory["cases"] if c["access_denied"]) == 1
    assert (regulatory["offset"], regulatory["limit"], len(regulatory["cases"])) == (0, 500, 3)
    # The requests come by pages, in the order they were filed.
    pages = [api.get(f"reports/regulatory?offset={at}&limit=2", "sofia").get_json() for at in (0, 2)]
    assert [len(page["cases"]) for page in pages] == [2, 1]
    assert [c["filing_number"] for page in pages for c in page["cases"]] == [
        c["filing_number"] for c in regulatory["cases"]]
    assert all(page["totals"] == regulatory["totals"] for page in pages)
    body = assert_problem(api.get("reports/regulatory?limit=0&offset=-1", "sofia"), 400, "invalid-query")
    assert set(body["errors"]) == {"limit", "offset"}
    assert api.get("reports/regulatory?period=semester", "sofia").get_json()["lines"][0]["period"][-2:] in (
        "S1", "S2")


def test_the_reports_refuse_what_they_cannot_read(api: Api) -> None:
    for path in ("volume", "timeliness", "resolution-levels", "regulatory"):
        assert_problem(api.get(f"reports/{path}", "ana"), 403, "forbidden")
        body = assert_problem(api.get(f"reports/{path}?start=2026-02-30", "sofia"), 400, "invalid-query")
        assert set(body["errors"]) == {"start"}
        body = assert_problem(api.get(f"reports/{path}?kind=nada&typification=NADA", "sofia"), 422,
                              "validation-error")
        assert set(body["errors"]) == {"kind", "typification"}
        body = assert_problem(api.get(f"reports/{path}?start=2026-03-01&end=2026-02-01", "sofia"), 422,
                              "validation-error")
        assert set(body["errors"]) == {"end"}
        assert_problem(api.get(f"reports/{path}?bogus=1", "sofia"), 400, "invalid-query")
        for dates, field in (("start=0001-01-01&end=0001-01-02", "start"),
                             ("start=9999-12-30&end=9999-12-31", "end"), ("end=9999-12-31", "end")):
            body = assert_problem(api.get(f"reports/{path}?{dates}", "sofia"), 422, "validation-error")
            assert field in body["errors"], (path, dates, body)
    body = assert_problem(api.get("reports/regulatory?period=day", "sofia"), 422, "validation-error")
    assert set(body["errors"]) == {"period"}
    body = assert_problem(api.get("reports/volume?start=2024-01-01&end=2026-01-01", "sofia"), 422,
                          "validation-error")
    assert set(body["errors"]) == {"end"}

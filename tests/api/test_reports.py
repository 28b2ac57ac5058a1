"""GET /reports/summary: figures over the cases the caller may see."""

from __future__ import annotations

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

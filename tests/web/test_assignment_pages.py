"""Assignment in the web pages: a queue's strategy and cap in its admin form, and what it does."""

from __future__ import annotations

from datetime import timedelta

from pqrs_core.domain.assignment import Strategy

from .conftest import Site


def test_a_queues_strategy_and_cap_are_set_in_its_form_and_used_at_filing(site: Site) -> None:
    admin = site.as_user("admin")
    page = admin.page("/admin/listas/colas/back_office")
    assert "Asignación automática" in page and "Manual: un supervisor distribuye" in page

    form = {"label": "Back office", "order": "2", "active": "1", "strategy": "least_loaded"}
    refused = admin.post("/admin/listas/colas/back_office", {**form, "cap": "²"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Escriba un número entero entre 0 y 10000" in body and 'value="²"' in body
    assert "back_office" not in site.pqrs.assignment_admin.policies()

    saved = admin.post("/admin/listas/colas/back_office", {**form, "cap": "3"})
    assert saved.status_code == 302
    policy = site.pqrs.assignment_admin.policies()["back_office"]
    assert (policy.strategy, policy.cap) == (Strategy.LEAST_LOADED, 3)
    case = site.file("ana", queue="back_office")
    assert case.assignee == "bruno"  # the only back-office agent; sofia supervises
    assert "a quien tiene menos carga" in admin.page(f"/casos/{case.filing_number}")


def test_a_person_records_an_absence_and_gets_no_cases_then(site: Site) -> None:
    site.pqrs.assignment_admin.set_policy("back_office", "round_robin", None, site.actor("admin"))
    bruno = site.as_user("bruno")
    assert "No hay ausencias registradas." in bruno.page("/ausencias")
    today = site.today().isoformat()
    bad = bruno.post("/ausencias", {"desde": today, "hasta": "2020-01-01", "nota": "Vacaciones"})
    assert bad.status_code == 422
    assert "no puede terminar antes de empezar" in bad.get_data(as_text=True)
    assert 'value="Vacaciones"' in bad.get_data(as_text=True)
    # A week: covers the next business day too (a case filed on a closed day goes to whoever works then).
    week = (site.today() + timedelta(days=7)).isoformat()
    ok = bruno.post("/ausencias", {"desde": today, "hasta": week, "nota": "Vacaciones"})
    assert ok.status_code == 302
    assert "Vacaciones" in bruno.page("/ausencias")
    assert site.file("ana", queue="back_office").assignee is None  # bruno, the only agent, is away
    assert site.as_user("ana").get("/ausencias?persona=bruno").status_code == 403
    assert "Vacaciones" in site.as_user("admin").page("/ausencias?persona=bruno")
    [absence] = site.pqrs.assignment_admin.agent("bruno").absences
    assert bruno.post(f"/ausencias/{absence.id}/quitar").status_code == 302
    assert site.file("ana", queue="back_office").assignee == "bruno"


def test_an_administrator_sets_a_persons_skills_days_and_cap(site: Site) -> None:
    admin = site.as_user("admin")
    assert "Habilidades, días de trabajo y tope de casos" in admin.page("/admin/usuarios/bruno")
    page = admin.page("/admin/usuarios/bruno/asignacion")
    assert "Sistema › Error en liquidación de la factura" in page
    bad = admin.post("/admin/usuarios/bruno/asignacion", {"typifications": ["SISTEMA"], "cap": "-1"})
    assert bad.status_code == 422 and "Escriba un número entero entre 0 y 10000" in bad.get_data(as_text=True)
    unknown = admin.post("/admin/usuarios/bruno/asignacion", {"typifications": ["NO_EXISTE"]})
    assert unknown.status_code == 422 and "no existe" in unknown.get_data(as_text=True)
    ok = admin.post("/admin/usuarios/bruno/asignacion", {
        "typifications": ["SISTEMA"], "kinds": ["reclamo"], "languages": "EN, pt",
        "working_weekdays": ["0", "1"], "cap": "7"})
    assert ok.status_code == 302
    agent = site.pqrs.assignment_admin.agent("bruno")
    assert agent.skills.typifications == {"SISTEMA"} and agent.skills.languages == {"en", "pt"}
    assert agent.working_weekdays == {0, 1} and agent.cap == 7
    assert site.as_user("sofia").get("/admin/usuarios/bruno/asignacion").status_code == 403

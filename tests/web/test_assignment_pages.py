"""Assignment in the web pages: a queue's strategy and cap in its admin form, and what it does."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from pqrs_core.domain import commands as c
from pqrs_core.domain.assignment import Strategy
from sql_statements import recorded_statements

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
    listing = admin.page("/admin/listas/colas")
    assert '<td data-strategy="least_loaded">Menos carga · tope 3</td>' in listing
    assert '<td data-strategy="manual">Manual</td>' in listing
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


def _numbers(cases: list[Any]) -> list[str]:
    return [str(x.filing_number) for x in cases]


def _distribute(visitor: Any, cases: list[Any], **fields: object) -> Any:
    form: dict[str, object] = {"casos": _numbers(cases), **fields}
    form.update({f"version-{x.filing_number}": str(x.version) for x in cases})
    return visitor.post("/distribucion", form)


def _split(visitor: Any, cases: list[Any], how: str, agents: list[str] | None = None) -> Any:
    preview = _distribute(visitor, cases, accion=how, agentes=agents or [])
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    page = preview.get_data(as_text=True)
    plan = dict(re.findall(r'<input type="hidden" name="(reparto-[^"]+)" value="([^"]+)">', page))
    return _distribute(visitor, cases, accion="confirmar", agentes=agents or [], como=how, **plan)


def test_turns_in_distribution_go_on_from_the_last_batch(site: Site) -> None:
    sofia = site.as_user("sofia")
    first = [site.file("ana", subject=f"Primero {i}") for i in range(3)]
    _split(sofia, first, "turnos", ["ana", "bruno"])
    second = [site.file("ana", subject=f"Segundo {i}") for i in range(3)]
    _split(sofia, second, "turnos", ["ana", "bruno"])
    # ana, bruno, ana | bruno, ana, bruno — the second batch does not start again with ana.
    assert [site.pqrs.case(x).assignee for x in _numbers(first + second)] == [
        "ana", "bruno", "ana", "bruno", "ana", "bruno"]


def test_the_queue_strategy_split_explains_each_choice_and_reads_cases_in_one_go(site: Site) -> None:
    billing = [site.file("ana", subject=f"Factura {i}", queue="back_office",
                         typification="ERROR_EN_LIQUIDACION_DE_LA_FACTURA") for i in range(2)]
    first_line = site.file("ana", subject="Otra cosa")  # primer nivel: manual
    admin = site.actor("admin")
    site.pqrs.assignment_admin.set_policy("back_office", "skills", None, admin)
    site.pqrs.assignment_admin.set_profile("bruno", typifications=["SISTEMA"], actor=admin)
    with recorded_statements(site.engine) as seen:
        preview = _distribute(site.as_user("sofia"), [*billing, first_line], accion="estrategia")
    statements = [statement for statement, _ in seen]
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert page.count("por habilidades: tipificación Sistema") == 2
    assert page.count("— queda sin asignar —") == 1
    reads = [s for s in statements if "FROM cases" in s and "filing_number IN" in s]
    assert len(reads) == 1, reads  # the selected cases in one query, not one by one

    confirmed = _split(site.as_user("sofia"), [*billing, first_line], "estrategia")
    assert confirmed.status_code == 302
    assert [site.pqrs.case(x).assignee for x in _numbers([*billing, first_line])] == ["bruno", "bruno", None]


def test_supervisors_see_the_open_cases_of_absent_people(site: Site) -> None:
    case = site.file("ana", queue="back_office")
    site.pqrs.handle(c.AssignCase(filing_number=str(case.filing_number), assignee="bruno"),
                     site.actor("sofia"))
    sofia = site.as_user("sofia")
    assert "Casos de personas ausentes hoy" not in sofia.page("/distribucion")
    site.pqrs.assignment_admin.add_absence("bruno", site.today() - timedelta(days=1),
                                           site.today() + timedelta(days=7), "Incapacidad",
                                           site.actor("bruno"))
    page = sofia.page("/distribucion")
    assert "Casos de personas ausentes hoy" in page and 'data-absent="bruno"' in page
    assert re.search(r'data-agent="bruno">(?:(?!</tr>).)*data-away', page, re.S)
    assert str(case.filing_number) in page

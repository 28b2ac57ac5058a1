"""Internal requests in the web pages: asked from the case page, answered from the area's list, their
state on the case, and the answers inserted in the response."""

from __future__ import annotations

from datetime import timedelta

from pqrs_core.domain.events import InternalRequestAnswered

from .conftest import Site


def test_a_case_asks_back_office_which_answers_from_its_list(site: Site) -> None:
    case = site.file("ana")  # primer nivel
    number = str(case.filing_number)
    ana = site.as_user("ana")
    page = ana.page(f"/casos/{number}")
    assert "Pedir algo a otra área" in page
    legal_end = site.pqrs.catalog().calendar.local_date(case.resolution_due)  # type: ignore[union-attr]

    late = ana.post(f"/casos/{number}/solicitudes-internas", {
        "version": str(case.version), "interna_area": "back_office", "interna_texto": "¿Saldo del cliente?",
        "interna_fecha": (legal_end + timedelta(days=1)).isoformat()})
    body = late.get_data(as_text=True)
    assert late.status_code == 422 and "dentro del término legal del caso" in body
    assert "¿Saldo del cliente?" in body  # what was typed is kept

    due = site.today() + timedelta(days=1)
    ok = ana.post(f"/casos/{number}/solicitudes-internas", {
        "version": str(case.version), "interna_area": "back_office", "interna_texto": "¿Saldo del cliente?",
        "interna_fecha": due.isoformat()})
    assert ok.status_code == 302
    assert 'data-state="pending"' in ana.page(f"/casos/{number}")

    bruno = site.as_user("bruno")
    listing = bruno.page("/solicitudes-internas")
    assert number in listing and "¿Saldo del cliente?" in listing
    assert "Sus áreas no tienen solicitudes internas pendientes." in ana.page("/solicitudes-internas")
    [item] = site.pqrs.case(number).internal_requests
    assert ana.post(f"/solicitudes-internas/{number}/{item.id}",
                    {"interna_respuesta": "Desde ana"}).status_code == 302
    assert site.pqrs.case(number).internal_requests[0].answer is None  # not her area
    answered = bruno.post(f"/solicitudes-internas/{number}/{item.id}", {"interna_respuesta": "Saldo en cero"})
    assert answered.status_code == 302
    assert "Sus áreas no tienen solicitudes internas pendientes." in bruno.page("/solicitudes-internas")
    assert any(isinstance(e, InternalRequestAnswered) for e in site.pqrs.history(number))

    case_page = ana.page(f"/casos/{number}")
    assert 'data-state="answered"' in case_page and "Saldo en cero" in case_page
    current = site.pqrs.case(number)
    inserted = ana.post(f"/casos/{number}/respuesta", {
        "version": str(current.version), "accion": "insertar_areas", "respuesta_texto": "Respetado cliente:"})
    text = inserted.get_data(as_text=True)
    assert inserted.status_code == 200
    assert "Respetado cliente:\n\nBack office (segundo nivel): Saldo en cero" in text

"""The new-case form registers a document another system filed first with that system's number: shown
on the case page, found by the inbox's search, and refused next to its field when already registered."""

from __future__ import annotations

import html

from .conftest import Site
from .test_filing import NEW, number_in, open_form

ORFEO = {"kind": "peticion", "subject": "Oficio de la Personería",
         "description": "Solicitan copia del contrato.", "channel": "physical_document", "verbal": "",
         "external_source": "Orfeo",
         "external_number": "20265600098761"}


def test_a_document_filed_in_another_system_is_registered_once_with_its_number(site: Site) -> None:
    ana = site.as_user("ana")
    response = ana.post(NEW, {**open_form(ana), **ORFEO})
    assert response.status_code == 303
    number = number_in(response.headers["Location"])
    case = site.pqrs.case(number)
    assert (case.external_source, case.external_number) == ("Orfeo", "20265600098761")
    page = html.unescape(ana.page(f"/casos/{number}"))
    assert "Radicado externo" in page and "20265600098761" in page
    inbox = html.unescape(site.as_user("admin").page("/bandeja?q=20265600098761"))
    assert f"/casos/{number}" in inbox

    again = ana.post(NEW, {**open_form(ana), **ORFEO, "subject": "El mismo oficio otra vez"})
    assert again.status_code == 422
    refused = html.unescape(again.get_data(as_text=True))
    next_to_field = refused.split('id="error-external_number"')[1].split("</small>")[0]
    assert f"ya está registrado en el caso {number}" in next_to_field
    assert 'value="El mismo oficio otra vez"' in refused  # what was typed is kept

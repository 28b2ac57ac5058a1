"""``/clientes/<documento>``: a customer's 360° view for the staff (and a consultant's network), linked from
the case page and the inbox; and the public form, which files a person whose document a customer
directory knows as that customer."""

from __future__ import annotations

import html
from datetime import date

import attrs

from directories import Directory, Invoices, install
from pqrs_adapters.sqlalchemy.satisfaction import record_answer
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.ports import CaseQuery
from pqrs_core.ports_integration import Customer, Invoice

from .conftest import Site
from .test_portal import answered
from .test_public import all_cases, filing

MARTA = Customer("C-200", "Marta Gómez Ruiz", document_type="CC", document_number="43123456",
                 email="marta@example.com", phone="+57 300 555 1234", branches=("Bogotá",),
                 commercial=(("Rango", "Diamante"), ("Estado comercial", "Bloqueado por cartera"),
                             ("Patrocinador", "Diana Castaño"), ("Saldo en cartera", "$ 1.250.000")))
FELIPE = Requester(full_name="Felipe Mora", document_type="CC", document_number="79555123",
                   email="felipe@example.com", user="felipe")  # in diana's network


def test_the_staff_see_contact_commercial_data_cases_invoices_surveys_and_consents(site: Site) -> None:
    install(site.pqrs, Directory([MARTA]),
            invoices=[Invoices([Invoice("FE-9001", "C-200", date(2026, 5, 20), "PED-12")])])
    case = site.file("ana", subject="Certificado de paz y salvo")  # Marta, document 43123456
    assert record_answer(site.engine, case.id, 2, None, "Tardaron mucho", site.now())
    public = site.as_user(None).post("/radicar", filing(site.app, asunto="Cobro doble"))
    assert public.status_code == 302

    page = html.unescape(site.as_user("ana").page("/clientes/43123456"))

    assert "Marta Gómez Ruiz" in page and "C-200" in page and "marta@example.com" in page
    for label, value in MARTA.commercial:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page
    assert str(case.filing_number) in page and "Certificado de paz y salvo" in page and "Cobro doble" in page
    workflow = next(w for w in site.pqrs.catalog().workflows if w.code == case.workflow)
    assert f'<span class="state">{workflow.state(case.state).label}</span>' in page  # each case's state
    assert "FE-9001" in page and "20/05/2026" in page and "PED-12" in page
    assert "2 de 5" in page and "Tardaron mucho" in page
    assert "Aviso 2026-03 aceptado el" in page  # the consent given on the public form
    by_code = html.unescape(site.as_user("ana").page("/clientes/C-200"))  # by customer code too
    assert "Marta Gómez Ruiz" in by_code and "Cédula de ciudadanía 43123456" in by_code
    assert str(case.filing_number) in by_code and "FE-9001" in by_code
    # Invoices are for those who may edit cases, as on the case's items: not for quality reviewers.
    quality = html.unescape(site.as_user("carlos").page("/clientes/43123456"))
    assert "Marta Gómez Ruiz" in quality and "FE-9001" not in quality and 'id="facturas"' not in quality


def test_the_case_page_and_the_inbox_link_to_the_view(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    assert 'href="/clientes/43123456"' in ana.page(f"/casos/{case.filing_number}")
    assert 'href="/clientes/43123456"' in ana.page("/bandeja")
    anonymous = site.file("ana", requester=Requester(kind=RequesterKind.ANONYMOUS, email="x@example.com"))
    assert "/clientes/" not in ana.page(f"/casos/{anonymous.filing_number}")


def test_without_a_directory_the_view_shows_what_the_cases_say(site: Site) -> None:
    site.file("ana")

    page = html.unescape(site.as_user("ana").page("/clientes/43.123.456"))

    assert "Marta Gómez" in page and "Ningún directorio de clientes conoce este documento" in page
    assert "Datos comerciales" not in page and "Sin código de cliente no hay facturas" in page


def test_a_directory_that_is_down_is_named_and_the_cases_still_show(site: Site) -> None:
    install(site.pqrs, Directory([MARTA], down=True))
    case = site.file("ana")

    page = html.unescape(site.as_user("ana").page("/clientes/43123456"))

    assert "No fue posible consultar: crm" in page and str(case.filing_number) in page


def test_each_viewer_sees_only_the_cases_she_may_see(site: Site) -> None:
    open_case = site.file("ana", subject="Caso todavía abierto")
    closed = answered(site, site.file("ana", subject="Caso ya cerrado"), "Le enviamos el certificado.")
    carlos = site.actor("carlos")  # quality: the closed cases, not the open ones
    assert site.pqrs.count(CaseQuery(requester_document="43123456"), carlos) == 1

    page = site.as_user("carlos").page("/clientes/43123456")

    assert str(closed.filing_number) in page and str(open_case.filing_number) not in page
    assert "Caso todavía abierto" not in page
    assert str(open_case.filing_number) in site.as_user("ana").page("/clientes/43123456")


def test_a_consultant_sees_her_network_and_nobody_else(site: Site) -> None:
    install(site.pqrs, Directory([MARTA]))
    network = site.file("felipe", subject="Pedido de Felipe", requester=FELIPE)
    # The same document, filed by an agent for someone who is not her network's user.
    other = site.file("ana", subject="Pedido radicado por la asesora",
                      requester=attrs.evolve(FELIPE, user=None))
    diana = site.as_user("diana")

    page = diana.page("/clientes/79555123")

    assert str(network.filing_number) in page and str(other.filing_number) not in page
    assert f'href="/portal/casos/{network.filing_number}"' in page  # a customer reads cases in the portal
    diana.page("/clientes/43123456", status=404)  # a customer of the directory, none of her network's
    site.as_user("pedro").page("/clientes/79555123", status=404)
    site.as_user("ana").page("/clientes/11111111", status=404)  # nobody knows this document


def test_the_page_needs_a_login(site: Site) -> None:
    response = site.as_user(None).get("/clientes/43123456")
    assert response.status_code == 302 and "/ingresar" in response.headers["Location"]


def test_the_public_form_links_a_person_to_the_customer_with_her_document(site: Site) -> None:
    install(site.pqrs, Directory([MARTA]))

    response = site.as_user(None).post("/radicar", filing(site.app))  # document 43.123.456, CC

    assert response.status_code == 302
    [case] = all_cases(site)
    assert case.requester.kind is RequesterKind.CUSTOMER and case.requester.customer_id == "C-200"
    assert case.requester.full_name == "Marta Gómez"  # as she wrote it


def test_the_public_form_files_a_person_when_the_directory_is_down(site: Site) -> None:
    install(site.pqrs, Directory([MARTA], down=True))

    assert site.as_user(None).post("/radicar", filing(site.app)).status_code == 302

    [case] = all_cases(site)
    assert case.requester.kind is RequesterKind.PERSON and case.requester.customer_id is None


def test_a_portal_user_whose_document_a_directory_knows_files_as_that_customer(site: Site) -> None:
    site.file("ana", requester=Requester(full_name="Pedro Ruiz", document_type="CC",
                                         document_number="1010101010", email="pedro@example.com",
                                         user="pedro"))
    install(site.pqrs, Directory([Customer("C-300", "Pedro Ruiz", document_type="CC",
                                           document_number="1010101010")]))
    pedro = site.as_user("pedro")
    form = {"tipo": "peticion", "asunto": "Estado de mi pedido", "descripcion": "¿Cuándo llega?",
            "nombre": "Pedro Ruiz", "tipo_documento": "CC", "numero_documento": "1010101010",
            "correo": "pedro@example.com", "autorizacion": "1"}

    response = pedro.post("/portal/nuevo", {**form, "csrf_token": pedro.csrf_token()})

    assert response.status_code == 302, response.get_data(as_text=True)
    newest = site.pqrs.cases(CaseQuery(limit=1)).cases[0]
    assert newest.subject == "Estado de mi pedido" and newest.requester.customer_id == "C-300"
    assert newest.requester.user == "pedro"

"""The staff's new-case form (``/casos/nuevo``): filing a phoned-in case, errors that keep what was
typed, first-contact resolution, the requester lookup (earlier cases one may see, the customer
directories of plugins) and a form sent twice that files once."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pytest

from pqrs_core.domain.access import Permission, Role, Scope
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.plugins import collect_registrations
from pqrs_core.ports import CaseQuery
from pqrs_core.ports_integration import Customer

from .conftest import Site, Visitor

NEW = "/casos/nuevo"
LOOKUP = "/casos/nuevo/peticionario"


def open_form(visitor: Visitor) -> dict[str, str]:
    """Open the form and return what a browser would send untouched: its token and its defaults."""
    page = visitor.page(NEW)
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    received = re.search(r'name="received_at" type="datetime-local" value="([^"]*)"', page)
    assert token and received
    return {"form_token": token.group(1), "channel": "phone", "received_at": received.group(1),
            "verbal": "1", "requester.kind": "person", "requester.document_type": "CC", "priority": "",
            "accion": "radicar"}


def filed(site: Site, subject: str) -> list[Any]:
    return [c for c in site.pqrs.cases(CaseQuery(limit=100)).cases if c.subject == subject]


def number_in(location: str) -> str:
    found = re.search(r"/casos/(PQRS-\d{4}-\d{6})$", location)
    assert found, location
    return found.group(1)


def test_an_agent_files_a_phoned_in_case_with_the_minimum_fields(site: Site) -> None:
    ana = site.as_user("ana")
    form = open_form(ana)
    page = ana.page(NEW)
    assert '<option value="phone" selected>' in page  # phone preselected
    assert 'name="verbal" type="checkbox" value="1" checked' in page  # a call is a verbal petition

    response = ana.post(NEW, {**form, "kind": "reclamo", "subject": "Devolución no aplicada",
                              "description": "Devolvió 3 cajas y la nota crédito no aparece."})

    assert response.status_code == 303
    number = number_in(response.headers["Location"])
    case = site.pqrs.case(number)
    assert (case.kind, case.channel, case.verbal, case.received_by) == ("reclamo", "phone", True, "ana")
    assert case.state == "filed" and case.resolution_due is not None
    landing = ana.page(response.headers["Location"])
    assert f"Radicado {number}; respuesta a más tardar el" in html.unescape(landing)


def test_a_full_call_keeps_every_field(site: Site) -> None:
    ana = site.as_user("ana")
    form = open_form(ana)
    response = ana.post(NEW, {
        **form, "channel": "physical_document", "received_at": "2026-01-05T09:15", "verbal": "",
        "requester.document_number": "43.123.456", "requester.full_name": "Marta Gómez",
        "requester.email": "marta@example.com", "requester.phone": "3001234567",
        "requester.address": "Calle 10 # 5-20", "kind": "reclamo", "subject": "Pedido incompleto",
        "description": "Faltaron dos cajas.", "typification": "PEDIDO_NO_RECIBIDO",
        "reason": "PEDIDO_INCOMPLETO", "priority": "matriz:1:0",
        "references.0.kind": "invoice", "references.0.number": "FV-20931",
        "references.1.kind": "order", "references.1.number": "PED-77", "references.2.number": "",
        "missing_information": "Foto de la guía\n\nCopia de la factura"})

    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    case = site.pqrs.case(number_in(response.headers["Location"]))
    assert case.requester.document_number == "43123456"  # without the dots people write
    assert case.typification is not None and case.typification.code == "PEDIDO_NO_RECIBIDO"
    assert (case.priority, case.reason, case.channel, case.verbal) == ("alta", "PEDIDO_INCOMPLETO",
                                                                      "physical_document", False)
    assert [(r.kind.value, r.number) for r in case.references] == [("invoice", "FV-20931"),
                                                                   ("order", "PED-77")]
    assert case.received_at.isoformat().startswith("2026-01-05T14:15")  # 09:15 in Bogotá is 14:15 UTC
    assert {"Foto de la guía", "Copia de la factura"} <= set(case.missing_information)


def test_validation_errors_keep_what_was_typed_and_name_the_fields(site: Site) -> None:
    ana = site.as_user("ana")
    form = open_form(ana)
    response = ana.post(NEW, {**form, "kind": "", "subject": "", "description": "Me atendieron mal",
                              "requester.email": "marta-arroba-example", "requester.document_number": "12",
                              "requester.full_name": "Marta Gómez", "priority": "matriz:0:1",
                              "references.0.kind": "invoice", "references.0.number": "F" * 80})

    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert 'value="Marta Gómez"' in page and ">Me atendieron mal</textarea>" in page
    assert 'value="marta-arroba-example"' in page and 'value="matriz:0:1" checked' in page
    assert 'value="' + "F" * 80 + '"' in page
    # Each error next to its input, and the summary at the top links to it.
    assert re.search(r'id="error-subject" class="field-error">Es obligatorio\.<', page)
    assert re.search(r'id="error-requester\.email" class="field-error">«marta-arroba-example» no es un', page)
    assert 'id="error-requester.document_number"' in page and 'id="error-references.0.number"' in page
    start = page.index('class="error-summary"')
    summary = page[start:page.index("</ul>", start)]
    assert '<a href="#subject">Asunto: es obligatorio.</a>' in summary
    assert summary.index("#requester.email") < summary.index("#kind")  # in the order of the page
    assert '<a href="#requester.email">Correo electrónico: ' in summary
    assert filed(site, "") == []


def test_custom_fields_of_the_kind_are_asked_and_checked(site: Site) -> None:
    ana = site.as_user("ana")
    page = ana.page(NEW)
    assert 'data-kinds="nota_credito"' in page and 'id="custom_fields.valor"' in page
    form = {**open_form(ana), "kind": "nota_credito", "subject": "Nota por avería",
            "description": "Llegaron dos unidades averiadas.",
            "custom_fields.motivo_nota": "Faltante en la entrega"}

    missing = ana.post(NEW, form)
    assert missing.status_code == 422
    assert re.search(r'id="error-custom_fields\.valor" class="field-error">Es obligatorio\.',
                     missing.get_data(as_text=True))

    response = ana.post(NEW, {**form, "custom_fields.valor": "125000.50",
                              "custom_fields.numero_factura": "FV-1"})
    assert response.status_code == 303
    case = site.pqrs.case(number_in(response.headers["Location"]))
    assert case.custom_fields == {"motivo_nota": "Faltante en la entrega", "valor": "125000.50",
                                  "numero_factura": "FV-1"}


def test_resolved_at_first_contact_files_and_closes_the_case_at_once(site: Site) -> None:
    ana = site.as_user("ana")
    form = {**open_form(ana), "kind": "peticion", "subject": "Horario de atención",
            "description": "Pregunta a qué hora abren los sábados.", "resolved_at_first_contact": "1"}

    without_solution = ana.post(NEW, form)
    assert without_solution.status_code == 422
    assert 'id="error-solution"' in without_solution.get_data(as_text=True)

    response = ana.post(NEW, {**form, "solution": "Se le informó: sábados de 8 a 12."})
    assert response.status_code == 303
    number = number_in(response.headers["Location"])
    case = site.pqrs.case(number)
    assert (case.state, case.first_contact_resolution, case.solution) == (
        "closed", True, "Se le informó: sábados de 8 a 12.")
    assert f"Radicado {number} y cerrado: resuelto en el primer contacto." in ana.page(f"/casos/{number}")


def test_a_form_sent_twice_files_one_case_and_the_second_lands_on_it(site: Site) -> None:
    ana = site.as_user("ana")
    form = {**open_form(ana), "kind": "queja", "subject": "Doble clic", "description": "Enviado dos veces."}

    first = ana.post(NEW, form)
    second = ana.post(NEW, form)

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(filed(site, "Doble clic")) == 1
    assert "ya se había radicado" in html.unescape(ana.page(second.headers["Location"]))
    # A new form (a new token) files a new case.
    assert ana.post(NEW, {**form, "form_token": open_form(ana)["form_token"]}).status_code == 303
    assert len(filed(site, "Doble clic")) == 2


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(site: Site) -> None:
    ana = site.as_user("ana")
    form = {**open_form(ana), "kind": "queja", "subject": "Corregido", "description": "",
            "typification": "NO_EXISTE"}

    assert ana.post(NEW, form).status_code == 422
    assert ana.post(NEW, {**form, "description": "Ahora sí.", "typification": ""}).status_code == 303
    assert len(filed(site, "Corregido")) == 1


def test_a_form_without_its_token_files_nothing_and_keeps_what_was_typed(site: Site) -> None:
    ana = site.as_user("ana")
    form = {**open_form(ana), "form_token": "", "kind": "queja", "subject": "Sin marca", "description": "x"}

    response = ana.post(NEW, form)

    assert response.status_code == 422
    assert 'value="Sin marca"' in response.get_data(as_text=True) and filed(site, "Sin marca") == []


def _restrict_agents_to_petitions(site: Site) -> None:
    """Agents see their own cases, their queue's, and petitions: a complaint in the back office is not
    theirs to see."""
    staff = frozenset({Permission.FILE, Permission.EDIT, Permission.NOTE, Permission.TAKE, Permission.WORK,
                       Permission.ATTACH, Permission.REPLY})
    scopes = frozenset({Scope.OWN, Scope.AFFECTED, Scope.ASSIGNED, Scope.QUEUE, Scope.ROLE_MATCH})
    site.pqrs.catalog_admin.put_role(Role("agent", "Asesor SAC", staff, scopes, kinds=("peticion",)),
                                     site.actor("admin"))


def _earlier_cases(site: Site) -> tuple[str, str]:
    marta = Requester(full_name="Marta Gómez", document_type="CC", document_number="43123456",
                      email="marta@example.com", phone="3001234567", address="Calle 10 # 5-20")
    seen = site.file("ana", subject="Certificado de paz y salvo", requester=marta)
    hidden = site.file("bruno", kind="queja", subject="Queja reservada", queue="back_office", requester=marta)
    _restrict_agents_to_petitions(site)
    with pytest.raises(NotFound):  # the agent may not see the back office's complaint
        site.pqrs.case(str(hidden.filing_number), site.actor("ana"))
    return str(seen.filing_number), str(hidden.filing_number)


@pytest.mark.parametrize("query", [{"documento": "43.123.456"}, {"correo": "MARTA@example.com"}])
def test_the_lookup_finds_the_requester_in_cases_the_agent_may_see(site: Site, query: dict[str, str]) -> None:
    seen, hidden = _earlier_cases(site)

    response = site.as_user("ana").post(LOOKUP, query)

    assert response.status_code == 200
    data = response.get_json()
    assert [c["filing_number"] for c in data["cases"]] == [seen]
    assert data["requester"]["requester.full_name"] == "Marta Gómez"
    assert data["requester"]["requester.address"] == "Calle 10 # 5-20"
    assert seen in data["html"] and hidden not in data["html"] and "Queja reservada" not in data["html"]
    # Someone who may see both gets both, newest first.
    both = site.as_user("sofia").post(LOOKUP, query).get_json()["cases"]
    assert [c["filing_number"] for c in both] == [hidden, seen]


def test_the_search_button_fills_the_requester_and_keeps_what_was_typed(site: Site) -> None:
    seen, hidden = _earlier_cases(site)
    ana = site.as_user("ana")
    form = {**open_form(ana), "accion": "buscar", "requester.document_number": "43123456",
            "requester.phone": "6015550000", "subject": "Llamada en curso", "kind": "reclamo"}

    response = ana.post(NEW, form)

    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert 'id="requester.full_name" name="requester.full_name" type="text" value="Marta Gómez"' in page
    assert 'value="marta@example.com"' in page
    assert 'value="6015550000"' in page and "3001234567" not in page  # typed data wins
    assert 'value="Llamada en curso"' in page and '<option value="reclamo" selected>' in page
    assert f'href="/casos/{seen}"' in page and hidden not in page
    assert filed(site, "Llamada en curso") == []  # searching files nothing
    assert f'value="{form["form_token"]}"' in page  # the same form: its token is kept


def test_the_lookup_keeps_the_document_out_of_the_address(site: Site) -> None:
    site.file("ana", subject="Anterior")  # Marta Gómez, CC 43123456
    ana = site.as_user("ana")

    assert ana.get(f"{LOOKUP}?documento=43123456").status_code == 405  # access logs never see it
    assert ana.post(LOOKUP, {"documento": "43123456"}, csrf=False).status_code == 400
    found = ana.post(LOOKUP, {"documento": "43123456"})
    assert found.status_code == 200 and found.get_json()["requester"]["requester.full_name"] == "Marta Gómez"


def test_an_unknown_requester_is_said_so(site: Site) -> None:
    data = site.as_user("ana").post(LOOKUP, {"documento": "99999999"}).get_json()

    assert data["cases"] == [] and data["requester"] is None
    assert "No hay casos anteriores" in data["html"]


class FakeCrm:
    name = "crm"

    def __init__(self, customers: Sequence[Customer], fail: bool = False) -> None:
        self.customers = list(customers)
        self.fail = fail

    def find(self, text: str, limit: int = 20) -> list[Customer]:
        if self.fail:
            raise ConnectionError("CRM caído")
        return [c for c in self.customers if text in (c.document_number, c.email)][:limit]

    def get(self, customer_id: str) -> Customer | None:
        return next((c for c in self.customers if c.customer_id == customer_id), None)


class CrmPlugin:
    def __init__(self, directory: FakeCrm) -> None:
        self.directory = directory

    @hookimpl
    def pqrs_customer_directories(self, register: Register) -> None:
        register(self.directory)


def _install(site: Site, directory: FakeCrm) -> None:
    pm = site.pqrs.plugin_manager
    assert pm is not None
    pm.register(CrmPlugin(directory), name=f"crm-{id(directory)}")
    site.pqrs.registrations = collect_registrations(pm)


TORNILLO = Customer("C-100", "Ferretería El Tornillo S.A.S.", document_type="NIT",
                    document_number="900123456", email="compras@tornillo.example", phone="6044440000",
                    address="Carrera 50 # 10-20", branches=("Medellín",))


def test_a_customer_of_a_directory_plugin_fills_the_requester(site: Site) -> None:
    _install(site, FakeCrm([TORNILLO]))
    ana = site.as_user("ana")

    data = ana.post(LOOKUP, {"documento": "900123456"}).get_json()
    assert data["customers"][0]["name"] == "Ferretería El Tornillo S.A.S."
    assert data["requester"]["requester.kind"] == "customer"  # the only match fills the form
    assert data["requester"]["requester.customer_id"] == "C-100"

    searched = html.unescape(ana.post(NEW, {**open_form(ana), "accion": "buscar",
                                            "requester.document_number": "900123456"}).get_data(as_text=True))
    assert '<option value="NIT" selected>' in searched and '<option value="customer" selected>' in searched
    assert 'value="Ferretería El Tornillo S.A.S."' in searched and "Usar este cliente" in searched

    form = {**open_form(ana), "requester.document_type": "NIT", "requester.document_number": "900123456",
            "requester.full_name": "Escrito a mano", "kind": "reclamo", "subject": "Pedido con faltantes",
            "description": "Faltó una caja."}
    picked = ana.post(NEW, {**form, "accion": "cliente:crm:C-100"})
    page = html.unescape(picked.get_data(as_text=True))
    assert picked.status_code == 200 and '<option value="customer" selected>' in page
    assert 'value="C-100"' in page and 'value="Ferretería El Tornillo S.A.S."' in page  # chosen: replaces
    assert 'value="Medellín"' in page and 'value="Pedido con faltantes"' in page

    values = {**form, **{k: v for k, v in data["customers"][0]["requester"].items()}}
    response = ana.post(NEW, values)
    assert response.status_code == 303
    case = site.pqrs.case(number_in(response.headers["Location"]))
    assert (case.requester.kind, case.requester.customer_id, case.requester.branch) == (
        RequesterKind.CUSTOMER, "C-100", "Medellín")


def test_a_failing_directory_does_not_stop_the_lookup(site: Site) -> None:
    site.file("ana", subject="Anterior")
    _install(site, FakeCrm([TORNILLO], fail=True))

    data = site.as_user("ana").post(LOOKUP, {"documento": "43123456"}).get_json()

    assert data["unavailable"] == ["crm"] and len(data["cases"]) == 1
    assert "«crm» no respondió" in html.unescape(data["html"])


@pytest.mark.parametrize("username", ["juan", "diana", "carlos"])
def test_people_who_do_not_file_for_others_cannot_open_the_staff_form(site: Site, username: str) -> None:
    visitor = site.as_user(username)

    assert visitor.get(NEW).status_code == 403
    assert visitor.post(NEW, {"kind": "queja", "subject": "x", "description": "y",
                              "form_token": "a" * 32}).status_code == 403
    assert visitor.post(LOOKUP, {"documento": "43123456"}).status_code == 403
    assert filed(site, "x") == []


def test_the_public_is_sent_to_log_in(site: Site) -> None:
    response = site.as_user(None).get(NEW)

    assert response.status_code == 302 and "/ingresar" in response.headers["Location"]
    assert site.as_user(None).post(LOOKUP, {"documento": "1"}).status_code == 302


def test_the_lookup_counts_every_earlier_case_and_links_to_all_of_them(site: Site) -> None:
    marta = Requester(full_name="Marta Gómez", document_type="CC", document_number="43123456",
                      email="marta@example.com")
    numbers = [str(site.file("ana", subject=f"Solicitud {i}", requester=marta).filing_number)
               for i in range(12)]
    luis = Requester(full_name="Luis Pérez", document_type="CC", document_number="80111222")
    other = site.file("ana", subject="De otra persona", requester=luis)
    ana = site.as_user("ana")

    found = ana.post(LOOKUP, {"documento": "43123456"}).get_json()

    page = html.unescape(found["html"])
    assert len(found["cases"]) == 10
    assert "Casos anteriores de este peticionario (12)" in page and "(10)" not in page
    assert "Ver los 12 casos de este peticionario" in page
    # The button posts the form (the document stays out of every address) and opens the inbox filtered.
    inbox = ana.post("/casos/nuevo/casos-del-peticionario",
                     {**open_form(ana), "requester.document_number": "43.123.456"})
    assert inbox.status_code == 302 and "43123456" not in inbox.headers["Location"]
    listed = html.unescape(ana.page(inbox.headers["Location"]))
    assert all(n in listed for n in numbers) and str(other.filing_number) not in listed
    assert "Solo los casos del peticionario con documento 43123456" in listed
    # Another person's session does not have that search.
    stranger = html.unescape(site.as_user("sofia").page(inbox.headers["Location"], status=400))
    assert "búsquelo de nuevo" in stranger


def test_a_short_history_needs_no_link(site: Site) -> None:
    site.file("ana", subject="Anterior")
    page = html.unescape(site.as_user("ana").post(LOOKUP, {"documento": "43123456"}).get_json()["html"])
    assert "Casos anteriores de este peticionario (1)" in page and "Ver los" not in page

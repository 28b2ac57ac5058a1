"""The customers' portal: their own cases only, the public face of each one, replies to requests for
information and counter-responses, and a new case with their identity filled in."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.domain.workflow import StateCategory

from .conftest import Site

JUAN = Requester(kind=RequesterKind.CUSTOMER, customer_id="CLI-010245", full_name="Juan Pérez",
                 document_type="CC", document_number="80123456", email="juan.perez@example.com",
                 phone="+57 310 555 0101", address="Calle 100 # 15-20, Bogotá", user="juan")
PEDRO = Requester(full_name="Pedro Ruiz", document_type="CC", document_number="1010101010",
                  email="pedro@example.com", user="pedro")
FELIPE = Requester(full_name="Felipe Mora", document_type="CC", document_number="79555123",
                   email="felipe@example.com", user="felipe")  # in diana's network


def case_for(site: Site, requester: Requester, subject: str) -> Case:
    return site.file("ana", subject=subject, requester=requester)


def waiting_for(site: Site, case: Case, message: str = "Envíenos la factura FV-2231 escaneada.") -> Case:
    """Staff take the case and ask its requester for information (with a work-log note on the way)."""
    number, ana = str(case.filing_number), site.actor("ana")
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    site.pqrs.handle(c.AddNote(filing_number=number, text="Nota interna: cliente con cartera vencida"), ana)
    updated: Case = site.pqrs.handle(c.RequestInformation(filing_number=number, message=message), ana)
    return updated


def answered(site: Site, case: Case, text: str) -> Case:
    """Staff take the case, answer it with ``text`` and close it."""
    number, ana = str(case.filing_number), site.actor("ana")
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    updated: Case = site.pqrs.handle(c.RespondCase(filing_number=number, text=text, close=True), ana)
    return updated


def test_a_customer_lands_in_the_portal_and_sees_only_their_cases(site: Site) -> None:
    mine = case_for(site, JUAN, "Devolución no aplicada")
    other = case_for(site, PEDRO, "Pedido de Pedro")
    juan = site.as_user("juan")

    home = juan.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/portal")
    page = juan.page("/portal")

    assert str(mine.filing_number) in page and "Devolución no aplicada" in page
    assert str(other.filing_number) not in page and "Pedido de Pedro" not in page
    assert "Recibido, pendiente de trámite" in page and 'class="case-card"' in page
    assert mine.resolution_due is not None
    assert 'href="/portal/nuevo"' in page
    assert '<a href="/portal" aria-current="page">Portal</a>' in page


def test_a_page_link_changed_by_hand_shows_the_first_page_with_a_message(site: Site) -> None:
    mine = case_for(site, JUAN, "Devolución no aplicada")

    page = html.unescape(site.as_user("juan").page("/portal?despues=zzz", status=400))

    assert str(mine.filing_number) in page
    assert "El enlace de paginación no es válido: se muestra la primera página." in page


def test_a_customer_cannot_open_or_write_to_someone_elses_case(site: Site) -> None:
    other = waiting_for(site, case_for(site, PEDRO, "Pedido de Pedro"))
    juan = site.as_user("juan")
    number = str(other.filing_number)

    page = juan.page(f"/portal/casos/{number}", status=404)
    assert "Pedido de Pedro" not in page
    assert juan.page("/portal/casos/no-es-un-radicado", status=404)
    response = juan.post(f"/portal/casos/{number}/mensajes",
                         {"mensaje": "Hola", "version": str(other.version)})

    assert response.status_code == 404
    assert site.pqrs.case(number).state == "waiting_requester"
    assert [e.name for e in site.pqrs.history(number)][-1] != "RequesterReplied"


def test_the_case_page_shows_the_public_messages_but_not_the_work_log(site: Site) -> None:
    case = waiting_for(site, case_for(site, JUAN, "Devolución no aplicada"))

    page = site.as_user("juan").page(f"/portal/casos/{case.filing_number}")

    assert "Esperando información suya" in page and "Envíenos la factura FV-2231 escaneada." in page
    assert "Enviar la información solicitada" in page
    assert "Nota interna" not in page and "cartera vencida" not in page
    for internal in ("Primer nivel", "primer_nivel", "En progreso"):
        assert internal not in page, internal


def test_the_customer_answers_a_request_for_information_and_the_case_moves_on(site: Site) -> None:
    case = waiting_for(site, case_for(site, JUAN, "Devolución no aplicada"))
    number = str(case.filing_number)
    juan = site.as_user("juan")

    response = juan.post(f"/portal/casos/{number}/mensajes", {
        "mensaje": "Adjunto la factura escaneada.", "version": str(case.version),
        "adjuntos": [(io.BytesIO(b"%PDF-1.4 factura"), "FV-2231.pdf")]})

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/portal/casos/{number}")
    stored = site.pqrs.case(number)
    assert stored.state_category is StateCategory.DOING and stored.state == "in_progress"
    assert [a.filename for a in stored.attachments] == ["FV-2231.pdf"]
    replied = [e for e in site.pqrs.history(number) if e.name == "RequesterReplied"]
    assert [(e.actor, getattr(e, "message", "")) for e in replied] == [
        ("juan", "Adjunto la factura escaneada.")]
    page = juan.page(f"/portal/casos/{number}")
    assert "Recibimos su mensaje." in page and "Su mensaje" in page and "En trámite" in page


def test_an_empty_or_stale_reply_is_refused_with_the_text_kept(site: Site) -> None:
    case = waiting_for(site, case_for(site, JUAN, "Devolución no aplicada"))
    number = str(case.filing_number)
    juan = site.as_user("juan")

    empty = juan.post(f"/portal/casos/{number}/mensajes", {"mensaje": "  ", "version": str(case.version)})
    assert empty.status_code == 422 and "Escriba su mensaje." in empty.get_data(as_text=True)

    site.pqrs.handle(c.AddNote(filing_number=number, text="Le escribimos de nuevo.", public=True),
                     site.actor("ana"))
    stale = juan.post(f"/portal/casos/{number}/mensajes", {"mensaje": "Aquí va la factura.",
                                                           "version": str(case.version)})

    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "El caso cambió mientras usted escribía" in page
    assert "Aquí va la factura.</textarea>" in page and "Le escribimos de nuevo." in page
    assert site.pqrs.case(number).state == "waiting_requester"


def test_a_counter_response_after_the_answer_reopens_the_case(site: Site) -> None:
    case = answered(site, case_for(site, JUAN, "Devolución no aplicada"),
                    "Aplicamos la nota crédito NC-5521.")
    number = str(case.filing_number)
    juan = site.as_user("juan")
    page = juan.page(f"/portal/casos/{number}")
    assert "Cerrado" in page and "Aplicamos la nota crédito NC-5521." in page
    assert "Enviar contrarrespuesta" in page

    response = juan.post(f"/portal/casos/{number}/mensajes", {
        "mensaje": "La nota crédito no aparece en mi cuenta.", "version": str(case.version)})

    assert response.status_code == 302
    assert site.pqrs.case(number).state == "in_progress"
    assert "Su contrarrespuesta" in juan.page(f"/portal/casos/{number}")


def test_after_the_counter_response_window_the_portal_says_so_and_points_to_a_new_filing(
        site: Site, clock: FrozenClock) -> None:
    case = answered(site, case_for(site, JUAN, "Devolución no aplicada"), "Aplicamos la nota crédito.")
    number = str(case.filing_number)
    clock.advance(days=site.pqrs.deps.settings.counter_response_window_days, hours=1)
    juan = site.as_user("juan")  # logged in now: a session idle since the answer would have ended

    page = juan.page(f"/portal/casos/{number}")

    assert "Enviar contrarrespuesta" not in page and "reabrimos su caso" not in page
    assert "Terminó el plazo para la contrarrespuesta" in page
    assert f"radique una nueva PQRS y cite el radicado {number}" in page
    assert 'href="/portal/nuevo"' in page
    # The page tells what the command does: a message sent now is recorded, the case stays closed.
    juan.post(f"/portal/casos/{number}/mensajes", {"mensaje": "Insisto.", "version": str(case.version)})
    assert site.pqrs.case(number).state == "closed"


def test_a_consultant_reads_a_network_case_about_its_requester_and_cannot_answer_for_him(site: Site) -> None:
    case = waiting_for(site, case_for(site, FELIPE, "Pedido de Felipe"))
    number = str(case.filing_number)
    diana = site.as_user("diana")

    page = diana.page(f"/portal/casos/{number}")
    listing = diana.page("/portal")

    assert "Esperando información del peticionario" in page and "Esperando información suya" not in page
    assert "Pedimos información a Felipe Mora" in page and "respóndanos abajo" not in page
    assert 'name="mensaje"' not in page and "Enviar la información solicitada" not in page
    assert "Solo el peticionario puede responder" in page and "Este caso es de Felipe Mora" in page
    assert number in listing and "Requiere su respuesta" not in listing
    assert "Esperando información del peticionario" in listing

    response = diana.post(f"/portal/casos/{number}/mensajes", {"mensaje": "Le envío la factura de Felipe.",
                                                                "version": str(case.version)})

    refused = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Solo el peticionario (Felipe Mora) puede responder" in refused
    assert "Le envío la factura de Felipe." in refused  # kept for her to copy
    assert site.pqrs.case(number).state == "waiting_requester"
    assert "RequesterReplied" not in [e.name for e in site.pqrs.history(number)]
    own = site.as_user("felipe").page(f"/portal/casos/{number}")
    assert "Esperando información suya" in own and "Enviar la información solicitada" in own


def new_case_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"tipo": "peticion", "asunto": "Certificado de retenciones",
                            "descripcion": "Necesito el certificado de retención en la fuente de 2025.",
                            "nombre": "Juan Pérez", "tipo_documento": "CC", "numero_documento": "80123456",
                            "correo": "juan.perez@example.com", "telefono": "", "direccion": "",
                            "autorizacion": "1"}
    form.update(overrides)
    return form


def test_a_new_case_from_the_portal_is_prefilled_and_filed_in_the_customers_name(site: Site) -> None:
    case_for(site, JUAN, "Caso anterior")
    juan = site.as_user("juan")
    form = juan.page("/portal/nuevo")
    for prefilled in ("Juan Pérez", "80123456", "juan.perez@example.com"):
        assert f'value="{prefilled}"' in form
    assert "Tratamiento de datos personales" in form
    assert "anonimo" not in form  # a registered customer files in their own name

    response = juan.post("/portal/nuevo", new_case_form())

    assert response.status_code == 302
    number = re.search(r"/portal/casos/(PQRS-\d{4}-\d{6})$", response.headers["Location"])
    assert number is not None
    case = site.pqrs.case(number.group(1))
    assert case.channel == "portal" and case.filed_by == "juan" and case.requester.user == "juan"
    assert case.requester.customer_id == "CLI-010245"  # kept from their customer record
    assert case.consent is not None and case.consent.channel == "portal"
    page = juan.page(response.headers["Location"])
    assert f"Radicamos su caso {case.filing_number}" in page and "Le enviamos una constancia" in page


def test_a_new_case_without_consent_is_refused_in_the_portal_too(site: Site) -> None:
    juan = site.as_user("juan")

    response = juan.post("/portal/nuevo", new_case_form(autorizacion=None, asunto="Sin autorización"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Para radicar debe autorizar el tratamiento de sus datos personales." in page
    assert 'value="Sin autorización"' in page
    assert "Sin autorización" not in site.as_user("juan").page("/portal")


def test_the_portal_needs_a_login(site: Site) -> None:
    response = site.as_user(None).get("/portal")

    assert response.status_code == 302 and "/ingresar" in response.headers["Location"]


def test_what_needs_the_customers_answer_comes_first(site: Site, clock: FrozenClock) -> None:
    asked = waiting_for(site, case_for(site, JUAN, "Devolución pendiente"))
    clock.advance(hours=1)
    newer = [case_for(site, JUAN, f"Pedido {i}") for i in range(3)]  # newer: listed before it by date
    page = site.as_user("juan").page("/portal")

    pending = page[page.index('id="pendientes"'):page.index('id="todos"')]
    assert "1 caso requiere su respuesta" in page
    assert str(asked.filing_number) in pending and all(str(x.filing_number) not in pending for x in newer)
    assert page.index("Requiere su respuesta") < page.index(str(newer[-1].filing_number))
    assert f'href="/portal/casos/{asked.filing_number}#escribir">Responder' in page
    assert "<table" not in page  # cards, which a phone shows without scrolling sideways

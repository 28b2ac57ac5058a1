"""The public and the customers in a real browser: a person files a PQRS without an account and looks it
up with its filing number and their document; a registered customer answers a request for information
from the portal."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import login

pytestmark = pytest.mark.slow
FILING_NUMBER = re.compile(r"PQRS-\d{4}-\d{6}")


def test_a_person_files_a_pqrs_and_looks_it_up_with_its_number_and_their_document(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Radicar", exact=True).click()
    opened = time.monotonic()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Radicar una petición")

    page.get_by_label("Tipo de solicitud").select_option(label="Reclamo")
    page.get_by_label("Asunto").fill("Cobro doble en la factura FV-9001")
    page.get_by_label("Descripción").fill("Me cobraron dos veces el pedido 5521. Solicito la devolución.")
    page.get_by_label("Nombre completo").fill("Lucía Restrepo Gil")
    page.get_by_label("Tipo de documento").select_option(label="Cédula de ciudadanía")
    page.get_by_label("Número de documento").fill("52.998.877")
    page.get_by_label("Correo electrónico").fill("lucia.restrepo@example.com")
    page.get_by_label("Archivos", exact=True).set_input_files(
        files=[{"name": "factura.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 factura"}])
    # Forgetting the consent keeps everything typed (but the files) and says what is missing.
    page.get_by_role("button", name="Radicar solicitud").click()
    expect(page.locator("#error-autorizacion")).to_contain_text("autorizar el tratamiento de sus datos")
    expect(page.get_by_label("Asunto")).to_have_value("Cobro doble en la factura FV-9001")
    expect(page.get_by_text("elíjalo de nuevo")).to_be_visible()

    page.get_by_label("He leído el aviso y autorizo el tratamiento de mis datos personales").check()
    page.wait_for_timeout(max(0.0, 3.5 - (time.monotonic() - opened)) * 1000)  # people take a while
    page.get_by_role("button", name="Radicar solicitud").click()

    expect(page.get_by_role("heading", name="Su solicitud fue radicada")).to_be_visible()
    number = page.locator("#radicado").inner_text()
    assert FILING_NUMBER.fullmatch(number)
    due = page.locator("#vencimiento").inner_text()
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", due)
    expect(page.get_by_text("Le enviamos una constancia")).to_contain_text("lucia.restrepo@example.com")

    page.get_by_role("link", name="Consultar mi caso").click()
    expect(page).to_have_url(re.compile(r"/consultar$"))
    page.get_by_label("Número de radicado").fill(number)
    page.get_by_label("Número de documento").fill("52998877")
    page.get_by_role("button", name="Consultar").click()

    expect(page).to_have_url(re.compile(r"/consultar$"))  # the document never goes into the address
    expect(page.locator("#estado")).to_have_text("Recibido, pendiente de trámite")
    expect(page.locator("#vencimiento")).to_contain_text(due)
    expect(page.get_by_text("Cobro doble en la factura FV-9001")).to_be_visible()


def test_a_wrong_document_reveals_nothing(page: Page) -> None:
    page.goto("/consultar")
    page.get_by_label("Número de radicado").fill("PQRS-2026-000001")
    page.get_by_label("Número de documento").fill("123")
    page.get_by_role("button", name="Consultar").click()

    expect(page.get_by_role("alert")).to_contain_text("No encontramos un caso con ese número de radicado")
    expect(page.locator("#estado")).to_have_count(0)


def _api(page: Page, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """A call to the JSON API with the logged-in session of ``page`` (and its page's CSRF token)."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    response = page.request.post(f"/api/v1/{path}", data=body, headers={"X-CSRF-Token": token})
    assert response.ok, response.text()
    data: dict[str, Any] = response.json()
    return data


def test_a_customer_answers_a_request_for_information_from_the_portal(page: Page) -> None:
    # The service team files a case for juan.cliente by phone and asks him for a document.
    login(page, "ana.agente")
    case = _api(page, "cases", {
        "kind": "reclamo", "subject": "Nota crédito sin aplicar (prueba del portal)",
        "description": "El cliente devolvió 3 cajas y la nota crédito no aparece.", "channel": "phone",
        "requester": {"kind": "customer", "customer_id": "CLI-010245", "full_name": "Juan Pérez",
                      "document_type": "CC", "document_number": "80123456",
                      "email": "juan.perez@example.com", "user": "juan.cliente"}})
    number = case["filing_number"]
    _api(page, f"cases/{number}/transitions", {"transition": "start"})
    _api(page, f"cases/{number}/information-requests", {"message": "Envíenos la guía de la devolución."})
    _api(page, f"cases/{number}/notes", {"text": "Nota interna: revisar con bodega"})
    page.get_by_role("button", name="Salir").click()

    login(page, "juan.cliente")
    expect(page).to_have_url(re.compile(r"/portal$"))
    row = page.locator(".pending .case-card").filter(has_text=number)
    expect(row).to_contain_text("Requiere su respuesta")
    row.get_by_role("link", name=number, exact=True).click()

    expect(page.get_by_text("Envíenos la guía de la devolución.")).to_be_visible()
    expect(page.locator("#estado")).to_have_text("Esperando información suya")
    expect(page.get_by_text("revisar con bodega")).to_have_count(0)
    page.get_by_label("Su respuesta").fill("La guía es la 700123456 de Servientrega.")
    page.get_by_role("button", name="Enviar respuesta").click()

    expect(page.get_by_role("status").filter(has_text="Recibimos su mensaje.")).to_be_visible()
    expect(page.locator("#estado")).to_have_text("En trámite")
    expect(page.get_by_text("La guía es la 700123456 de Servientrega.")).to_be_visible()


def test_the_public_form_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/radicar")

    expect(page.get_by_role("button", name="Radicar solicitud")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_the_portal_on_a_phone_shows_what_needs_an_answer_first_without_scrolling_sideways(
        page: Page) -> None:
    login(page, "ana.agente")
    case = _api(page, "cases", {
        "kind": "peticion", "subject": "Certificado tributario (prueba del portal en el teléfono)",
        "description": "El cliente pide su certificado de retención.", "channel": "phone",
        "requester": {"kind": "customer", "customer_id": "CLI-010245", "full_name": "Juan Pérez",
                      "document_type": "CC", "document_number": "80123456",
                      "email": "juan.perez@example.com", "user": "juan.cliente"}})
    number = case["filing_number"]
    _api(page, f"cases/{number}/transitions", {"transition": "start"})
    _api(page, f"cases/{number}/information-requests", {"message": "Indíquenos el año gravable."})
    page.get_by_role("button", name="Salir").click()

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "juan.cliente")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card = page.locator(".pending .case-card").filter(has_text=number)
    expect(card.get_by_text("Requiere su respuesta")).to_be_in_viewport()
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    card.get_by_role("link", name=re.compile("^Responder")).click()
    expect(page.get_by_label("Su respuesta")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

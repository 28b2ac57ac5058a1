"""An agent files a phoned-in PQRS in Chromium with the keyboard (seed 002: under two minutes), and a
returning caller is found as the agent leaves the document field and is helped at first contact."""

from __future__ import annotations

import random
import re
import time

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import login

pytestmark = pytest.mark.slow

FILED = re.compile(r"/casos/(PQRS-\d{4}-\d{6})$")


def field(page: Page, label: str) -> Locator:
    """The input labelled ``label`` (a required one's label ends in "*")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def _document() -> str:
    return str(random.randint(1_000_000_000, 1_099_999_999))  # a cédula no demo case uses


def test_an_agent_files_a_phoned_in_case_with_the_keyboard(page: Page,
                                                            record_property: pytest.RecordProperty) -> None:
    login(page, "ana.agente")
    document = _document()
    started = time.monotonic()
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Nuevo caso").click()
    page.wait_for_load_state()  # the form's script listens before the agent types

    expect(field(page, "Canal")).to_have_value("phone")
    expect(page.get_by_label("Número de documento")).to_be_focused()
    keys = page.keyboard
    keys.type(document)
    keys.press("Tab")
    keys.type("marta.e2e@example.com")
    keys.press("Tab")
    expect(page.get_by_role("button", name="Buscar peticionario")).to_be_focused()
    expect(page.locator("#resultado-busqueda")).to_contain_text("No hay casos anteriores")
    keys.press("Tab")
    expect(page.get_by_label("Nombre completo")).to_be_focused()
    keys.type("Marta Elena Gómez")
    keys.press("Tab")
    keys.type("3001234567")
    keys.press("Tab")
    keys.type("Calle 10 # 5-20, Medellín")
    keys.press("Tab")  # the folded "ERP / anonymous" section
    keys.press("Tab")
    expect(field(page, "Tipo")).to_be_focused()
    keys.type("Reclamo")
    keys.press("Tab")
    keys.type("Devolución no aplicada")
    keys.press("Tab")
    keys.type("Devolvió 3 cajas el 2 de marzo y la nota crédito no aparece en su cuenta.")
    keys.press("Tab")
    expect(page.get_by_label("Buscar en las tipificaciones")).to_be_focused()
    keys.type("devolucion sin aplicar")
    keys.press("Enter")  # picks the first match and moves to the list
    expect(field(page, "Tipificación")).to_be_focused()
    expect(field(page, "Tipificación")).to_have_value("CAMBIO_Y_DEVOLUCION_SIN_APLICAR")
    keys.press("Tab")  # reason: none
    keys.press("Tab")  # into the Eisenhower matrix, on "Sin prioridad"
    for _ in range(4):
        keys.press("ArrowUp")
    expect(page.get_by_role("radio", name=re.compile(r"^Bloqueante"))).to_be_checked()
    keys.press("Tab")  # first reference: an invoice
    keys.press("Tab")
    keys.type("FV-20931")
    keys.press("Enter")

    expect(page).to_have_url(FILED)
    elapsed = time.monotonic() - started
    number = FILED.search(page.url).group(1)  # type: ignore[union-attr]
    expect(page.get_by_role("status")).to_contain_text(f"Radicado {number}; respuesta a más tardar el")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.locator("main")).to_contain_text("Marta Elena Gómez")
    expect(page.locator("main")).to_contain_text("Cambio y devolución sin aplicar")
    expect(page.locator("main")).to_contain_text("Bloqueante")
    expect(page.locator("main")).to_contain_text("FV-20931")
    record_property("phone_filing_seconds", round(elapsed, 2))
    print(f"\nPhoned-in PQRS filed with the keyboard in {elapsed:.1f} s in the browser "
          f"(seed 002's target: under 120 s of an agent's time)")


def test_a_returning_caller_is_found_and_helped_at_first_contact(page: Page) -> None:
    login(page, "ana.agente")
    document = _document()
    page.goto("/casos/nuevo")
    page.get_by_label("Número de documento").fill(document)
    page.get_by_label("Nombre completo").fill("Jorge Ramírez")
    page.get_by_label("Correo electrónico").fill("jorge.e2e@example.com")
    field(page, "Tipo").select_option("peticion")
    field(page, "Asunto").fill("Certificado de paz y salvo")
    field(page, "Descripción").fill("Pide un certificado de paz y salvo para un crédito.")
    page.get_by_role("button", name="Radicar caso").click()
    expect(page).to_have_url(FILED)
    earlier = FILED.search(page.url).group(1)  # type: ignore[union-attr]

    page.goto("/casos/nuevo")
    requests: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append((request.method, request.url)))
    page.keyboard.type(document)
    page.keyboard.press("Tab")  # leaving the field looks the requester up

    expect(page.get_by_label("Nombre completo")).to_have_value("Jorge Ramírez")
    # The document went in the body of a POST: no address (and so no access log) holds it.
    assert ("POST", f"{page.url.split('/casos/')[0]}/casos/nuevo/peticionario") in requests
    assert not [url for _method, url in requests if document in url]
    expect(page.get_by_label("Correo electrónico")).to_have_value("jorge.e2e@example.com")
    results = page.locator("#resultado-busqueda")
    expect(results.get_by_role("link", name=re.compile(earlier))).to_be_visible()
    expect(results.get_by_role("table")).to_contain_text("Certificado de paz y salvo")

    field(page, "Tipo").select_option("peticion")
    field(page, "Asunto").fill("Estado del certificado")
    field(page, "Descripción").fill("Pregunta si el certificado ya salió.")
    expect(page.get_by_label("Solución")).to_be_hidden()
    page.get_by_label(re.compile("^Resuelto en el primer contacto")).check()
    expect(page.get_by_label("Solución")).to_be_focused()
    page.keyboard.type("Se le informó que el certificado se envió a su correo el viernes.")
    page.get_by_role("button", name="Radicar caso").dblclick()  # an impatient double click

    expect(page).to_have_url(FILED)
    number = FILED.search(page.url).group(1)  # type: ignore[union-attr]
    expect(page.get_by_role("status").first).to_contain_text(
        f"Radicado {number} y cerrado: resuelto en el primer contacto.")
    expect(page.locator("main")).to_contain_text("Cerrado")

    page.goto("/casos/nuevo")  # the history now shows both cases, once each
    page.get_by_label("Número de documento").fill(document)
    page.get_by_role("button", name="Buscar peticionario").click()
    links = page.locator("#resultado-busqueda").get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text(number)

"""The case page in a real browser: an agent takes a case, writes a work-log note, previews the e-mail
of the response, sends it and closes the case, the timeline telling each step; and two tabs editing
the same case, where the second save shows the conflict and keeps what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import login

pytestmark = pytest.mark.slow


def _file_case(page: Page, subject: str) -> str:
    """File a case through the API with the page's session (and its CSRF token); its filing number."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token
    response = page.request.post("/api/v1/cases", headers={"X-CSRF-Token": token}, data={
        "kind": "reclamo", "subject": subject, "channel": "phone",
        "description": "El cliente devolvió 3 cajas y la nota crédito no aparece en su cuenta.",
        "typification": "CAMBIO_Y_DEVOLUCION_SIN_APLICAR",
        "requester": {"full_name": "Marta Gómez", "document_type": "CC", "document_number": "43123456",
                      "email": "marta@example.com"},
        "references": [{"kind": "invoice", "number": "FV-20931"}]})
    assert response.status == 201, response.text()
    number: str = response.json()["filing_number"]
    return number


def test_an_agent_takes_a_case_notes_previews_and_sends_the_response_and_closes_it(page: Page) -> None:
    login(page, "ana.agente")
    number = _file_case(page, "Devolución no aplicada (recorrido)")
    page.goto(f"/casos/{number}")
    summary = page.get_by_role("list", name="Resumen del caso")
    timeline = page.locator("ol.timeline")
    expect(summary).to_contain_text("Radicado")

    page.get_by_role("button", name="Tomar el caso").click()
    expect(page.get_by_role("status")).to_contain_text("Ahora usted es responsable del caso.")
    expect(summary).to_contain_text("Ana María Gómez")
    expect(timeline).to_contain_text("Asignó el caso a Ana María Gómez")

    page.get_by_label("Texto de la nota").fill("Revisé la cartera: la devolución entró el lunes.")
    page.get_by_role("button", name="Agregar nota").click()
    expect(page.get_by_role("status")).to_contain_text("Registro de trabajo agregado.")
    note = timeline.locator("li.entry-internal")
    expect(note).to_contain_text("Registro de trabajo (interno)")
    expect(note).to_contain_text("Revisé la cartera: la devolución entró el lunes.")

    answer = "Aplicamos la nota crédito NC-5521 por las 3 cajas devueltas."
    page.get_by_label("Texto de la respuesta").fill(answer)
    page.get_by_role("button", name="Vista previa del correo").click()
    preview = page.get_by_role("region", name="Vista previa del correo")
    expect(preview).to_contain_text("marta@example.com")
    expect(preview).to_contain_text(f"[{number}] Respuesta a su reclamo")
    mail = page.frame_locator("iframe[title='Correo que recibirá el peticionario']")
    expect(mail.get_by_text("Estimado(a) Marta Gómez:")).to_be_visible()
    expect(mail.get_by_text(answer)).to_be_visible()
    expect(timeline).not_to_contain_text("Respondió al peticionario")  # nothing sent by the preview

    preview.get_by_role("button", name="Enviar respuesta", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Respuesta enviada al peticionario.")
    expect(summary).to_contain_text("Respondido")
    expect(timeline.locator("li.entry-response")).to_contain_text(answer)

    page.get_by_role("button", name="Cerrar", exact=True).click()  # a reclamo closes with its root cause
    expect(page.get_by_role("alert")).to_contain_text("Registre la causa raíz antes de cerrar este caso.")
    page.locator("select#causa_raiz").select_option(label="Método")
    page.get_by_role("button", name="Guardar la causa raíz").click()
    # The page saved, before the next click (which the page being replaced would lose).
    expect(page.get_by_role("status")).to_contain_text("Causa raíz registrada.")
    page.get_by_role("button", name="Cerrar", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Listo: «Cerrar».")
    expect(summary).to_contain_text("Cerrado")
    steps = timeline.locator("li").all_inner_texts()
    order = ["Radicó el caso", "Asignó el caso a Ana María Gómez", "Agregó un registro de trabajo",
             "Respondió al peticionario", "Cerrar: de «Respondido» a «Cerrado»"]
    positions = [next(i for i, text in enumerate(steps) if step in text) for step in order]
    assert positions == sorted(positions), steps


def test_two_tabs_edit_the_same_case_and_the_second_save_shows_the_conflict(page: Page) -> None:
    login(page, "ana.agente")
    number = _file_case(page, "Asunto original (dos pestañas)")
    first = page
    second = page.context.new_page()
    for tab in (first, second):
        tab.goto(f"/casos/{number}")
        tab.get_by_text("Editar datos del caso").click()

    second.get_by_label("Asunto").fill("Asunto corregido en la otra pestaña")
    second.get_by_role("button", name="Guardar cambios").click()
    expect(second.get_by_role("status")).to_contain_text("Datos del caso guardados.")

    first.get_by_label("Asunto").fill("Asunto que escribí con cuidado")
    first.get_by_label("Teléfono").fill("3001234567")
    first.get_by_role("button", name="Guardar cambios").click()

    conflict = first.locator("#conflicto")
    expect(conflict).to_contain_text("El caso cambió mientras usted lo editaba")
    expect(conflict).to_contain_text("Cambió asunto")
    expect(first.get_by_label("Asunto")).to_have_value("Asunto que escribí con cuidado")
    expect(first.get_by_label("Teléfono")).to_have_value("3001234567")
    expect(first.locator("#ahora-campo_asunto")).to_contain_text("Asunto corregido en la otra pestaña")
    expect(first.get_by_role("heading", level=1)).to_contain_text("Asunto corregido en la otra pestaña")

    first.get_by_role("button", name="Guardar cambios").click()  # having seen the change, she decides
    expect(first.get_by_role("status")).to_contain_text("Datos del caso guardados.")
    expect(first.get_by_role("heading", level=1)).to_have_text(re.compile("Asunto que escribí con cuidado"))

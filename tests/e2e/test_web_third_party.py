"""«Escalar a tercero» in a real browser (the application served by gunicorn): an agent chooses the note
and the file to send, sees the e-mail the vendor will receive, sends it, reads «Con tercero» on the case
and in the inbox, and takes the case back with «Retomar»."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import login
from .test_web_case import _file_case

pytestmark = pytest.mark.slow


def test_an_agent_escalates_a_case_to_the_vendor_and_takes_it_back(page: Page) -> None:
    login(page, "ana.agente")
    number = _file_case(page, "Error al generar la nota crédito (tercero)")
    page.goto(f"/casos/{number}")
    page.get_by_role("button", name="Tomar el caso").click()
    page.get_by_label("Texto de la nota").fill("El error sale con más de 100 facturas en lote.")
    page.get_by_role("button", name="Agregar nota").click()
    expect(page.get_by_role("status")).to_contain_text("Registro de trabajo agregado.")
    page.get_by_label("Archivo para adjuntar").set_input_files(files=[{
        "name": "traza.txt", "mimeType": "text/plain", "buffer": b"Traceback: nota credito NC-5521"}])
    page.get_by_role("button", name="Adjuntar archivo").click()
    expect(page.locator("ol.timeline")).to_contain_text("traza.txt")

    page.get_by_text("Escalar a tercero", exact=True).click()
    page.get_by_label("Correo del tercero").fill("soporte@mind.example.co")
    page.get_by_label("Nombre del tercero").fill("Mind de Colombia")
    message = page.get_by_role("textbox", name="Mensaje", exact=True)
    message.fill("Les pedimos revisar el error de la nota crédito.")
    page.get_by_label("El error sale con más de 100 facturas en lote.").check()
    page.get_by_label("traza.txt").check()
    page.get_by_role("button", name="Ver el correo al tercero").click()

    preview = page.get_by_role("region", name="Así le llegará el correo al tercero")
    expect(preview).to_contain_text("soporte@mind.example.co")
    expect(preview).to_contain_text(f"[{number}] Solicitud de apoyo")
    mail = page.frame_locator("iframe[title='Correo que recibirá el tercero']")
    expect(mail.get_by_text("Señores Mind de Colombia:")).to_be_visible()
    expect(mail.get_by_text("El error sale con más de 100 facturas en lote.")).to_be_visible()
    expect(mail.get_by_text("Adjuntos: traza.txt")).to_be_visible()

    preview.get_by_role("button", name="Escalar y enviar el correo").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Caso escalado: se envió el correo a Mind de Colombia.")
    summary = page.get_by_role("list", name="Resumen del caso")
    expect(summary).to_contain_text("Con tercero: Mind de Colombia desde")
    expect(page.locator("li.entry-third_party")).to_contain_text("Escaló el caso a Mind de Colombia")

    page.goto(f"/bandeja?q={number}")
    badge = page.locator("table.inbox .badge.third-party")  # one line per case: the details in its title
    expect(badge).to_have_text("Con tercero")
    expect(badge).to_have_attribute("title", re.compile(r"^Con tercero: Mind de Colombia desde "))

    page.goto(f"/casos/{number}")
    page.get_by_role("button", name="Retomar").click()
    expect(page.get_by_role("status")).to_contain_text("Caso retomado: vuelve a gestión.")
    expect(summary).not_to_contain_text("Con tercero")

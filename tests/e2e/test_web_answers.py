"""Canned answers and the knowledge base in a real browser: the filing form offers help articles as the
subject is typed, and on the case page choosing a canned answer previews it and «Insertar» puts it,
filled with the case's data, into the text."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import login
from .test_web_case import _file_case

pytestmark = pytest.mark.slow


def test_the_filing_form_suggests_help_articles_as_the_subject_is_typed(page: Page) -> None:
    page.goto("/radicar")
    suggestions = page.locator("[data-help-suggestions]")
    expect(suggestions).to_be_hidden()

    page.get_by_label("Asunto").press_sequentially("Quiero hacer una devolucion", delay=20)

    expect(suggestions).to_be_visible()
    link = suggestions.get_by_role("link", name="¿Cómo solicito una devolución?")
    expect(link).to_have_attribute("href", "/ayuda/como-solicito-una-devolucion")
    page.get_by_label("Asunto").fill("Horario")
    expect(suggestions).to_be_hidden()


def test_an_agent_previews_and_inserts_a_canned_answer_into_the_response(page: Page) -> None:
    login(page, "bruno.backoffice")
    number = _file_case(page, "Devolución pendiente (respuesta tipo)")
    page.goto(f"/casos/{number}")
    page.get_by_role("button", name="Iniciar gestión").click()

    response = page.locator("#accion-respuesta")
    choice = response.get_by_label("Respuesta tipo", exact=True)
    choice.select_option(label="Devolución en revisión: faltan soportes")
    preview = response.locator(".answer-preview")
    expect(preview).to_contain_text("Estimado(a) Marta Gómez")
    expect(preview).to_contain_text(number)

    text = response.get_by_label("Texto de la respuesta")
    text.fill("Buenos días.")
    response.get_by_role("button", name="Insertar respuesta tipo").click()

    expect(text).to_have_value(
        f"Buenos días.\n\nEstimado(a) Marta Gómez:\n\nPara continuar con la devolución del caso {number} "
        "necesitamos una foto del producto, el número de la factura y la guía de entrega. Puede responder a "
        "este correo con los documentos.\n\nCordialmente,\nBruno Restrepo\nServicio al cliente · "
        "Comercializadora de Prueba S.A.S.")
    assert "respuesta-tipo" not in page.url  # inserted in place, without posting the form

"""A kind with its own workflow and custom fields, filed by a person from the public form in a real
browser: the form shows the fields of the chosen kind only."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.slow


def test_the_public_form_asks_for_the_fields_of_the_chosen_kind_and_files_it(page: Page) -> None:
    page.goto("/radicar")
    opened = time.monotonic()
    kind = page.get_by_label("Tipo de solicitud")
    amount = page.get_by_label("Valor de la nota")
    expect(amount).to_be_hidden()  # no kind chosen yet: only the fields of every kind would show

    kind.select_option(label="Solicitud de nota crédito/débito")
    expect(amount).to_be_visible()
    kind.select_option(label="Queja")
    expect(amount).to_be_hidden()
    kind.select_option(label="Solicitud de nota crédito/débito")

    page.get_by_label("Asunto").fill("Nota crédito por faltante")
    page.get_by_label("Descripción").fill("Faltaron tres cajas en el pedido de la factura FV-77.")
    page.get_by_label("Número de factura").fill("FV-77")
    page.get_by_label("Motivo de la nota").select_option(label="Faltante en la entrega")
    page.get_by_label("Nombre completo").fill("Lucía Restrepo Gil")
    page.get_by_label("Tipo de documento").select_option(label="Cédula de ciudadanía")
    page.get_by_label("Número de documento").fill("52998877")
    page.get_by_label("Correo electrónico").fill("lucia.restrepo@example.com")
    page.get_by_label("He leído el aviso y autorizo el tratamiento de mis datos personales").check()
    page.wait_for_timeout(max(0.0, 3.5 - (time.monotonic() - opened)) * 1000)  # people take a while
    page.get_by_role("button", name="Radicar solicitud").click()
    # The amount is required for this kind: the field shows again with its message, the rest kept.
    expect(page.locator("#error-custom_fields\\.valor")).to_be_visible()
    expect(page.get_by_label("Número de factura")).to_have_value("FV-77")

    page.get_by_label("Valor de la nota").fill("150000")
    page.get_by_label("He leído el aviso y autorizo el tratamiento de mis datos personales").check()
    page.get_by_role("button", name="Radicar solicitud").click()
    expect(page.get_by_role("heading", name="Su solicitud fue radicada")).to_be_visible()
    assert re.fullmatch(r"PQRS-\d{4}-\d{6}", page.locator("#radicado").inner_text())

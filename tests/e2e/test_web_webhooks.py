"""Webhooks in a real browser: the administrator creates one for some events, copies the secret shown
once, finds it listed, switches it off; axe finds nothing wrong on the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from .axe import add_axe, violations
from .conftest import login

pytestmark = pytest.mark.slow


def test_an_administrator_creates_a_webhook_and_copies_its_secret(browser: Browser, web: str) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    add_axe(context)
    page = context.new_page()
    try:
        login(page, "admin")
        page.goto("/admin")
        page.get_by_role("link", name="Webhooks").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        assert violations(page) == []
        page.get_by_role("link", name="Crear un webhook").click()

        page.get_by_label("URL del receptor").fill("https://8.8.8.8/pqrs/eventos")
        page.get_by_label("Descripción").fill("CRM comercial")
        page.get_by_label("Todos los eventos").uncheck()
        page.get_by_label("Se radicó un caso").check()
        page.get_by_label("Se cerró un caso").check()
        page.get_by_role("button", name="Crear el webhook").click()

        expect(page.get_by_role("status")).to_contain_text("Copie su secreto ahora")
        secret = page.get_by_role("textbox", name="Secreto", exact=True).input_value()
        assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{32}", secret)
        assert violations(page) == []

        page.get_by_role("link", name="Webhooks").first.click()
        row = page.get_by_role("row", name=re.compile("CRM comercial"))
        expect(row).to_contain_text("case.filed, case.closed")
        row.get_by_role("button", name=re.compile("Desactivar")).click()
        expect(page.get_by_role("status")).to_contain_text("Se desactivó el webhook")
        row.get_by_role("link", name=re.compile("Editar")).click()
        expect(page.get_by_text(secret)).to_have_count(0)
        assert violations(page) == []
    finally:
        context.close()

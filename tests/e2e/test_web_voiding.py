"""Voiding in a real browser: the administrator's «Pedir anulación» in the inbox leaves the case where it
was; the supervisor approves it on «Anulaciones», the case leaves the inbox and she reads it under its
«ANULADO» banner."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import login
from .test_web_notifications import file_case

pytestmark = pytest.mark.slow


def new_tab(browser: Browser, web: str) -> Page:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())  # the buttons that ask before acting
    return tab


def test_the_admin_asks_the_supervisor_approves_and_the_case_is_voided(browser: Browser, web: str) -> None:
    admin, sofia = new_tab(browser, web), new_tab(browser, web)
    try:
        login(admin, "admin")
        token = f"anular{uuid.uuid4().hex[:8]}"
        number = file_case(admin, f"Duplicado {token}")
        admin.goto(f"/bandeja?vista=todos&q={token}")
        admin.get_by_label(f"Seleccionar {number}").check()
        admin.get_by_label("Motivo de la anulación").fill("Radicado dos veces por el mismo canal")
        admin.get_by_role("button", name="Pedir anulación").click()
        expect(admin.get_by_role("status")).to_have_text(
            "Anulación solicitada para 1 caso: la aprueba o rechaza otra persona.")
        expect(admin.locator("table.inbox tbody tr")).to_have_count(1)  # still there until approved

        login(sofia, "sofia.supervisora")
        sofia.get_by_role("navigation").get_by_role("link", name="Anulaciones").click()
        row = sofia.locator("tr", has_text=number)
        expect(row).to_contain_text("Radicado dos veces por el mismo canal")
        row.get_by_role("button", name=re.compile("^Aprobar")).click()
        expect(sofia.get_by_role("status")).to_contain_text(
            re.compile(rf"{number} queda anulado con el registro AN-\d{{4}}-\d{{6}}"))

        admin.goto(f"/bandeja?vista=todos&q={token}")
        expect(admin.locator("table.inbox tbody tr")).to_have_count(0)
        sofia.goto(f"/casos/{number}")
        banner = sofia.get_by_role("alert")
        expect(banner).to_contain_text("ANULADO")
        expect(banner).to_contain_text("Radicado dos veces por el mismo canal")
    finally:
        admin.context.close()
        sofia.context.close()

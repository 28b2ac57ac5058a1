"""Logging in and out, the menu each role gets, password change and CSRF, in a real browser."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from .conftest import login

pytestmark = pytest.mark.slow


def test_an_agent_logs_in_reaches_the_inbox_and_logs_out(page: Page) -> None:
    page.goto("/bandeja")
    expect(page).to_have_url(re.compile(r"/ingresar\?siguiente=/bandeja"))

    login(page, "ana.agente")

    expect(page).to_have_url(re.compile(r"/bandeja$"))
    expect(page.locator("header.site")).to_contain_text("Comercializadora de Prueba S.A.S.")
    expect(page.locator("header.site img.logo")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menú principal")
    expect(menu.get_by_role("link", name="Bandeja")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Administración")).to_have_count(0)

    page.get_by_role("button", name="Salir").click()
    expect(page).to_have_url(re.compile(r"/ingresar$"))
    page.goto("/bandeja")
    expect(page).to_have_url(re.compile(r"/ingresar"))


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(page: Page) -> None:
    page.goto("/ingresar")
    page.get_by_label("Usuario").fill("ana.agente")
    page.get_by_label("Contraseña").fill("no-es-la-clave")
    page.get_by_role("button", name="Ingresar").click()

    expect(page.get_by_role("alert")).to_have_text("Usuario o contraseña incorrectos.")
    expect(page.get_by_label("Usuario")).to_have_value("ana.agente")


def test_a_post_without_the_csrf_token_is_rejected(web: str) -> None:
    body = urllib.parse.urlencode({"usuario": "admin", "contrasena": "demo-pqrs-2026"}).encode()
    try:
        urllib.request.urlopen(web + "/ingresar", data=body, timeout=10)
        status, page = 200, ""
    except urllib.error.HTTPError as exc:
        status, page = exc.code, exc.read().decode()

    assert status == 400
    assert "El formulario expiró o no es válido" in page


def test_a_person_changes_their_password_and_logs_in_with_the_new_one(page: Page, web: str) -> None:
    login(page, "carlos.calidad")
    page.goto("/cuenta/contrasena")
    page.get_by_label("Contraseña actual").fill("demo-pqrs-2026")
    page.get_by_label(re.compile(r"^Nueva contraseña")).fill("corta")
    page.get_by_label("Repita la nueva contraseña").fill("otra")
    page.get_by_role("button", name="Cambiar contraseña").click()
    expect(page.locator("#error-nueva")).to_contain_text("al menos 10 caracteres")
    expect(page.locator("#error-confirmacion")).to_contain_text("no coinciden")

    page.get_by_label("Contraseña actual").fill("demo-pqrs-2026")
    page.get_by_label(re.compile(r"^Nueva contraseña")).fill("calidad-2026-nueva")
    page.get_by_label("Repita la nueva contraseña").fill("calidad-2026-nueva")
    page.get_by_role("button", name="Cambiar contraseña").click()
    expect(page.get_by_role("status")).to_contain_text("Su contraseña fue cambiada.")

    page.get_by_role("button", name="Salir").click()
    login(page, "carlos.calidad", "calidad-2026-nueva")
    expect(page).not_to_have_url(re.compile(r"/ingresar"))

    # The server is shared by the whole session: give carlos his demo password back.
    page.goto("/cuenta/contrasena")
    page.get_by_label("Contraseña actual").fill("calidad-2026-nueva")
    page.get_by_label(re.compile(r"^Nueva contraseña")).fill("demo-pqrs-2026")
    page.get_by_label("Repita la nueva contraseña").fill("demo-pqrs-2026")
    page.get_by_role("button", name="Cambiar contraseña").click()
    expect(page.get_by_role("status")).to_contain_text("Su contraseña fue cambiada.")

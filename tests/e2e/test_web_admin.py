"""Administration in a real browser: the administrator adds a reason and the staff's new-case form offers
it at once; a user created by the administrator logs in with the password shown once."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import login

pytestmark = pytest.mark.slow


def test_a_reason_added_by_the_admin_is_offered_in_the_new_case_form(page: Page, browser: Browser,
                                                                       web: str) -> None:
    label = "Garantía extendida"  # one server per test session: no other test adds it
    login(page, "admin")
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Administración").click()
    page.get_by_role("link", name="Listas").first.click()
    page.get_by_role("navigation", name="Listas del catálogo").get_by_role("link", name="Motivos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Motivos")

    page.get_by_label("Etiqueta").fill(label)
    page.get_by_role("button", name="Agregar el motivo").click()

    expect(page.get_by_role("status")).to_contain_text(f"Se agregó el motivo «{label}»")
    expect(page.get_by_role("rowheader", name=label)).to_be_visible()

    # An agent, in another browser session, finds it where cases are filed.
    context = browser.new_context(base_url=web, locale="es-CO")
    try:
        agent = context.new_page()
        login(agent, "ana.agente")
        agent.goto("/casos/nuevo")
        reason = agent.get_by_label("Motivo", exact=True)
        expect(reason.locator("option", has_text=label)).to_have_count(1)
        reason.select_option(label=label)
    finally:
        context.close()


def test_a_user_created_by_the_admin_logs_in_with_the_password_shown_once(page: Page, browser: Browser,
                                                                          web: str) -> None:
    username = f"nuevo.{secrets.token_hex(3)}"
    login(page, "admin")
    page.goto("/admin/usuarios")
    page.get_by_role("link", name="Crear un usuario").click()
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_role("textbox", name="Nombre", exact=True).fill("Nora Nueva")
    page.get_by_label("Correo electrónico").fill("nora@example.com")
    page.get_by_role("group", name="Roles").get_by_label("Asesor SAC (primer nivel)").check()
    page.get_by_role("group", name="Colas en las que trabaja").get_by_label("Primer nivel").check()
    page.get_by_role("button", name="Crear el usuario").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Se creó el usuario «{username}»")
    password = page.locator("#contrasena-generada").inner_text()
    assert re.fullmatch(r"[A-Za-z0-9]{16}", password)

    context = browser.new_context(base_url=web, locale="es-CO")
    try:
        newcomer = context.new_page()
        login(newcomer, username, password)
        expect(newcomer).to_have_url(re.compile(r"/bandeja$"))
        expect(newcomer.locator("header.site")).to_contain_text(username)
    finally:
        context.close()

    page.goto("/admin/historial")
    expect(page.get_by_role("row").filter(has_text=f"Creó el usuario «{username}»")).to_contain_text("Admin")


def test_an_administrator_creates_a_mailbox_and_probar_conexion_says_why_it_fails(page: Page) -> None:
    address = f"pqrs.{secrets.token_hex(3)}@acme.example"
    login(page, "admin")
    page.goto("/admin")
    page.get_by_role("link", name="Buzones").first.click()
    page.get_by_role("link", name="Crear un buzón").click()
    page.get_by_label("Dirección del buzón").fill(address)
    page.get_by_label("URL IMAP (opcional)").fill("imap://127.0.0.1:1/INBOX")
    page.get_by_label("Usuario IMAP").fill("pqrs")
    page.get_by_label("Credencial (referencia)").fill("mi-clave")  # a password where the reference goes
    page.get_by_label("Tipo de caso por defecto").select_option(label="Queja")
    page.get_by_role("button", name="Crear el buzón").click()

    expect(page.get_by_text("La credencial es una referencia, no la contraseña").first).to_be_visible()
    page.get_by_label("Credencial (referencia)").fill("env:PQRS_IMAP_E2E_NO_SUCH_VARIABLE")
    page.get_by_role("button", name="Crear el buzón").click()

    expect(page.get_by_role("status")).to_contain_text(f"Se guardó el buzón «{address}»")
    page.get_by_role("link", name=address, exact=True).click()
    page.get_by_role("button", name="Probar conexión").click()
    expect(page.get_by_text("la variable de entorno PQRS_IMAP_E2E_NO_SUCH_VARIABLE de la credencial no está "
                            "definida")).to_be_visible()

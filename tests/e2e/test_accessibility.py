"""axe-core over every page of every role, in the states people meet them in (a form refused with its
errors, a search with results, a preview): zero violations of WCAG 2.2 A/AA and axe's best practices."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .axe import add_axe, violations
from .conftest import login

pytestmark = pytest.mark.slow

LONG_TYPIFICATION = "/admin/tipificaciones/SOLICITUD_PAZ_Y_SALVO_Y_REFERENCIA_COMERCIALES"


def first_case(page: Page, listing: str) -> str:
    page.goto(listing)
    href = page.locator("tbody a[href*='/casos/PQRS-'], .case-card a[href*='/casos/PQRS-']").first
    return href.get_attribute("href") or "/"


def submit_empty(button: str) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        page.locator("form").filter(has=page.get_by_role("button", name=button)).evaluate(
            "f => { f.noValidate = true; }")
        page.get_by_role("button", name=button).click()
    return act


def lookup_wrong(page: Page) -> None:
    page.get_by_label("Número de radicado").fill("PQRS-2026-999999")
    page.get_by_label("Número de documento").fill("123")
    page.get_by_role("button", name="Consultar").click()


def open_characterisation(page: Page) -> None:
    page.locator("#caracterizacion > summary").click()


def login_wrong(page: Page) -> None:
    page.get_by_label("Usuario").fill("nadie")
    page.get_by_label("Contraseña", exact=True).fill("mal")
    page.get_by_role("button", name="Ingresar").click()


def requester_search(page: Page) -> None:
    page.get_by_label("Número de documento").first.fill("1020304050")
    page.get_by_role("button", name="Buscar peticionario").click()


def preview_turns(page: Page) -> None:
    boxes = page.locator("input[name=casos]")
    if boxes.count() == 0:
        return
    boxes.first.check()
    page.locator("input[name=agentes]").first.check()
    page.get_by_role("button", name="Repartir por turnos entre las personas marcadas").click()


# (path, what to do there first, or None), by who is logged in (None: the public).
STATES: dict[str | None, list[tuple[str, Callable[[Page], None] | None]]] = {
    None: [("/", None), ("/radicar", None), ("/radicar", submit_empty("Radicar")),
           ("/radicar", open_characterisation), ("/consultar", None),
           ("/consultar", lookup_wrong), ("/ingresar", None), ("/ingresar", login_wrong),
           ("/ayuda", None), ("/ayuda/como-solicito-una-devolucion", None)],
    "ana.agente": [("/bandeja", None), ("/tablero", None), ("/casos/nuevo", None),
                   ("/casos/nuevo", requester_search), ("/casos/nuevo", submit_empty("Radicar caso")),
                   ("FIRST_CASE", None), ("/notificaciones", None), ("/cuenta/contrasena", None),
                   ("/ausencias", None), ("/solicitudes-internas", None), ("/clientes/80123456", None)],
    "bruno.backoffice": [("/bandeja?vista=mi_cola", None), ("FIRST_CASE", None)],
    "sofia.supervisora": [("/distribucion", None), ("/distribucion", preview_turns),
                          ("/tablero?vista=mis_colas", None), ("/notificaciones", None), ("/panel", None),
                          ("/panel/personalizar", None), ("/reportes/satisfaccion", None),
                          ("/reportes/causas", None), ("/reportes/acciones-correctivas", None),
                          ("/reportes/productividad", None), ("/reportes/caracterizacion", None)],
    "carlos.calidad": [("/calidad", None), ("/calidad?revision=revisados", None), ("FIRST_QUALITY", None)],
    "admin": [("/admin", None), ("/admin/listas", None), ("/admin/usuarios", None), ("/admin/flujos", None),
              ("/admin/tipificaciones", None), (LONG_TYPIFICATION, None), ("/admin/terminos", None),
              ("/admin/roles", None), ("/admin/historial", None), ("/admin/respuestas", None),
              ("/admin/respuestas/1", None), ("/admin/articulos", None), ("/admin/articulos/1", None),
              ("/admin/plantillas", None), ("/admin/plantillas/response", None),
              ("/admin/listas/colas/back_office", None),
              ("/admin/usuarios/valeria.backoffice/asignacion", None), ("/admin/flujos/generic", None),
              ("/admin/terminos/nueva", None), ("/admin/terminos/nueva", submit_empty("Crear la política")),
              ("/admin/campos", None)],
    "juan.cliente": [("/portal", None), ("/portal/nuevo", None), ("FIRST_CASE", None)],
}


def _path(page: Page, username: str | None, path: str) -> str:
    if path == "FIRST_CASE":
        return first_case(page, "/portal" if username == "juan.cliente" else "/bandeja")
    if path == "FIRST_QUALITY":
        page.goto("/calidad")
        return page.locator("tbody a[href^='/calidad/']").first.get_attribute("href") or "/calidad"
    return path


@pytest.mark.parametrize("username", list(STATES))
def test_axe_finds_nothing_on_any_page_of_any_role(browser: Browser, web: str, username: str | None) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    add_axe(context)
    page = context.new_page()
    found: dict[str, Any] = {}
    try:
        if username is not None:
            login(page, username)
        for raw, act in STATES[username]:
            path = _path(page, username, raw)
            response = page.goto(path)
            assert response is not None and response.status < 500, path
            if act is not None:
                act(page)
                page.wait_for_load_state("networkidle")
            problems = violations(page)
            if problems:
                found[f"{path} ({act.__name__ if act else 'al abrir'})"] = problems
        assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        context.close()


@pytest.mark.parametrize(("username", "paths"), [
    (None, ["/", "/radicar", "/consultar"]),
    ("juan.cliente", ["/portal", "/portal/nuevo", "FIRST_CASE"]),
    ("ana.agente", ["/bandeja", "/notificaciones"]),
])
def test_axe_finds_nothing_on_a_phone(browser: Browser, web: str, username: str | None,
                                      paths: list[str]) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 390, "height": 844})
    add_axe(context)
    page = context.new_page()
    found: dict[str, Any] = {}
    try:
        if username is not None:
            login(page, username)
        for raw in paths:
            path = _path(page, username, raw)
            page.goto(path)
            problems = violations(page)
            if problems:
                found[path] = problems
        assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        context.close()

"""On a phone (390 px wide) every role's pages fit the screen: nothing makes the page scroll sideways
(wide tables and the board scroll inside their own box), whoever looks at them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .conftest import login

pytestmark = pytest.mark.slow

LONG_TYPIFICATION = "/admin/tipificaciones/SOLICITUD_PAZ_Y_SALVO_Y_REFERENCIA_COMERCIALES"
FIRST_CASE = "FIRST_CASE"  # the first case of the person's inbox or portal

PAGES: dict[str | None, list[str]] = {
    None: ["/", "/radicar", "/consultar", "/ingresar"],
    "ana.agente": ["/bandeja", "/tablero", "/casos/nuevo", FIRST_CASE],
    "sofia.supervisora": ["/distribucion", "/tablero?vista=mis_colas"],
    "carlos.calidad": ["/calidad", "/calidad?revision=revisados"],
    "admin": ["/admin", "/admin/listas", "/admin/usuarios", "/admin/flujos", LONG_TYPIFICATION],
    "juan.cliente": ["/portal", "/portal/nuevo", FIRST_CASE],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, web: str, username: str | None) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        if username is not None:
            login(page, username)
        wide = []
        for path in PAGES[username]:
            if path == FIRST_CASE:
                page.goto("/portal" if username == "juan.cliente" else "/bandeja")
                path = page.locator("tbody a[href*='/casos/PQRS-']").first.get_attribute("href") or "/"
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append((path, width))
        assert wide == []
    finally:
        context.close()

"""On a phone (390 px wide) every role's pages fit the screen: nothing makes the page scroll sideways
(wide tables and the board scroll inside their own box), whoever looks at them; and the keyboard's focus
is seen wherever it is."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from .conftest import login

pytestmark = pytest.mark.slow

LONG_TYPIFICATION = "/admin/tipificaciones/SOLICITUD_PAZ_Y_SALVO_Y_REFERENCIA_COMERCIALES"
FIRST_CASE = "FIRST_CASE"  # the first case of the person's inbox or portal

PAGES: dict[str | None, list[str]] = {
    None: ["/", "/radicar", "/consultar", "/ingresar"],
    "ana.agente": ["/bandeja", "/tablero", "/casos/nuevo", FIRST_CASE],
    "sofia.supervisora": ["/distribucion", "/tablero?vista=mis_colas", "/panel", "/reportes/causas",
                          "/reportes/satisfaccion", "/reportes/productividad", "/reportes/volumen",
                          "/reportes/regulatorio"],
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
                links = page.locator("tbody a[href*='/casos/PQRS-'], .case-card a[href*='/casos/PQRS-']")
                path = links.first.get_attribute("href") or "/"
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append((path, width))
        assert wide == []
    finally:
        context.close()


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _colours(css: str) -> list[tuple[int, int, int]]:
    return [(int(r), int(g), int(b)) for r, g, b in re.findall(r"rgba?\((\d+), (\d+), (\d+)", css)]


def test_the_keyboard_focus_is_seen_on_white_and_on_the_header(browser: Browser, web: str) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        login(page, "ana.agente")
        for target, background in ((page.get_by_role("link", name="Mis casos"), (255, 255, 255)),
                                   (page.get_by_role("link", name="Tablero"), (11, 92, 173))):
            target.focus()
            ring = target.evaluate("e => { const s = getComputedStyle(e); "
                                   "return s.outlineStyle + ' ' + s.outlineColor + ' ' + s.boxShadow; }")
            assert ring.startswith("solid ")
            assert max(_contrast(colour, background) for colour in _colours(ring)) >= 3, ring
    finally:
        context.close()


def test_the_inbox_table_fits_a_laptop_screen(browser: Browser, web: str) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        login(page, "sofia.supervisora")
        for path in ("/bandeja", "/bandeja?vista=esperando"):  # long state names among them
            page.goto(path)
            box = page.locator(".table-wrap").first
            scroll, client = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert scroll <= client, (path, scroll, client)
    finally:
        context.close()

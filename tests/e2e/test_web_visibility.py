"""No page shows a case outside the visibility of the person looking, in a real browser: the customer
`juan.cliente`, the consultant `diana.consultora` (her network) and the quality
advisor `carlos.calidad` (closed cases) walk every page that lists or shows cases, and no filing
number they may not see appears anywhere; pages that are not theirs are refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from .conftest import login

pytestmark = pytest.mark.slow

NUMBER = re.compile(r"PQRS-\d{4}-\d{6}")


def _visible_numbers(page: Page) -> set[str]:
    """Every filing number the logged-in person may see, from the JSON API with their session."""
    found: set[str] = set()
    cursor = None
    while True:
        params = f"limit=100&cursor={cursor}" if cursor else "limit=100"
        data = page.request.get(f"/api/v1/cases?{params}").json()
        found |= {item["filing_number"] for item in data["items"]}
        cursor = data.get("next_cursor")
        if not cursor:
            return found


def _numbers_on(page: Page, path: str) -> tuple[int, set[str]]:
    response = page.goto(path)
    assert response is not None
    return response.status, set(NUMBER.findall(page.content()))


@pytest.fixture()
def everyone(page: Page) -> set[str]:
    login(page, "admin")
    numbers = _visible_numbers(page)
    page.context.clear_cookies()
    return numbers


@pytest.mark.parametrize("username", ["juan.cliente", "diana.consultora", "carlos.calidad"])
def test_no_page_shows_a_case_the_person_may_not_see(page: Page, everyone: set[str], username: str) -> None:
    login(page, username)
    mine = _visible_numbers(page)
    hidden = everyone - mine
    assert mine and hidden  # both kinds exist in the demo data

    for path in ("/bandeja", "/bandeja?orden=vencimiento", "/bandeja?vista=vencidos", "/bandeja?q=PQRS",
                 "/tablero", "/portal"):
        status, shown = _numbers_on(page, path)
        assert status in (200, 403), (path, status)
        assert not shown & hidden, (path, sorted(shown & hidden)[:3])
    export = page.request.get("/bandeja/exportar?formato=csv&columnas=completas")
    assert export.status in (200, 403)
    assert not set(NUMBER.findall(export.text())) & hidden

    for number in sorted(hidden)[:8]:
        for path in (f"/casos/{number}", f"/portal/casos/{number}", f"/calidad/{number}"):
            status, shown = _numbers_on(page, path)
            assert status in (403, 404), (path, status)
            assert number not in shown, path

    for path in ("/distribucion", "/calidad", "/admin", "/admin/usuarios"):
        status, shown = _numbers_on(page, path)
        assert status == 403 or not shown & hidden, (path, status)

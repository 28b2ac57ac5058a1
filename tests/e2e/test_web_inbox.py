"""The inbox in a real browser: a supervisor filters, sorts by deadline, ticks two cases and assigns
them; an agent selects a page of cases and downloads it as Excel, and everything filtered as CSV."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from .conftest import login

pytestmark = pytest.mark.slow


def file_cases(page: Page, token: str, ages: list[int]) -> list[str]:
    """File one case per age (days since it was received) through the API with the page's session;
    their subjects carry ``token`` so a search finds only them. Returns their filing numbers."""
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf
    numbers = []
    for i, days in enumerate(ages):
        received = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        response = page.request.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, data={
            "kind": "reclamo", "subject": f"{token} reclamo {i}",
            "description": "Llegó incompleto el pedido.",
            "channel": "phone", "received_at": received,
            "requester": {"full_name": f"Cliente {i} Ñúñez", "document_type": "CC",
                          "document_number": f"{1000 + i}", "email": f"cliente{i}@example.com"}})
        assert response.status == 201, response.text()
        numbers.append(response.json()["filing_number"])
    return numbers


def listed(page: Page) -> list[str]:
    return page.locator("table.inbox tbody th[scope=row]").all_inner_texts()


def test_a_supervisor_filters_sorts_by_deadline_and_assigns_two_cases(page: Page) -> None:
    login(page, "sofia.supervisora")
    token = f"bandeja{uuid.uuid4().hex[:8]}"
    recent, oldest, middle = file_cases(page, token, [1, 35, 6])

    page.goto("/bandeja?vista=todos")  # not the view she last opened
    page.get_by_label("Buscar casos").fill(token)
    page.get_by_label("Ordenar por").select_option(label="Vencimiento (el más próximo primero)")
    page.get_by_role("button", name="Filtrar").click()

    expect(page).to_have_url(re.compile(rf"q={token}.*orden=vencimiento"))
    expect(page.locator("table.inbox tbody tr")).to_have_count(3)
    assert listed(page) == [oldest, middle, recent]  # the soonest deadline first
    expect(page.locator("table.inbox tbody tr").first.locator(".deadline")).to_have_class(
        re.compile("deadline-overdue"))
    bookmark = page.url

    page.get_by_label(f"Seleccionar {oldest}").check()
    page.get_by_label(f"Seleccionar {middle}").check()
    page.get_by_label("Asignar a").select_option(label="Bruno Restrepo")
    page.get_by_role("button", name="Asignar", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("2 casos asignados a Bruno Restrepo.")
    assert page.url == bookmark  # back to the same filtered, sorted view
    rows = page.locator("table.inbox tbody tr")
    for i, name in enumerate(["Bruno Restrepo", "Bruno Restrepo", "—"]):
        expect(rows.nth(i)).to_contain_text(name)
    page.get_by_role("link", name=oldest).click()
    expect(page.get_by_text("Asignó el caso a Bruno Restrepo")).to_be_visible()


def test_an_agent_downloads_the_selected_page_as_excel_and_the_filtered_cases_as_csv(page: Page) -> None:
    login(page, "ana.agente")
    token = f"export{uuid.uuid4().hex[:8]}"
    numbers = file_cases(page, token, [2, 3])

    page.goto(f"/bandeja?vista=todos&q={token}")
    expect(page.locator("table.inbox tbody tr")).to_have_count(2)
    page.get_by_label("Seleccionar todos los casos de esta página").check()
    for number in numbers:
        expect(page.get_by_label(f"Seleccionar {number}")).to_be_checked()
    page.get_by_label("Exportar con las columnas").select_option("completas")
    with page.expect_download() as excel:
        page.get_by_role("button", name="Exportar a Excel").click()

    assert excel.value.suggested_filename.endswith("-completas.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    header, *rows = list(book["Casos"].iter_rows(values_only=True))
    got = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(got) == set(numbers)
    assert got[numbers[0]]["Peticionario"] == "Cliente 0 Ñúñez"
    assert got[numbers[1]]["Número de documento"] == "1001"

    page.get_by_text("Exportar todo lo filtrado").click()
    with page.expect_download() as comma_separated:
        page.get_by_role("button", name="Descargar CSV").click()
    data = comma_separated.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:2] == ["Radicado", "Asunto"] and sorted(r[0] for r in lines[1:]) == sorted(numbers)


def test_the_inbox_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "ana.agente")
    page.goto("/bandeja?vista=mi_cola")

    expect(page.get_by_role("link", name="Mi cola")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Buscar casos")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the table scrolls inside its box, the page does not


def rows_above_the_fold(page: Page) -> int:
    """The inbox rows wholly visible without scrolling."""
    height = page.viewport_size["height"]  # type: ignore[index]
    return int(page.evaluate(
        "h => [...document.querySelectorAll('table.inbox tbody tr')]"
        ".filter(r => r.getBoundingClientRect().bottom <= h).length", height))


def test_a_dozen_cases_and_more_fit_a_laptop_screen_one_line_each(
        page: Page, record_property: pytest.RecordProperty) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "sofia.supervisora")
    page.goto("/bandeja?vista=todos")

    expect(page.locator(".inbox-head .total")).to_have_text(re.compile(r"^\d+ casos$"))
    expect(page.get_by_role("columnheader", name="Peticionario")).to_be_visible()
    visible = rows_above_the_fold(page)
    record_property("inbox_rows_above_the_fold", visible)
    print(f"\nInbox at 1366×768: {visible} rows above the fold")
    assert visible >= 12
    # One line per case: a row is no taller than its subject needs.
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.inbox td')).lineHeight)")
    for row in page.locator("table.inbox tbody tr").all()[:12]:
        cells = row.locator("td:not(.subject), th").all()
        tallest = max(cell.evaluate("c => c.getBoundingClientRect().height") for cell in cells)
        subject = row.locator("td.subject").evaluate("c => c.getBoundingClientRect().height")
        assert tallest <= max(subject, 2.2 * line), row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.get_by_label("Tipo", exact=True).select_option("queja")
    page.get_by_role("button", name="Filtrar", exact=True).click()
    chip = page.get_by_role("link", name="Quitar el filtro Tipo: Queja")
    expect(chip).to_be_visible()
    chip.click()
    expect(page).not_to_have_url(re.compile("tipo="))


def test_the_inbox_from_the_keyboard(page: Page) -> None:
    login(page, "ana.agente")
    page.goto("/bandeja?vista=todos")
    page.wait_for_load_state()
    keys = page.keyboard
    first = page.locator("table.inbox tbody tr").first.locator("th a")
    second = page.locator("table.inbox tbody tr").nth(1).locator("th a")

    keys.press("Tab")
    expect(page.get_by_role("link", name="Saltar a los casos")).to_be_focused()
    keys.press("Enter")
    expect(first).to_be_focused()  # one Tab and Enter from the top of the page

    keys.press("j")
    expect(second).to_be_focused()
    expect(page.locator("table.inbox tbody tr").nth(1)).to_have_class(re.compile("current"))
    keys.press("k")
    expect(first).to_be_focused()
    keys.press("x")
    expect(page.locator("table.inbox tbody tr").first.locator("input[type=checkbox]")).to_be_checked()
    expect(page.get_by_label("Mover con la transición")).to_be_visible()  # the bulk actions opened
    number = first.inner_text()
    keys.press("Enter")
    expect(page).to_have_url(re.compile(rf"/casos/{number}$"))

    page.go_back()
    page.locator("h1").click()  # focus on the page, not in a field
    keys.press("/")
    expect(page.get_by_label("Buscar casos")).to_be_focused()
    keys.type("j")  # in a field, letters are text
    expect(page.get_by_label("Buscar casos")).to_have_value("j")
    page.locator("h1").click()
    keys.press("?")
    help_dialog = page.get_by_role("dialog", name="Atajos de teclado")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Caso siguiente / anterior")
    keys.press("Escape")
    expect(help_dialog).to_be_hidden()
    keys.press("c")
    expect(page).to_have_url(re.compile(r"/casos/nuevo$"))


def test_move_offers_only_what_every_ticked_case_allows(page: Page) -> None:
    login(page, "ana.agente")
    token = f"mover{uuid.uuid4().hex[:8]}"
    filed, started = file_cases(page, token, [1, 2])
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(f"/api/v1/cases/{started}/transitions", headers={"X-CSRF-Token": csrf or ""},
                                 data={"transition": "start"})
    assert response.ok, response.text()
    page.goto(f"/bandeja?vista=todos&q={token}")
    start = page.locator("#transicion option[value=start]")

    page.get_by_label(f"Seleccionar {filed}").check()
    expect(start).to_be_enabled()
    page.get_by_label("Mover con la transición").select_option("start")
    page.get_by_label(f"Seleccionar {started}").check()  # in progress: it cannot be started again
    expect(start).to_be_disabled()
    expect(page.get_by_label("Mover con la transición")).to_have_value("")
    expect(page.locator("#ayuda-transicion")).to_have_text(
        "Los casos seleccionados no tienen ninguna transición en común: muévalos por grupos.")
    page.get_by_label(f"Seleccionar {started}").uncheck()
    expect(start).to_be_enabled()

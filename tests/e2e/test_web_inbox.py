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

    page.goto("/bandeja")
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

    page.goto(f"/bandeja?q={token}")
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

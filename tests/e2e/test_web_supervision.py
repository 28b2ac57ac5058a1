"""Supervision in a real browser: the supervisor distributes fresh cases in turns, after a preview of who
gets what, and sees the agents' loads change; the quality advisor reviews a closed case and finds the
review in its history."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import login

pytestmark = pytest.mark.slow

# Bruno is away in the demo (nobody receives cases while absent): the turns go to Ana and Valeria.
AGENTS = {"ana.agente": "Ana María Gómez", "valeria.backoffice": "Valeria Ospina"}


def file_through_the_api(page: Page, subject: str, **extra: Any) -> str:
    """File a case as the logged-in person through the JSON API, with the session and its CSRF token."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post("/api/v1/cases", headers={"X-CSRF-Token": token or ""}, data={
        "kind": "peticion", "subject": subject, "description": "Caso de prueba de la distribución.",
        "channel": "phone", "queue": "primer_nivel",
        "requester": {"full_name": "Lucía Prueba", "document_type": "CC", "document_number": "52999111",
                      "email": "lucia@example.com"}, **extra})
    assert response.status == 201, response.text()
    number: str = response.json()["filing_number"]
    return number


def open_loads(page: Page) -> dict[str, int]:
    return {username: int(page.locator(f'tr[data-agent="{username}"] [data-load="open"]').inner_text())
            for username in AGENTS}


def test_the_supervisor_distributes_new_cases_in_turns_after_a_preview(page: Page) -> None:
    login(page, "sofia.supervisora")
    tag = uuid.uuid4().hex[:6]
    numbers = [file_through_the_api(page, f"Solicitud {tag} {i}") for i in range(3)]

    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Distribución").click()
    page.get_by_label("Orden").select_option(label="Más recientes primero")
    page.get_by_role("button", name="Filtrar").click()
    before = open_loads(page)
    for number in numbers:
        expect(page.get_by_role("row", name=re.compile(number))).to_contain_text(f"Solicitud {tag}")
        page.get_by_label(f"Seleccionar {number}").check()
    for name in AGENTS.values():
        page.get_by_label(f"Repartir a {name}").check()
    page.get_by_role("button", name="Repartir por turnos entre las personas marcadas").click()

    # True turns, in the order the people are listed: one each, then again from the first. The cases
    # go in the page's order (newest first).
    names = list(AGENTS.values())
    listed = list(reversed(numbers))
    preview = page.get_by_role("region", name=re.compile("Vista previa del reparto"))
    for i, number in enumerate(listed):
        expect(preview.get_by_role("row", name=re.compile(number))).to_contain_text(names[i % len(names)])
    assert open_loads(page) == before  # nothing assigned yet
    preview.get_by_role("button", name="Confirmar el reparto").click()

    expected = dict(before)
    for i, _number in enumerate(listed):
        expected[list(AGENTS)[i % len(AGENTS)]] += 1
    expect(page.get_by_role("status").first).to_contain_text("Se asign")
    for number in numbers:
        expect(page.get_by_label(f"Seleccionar {number}")).to_have_count(0)  # no longer unassigned
    assert open_loads(page) == expected
    assert page.get_by_role("alert").count() == 0  # nothing failed

    page.goto(f"/casos/{numbers[0]}")
    assigned = re.compile("Asignó el caso a (Ana María Gómez|Valeria Ospina)")
    expect(page.locator("main")).to_contain_text(assigned)


def test_the_quality_advisor_reviews_a_closed_case(page: Page) -> None:
    login(page, "sofia.supervisora")
    number = file_through_the_api(page, f"Certificado {uuid.uuid4().hex[:6]}",
                                  resolved_at_first_contact=True,
                                  solution="Se envió el certificado por correo electrónico.")
    page.get_by_role("button", name="Salir").click()

    login(page, "carlos.calidad")
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Calidad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calidad: revisión de casos cerrados")
    page.get_by_role("link", name=f"Revisar {number}").click()
    expect(page.locator("main")).to_contain_text("Se envió el certificado por correo electrónico.")
    page.get_by_label("4 · Bueno").check()
    page.get_by_label("Respondió dentro del término").check()
    page.get_by_label("Respuesta clara y completa").check()
    page.get_by_label("Observaciones").fill("Buena respuesta; faltó confirmar la recepción.")
    page.get_by_role("button", name="Registrar la revisión").click()

    expect(page.get_by_role("status")).to_contain_text(f"Se registró la revisión de calidad de {number}.")
    # The next closed case to review opens at once (the demo has more of them).
    expect(page.get_by_role("status")).to_contain_text("Siguiente caso:")
    expect(page.get_by_role("button", name="Registrar la revisión")).to_be_visible()
    page.get_by_role("link", name="Volver a los casos cerrados").click()
    expect(page.get_by_role("link", name=f"Revisar {number}")).to_have_count(0)  # no longer pending
    page.get_by_label("Revisión").select_option(label="Revisados")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_role("row", name=re.compile(number))).to_contain_text("4 de 5")

    page.get_by_role("link", name=number, exact=True).click()
    history = page.get_by_role("region", name="Historia")
    expect(history).to_contain_text("Revisó la calidad de la atención: 4 de 5.")
    expect(history).to_contain_text("faltó confirmar la recepción")


def test_an_agent_moves_a_card_on_the_board(page: Page) -> None:
    login(page, "sofia.supervisora")
    # Received long before every demo case: the soonest deadline, so the first card of its column.
    received = (datetime.now(UTC) - timedelta(days=120)).isoformat()
    number = file_through_the_api(page, f"Tablero {uuid.uuid4().hex[:6]}", received_at=received)
    page.get_by_role("button", name="Salir").click()

    login(page, "ana.agente")
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Tablero").click()
    page.get_by_label("Mostrar").select_option(label="De mis colas")
    page.get_by_role("button", name="Filtrar").click()
    todo = page.get_by_role("region", name=re.compile("^Por atender"))
    doing = page.get_by_role("region", name=re.compile("^En gestión"))
    before = int(doing.locator(".count").inner_text().split()[0])
    expect(todo.get_by_role("link", name=number)).to_be_visible()

    todo.get_by_role("button", name=f"Iniciar gestión · {number}").click()

    expect(page.get_by_role("status")).to_contain_text(f"El caso {number} pasó a «En progreso».")
    expect(doing.get_by_role("link", name=number)).to_be_visible()
    expect(todo.get_by_role("link", name=number)).to_have_count(0)
    expect(doing.locator(".count")).to_contain_text(str(before + 1))


def test_the_distribution_page_at_phone_width(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "sofia.supervisora")
    page.goto("/distribucion")

    expect(page.get_by_role("heading", name="Carga de las personas")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # the tables scroll inside their wrapper, not the whole page

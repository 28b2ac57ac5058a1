"""Notifications in a real browser: an agent's bell counts a case a supervisor assigns to her while her
inbox is open, the inbox says how many cases arrived since it was shown, and opening the notification
leads to the case and clears the count."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import login

pytestmark = pytest.mark.slow


def file_case(page: Page, subject: str) -> str:
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post("/api/v1/cases", headers={"X-CSRF-Token": csrf or ""}, data={
        "kind": "peticion", "subject": subject, "description": "Prueba de notificaciones.",
        "channel": "phone", "queue": "primer_nivel",
        "requester": {"full_name": "Lucía Prueba", "document_type": "CC", "document_number": "52999111"}})
    assert response.status == 201, response.text()
    number: str = response.json()["filing_number"]
    return number


def assign(page: Page, number: str, username: str) -> None:
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(f"/api/v1/cases/{number}/assignment", headers={"X-CSRF-Token": csrf or ""},
                                 data={"assignee": username})
    assert response.status == 200, response.text()


def test_the_bell_and_the_inbox_tell_the_agent_what_arrived(browser: Browser, web: str) -> None:
    agent = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    supervisor = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    try:
        ana, sofia = agent.new_page(), supervisor.new_page()
        login(ana, "ana.agente")
        login(sofia, "sofia.supervisora")
        ana.goto("/notificaciones")
        if ana.get_by_role("button", name="Marcar todas como leídas").count():
            ana.get_by_role("button", name="Marcar todas como leídas").click()
        ana.goto("/bandeja")
        bell = ana.get_by_role("link", name=re.compile("^Notificaciones"))
        expect(bell.locator("[data-unread]")).to_be_hidden()

        number = file_case(sofia, f"Notificación {uuid.uuid4().hex[:6]}")
        assign(sofia, number, "ana.agente")
        ana.evaluate("window.pqrsRefreshNotifications()")  # what the page does every minute and on focus

        expect(bell.locator("[data-unread]")).to_have_text("1")
        expect(bell).to_have_accessible_name(re.compile("Notificaciones 1 sin leer"))
        expect(ana.get_by_role("status").filter(has_text="caso nuevo")).to_contain_text("1 caso nuevo")

        bell.click()
        ana.get_by_role("link", name=re.compile(f"Le asignaron el caso {number}")).click()
        expect(ana).to_have_url(re.compile(f"/casos/{number}$"))
        after = ana.get_by_role("link", name=re.compile("^Notificaciones"))
        expect(after.locator("[data-unread]")).to_be_hidden()
    finally:
        agent.close()
        supervisor.close()

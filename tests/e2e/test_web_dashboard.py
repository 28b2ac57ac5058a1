"""The supervisor's dashboard in a real browser: the figures refresh in place (the page is not reloaded)
when a case arrives."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, expect

from .conftest import login
from .test_web_notifications import file_case

pytestmark = pytest.mark.slow


def test_the_dashboard_counts_a_new_case_without_reloading(browser: Browser, web: str) -> None:
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        login(page, "sofia.supervisora")
        expect(page).to_have_url(f"{web}/panel")
        filed_today = page.locator("section:has(h2#w-radicados_hoy) .figure-value")
        before = int(filed_today.first.inner_text())
        page.evaluate("window.pqrsMarker = 'same page'")

        file_case(page, f"Panel {uuid.uuid4().hex[:6]}")
        page.evaluate("window.pqrsRefreshPanel()")

        expect(filed_today.first).to_have_text(str(before + 1))
        assert page.evaluate("window.pqrsMarker") == "same page"  # refreshed in place, not reloaded
    finally:
        context.close()

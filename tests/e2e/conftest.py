"""Fixtures for the end-to-end tests: the application served by gunicorn on demo data, and Debian's
Chromium driven by Playwright (``executable_path``; no browser is downloaded).

``web`` is one server for the whole session: tests that change data file their own cases, and never
count on the demo cases staying as they are.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator

import pytest

from .live import DEMO_PASSWORD, serve_demo

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" '
        b'fill="#0b5cad"/><text x="8" y="42" font-size="28" fill="#fff">CP</text></svg>')


def chromium_executable() -> str | None:
    return os.environ.get("PQRS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a served application with 60 demo cases."""
    root = tmp_path_factory.mktemp("web")
    (root / "logo.svg").write_bytes(LOGO)
    with serve_demo(root, cases=60, env={"PQRS_ORGANISATION_NAME": "Comercializadora de Prueba S.A.S.",
                                         "PQRS_ORGANISATION_LOGO": str(root / "logo.svg")}) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_executable()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is required on CI (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: object, web: str) -> Iterator[object]:
    """A fresh browser tab (its own cookies) with ``web`` as base URL."""
    context = browser.new_context(base_url=web, locale="es-CO", viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def login(page: object, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form and wait for the page it leads to."""
    page.goto("/ingresar")  # type: ignore[attr-defined]
    page.get_by_label("Usuario").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Contraseña", exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Ingresar").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"^(?!.*/ingresar).*$"))  # type: ignore[attr-defined]


"""The mail intake as the staff meet it, in a real browser on a served application: mail received into
the database shows in «Correo recibido» for the supervisor, filtered by outcome, and its case keeps the
message as it arrived."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from pqrs_adapters.config import Config
from pqrs_adapters.mail import mail_intake_from_config
from pqrs_adapters.mail.intake import Arrival

from .conftest import login
from .live import serve

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).resolve().parents[1] / "mail" / "corpus"


def test_the_supervisor_follows_received_mail_to_its_case(browser: Browser, tmp_path: Path) -> None:
    with serve(tmp_path, cases=1, workers=1) as server:  # the demo brings the staff accounts
        with mail_intake_from_config(Config.from_env(server.environ)) as intake:
            arrival = Arrival(received_at=datetime.now(UTC), mailbox="pqrs@acme.example", source="prueba")
            filed = intake.receive((CORPUS / "html-only.eml").read_bytes(), arrival)
            intake.receive((CORPUS / "mailing-list.eml").read_bytes(), arrival)
        context = browser.new_context(base_url=server.base, locale="es-CO")
        try:
            page = context.new_page()
            login(page, "sofia.supervisora")
            page.get_by_role("navigation", name="Menú principal").get_by_role(
                "link", name="Correo recibido").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Correo recibido")
            expect(page.get_by_role("cell", name="contacto@elsol.example", exact=True)).to_be_visible()
            expect(page.get_by_role("cell", name="boletin@noticias.example", exact=True)).to_be_visible()

            page.get_by_label("Resultado").select_option(label="Ignorado")
            page.get_by_role("button", name="Filtrar").click()
            expect(page.get_by_role("cell", name="boletin@noticias.example", exact=True)).to_be_visible()
            expect(page.get_by_role("cell", name="contacto@elsol.example", exact=True)).to_have_count(0)

            page.get_by_label("Resultado").select_option(label="Radicado")
            page.get_by_role("button", name="Filtrar").click()
            page.get_by_role("link", name=str(filed.filing_number)).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Queja por entrega")
            expect(page.get_by_role("rowheader", name="mensaje-original.eml")).to_be_visible()
            expect(page.get_by_text("El pedido #4512 llegó incompleto").first).to_be_visible()
        finally:
            context.close()

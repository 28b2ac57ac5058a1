"""The case page of a documents request whose 10 days passed without an answer shows that the request
is deemed granted and when the copies are due (CPACA art. 14 num. 1)."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from .conftest import Site


def test_the_page_shows_the_copies_due_after_a_missed_documents_request(site: Site) -> None:
    # Received Friday 20 March 2026: day 10 is Wednesday 8 April (San José and Semana Santa skipped);
    # the copies are due 9 10 13 → Monday 13 April 2026, long past by the application's clock.
    case = site.file("ana", kind="solicitud_documentos",
                     received_at=datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("America/Bogota")))
    page = html.unescape(site.as_user("ana").get(f"/casos/{case.filing_number}").get_data(as_text=True))
    assert "Solicitud aceptada por falta de respuesta" in page
    assert "Las copias se entregan al peticionario a más tardar el" in page and "13/04/2026" in page

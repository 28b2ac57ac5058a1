"""The outgoing filing number (radicado de salida) of a response sent from the web: on the case page
(its block and the history), in the portal, at /consultar, printed on the letter, and the inbox's
search by it finds the case."""

from __future__ import annotations

import re

from pqrs_core.domain.outgoing import numbers_in

from .conftest import Site
from .test_letters import _in_progress, _pdf_text, _respond, _text


def test_the_response_sent_from_the_web_carries_its_outgoing_number_everywhere(site: Site) -> None:
    case = _in_progress(site)
    number = str(case.filing_number)
    other = str(site.file("ana", subject="Otra solicitud").filing_number)
    assert _respond(site, case, "enviar").status_code == 302

    [sent] = numbers_in(site.pqrs.history(number), number)
    year = site.today().year
    assert re.fullmatch(rf"RS-{year}-\d{{6}}", sent.number) and sent.kind == "response"

    staff_page = _text(site.as_user("ana").get(f"/casos/{number}"))
    block = staff_page.split('id="radicados-salida"')[1].split("</section>")[0]
    assert sent.number in block and "Respuesta" in block
    history = staff_page.split('id="historia"')[1]
    assert f"Radicado de salida <strong>{sent.number}</strong>" in history
    assert 'id="radicados-salida"' not in _text(site.as_user("ana").get(f"/casos/{other}"))

    portal = _text(site.as_user("juan").get(f"/portal/casos/{number}"))
    assert f"Radicado de salida <strong>{sent.number}</strong>" in portal
    lookup = _text(site.as_user(None).post("/consultar", {"radicado": number, "documento": "43123456"}))
    assert f"Radicado de salida <strong>{sent.number}</strong>" in lookup

    [letter] = site.pqrs.case(number).attachments
    download = site.as_user("juan").get(f"/casos/{number}/adjuntos/{letter.id}")
    assert f"Radicado de salida: {sent.number}" in _pdf_text(download.get_data())

    inbox = _text(site.as_user("admin").get("/bandeja", query_string={"q": sent.number.lower()}))
    assert f"/casos/{number}" in inbox and f"/casos/{other}" not in inbox

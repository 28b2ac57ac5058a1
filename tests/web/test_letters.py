"""The response letter (oficio) on the web: the preview says it goes with the response and shows it as
PDF; sending issues it as a public file of the case, recorded in the timeline with its SHA-256; the
requester downloads it from the portal and from /consultar (a signed address that expires); the signer
is the person answering, with the role (cargo) the administrator gave them."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from typing import Any

from pqrs_adapters import accounts
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester

from .conftest import Site

TEXT = "Aplicamos la nota crédito por las 3 cajas devueltas. Señora Núñez, gracias por su paciencia."


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _in_progress(site: Site) -> Case:
    case = site.file("ana", requester=Requester(full_name="Marta Núñez", document_type="CC",
                                                document_number="43123456", email="marta@example.com",
                                                user="juan"))
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("ana"))
    started: Case = site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"),
                                     site.actor("ana"))
    return started


def _respond(site: Site, case: Case, step: str) -> Any:
    current = site.pqrs.case(str(case.filing_number))
    return site.as_user("ana").post(f"/casos/{case.filing_number}/respuesta",
                                    {"version": str(current.version), "respuesta_texto": TEXT,
                                     "accion": step})


def _pdf_text(content: bytes) -> str:
    drawn = subprocess.run(["pdftotext", "-", "-"], input=content, check=True, capture_output=True)
    return drawn.stdout.decode()


def test_the_preview_announces_the_letter_and_shows_it_signed_with_the_role(site: Site) -> None:
    accounts.save_user(site.engine, "ana", display_name="Ana Peña", job_title="Analista de Servicio")
    case = _in_progress(site)

    page = _text(_respond(site, case, "vista_previa"))
    assert "Con la respuesta se genera el oficio «Respuesta» en PDF, firmado por Ana Peña" in page
    assert 'value="oficio"' in page

    draft = _respond(site, case, "oficio")
    assert draft.status_code == 200 and draft.mimetype == "application/pdf"
    assert f"borrador-oficio-respuesta-{case.filing_number}.pdf" in draft.headers["Content-Disposition"]
    text = _pdf_text(draft.get_data())
    for expected in (str(case.filing_number), "Marta Núñez", "Señora Núñez", "Ana Peña",
                     "Analista de Servicio"):
        assert expected in text
    assert site.pqrs.case(str(case.filing_number)).attachments == ()  # a preview issues nothing


def test_the_sent_response_leaves_the_letter_in_the_case_for_the_portal_and_the_lookup(site: Site) -> None:
    case = _in_progress(site)
    number = str(case.filing_number)

    assert _respond(site, case, "enviar").status_code == 302

    [letter] = site.pqrs.case(number).attachments
    assert letter.public and letter.filename == f"oficio-respuesta-{number}.pdf"
    staff_page = _text(site.as_user("ana").get(f"/casos/{number}"))
    assert f"Generó el oficio «Respuesta» en PDF: «{letter.filename}»" in staff_page
    assert f"SHA-256 {letter.sha256}" in staff_page

    # The requester's portal lists it among the official letters and downloads it.
    juan = site.as_user("juan")
    portal = _text(juan.get(f"/portal/casos/{number}"))
    link = f"/casos/{number}/adjuntos/{letter.id}"
    assert "Oficios" in portal and link in portal
    download = juan.get(link)
    assert download.status_code == 200 and hashlib.sha256(download.get_data()).hexdigest() == letter.sha256

    # /consultar, with the filing number and the document, offers a signed link to it.
    visitor = site.as_user(None)
    lookup = _text(visitor.post("/consultar", {"radicado": number, "documento": "43.123.456"}))
    [address] = re.findall(r'href="(/consultar/oficios/[^"]+)"', lookup)
    fetched = visitor.get(address)
    assert fetched.status_code == 200 and fetched.mimetype == "application/pdf"
    assert hashlib.sha256(fetched.get_data()).hexdigest() == letter.sha256
    assert "Aplicamos la nota crédito" in _pdf_text(fetched.get_data())
    # An altered address finds nothing.
    assert visitor.get(address[:-3] + "xyz").status_code == 404
    assert visitor.get("/consultar/oficios/no-es-un-token").status_code == 404


def test_the_administrator_gives_a_person_the_role_printed_under_their_signature(site: Site) -> None:
    admin = site.as_user("admin")
    form = admin.page("/admin/usuarios/bruno")
    assert 'name="job_title"' in form
    response = admin.post("/admin/usuarios/bruno", {
        "display_name": "Bruno Ríos", "email": "bruno@example.com",
        "job_title": "Coordinador de Atención al Usuario", "roles": "back_office", "queues": "back_office"})
    assert response.status_code == 302
    user = accounts.get_user(site.engine, "bruno")
    assert user is not None and user.job_title == "Coordinador de Atención al Usuario"

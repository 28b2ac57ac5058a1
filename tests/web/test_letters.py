"""The response letter (oficio) on the web: the preview says it goes with the response and shows it as
PDF; sending issues it as a public file of the case, recorded in the timeline with its SHA-256; the
requester downloads it from the portal and from /consultar (a signed address that expires); the signer
is the person answering, with the role (cargo) the administrator gave them."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from pqrs_adapters import accounts
from pqrs_adapters.config import LetterSettings
from pqrs_adapters.sqlalchemy.tables import cases
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester

from .conftest import Site, serve_site

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


# --- the approval step -------------------------------------------------------------------------------
@pytest.fixture()
def approving_site(tmp_path: Path) -> Iterator[Site]:
    """The site of an organisation whose response letters a second person approves."""
    yield from serve_site(tmp_path, letters=LetterSettings(approval=True, nit="900.123.456-7"))


def test_the_response_waits_in_the_approvers_list_and_goes_out_once_approved(approving_site: Site) -> None:
    site = approving_site
    accounts.save_user(site.engine, "ana", display_name="Ana Peña", job_title="Analista de Servicio")
    case = _in_progress(site)
    number = str(case.filing_number)

    preview = _text(_respond(site, case, "vista_previa"))
    assert "Enviar a aprobación" in preview
    sent = _respond(site, case, "enviar")
    assert sent.status_code == 302
    drafted = site.pqrs.case(number)
    assert drafted.pending_response is not None and drafted.attachments == ()
    assert drafted.state == "in_progress"
    ana_page = _text(site.as_user("ana").get(f"/casos/{number}"))
    assert "Respuesta esperando aprobación" in ana_page and "Aprobar y enviar" not in ana_page
    assert 'name="respuesta_texto"' not in ana_page  # no second response while one waits
    # The author may not approve; an agent without the permission is refused.
    refused = site.as_user("ana").post(f"/casos/{number}/respuesta/aprobacion",
                                       {"version": str(drafted.version), "accion": "aprobar"})
    assert refused.status_code == 403

    # The supervisor finds it in the inbox's «Respuestas por aprobar» and reads its letter.
    sofia = site.as_user("sofia")
    listing = _text(sofia.get("/bandeja?vista=por_aprobar"))
    assert "Respuestas por aprobar" in listing and number in listing
    page = _text(sofia.get(f"/casos/{number}"))
    assert "Aprobar y enviar" in page and TEXT in page
    letter = sofia.post(f"/casos/{number}/respuesta/aprobacion",
                        {"version": str(drafted.version), "accion": "oficio"})
    assert letter.mimetype == "application/pdf" and "Ana Peña" in _pdf_text(letter.get_data())

    approved = sofia.post(f"/casos/{number}/respuesta/aprobacion",
                          {"version": str(drafted.version), "accion": "aprobar"})

    assert approved.status_code == 302
    done = site.pqrs.case(number)
    assert done.pending_response is None and done.state == "responded"
    [attachment] = done.attachments
    assert "Ana Peña" in _pdf_text(site.pqrs.deps.files.get(attachment.storage_key))  # type: ignore[union-attr]
    history = _text(sofia.get(f"/casos/{number}"))
    assert "Redactó la respuesta para aprobación" in history and "Aprobó la respuesta que redactó" in history
    assert number not in _text(sofia.get("/bandeja?vista=por_aprobar")).split("Respuestas por aprobar", 2)[-1]


def test_a_returned_response_keeps_nothing_sent_and_tells_why(approving_site: Site) -> None:
    site = approving_site
    case = _in_progress(site)
    number = str(case.filing_number)
    _respond(site, case, "enviar")
    drafted = site.pqrs.case(number)
    sofia = site.as_user("sofia")

    empty = sofia.post(f"/casos/{number}/respuesta/aprobacion",
                       {"version": str(drafted.version), "accion": "devolver", "devolucion_comentario": ""})
    assert empty.status_code == 422 and 'id="error-devolucion_comentario"' in _text(empty)
    returned = sofia.post(f"/casos/{number}/respuesta/aprobacion",
                          {"version": str(drafted.version), "accion": "devolver",
                           "devolucion_comentario": "Cite el número de la nota crédito."})

    assert returned.status_code == 302
    after = site.pqrs.case(number)
    assert after.pending_response is None and after.attachments == () and after.responded_at is None
    page = _text(site.as_user("ana").get(f"/casos/{number}"))
    assert "Devolvió la respuesta a" in page and "Cite el número de la nota crédito." in page
    assert 'name="respuesta_texto"' in page  # answered again
    assert isinstance(site.pqrs.history(number)[-1], ev.ResponseReturned)


# --- the administrators' template ---------------------------------------------------------------------
def test_the_administrator_edits_the_template_previews_it_and_every_version_is_kept(site: Site) -> None:
    admin = site.as_user("admin")
    page = _text(admin.get("/admin/oficios"))
    assert "Se está usando la plantilla original" in page and "{{ letter.filing_number }}" in page
    shipped_html = re.search(r'<textarea id="html"[^>]*>(.*?)</textarea>', page, re.S)
    shipped_css = re.search(r'<textarea id="css"[^>]*>(.*?)</textarea>', page, re.S)
    assert shipped_html is not None and shipped_css is not None
    html_text = shipped_html.group(1).replace("Respetado(a) señor(a):", "Apreciado(a) peticionario(a):")

    preview = admin.post("/admin/oficios", {"html": html_text, "css": shipped_css.group(1),
                                            "accion": "vista_previa"})
    assert preview.mimetype == "application/pdf"
    assert "Apreciado(a) peticionario(a):" in _pdf_text(preview.get_data())
    saved = admin.post("/admin/oficios", {"html": html_text, "css": shipped_css.group(1),
                                          "accion": "guardar"})
    assert saved.status_code == 302

    # The next letter issued uses it.
    case = _in_progress(site)
    _respond(site, case, "enviar")
    [letter] = site.pqrs.case(str(case.filing_number)).attachments
    issued = _pdf_text(site.pqrs.deps.files.get(letter.storage_key))  # type: ignore[union-attr]
    assert "Apreciado(a) peticionario(a):" in issued and "Respetado(a)" not in issued

    # A broken template is refused with what was typed kept; the one in use stays.
    broken = admin.post("/admin/oficios", {"html": "<p>{{ letter.filing_number </p>", "css": "",
                                           "accion": "guardar"})
    page = _text(broken)
    assert broken.status_code == 422 and 'id="error-html"' in page and "{{ letter.filing_number </p>" in page
    sneaky = admin.post("/admin/oficios", {"html": "{{ letter.__class__.__mro__ }}", "css": "",
                                           "accion": "guardar"})
    assert sneaky.status_code == 422  # the sandbox refuses what a template may not reach

    assert admin.post("/admin/oficios/restablecer", {}).status_code == 302
    page = _text(admin.get("/admin/oficios"))
    assert "Se está usando la plantilla original" in page and "Plantilla original restablecida" in page
    assert len(re.findall(r"<tr><td>\d+</td>", page)) == 2  # both versions kept
    assert site.as_user("ana").get("/admin/oficios").status_code == 403


def test_the_lookup_link_of_a_letter_that_is_no_longer_public_finds_nothing(site: Site) -> None:
    case = _in_progress(site)
    number = str(case.filing_number)
    assert _respond(site, case, "enviar").status_code == 302
    visitor = site.as_user(None)
    lookup = _text(visitor.post("/consultar", {"radicado": number, "documento": "43.123.456"}))
    [address] = re.findall(r'href="(/consultar/oficios/[^"]+)"', lookup)
    # The stored case now says the letter is internal (as an edit of its visibility would).
    with site.engine.begin() as connection:
        row = cases.c.filing_number == number
        stored = connection.execute(select(cases.c.attachments).where(row)).scalar_one()
        internal = [{**a, "public": False} for a in stored]
        connection.execute(update(cases).where(row).values(attachments=internal))
    assert not any(a.public for a in site.pqrs.case(number).attachments)
    assert visitor.get(address).status_code == 404

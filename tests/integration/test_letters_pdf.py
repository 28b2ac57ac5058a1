"""Official letters typeset by WeasyPrint: the PDF's text is read back with ``pdftotext`` and its first
page drawn with ``pdftoppm`` (Poppler), and the response letter reaches the requester's mailbox (a
real aiosmtpd server) attached to the response, on a real SQLite file and a real PostgreSQL database;
a response drafted for approval is kept and listed by every store."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import test_mail_delivery
from test_mail_delivery import SmtpSink
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR

from pqrs_adapters.accounts import save_user
from pqrs_adapters.documents.signers import signer_from_users
from pqrs_adapters.documents.weasyprint_renderer import LetterTemplate, WeasyPrintRenderer, default_template
from pqrs_adapters.mail.worker import DeliveryOptions, deliver_once
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.letters import Addressee, Letter, Letterhead, Signer
from pqrs_core.domain.values import Requester
from pqrs_core.memory import MemoryFileStore
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import CaseQuery
from pqrs_core.settings import Settings

if TYPE_CHECKING:
    from conftest import StoreUnderTest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                reason="Poppler's pdftotext and pdftoppm are needed (.ci/run installs them)")
BOGOTA = ZoneInfo("America/Bogota")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA)
LETTERHEAD = Letterhead(name="Compañía Andina de Señales S.A.S.", nit="900.123.456-7",
                        address="Calle 100 # 10-20, Bogotá")
smtp = test_mail_delivery.smtp


def letter(paragraphs: tuple[str, ...]) -> Letter:
    return Letter(kind="response", title="Respuesta", letterhead=LETTERHEAD,
                  place_and_date="Bogotá D.C., 6 de diciembre de 2026", filing_number="PQRS-2026-000123",
                  addressee=Addressee(name="José Peña Ordóñez", document="CC 1020304050"),
                  subject="Respuesta — radicado PQRS-2026-000123: Daño en el señalizador",
                  paragraphs=paragraphs,
                  signer=Signer(name="Begoña Muñoz", role="Jefe de Servicio al Cliente"))


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "oficio.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def first_page_pixels(pdf: bytes, tmp_path: Path) -> bytes:
    """The first page drawn in grey levels (a binary PGM's pixels, one byte each)."""
    path = tmp_path / "oficio.pdf"
    path.write_bytes(pdf)
    drawn = subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(path)], check=True,
                           capture_output=True).stdout
    # A binary PGM: "P5", width, height, the largest value, each followed by whitespace; then the pixels.
    fields = drawn.split(maxsplit=4)
    assert fields[0] == b"P5"
    return fields[4]


def test_a_letter_renders_its_text_with_accents_and_enes_and_draws_a_page_that_is_not_blank(
        tmp_path: Path) -> None:
    pdf = WeasyPrintRenderer().render(letter(("La señora Muñoz revisó el señalizador; añadimos la acción.",)))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for expected in ("Compañía Andina de Señales S.A.S.", "NIT 900.123.456-7",
                     "Bogotá D.C., 6 de diciembre de 2026",
                     "PQRS-2026-000123", "José Peña Ordóñez", "La señora Muñoz revisó el señalizador",
                     "Begoña Muñoz", "Jefe de Servicio al Cliente", "Página 1 de 1"):
        assert expected in text
    pixels = first_page_pixels(pdf, tmp_path)
    assert min(pixels) < 128  # there is ink: text, not a white page
    assert sum(1 for p in pixels if p < 200) > 500


def test_a_long_body_runs_onto_numbered_pages(tmp_path: Path) -> None:
    body = tuple(f"Párrafo {i}: el análisis técnico de la reclamación concluyó que la señal se perdió por "
                 "una falla del equipo, que será reemplazado sin costo para usted." for i in range(1, 61))
    text = pdf_text(WeasyPrintRenderer().render(letter(body)), tmp_path)
    pages = text.count("\f")  # pdftotext ends every page with a form feed
    assert pages >= 2
    assert f"Página 1 de {pages}" in text and f"Página {pages} de {pages}" in text
    assert "Párrafo 60:" in text and "Begoña Muñoz" in text.split("\f")[pages - 1]


def test_a_template_cannot_read_the_servers_files(tmp_path: Path) -> None:
    secret = tmp_path / "secreto.txt"
    secret.write_text("contenido-secreto")
    shipped = default_template()
    sneaky = LetterTemplate(html=shipped.html.replace(
        "</body>", f'<object data="file://{secret}"></object><img src="file://{secret}"></body>'),
        css=shipped.css + f'\n.body::after {{ content: url("file://{secret}"); }}')
    pdf = WeasyPrintRenderer(template_for=lambda kind: sneaky).render(letter(("Texto.",)))
    assert "contenido-secreto" not in pdf_text(pdf, tmp_path)


def test_the_response_letter_reaches_the_requester_with_the_response(sql_store: StoreUnderTest,
                                                                     smtp: SmtpSink) -> None:
    assert sql_store.engine is not None
    engine = sql_store.engine
    save_user(engine, "bruno", display_name="Bruno Peñaloza", job_title="Coordinador de Atención",
              roles=("back_office",), queues=("back_office",))
    clock = FrozenClock(MONDAY)
    app = bootstrap(uow_factory=sql_store.uow_factory, clock=clock, files=MemoryFileStore(),
                    settings=Settings(letterhead=LETTERHEAD, letters=frozenset({"response"})),
                    plugin_manager=get_plugin_manager(load_entry_points=False),
                    documents=WeasyPrintRenderer(), signer=signer_from_users(engine))
    case = app.handle(c.FileCase(kind="queja", subject="Señal intermitente", description="Se cae la señal",
                                 requester=Requester(full_name="María Núñez", email="maria@example.com")),
                      AGENT)
    number = str(case.filing_number)
    app.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
    options = DeliveryOptions(mail_from="PQRS Andina <pqrs@andina.example.co>", files=app.deps.files)
    deliver_once(engine, smtp.mailer(), clock.now(), options=options)
    smtp.received.clear()

    app.handle(c.RespondCase(filing_number=number, text="Reemplazamos el equipo el próximo lunes."),
               BACK_OFFICE)
    deliver_once(engine, smtp.mailer(), clock.now(), options=options)

    [mail] = smtp.received
    assert mail.rcpt_tos == ["maria@example.com"]
    [(filename, content_type, content)] = [
        (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
        for part in mail.message.iter_attachments()]
    assert (filename, content_type) == (f"oficio-respuesta-{number}.pdf", "application/pdf")
    [added] = [e for e in app.history(number) if isinstance(e, ev.AttachmentAdded)]
    assert added.letter == "response" and added.attachment.public
    assert added.attachment.sha256 == hashlib.sha256(content).hexdigest()
    text = subprocess.run(["pdftotext", "-", "-"], input=content, check=True, capture_output=True).stdout
    for expected in (number, "María Núñez", "Reemplazamos el equipo el próximo lunes.", "Bruno Peñaloza",
                     "Coordinador de Atención", "Bogotá D.C., 2 de marzo de 2026"):
        assert expected.encode() in text


def test_a_drafted_response_is_stored_and_listed_until_it_is_approved(store: StoreUnderTest) -> None:
    """Every store keeps the draft with the case and lists the cases whose response waits for approval."""
    clock = FrozenClock(MONDAY)
    app = bootstrap(uow_factory=store.uow_factory, clock=clock, files=MemoryFileStore(),
                    settings=Settings(letterhead=LETTERHEAD, letters=frozenset({"response"}),
                                      letters_need_approval=True),
                    plugin_manager=get_plugin_manager(load_entry_points=False),
                    documents=WeasyPrintRenderer(), read_uow_factory=store.read_uow_factory)
    numbers = []
    for subject in ("Señal intermitente", "Factura duplicada"):
        case = app.handle(c.FileCase(kind="queja", subject=subject, description="Detalle",
                                     requester=Requester(full_name="María Núñez")), AGENT)
        number = str(case.filing_number)
        app.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR)
        app.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
        numbers.append(number)
    clock.advance(hours=1)
    app.handle(c.RespondCase(filing_number=numbers[0], text="Cambiamos el equipo.", close=True), BACK_OFFICE)

    pending = app.case(numbers[0]).pending_response
    assert pending is not None
    assert (pending.text, pending.close, pending.drafted_by, pending.drafted_at) == (
        "Cambiamos el equipo.", True, "bruno", clock.now())
    waiting = app.cases(CaseQuery(awaiting_approval=True))
    assert [str(c.filing_number) for c in waiting.cases] == [numbers[0]]

    app.handle(c.ApproveResponse(filing_number=numbers[0]), SUPERVISOR)

    assert app.case(numbers[0]).pending_response is None
    assert app.cases(CaseQuery(awaiting_approval=True)).cases == []
    [letter] = app.case(numbers[0]).attachments
    assert letter.public and letter.content_type == "application/pdf"

"""A closed case exported as a package for the organisation's archive: every document and message in
the ZIP, the electronic index (JSON and PDF) with each file's SHA-256 (recomputed here), order and
pages (read back with Poppler's ``pdfinfo``), the control sheet naming the filing number and the
retention-table code (``pdftotext``); an open case refused with 409; the bulk export of a range of
closing dates (in Bogotá) gives one package per case closed in it."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.retention import Disposition, RetentionRule

from .conftest import Site

BOGOTA = ZoneInfo("America/Bogota")
TRD = "200.15.02"


def _poppler(tool: str, content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "documento.pdf"
    path.write_bytes(content)
    return subprocess.run([tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
                          check=True, capture_output=True, text=True).stdout


def _pages(content: bytes, tmp_path: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", _poppler("pdfinfo", content, tmp_path), re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def closed_case(site: Site, subject: str = "Certificado de paz y salvo") -> Case:
    """A case with a file of the requester's, a requester message, a response (and its letter's
    PDF), closed."""
    ana = site.actor("ana")
    case = site.file("ana", subject=subject)
    number = str(case.filing_number)
    site.pqrs.handle(c.AddAttachment(filing_number=number, filename="Cédula escaneada.txt",
                                     content_type="text/plain", content="copia de la cédula".encode(),
                                     public=True), ana)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), ana)
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    closed: Case = site.pqrs.handle(c.RespondCase(filing_number=number, text="Adjuntamos su certificado.",
                                                  solution="Certificado expedido", close=True), ana)
    assert closed.closed_at is not None
    return closed


def set_trd(site: Site) -> None:
    site.pqrs.catalog_admin.set_retention("kind", "peticion", RetentionRule(
        trd_code=TRD, series="PQRSD — Derechos de petición", management_years=2, central_years=8,
        disposition=Disposition.SELECT), site.actor("admin"))


def test_a_closed_case_exports_every_file_with_its_hash_order_pages_and_a_control_sheet(
        site: Site, tmp_path: Path) -> None:
    set_trd(site)
    case = closed_case(site)
    response = site.as_user("ana").get(f"/casos/{case.filing_number}/expediente")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/zip"
    assert f"expediente-{case.filing_number}.zip" in response.headers["Content-Disposition"]
    package = zipfile.ZipFile(io.BytesIO(response.get_data()))
    index = json.loads(package.read("indice.json"))
    documents = index["documentos"]
    names = [n for n in package.namelist() if n.startswith("documentos/")]
    assert sorted(d["nombre"] for d in documents) == sorted(names)
    assert [d["orden"] for d in documents] == list(range(1, len(documents) + 1))
    for document in documents:
        content = package.read(document["nombre"])
        assert document["sha256"] == hashlib.sha256(content).hexdigest()
        assert document["tamano"] == len(content)
        if content.startswith(b"%PDF"):
            assert document["paginas"] == _pages(content, tmp_path)
        else:
            assert document["paginas"] is None
    origins = [d["origen"] for d in documents]
    # The filing, the requester's file, the response, its letter, in the order they entered the case.
    assert origins == ["mensaje", "adjunto", "mensaje", "carta"]
    assert documents[1]["nombre"] == "documentos/002-cedula-escaneada.txt"
    assert "Adjuntamos su certificado." in package.read(documents[2]["nombre"]).decode()
    assert documents[3]["formato"] == "application/pdf" and documents[3]["paginas"] >= 1
    assert index["radicado"] == str(case.filing_number)
    assert index["trd"]["codigo"] == TRD and index["trd"]["disposicion_final"] == "seleccion"
    sheet = package.read("hoja-de-control.pdf")
    assert index["hoja_de_control"]["sha256"] == hashlib.sha256(sheet).hexdigest()
    text = _poppler("pdftotext", sheet, tmp_path)
    assert str(case.filing_number) in text and TRD in text and "Selección" in text
    index_text = _poppler("pdftotext", package.read("indice.pdf"), tmp_path)
    assert documents[1]["sha256"][:16] in index_text.replace("\n", "")


def test_an_open_case_is_refused_with_a_clear_message(site: Site) -> None:
    case = site.file("ana")
    page = site.as_user("ana").get(f"/casos/{case.filing_number}/expediente")
    assert page.status_code == 409
    assert "sigue abierto" in page.get_data(as_text=True)

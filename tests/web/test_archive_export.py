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
from datetime import timedelta
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


def closed_case(site: Site, subject: str = "Certificado de paz y salvo",
                typification: str | None = None) -> Case:
    """A case with a file of the requester's and a response (and its letter's PDF), closed."""
    ana = site.actor("ana")
    case = site.file("ana", subject=subject)
    number = str(case.filing_number)
    site.pqrs.handle(c.AddAttachment(filing_number=number, filename="Cédula escaneada.txt",
                                     content_type="text/plain", content="copia de la cédula".encode(),
                                     public=True), ana)
    if typification is not None:
        site.pqrs.handle(c.TypifyCase(filing_number=number, typification=typification), ana)
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


def test_the_case_page_offers_the_export_only_for_a_closed_case(site: Site) -> None:
    closed = closed_case(site)
    still_open = site.file("ana")
    assert "Exportar expediente" in site.as_user("ana").page(f"/casos/{closed.filing_number}")
    assert "Exportar expediente" not in site.as_user("ana").page(f"/casos/{still_open.filing_number}")


def test_an_administrator_gives_a_typification_a_retention_table_versioned_and_logged(site: Site) -> None:
    leaf = next(n for n in site.pqrs.catalog().typifications if n.parent is not None)
    admin = site.as_user("admin")
    path = f"/admin/retencion/tipificacion/{leaf.code}"
    assert "Sin tabla de retención propia" in admin.page(f"/admin/tipificaciones/{leaf.code}")

    wrong = admin.post(path, {"trd_code": "", "management_years": "-1", "central_years": "x",
                              "disposition": "quemar"})
    assert wrong.status_code == 422
    text = wrong.get_data(as_text=True)
    for message in ("Escriba el código de la serie", "Debe estar entre 0 y 200", "Escriba un número entero",
                    "Elija una disposición final"):
        assert message in text
    assert site.pqrs.catalog().retention == {}

    form = {"trd_code": "200.15.02", "series": "PQRSD", "management_years": "2", "central_years": "8",
            "disposition": "eliminacion", "notes": ""}
    assert admin.post(path, form).status_code == 302
    assert admin.post(path, {**form, "central_years": "18"}).status_code == 302
    rule = site.pqrs.catalog().retention[f"typification:{leaf.code}"]
    assert (rule.trd_code, rule.central_years, rule.version) == ("200.15.02", 18, 2)
    versions = site.pqrs.catalog_admin.retention_versions("typification", leaf.code)
    assert [(v, r.central_years if r else None, who) for v, r, who, _at in versions] == [
        (2, 18, "admin"), (1, 8, "admin")]
    summary = admin.page(f"/admin/tipificaciones/{leaf.code}")
    assert "Serie 200.15.02" in summary and "18 en archivo central" in summary
    assert "Asignó a la tipificación" in admin.page("/admin/historial")

    assert admin.post(path, {"accion": "quitar"}).status_code == 302
    assert site.pqrs.catalog().retention == {}
    assert site.as_user("ana").get(path).status_code == 403


def test_a_case_takes_its_typification_rule_before_its_kind_rule(site: Site) -> None:
    set_trd(site)
    leaf = next(n for n in site.pqrs.catalog().typifications if n.parent is not None)
    site.pqrs.catalog_admin.set_retention("typification", leaf.parent or "", RetentionRule(
        trd_code="300.01", management_years=1, central_years=1, disposition=Disposition.KEEP),
        site.actor("admin"))
    number = str(closed_case(site, typification=leaf.code).filing_number)
    index = json.loads(zipfile.ZipFile(io.BytesIO(site.as_user("ana").get(
        f"/casos/{number}/expediente").get_data())).read("indice.json"))
    assert index["trd"]["codigo"] == "300.01" and index["trd"]["origen"] == f"typification:{leaf.parent}"
    plain = closed_case(site)
    index = json.loads(zipfile.ZipFile(io.BytesIO(site.as_user("ana").get(
        f"/casos/{plain.filing_number}/expediente").get_data())).read("indice.json"))
    assert index["trd"]["codigo"] == TRD and index["trd"]["origen"] == "kind:peticion"


def test_the_bulk_form_streams_the_packages_of_the_cases_closed_in_the_range(site: Site) -> None:
    first, second = closed_case(site, "uno"), closed_case(site, "dos")
    site.file("ana")  # open: not exported
    today = site.today().isoformat()
    admin = site.as_user("admin")
    assert "Cerrados desde" in admin.page("/admin/expedientes")
    response = admin.get(f"/admin/expedientes?desde={today}&hasta={today}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    outer = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert sorted(outer.namelist()) == sorted(f"expediente-{case.filing_number}.zip"
                                              for case in (first, second))
    yesterday = (site.today() - timedelta(days=1)).isoformat()
    empty = zipfile.ZipFile(io.BytesIO(admin.get(f"/admin/expedientes?desde={yesterday}&hasta={yesterday}")
                                       .get_data()))
    assert empty.namelist() == []
    wrong = admin.get(f"/admin/expedientes?desde={today}&hasta={yesterday}")
    assert wrong.status_code == 422 and "anterior a la inicial" in wrong.get_data(as_text=True)
    assert site.as_user("ana").get(f"/admin/expedientes?desde={today}&hasta={today}").status_code == 403


def test_a_kind_page_leads_to_its_retention_table(site: Site) -> None:
    admin = site.as_user("admin")
    assert "Sin tabla de retención propia" in admin.page("/admin/listas/tipos/peticion")
    form = {"trd_code": "200.15.02", "series": "", "management_years": "2", "central_years": "8",
            "disposition": "conservacion_total", "notes": "Se conserva completa."}
    saved = admin.post("/admin/retencion/tipo/peticion", form)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/admin/listas/tipos/peticion")
    page = admin.page("/admin/listas/tipos/peticion")
    assert "Serie 200.15.02" in page and "conservación total" in page
    assert admin.get("/admin/retencion/tipo/no_existe").status_code == 404
    assert admin.get("/admin/retencion/otra/peticion").status_code == 404


def test_the_index_counts_the_pages_of_a_long_pdf_as_poppler_does(site: Site, tmp_path: Path) -> None:
    from pqrs_adapters.documents.weasyprint_renderer import render_pdf

    long_pdf = render_pdf("".join(f'<p style="break-before: page">Folio {n}</p>' for n in range(1, 4)), "")
    case = site.file("ana")
    number = str(case.filing_number)
    ana = site.actor("ana")
    site.pqrs.handle(c.AddAttachment(filing_number=number, filename="Anexo largo.pdf",
                                     content_type="application/pdf", content=long_pdf, public=True), ana)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), ana)
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Recibido.", close=True), ana)
    package = zipfile.ZipFile(io.BytesIO(site.as_user("ana").get(f"/casos/{number}/expediente").get_data()))
    entry = next(d for d in json.loads(package.read("indice.json"))["documentos"]
                 if d["titulo"] == "Anexo largo.pdf")
    assert entry["paginas"] == _pages(package.read(entry["nombre"]), tmp_path) >= 3

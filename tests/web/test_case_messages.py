"""What the case page says when it refuses something: a guard's reason keeps its capitals, and a file of
a kind that is not allowed is named the way people name files, never by its MIME type."""

from __future__ import annotations

import html
import io
import re

from .conftest import Site


def test_a_guard_reason_keeps_its_capitals_after_the_first_letter(site: Site) -> None:
    case = site.file("sofia", kind="nota_credito", subject="Nota por avería",
                     custom_fields={"motivo_nota": "Faltante en la entrega", "valor": "1000"})
    assert case.state == "review"  # the credit note's workflow starts in review

    page = html.unescape(site.as_user("bruno").page(f"/casos/{case.filing_number}"))

    reason = re.search(r'<small id="no-accept_note" class="help">([^<]+)</small>', page)
    assert reason is not None
    assert reason.group(1).startswith("Falta la factura de referencia")
    assert "«Número de factura»" in reason.group(1)  # Jinja's capitalize gave «número de factura»


def _upload(site: Site, case_number: str, content: bytes, filename: str, content_type: str) -> str:
    response = site.as_user("ana").post(f"/casos/{case_number}/adjuntos",
                                        {"version": str(site.pqrs.case(case_number).version),
                                         "adjunto_archivo": (io.BytesIO(content), filename, content_type)},
                                        content_type="multipart/form-data")
    assert response.status_code == 415
    return html.unescape(response.get_data(as_text=True))


def test_a_refused_file_is_named_by_its_kind_in_spanish(site: Site) -> None:
    case = site.file("ana")
    number = str(case.filing_number)

    page = _upload(site, number, b"MZ...", "programa.exe", "application/x-msdownload")

    assert "no se permiten archivos .exe" in page.lower()
    for kind in ("documentos de Word", "PDF", "imágenes JPEG", "hojas de cálculo de Excel"):
        assert kind in page
    assert "application/" not in _visible(page) and "openxmlformats" not in _visible(page)


def test_the_upload_help_names_the_allowed_kinds(site: Site) -> None:
    case = site.file("ana")
    page = html.unescape(site.as_user("ana").page(f"/casos/{case.filing_number}"))
    help_text = re.search(r'<small id="ayuda-adjunto_archivo" class="help">([^<]+)</small>', page)
    assert help_text is not None
    assert "documentos de Word" in help_text.group(1) and "imágenes PNG" in help_text.group(1)


def _visible(page: str) -> str:
    """The page's text as a person reads it: no tags, so no attribute values (the file input's
    ``accept`` rightly lists MIME types for the browser)."""
    return re.sub(r"<[^>]+>", " ", page)

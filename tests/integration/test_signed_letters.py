"""The answer's letter signed with the organisation's certificate (PAdES, pyHanko) on a throwaway
self-signed certificate: pyHanko's own validation finds the signature intact, made by that certificate
and covering the whole document; the letter prints its verification address and a QR code that encodes
exactly that address (the image in the PDF, extracted with Poppler's ``pdfimages``, is pixel for pixel
the QR code of the address)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from PIL import Image, ImageChops
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from test_letters_pdf import letter

from pqrs_adapters.documents.certificates import self_signed_pkcs12
from pqrs_adapters.documents.pades import CertificateError, PadesSigner, load_pkcs12
from pqrs_adapters.documents.qr import qr_png
from pqrs_adapters.documents.weasyprint_renderer import WeasyPrintRenderer
from pqrs_core.clock import SystemClock
from pqrs_core.domain.letters import Signer
from pqrs_core.domain.signatures import Verification, new_verification_code, verification_url

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
                                reason="Poppler's pdftotext and pdfimages are needed")
PASSWORD = "clave de prueba"


@pytest.fixture()
def certificate(tmp_path: Path) -> Path:
    path = tmp_path / "organizacion.p12"
    path.write_bytes(self_signed_pkcs12("Compañía Andina de Señales S.A.S.", PASSWORD,
                                        now=SystemClock().now()))
    return path


def _signed_letter(certificate: Path) -> tuple[bytes, bytes, Verification, PadesSigner]:
    code = new_verification_code()
    verification = Verification(code=code, url=verification_url("https://pqrs.example.co/", code))
    typeset = WeasyPrintRenderer().render(attrs.evolve(letter(("Le respondemos su petición.",)),
                                                       verification=verification))
    signer = PadesSigner(certificate=load_pkcs12(certificate, PASSWORD), location="Bogotá D.C.")
    return typeset, signer.sign(typeset, Signer(name="Begoña Muñoz", role="Jefe de Servicio al Cliente")), \
        verification, signer


def test_the_signed_letter_validates_intact_over_the_whole_document(certificate: Path) -> None:
    typeset, signed, _verification, signer = _signed_letter(certificate)

    assert signed.startswith(typeset)  # an incremental update: the typeset letter is inside, untouched
    [signature] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    trusted = ValidationContext(trust_roots=[signer.certificate.signing_cert], allow_fetching=False)
    status = validate_pdf_signature(signature, trusted)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["organization_name"] == "Compañía Andina de Señales S.A.S."
    assert signature.sig_object["/Name"] == "Begoña Muñoz — Jefe de Servicio al Cliente"


def test_a_changed_byte_breaks_the_signature(certificate: Path) -> None:
    _typeset, signed, _verification, signer = _signed_letter(certificate)
    at = signed.index(b"Le respondemos") if b"Le respondemos" in signed else len(signed) // 3
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]

    [signature] = PdfFileReader(io.BytesIO(tampered), strict=False).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signer.certificate.signing_cert], allow_fetching=False))
    assert not status.intact


def test_the_letter_prints_its_verification_address_and_its_qr_code(certificate: Path,
                                                                     tmp_path: Path) -> None:
    _typeset, signed, verification, _signer = _signed_letter(certificate)
    path = tmp_path / "firmado.pdf"
    path.write_bytes(signed)

    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode()
    assert verification.url in text.replace("\n", "") and verification.code in text
    assert len(verification.code) == 16 and verification.code.isalnum()
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "imagen")], check=True)
    [image] = sorted(tmp_path.glob("imagen-*.png"))
    expected = Image.open(io.BytesIO(qr_png(verification.url))).convert("L")
    found = Image.open(image).convert("L")
    assert found.size == expected.size
    assert ImageChops.difference(found, expected).getbbox() is None  # the same modules: the same address


def test_codes_are_random_and_a_wrong_passphrase_is_refused(certificate: Path) -> None:
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    with pytest.raises(CertificateError):
        load_pkcs12(certificate, "otra clave")

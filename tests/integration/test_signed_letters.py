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
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image, ImageChops
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from test_letters_pdf import letter

from pqrs_adapters.config import Config, ConfigError
from pqrs_adapters.documents.certificates import self_signed_pkcs12
from pqrs_adapters.documents.pades import CertificateError, PadesSigner, load_pkcs12, outside_event_loop
from pqrs_adapters.documents.qr import qr_png
from pqrs_adapters.documents.weasyprint_renderer import WeasyPrintRenderer
from pqrs_adapters.wiring import document_signer
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
    status = outside_event_loop(lambda: validate_pdf_signature(signature, trusted))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["organization_name"] == "Compañía Andina de Señales S.A.S."
    assert signature.sig_object["/Name"] == "Begoña Muñoz — Jefe de Servicio al Cliente"


def test_a_changed_byte_breaks_the_signature(certificate: Path) -> None:
    _typeset, signed, _verification, signer = _signed_letter(certificate)
    at = signed.index(b"Le respondemos") if b"Le respondemos" in signed else len(signed) // 3
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]

    [signature] = PdfFileReader(io.BytesIO(tampered), strict=False).embedded_signatures
    context = ValidationContext(trust_roots=[signer.certificate.signing_cert], allow_fetching=False)
    status = outside_event_loop(lambda: validate_pdf_signature(signature, context))
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


def test_the_demo_makes_its_throwaway_certificate_once_and_signs_with_it(tmp_path: Path) -> None:
    env = {"PQRS_PUBLIC_URL": "http://127.0.0.1:5000", "PQRS_SIGNING_P12": "var/demo-firma.p12",
           "PQRS_SIGNING_PASSWORD": "demo", "PQRS_SIGNING_DEMO": "1",
           "PQRS_ORGANISATION_NAME": "Comercializadora Andina S.A.S."}
    config = Config.from_env(env, cwd=tmp_path)
    assert config.settings().public_url == "http://127.0.0.1:5000"

    first = document_signer(config)
    made = (tmp_path / "var" / "demo-firma.p12").read_bytes()
    second = document_signer(config)

    assert first is not None and second is not None
    assert (tmp_path / "var" / "demo-firma.p12").read_bytes() == made  # kept, not made again
    assert first.certificate.signing_cert.dump() == second.certificate.signing_cert.dump()
    assert second.certificate.signing_cert.subject.native["organization_name"] == \
        "Comercializadora Andina S.A.S."
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["demo-firma.p12"]  # no drafts left


def test_signing_settings_are_checked_when_read(tmp_path: Path) -> None:
    assert document_signer(Config.from_env({}, cwd=tmp_path)) is None
    with pytest.raises(ConfigError, match="PQRS_PUBLIC_URL"):
        Config.from_env({"PQRS_SIGNING_P12": "firma.p12"}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="PQRS_SIGNING_CERT"):
        Config.from_env({"PQRS_PUBLIC_URL": "https://pqrs.example.co", "PQRS_SIGNING_KEY": "llave.pem"},
                        cwd=tmp_path)
    missing = Config.from_env({"PQRS_PUBLIC_URL": "https://pqrs.example.co",
                               "PQRS_SIGNING_P12": "no-existe.p12"}, cwd=tmp_path)
    with pytest.raises(CertificateError):
        document_signer(missing)


def test_a_pem_key_and_certificate_sign_as_the_p12_does(certificate: Path, tmp_path: Path) -> None:
    key, cert, _others = pkcs12.load_key_and_certificates(certificate.read_bytes(), PASSWORD.encode())
    assert key is not None and cert is not None
    (tmp_path / "llave.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"otra clave")))
    (tmp_path / "certificado.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    env = {"PQRS_PUBLIC_URL": "https://pqrs.example.co", "PQRS_SIGNING_KEY": "llave.pem",
           "PQRS_SIGNING_CERT": "certificado.pem", "PQRS_SIGNING_PASSWORD": "otra clave"}
    signer = document_signer(Config.from_env(env, cwd=tmp_path))
    assert isinstance(signer, PadesSigner)

    signed = signer.sign(WeasyPrintRenderer().render(letter(("Texto.",))), Signer(name="Begoña Muñoz"))

    [signature] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    context = ValidationContext(trust_roots=[signer.certificate.signing_cert], allow_fetching=False)
    status = outside_event_loop(lambda: validate_pdf_signature(signature, context))
    assert status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE

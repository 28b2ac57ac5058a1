"""The ``DocumentSigner`` on pyHanko: PDF letters signed with the organisation's certificate as PAdES
(ETSI EN 319 142: a CAdES signature embedded in the PDF, SHA-256), added as an incremental update so
that the signed document still contains, byte for byte, the letter that was typeset.

The certificate and its private key are read from files the deployment provides (a PKCS#12 bundle and
its passphrase, or a PEM key and certificate), never from the repository."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import attrs
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from pqrs_core.domain.letters import Signer

FIELD_NAME = "FirmaOrganizacion"
T = TypeVar("T")


def outside_event_loop(work: Callable[[], T]) -> T:
    """``work()``, on a thread of its own when this thread runs an event loop: pyHanko's synchronous
    calls start one with ``asyncio.run``, which a running loop refuses (an application embedding pqrs
    in asynchronous code)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


class CertificateError(ValueError):
    """The certificate or its key could not be read (a wrong path or passphrase)."""


def load_pkcs12(path: str | Path, passphrase: str | None) -> signers.SimpleSigner:
    """The signer of a PKCS#12 bundle (``.p12``/``.pfx``) protected by ``passphrase``."""
    try:
        signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(path), passphrase=passphrase.encode() if passphrase is not None else None)
    except (OSError, ValueError) as exc:
        raise CertificateError(f"no se pudo leer el certificado {path}: {exc}") from exc
    if signer is None:
        raise CertificateError(f"no se pudo abrir el certificado {path}: revise la contraseña")
    return signer  # type: ignore[no-any-return]


def load_pem(key_path: str | Path, cert_path: str | Path, passphrase: str | None) -> signers.SimpleSigner:
    """The signer of a PEM private key and its PEM certificate."""
    try:
        signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
            str(key_path), str(cert_path), key_passphrase=passphrase.encode() if passphrase else None)
    except (OSError, ValueError) as exc:
        raise CertificateError(f"no se pudo leer la llave {key_path} o el certificado {cert_path}: "
                               f"{exc}") from exc
    if signer is None:
        raise CertificateError(f"no se pudo abrir la llave {key_path}: revise la contraseña")
    return signer  # type: ignore[no-any-return]


@attrs.frozen
class PadesSigner:
    """Signs PDF documents with ``certificate`` (a pyHanko signer: the key and its certificate). The
    signature names the person the letter is signed for; ``location`` is the organisation's city."""

    certificate: signers.Signer
    location: str = ""

    def sign(self, pdf: bytes, signer: Signer) -> bytes:
        name = f"{signer.name} — {signer.role}" if signer.role else signer.name
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
            name=name, reason="Respuesta oficial a la petición", location=self.location or None)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=self.certificate))
        return bytes(out.getvalue())

"""Throwaway self-signed certificates (PKCS#12) for the demo and the tests: never for production, where
the organisation's certificate comes from a certification authority (Ley 527 de 1999, art. 30)."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def self_signed_pkcs12(organisation: str, passphrase: str, *, now: datetime, days: int = 365) -> bytes:
    """A new RSA key and a self-signed certificate in ``organisation``'s name, valid from ``now`` for
    ``days``, bundled as PKCS#12 protected by ``passphrase``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Certificado de demostración"),
                      x509.NameAttribute(NameOID.COMMON_NAME, organisation[:64])])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        organisation.encode(), key, certificate, None,
        serialization.BestAvailableEncryption(passphrase.encode()))


def ensure_demo_certificate(path: str | Path, organisation: str, passphrase: str, *, now: datetime) -> bool:
    """Write a throwaway certificate at ``path`` unless one is there; whether it wrote one. Several
    processes starting together keep one certificate: the file appears whole, and only once."""
    target = Path(path)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".firma-", delete=False) as draft:
        draft.write(self_signed_pkcs12(organisation, passphrase, now=now))
    try:
        os.chmod(draft.name, 0o600)
        os.link(draft.name, target)  # fails when another process made it first
    except FileExistsError:
        return False
    finally:
        os.unlink(draft.name)
    return True

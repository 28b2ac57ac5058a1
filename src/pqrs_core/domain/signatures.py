"""Signed answers and their public verification.

The answer's official letter is signed with the organisation's certificate (an adapter's work, through
the ``DocumentSigner`` port) and carries a **verification code**: random, unguessable (80 bits, base32),
never derived from the filing number, so that knowing a case's sequential number reveals nothing. The
letter prints the code and a QR code pointing to the public page ``/verificar/<code>``, where anyone
holding a copy can check it is the document the organisation issued (Ley 527 de 1999, art. 7 and 28:
a digital signature attributable to the signer and tied to the message; CPACA, Ley 1437 de 2011,
art. 53-64: electronic documents and communications of the administration).
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

import attrs

from . import events as ev
from .values import Actor

VERIFY_PATH = "/verificar/"
# The letters signed when the organisation signs: the answer's.
SIGNED_KINDS = frozenset({"response"})
CODE_BYTES = 10  # 80 random bits: 16 base32 characters


def new_verification_code() -> str:
    """A fresh verification code: 16 characters of base32 (``A``-``Z``, ``2``-``7``), from the system's
    cryptographic random source."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def normalized_code(value: str) -> str:
    """A code as typed (spaces, dashes, lower case) in its canonical form."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def verification_url(public_url: str, code: str) -> str:
    """The absolute address of the verification page of ``code``, under the public address."""
    return f"{public_url.rstrip('/')}{VERIFY_PATH}{code}"


@attrs.frozen
class Verification:
    """What a signed letter prints to be checked: its code and the page's address."""

    code: str
    url: str


def letter_signed(case_id: str, *, code: str, filename: str, sha256: str, signer: str, signer_role: str,
                  filing_numbers: tuple[str, ...], attachment_id: str, actor: Actor,
                  now: datetime) -> ev.LetterSigned:
    """The event recording that the letter in attachment ``attachment_id`` was signed."""
    return ev.LetterSigned(case_id=case_id, actor=actor.username, occurred_at=now, code=code,
                           filename=filename, sha256=sha256, signer=signer, signer_role=signer_role,
                           filing_numbers=filing_numbers, attachment_id=attachment_id)

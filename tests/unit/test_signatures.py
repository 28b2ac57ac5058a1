"""Signing the answer's letter in the core (in-memory adapters, a stamp for a certificate): the
letter is signed only after a second person's approval, prints a random verification code under the
public address, is stored as signed, and the history records who approved and in whose name it was
signed."""

from __future__ import annotations

import hashlib

import attrs
import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.errors import InvalidOperation, PermissionDenied
from pqrs_core.domain.signatures import VERIFY_PATH, normalized_code, verification_url

from .scenarios import StampSigner, approval_case
from .support import ADMIN, BACK_OFFICE, SUPERVISOR, file, number


def test_the_approved_answer_is_signed_with_a_code_printed_under_the_public_address() -> None:
    pqrs, n = approval_case()
    signer = pqrs.deps.document_signer
    assert isinstance(signer, StampSigner)

    [(typeset, signed_for)] = signer.signed
    [signed] = [e for e in pqrs.history(n) if isinstance(e, ev.LetterSigned)]
    [approval] = [e for e in pqrs.history(n) if isinstance(e, ev.ResponseApproved)]
    assert approval.actor == SUPERVISOR.username and signed.actor == SUPERVISOR.username
    assert signed_for.name == signed.signer == BACK_OFFICE.username  # in the name of who wrote it
    assert verification_url("https://pqrs.example.co", signed.code).encode() in typeset
    [letter] = pqrs.case(n).attachments
    content = pqrs.deps.files.get(letter.storage_key)  # type: ignore[union-attr]
    assert content.endswith(b"firmado por beto") and hashlib.sha256(content).hexdigest() == signed.sha256
    [response] = [e for e in pqrs.history(n) if isinstance(e, ev.CaseResponded)]
    assert signed.filing_numbers == (n, response.outgoing_number) and signed.attachment_id == letter.id
    assert len(signed.code) == 16 and set(signed.code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_signing_asks_for_the_approval_even_when_the_setting_does_not() -> None:
    pqrs, _n = approval_case()
    settings = attrs.evolve(pqrs.deps.settings, letters_need_approval=False)
    pqrs.deps = attrs.evolve(pqrs.deps, settings=settings)
    assert pqrs.deps.response_needs_approval
    unsigned = attrs.evolve(pqrs.deps, document_signer=None)
    assert not unsigned.response_needs_approval


def test_only_someone_else_with_the_permission_gives_the_visto_bueno() -> None:
    pqrs, _n = approval_case()
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    pqrs.handle(c.RespondCase(filing_number=n, text="Le reenviamos el pedido"), SUPERVISOR)
    assert pqrs.case(n).attachments == ()  # drafted: nothing signed yet

    with pytest.raises(PermissionDenied):
        pqrs.handle(c.ApproveResponse(filing_number=n), BACK_OFFICE)
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.ApproveResponse(filing_number=n), SUPERVISOR)  # who drafted it
    assert pqrs.case(n).attachments == ()
    pqrs.handle(c.ApproveResponse(filing_number=n), ADMIN)
    assert [e.signer for e in pqrs.history(n) if isinstance(e, ev.LetterSigned)] == [SUPERVISOR.username]


def test_codes_read_from_paper_are_normalised() -> None:
    assert normalized_code(" abcd-efgh ijkl2345 ") == "ABCDEFGHIJKL2345"
    assert VERIFY_PATH == "/verificar/"

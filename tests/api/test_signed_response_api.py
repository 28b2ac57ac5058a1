"""The signed answer over the API, on SQLite and PostgreSQL: when the organisation signs its answers a
response always waits for a second person's approval (visto bueno) — refused to whoever lacks
``letters.approve`` (403) and to its own author (409) — and once approved its letter is signed, the
history says who approved and who signed, and the verification record holds the letter's numbers and
digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import attrs
import pytest

from pqrs_adapters.documents.certificates import self_signed_pkcs12
from pqrs_adapters.documents.pades import PadesSigner, load_pkcs12
from pqrs_adapters.sqlalchemy.signed_documents import find_signed
from pqrs_core.domain import events as ev

from .conftest import Api, assert_problem
from .test_letters_api import _case, _started

PUBLIC_URL = "https://pqrs.example.co"


@pytest.fixture()
def signing_api(api: Api, tmp_path: Path) -> Api:
    """``api`` of an organisation that signs its answers (no approval setting: signing asks for it)."""
    path = tmp_path / "firma.p12"
    pqrs = api.app.extensions["pqrs"]
    path.write_bytes(self_signed_pkcs12("Organización de prueba", "clave", now=pqrs.deps.clock.now()))
    pqrs.deps = attrs.evolve(pqrs.deps, document_signer=PadesSigner(certificate=load_pkcs12(path, "clave")),
                             settings=attrs.evolve(pqrs.deps.settings, public_url=PUBLIC_URL,
                                                   letters_need_approval=False))
    return api


def test_the_signed_answer_waits_for_the_visto_bueno_and_records_who_approved_and_signed(
        signing_api: Api) -> None:
    api = signing_api
    pqrs = api.app.extensions["pqrs"]
    n = _started(api)

    drafted = api.post(f"cases/{n}/responses", "bruno", json={"text": "Le reintegramos el valor."})
    assert drafted.status_code == 200 and drafted.get_json()["state"] == "in_progress"
    assert _case(api, n)["attachments"] == []  # nothing signed before the approval
    assert_problem(api.post(f"cases/{n}/responses/approval", "bruno", json={}), 403, "forbidden")
    approved = api.post(f"cases/{n}/responses/approval", "sofia", json={})

    assert approved.status_code == 200 and approved.get_json()["state"] == "responded"
    history = pqrs.history(n)
    [approval] = [e for e in history if isinstance(e, ev.ResponseApproved)]
    [signed] = [e for e in history if isinstance(e, ev.LetterSigned)]
    assert approval.actor == "sofia" and approval.drafted_by == "bruno"
    [response] = [e for e in history if isinstance(e, ev.CaseResponded)]
    assert signed.signer == "bruno" and signed.filing_numbers == (n, response.outgoing_number)
    [letter] = [a for a in _case(api, n)["attachments"] if a["filename"].startswith("oficio-respuesta-")]
    [info] = [a for a in pqrs.case(n).attachments if a.id == letter["id"]]
    content = pqrs.deps.files.get(info.storage_key)
    assert hashlib.sha256(content).hexdigest() == signed.sha256 == info.sha256
    assert b"/ByteRange" in content and b"/ETSI.CAdES.detached" in content
    record = find_signed(api.app.extensions["pqrs.engine"], signed.code)
    assert record is not None and record.sha256 == signed.sha256
    assert record.filing_numbers == signed.filing_numbers
    assert len(signed.code) == 16 and n.replace("-", "") not in signed.code


def test_nobody_approves_the_answer_they_drafted(signing_api: Api) -> None:
    api = signing_api
    n = _started(api)
    assert api.post(f"cases/{n}/responses", "sofia", json={"text": "Le reintegramos."}).status_code == 200

    assert_problem(api.post(f"cases/{n}/responses/approval", "sofia", json={}), 409, "invalid-operation")
    assert _case(api, n)["attachments"] == [] and _case(api, n)["state"] == "in_progress"

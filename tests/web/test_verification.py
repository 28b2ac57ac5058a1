"""The signed answer on the web: the organisation chooses who gives the visto bueno (the role holding
``letters.approve``, set in Administración → Roles); once given, the letter is signed and anyone
checks it at ``/verificar/<code>`` — the page shows the filing number, the date, the signer and the
SHA-256, and says whether an uploaded copy matches; an unknown code is a 404 and the checks are rate
limited."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from pqrs_adapters import accounts
from pqrs_adapters.config import QualitySettings, SigningSettings
from pqrs_adapters.documents.certificates import self_signed_pkcs12
from pqrs_adapters.flask.web import verification
from pqrs_adapters.flask.web.abuse import VERIFICATIONS, Limit
from pqrs_core.clock import SystemClock
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case

from .conftest import Site, serve_site
from .test_admin import role_form
from .test_letters import TEXT, _in_progress, _respond, _text

PASSWORD = "clave-demo"


@pytest.fixture()
def signing_site(tmp_path: Path) -> Iterator[Site]:
    p12 = tmp_path / "firma.p12"
    p12.write_bytes(self_signed_pkcs12("Organización de prueba", PASSWORD, now=SystemClock().now()))
    yield from serve_site(tmp_path, quality=QualitySettings(public_url="https://pqrs.example.co"),
                          signing=SigningSettings(p12=p12, password=PASSWORD))


def _check(site: Site, code: str, content: bytes) -> Any:
    return site.as_user(None).post(f"/verificar/{code}", {"copia": (io.BytesIO(content), "oficio.pdf")},
                                   content_type="multipart/form-data")


def _signed(site: Site) -> tuple[Case, ev.LetterSigned, bytes]:
    """A response drafted by ana and approved by bruno (back office), whose role the administrator gave
    the visto bueno instead of the supervisor's."""
    admin = site.as_user("admin")
    for role, give in (("back_office", True), ("supervisor", False)):
        permissions = set(site.pqrs.catalog().role(role).permissions)
        permissions = permissions | {"letters.approve"} if give else permissions - {"letters.approve"}
        assert admin.post(f"/admin/roles/{role}", role_form(site, role, permissions=sorted(permissions))
                          ).status_code == 302
    accounts.save_user(site.engine, "ana", display_name="Ana Peña", job_title="Analista de Servicio")
    case = _in_progress(site)
    number = str(case.filing_number)
    assert _respond(site, case, "enviar").status_code == 302
    drafted = site.pqrs.case(number)
    assert drafted.pending_response is not None and drafted.attachments == ()
    form = {"version": str(drafted.version), "accion": "aprobar"}
    assert site.as_user("sofia").post(f"/casos/{number}/respuesta/aprobacion", form).status_code == 403
    assert site.as_user("bruno").post(f"/casos/{number}/respuesta/aprobacion", form).status_code == 302
    done = site.pqrs.case(number)
    [signed] = [e for e in site.pqrs.history(number) if isinstance(e, ev.LetterSigned)]
    [attachment] = done.attachments
    return done, signed, site.pqrs.deps.files.get(attachment.storage_key)  # type: ignore[union-attr]


def test_the_chosen_role_approves_then_the_letter_is_signed_and_verified_publicly(
        signing_site: Site) -> None:
    site = signing_site
    case, signed, content = _signed(site)
    number = str(case.filing_number)

    timeline = _text(site.as_user("admin").get(f"/casos/{number}"))
    assert "Aprobó la respuesta que redactó" in timeline and "Firmó digitalmente el oficio" in timeline
    assert signed.code in timeline and signed.actor == "bruno" and signed.signer == "Ana Peña"
    page = _text(site.as_user(None).get(f"/verificar/{signed.code}"))
    assert number in page and signed.sha256 in page and "Ana Peña, Analista de Servicio" in page
    assert str(site.today().year) in page and TEXT not in page  # what it is, never what it says
    assert "Marta" not in page  # nor who it was for

    same = _check(site, signed.code, content)
    assert same.status_code == 200 and "La copia coincide" in _text(same)
    middle = len(content) // 2
    altered = content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1:]
    changed = _check(site, signed.code, altered)
    assert changed.status_code == 200 and "La copia no coincide" in _text(changed)
    empty = site.as_user(None).post(f"/verificar/{signed.code}", {}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Elija el archivo PDF" in _text(empty)
    # The code as typed from the paper: lower case, with spaces.
    typed = " ".join([signed.code[:8].lower(), signed.code[8:]])
    assert site.as_user(None).get(f"/verificar/{typed}").status_code == 200


def test_the_letter_of_a_voided_case_is_shown_as_voided(signing_site: Site) -> None:
    site = signing_site
    case, signed, content = _signed(site)
    page = _text(site.as_user(None).get(f"/verificar/{signed.code}"))
    assert "Caso anulado" not in page

    number = str(case.filing_number)
    pending = site.pqrs.handle(c.RequestVoiding(target=number, reason="Radicado por error"),
                               site.actor("admin"))
    voided = site.pqrs.handle(c.ApproveVoiding(voiding_id=pending.id), site.actor("sofia"))
    assert voided.number
    response = site.as_user(None).get(f"/verificar/{signed.code}")
    page = _text(response)
    assert response.status_code == 200 and number in page
    assert "Caso anulado" in page and f"registro de anulación {voided.number}" in page
    assert "ya no tiene validez" in page
    checked = _text(_check(site, signed.code, content))
    assert "La copia coincide" in checked and "Caso anulado" in checked


def test_an_unknown_code_is_not_found_and_guessing_is_limited(signing_site: Site) -> None:
    site = signing_site
    site.app.config["PQRS_RATE_LIMITS"] = {VERIFICATIONS: Limit(VERIFICATIONS, 3, timedelta(hours=1))}
    visitor = site.as_user(None)

    for _attempt in range(3):
        missing = visitor.get("/verificar/AAAAAAAAAAAAAAAA")
        assert missing.status_code == 404 and "No encontramos un documento firmado" in _text(missing)
    blocked = visitor.get("/verificar/BBBBBBBBBBBBBBBB")
    assert blocked.status_code == 429 and "demasiados intentos" in _text(blocked)


def test_a_copy_over_the_size_limit_is_refused_without_reading_it(signing_site: Site,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site = signing_site
    _case, signed, content = _signed(site)
    monkeypatch.setattr(verification, "MAX_COPY_BYTES", len(content) // 2)

    refused = _check(site, signed.code, content)

    assert refused.status_code == 413 and "supera el tamaño máximo" in _text(refused)

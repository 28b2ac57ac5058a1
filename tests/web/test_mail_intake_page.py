"""The mail intake on the staff's pages: the intake log for supervisors and administrators (filtered by
outcome, linked to the cases), the raw message downloadable from the case page, and a requester
address that bounced shown on the case."""

from __future__ import annotations

from pathlib import Path

from pqrs_adapters.mail.intake import Arrival, MailIntake
from pqrs_core.domain import events as ev

from .conftest import Site

CORPUS = Path(__file__).resolve().parents[1] / "mail" / "corpus"


def _intake(site: Site) -> MailIntake:
    return MailIntake(site.pqrs, site.engine)


def _arrival(site: Site) -> Arrival:
    return Arrival(received_at=site.now(), mailbox="pqrs@acme.example", source="prueba")


def test_supervisors_read_the_intake_log_filtered_by_outcome(site: Site) -> None:
    intake = _intake(site)
    filed = intake.receive((CORPUS / "gmail-new.eml").read_bytes(), _arrival(site))
    automatic = (CORPUS / "out-of-office-new.eml").read_bytes()
    ignored_id = intake.receive(automatic, _arrival(site)).intake_id
    sofia = site.as_user("sofia")

    page = sofia.page("/admin/correo/recibidos")

    assert "ana.perez@gmail.example" in page and "gerencia@proveedor.example" in page
    assert f'href="/casos/{filed.filing_number}"' in page
    assert "no abre un caso ni recibe acuse" in page
    ignored = sofia.page("/admin/correo/recibidos?resultado=ignored")
    assert "gerencia@proveedor.example" in ignored and "ana.perez@gmail.example" not in ignored
    # Even a message that became nothing is kept, as it arrived.
    original = sofia.get(f"/admin/correo/recibidos/{ignored_id}/original")
    assert (original.status_code, original.data, original.mimetype) == (200, automatic, "message/rfc822")
    assert site.as_user("ana").get(f"/admin/correo/recibidos/{ignored_id}/original").status_code == 403
    assert sofia.get("/admin/correo/recibidos/999/original").status_code == 404
    assert "Correo recibido" in sofia.page("/bandeja")  # in the supervisor's menu
    # Pages of older messages, by the last one shown; nonsense is the first page.
    assert "ana.perez@gmail.example" in sofia.page(f"/admin/correo/recibidos?antes={ignored_id}")
    assert "gerencia@proveedor.example" not in sofia.page(f"/admin/correo/recibidos?antes={ignored_id}")
    assert "gerencia@proveedor.example" in sofia.page("/admin/correo/recibidos?antes=x&resultado=nada")
    assert site.as_user("ana").get("/admin/correo/recibidos").status_code == 403
    assert site.as_user("admin").get("/admin/correo/recibidos").status_code == 200


def test_staff_download_the_raw_message_and_see_a_failing_address(site: Site) -> None:
    intake = _intake(site)
    raw = (CORPUS / "gmail-new.eml").read_bytes()
    number = str(intake.receive(raw, _arrival(site)).filing_number)
    [evidence] = [e.attachment for e in site.pqrs.history(number) if isinstance(e, ev.AttachmentAdded)]
    sofia = site.as_user("sofia")

    page = sofia.page(f"/casos/{number}")
    assert "mensaje-original.eml" in page
    assert sofia.get(f"/casos/{number}/adjuntos/{evidence.id}").data == raw
    assert 'id="correo-fallido"' not in page

    outbox_key = site.engine.connect().exec_driver_sql(
        "SELECT key FROM outbox WHERE template = 'acknowledgement'").scalar_one()
    dsn = ((CORPUS / "dsn.eml").read_bytes().replace(b"@@RECIPIENT@@", b"ana.perez@gmail.example")
           .replace(b"@@IN_REPLY_TO@@", f"<{outbox_key}@localhost>".encode())
           .replace(b"@@FILING@@", number.encode()))
    assert intake.receive(dsn, _arrival(site)).outcome == "bounced"

    page = sofia.page(f"/casos/{number}")
    assert 'id="correo-fallido"' in page and "ana.perez@gmail.example" in page


def test_odd_numbers_in_the_address_answer_the_page_or_404_never_500(site: Site) -> None:
    sofia = site.as_user("sofia")
    admin = site.as_user("admin")
    huge = "9" * 20  # beyond any database integer

    assert sofia.get("/admin/correo/recibidos?antes=²").status_code == 200
    assert sofia.get(f"/admin/correo/recibidos/{huge}/original").status_code == 404
    for path in (f"/admin/buzones/{huge}", f"/admin/buzones/{huge}/activo", f"/admin/buzones/{huge}/probar"):
        response = admin.get(path) if path.endswith(huge) else admin.post(path, {"enabled": "0"})
        assert response.status_code == 404, path

"""«Escalar a tercero» on the staff case page: the form with the case's notes and files, the e-mail
previewed from the real template, the case «con tercero» in the page and the inbox with since when,
«Retomar»; a bad address keeps what was typed; the requester's portal and /consultar show none of it."""

from __future__ import annotations

import html
import re
from typing import Any
from zoneinfo import ZoneInfo

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Requester

from .conftest import Site

VENDOR = "soporte@mind.example.co"


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _worked_case(site: Site) -> tuple[str, str]:
    case = site.file("ana", subject="Error al facturar en lote",
                     requester=Requester(full_name="Juan Pérez", document_type="CC",
                                         document_number="80123456", email="juan@example.com", user="juan"))
    number = str(case.filing_number)
    bruno = site.actor("bruno")
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"),
                     site.actor("sofia"))
    site.pqrs.handle(c.AddNote(filing_number=number, text="Falla con más de 100 facturas"), bruno)
    site.pqrs.handle(c.AddNote(filing_number=number, text="Cliente muy molesto"), bruno)
    case = site.pqrs.handle(c.AddAttachment(filing_number=number, filename="log.txt",
                                            content_type="text/plain", content=b"Traceback"), bruno)
    return number, case.attachments[0].id


def test_staff_preview_and_escalate_the_case_then_take_it_back(site: Site, clock: FrozenClock) -> None:
    number, file_id = _worked_case(site)
    clock.advance(hours=2)
    bruno = site.as_user("bruno")
    url = f"/casos/{number}"
    page = _text(bruno.get(url))
    assert "Escalar a tercero" in page and "Falla con más de 100 facturas" in page and "log.txt" in page
    note = re.search(r'name="tercero_notas" value="(\d+)"', page)
    assert note is not None
    version = str(site.pqrs.case(number).version)
    form = {"version": version, "tercero_correo": VENDOR, "tercero_nombre": "Mind de Colombia",
            "tercero_mensaje": "Les pedimos revisar el error.", "tercero_notas": [note.group(1)],
            "tercero_adjuntos": [file_id]}

    preview = bruno.post(f"{url}/tercero", {**form, "accion": "vista_previa"})
    assert preview.status_code == 200
    shown = _text(preview)
    assert "Así le llegará el correo al tercero" in shown and VENDOR in shown
    assert f"[{number}] Solicitud de apoyo: Error al facturar en lote" in shown
    assert "Falla con más de 100 facturas" in shown and "Adjuntos: log.txt" in shown
    mail_text = shown.split("Así le llegará el correo al tercero")[1].split("</pre>")[0]
    assert "Cliente muy molesto" not in mail_text  # only the chosen note goes
    assert site.pqrs.case(number).third_party is None  # a preview sends nothing

    sent = bruno.post(f"{url}/tercero", {**form, "accion": "enviar"})
    assert sent.status_code == 302, _text(sent)[:3000]
    held = site.pqrs.case(number).third_party
    assert held is not None and held.since == site.now()
    page = _text(bruno.get(url))
    since = held.since.astimezone(ZoneInfo(site.pqrs.deps.settings.timezone)).strftime("%d/%m/%Y %H:%M")
    assert f"Con tercero: Mind de Colombia desde {since}" in page
    assert "El término sigue corriendo" in page and "Tercero (interno)" in page
    assert "Escaló el caso a Mind de Colombia" in page and "Escalar a tercero" not in page
    inbox = _text(bruno.get("/bandeja"))
    assert f"Con tercero: Mind de Colombia desde {since}" in inbox
    other = str(site.file("ana", subject="Otro caso").filing_number)
    tab = _text(bruno.get("/bandeja?vista=con_tercero"))
    assert 'aria-current="page">Con tercero</a>' in tab and number in tab and other not in tab

    version = str(site.pqrs.case(number).version)
    back = bruno.post(f"{url}/tercero/retomar", {"version": version})
    assert back.status_code == 302
    page = _text(bruno.get(url))
    assert "Con tercero:" not in page and "se retomó sin esperar su respuesta" in page
    assert number not in _text(bruno.get("/bandeja?vista=con_tercero"))


def test_a_note_number_that_is_not_a_plain_number_is_ignored(site: Site) -> None:
    number, _file_id = _worked_case(site)
    form = {"version": str(site.pqrs.case(number).version), "tercero_correo": VENDOR,
            "tercero_nombre": "Mind de Colombia", "tercero_mensaje": "Les pedimos revisar el error.",
            "tercero_notas": ["²", "9" * 5000], "accion": "vista_previa"}

    preview = site.as_user("bruno").post(f"/casos/{number}/tercero", form)

    assert preview.status_code == 200
    assert "Así le llegará el correo al tercero" in _text(preview)


def test_a_bad_address_keeps_what_was_typed_and_names_the_field(site: Site) -> None:
    number, _ = _worked_case(site)
    bruno = site.as_user("bruno")
    version = str(site.pqrs.case(number).version)
    for step in ("vista_previa", "enviar"):
        refused = bruno.post(f"/casos/{number}/tercero", {
            "version": version, "accion": step, "tercero_correo": "mind arroba", "tercero_nombre": "Mind",
            "tercero_mensaje": "Revisen por favor"})
        assert refused.status_code == 422
        page = _text(refused)
        assert 'id="error-tercero_correo"' in page and "no es un correo electrónico válido" in page
        assert "Revisen por favor" in page and 'value="mind arroba"' in page
    assert site.pqrs.case(number).third_party is None


def test_the_requester_sees_nothing_of_the_third_party(site: Site) -> None:
    number, file_id = _worked_case(site)
    bruno = site.actor("bruno")
    site.pqrs.handle(c.EscalateToThirdParty(filing_number=number, address=VENDOR, name="Mind de Colombia",
                                            message="Revisen", attachment_ids=(file_id,)), bruno)
    site.pqrs.handle(c.RecordThirdPartyReply(filing_number=number, message="Parche en camino",
                                             sender=VENDOR), bruno)
    portal = site.as_user("juan").page(f"/portal/casos/{number}")
    lookup = site.as_user(None).post("/consultar", {"radicado": number, "documento": "80123456"})
    assert lookup.status_code == 200
    for page in (html.unescape(portal), _text(lookup)):
        assert "Error al facturar en lote" in page
        for secret in ("Mind", VENDOR, "Parche en camino", "tercero", "Tercero"):
            assert secret not in page


def test_an_administrator_may_have_a_policy_stop_the_term_while_a_third_party_holds_the_case(
        site: Site, clock: FrozenClock) -> None:
    number, _ = _worked_case(site)
    case = site.pqrs.case(number)
    policy, due = case.term_policy, case.resolution_due
    assert policy == "co_peticion_general" and due is not None
    admin = site.as_user("admin")
    form = admin.page(f"/admin/terminos/{policy}")
    assert re.search(r'name="third_party_pauses" type="checkbox" value="1" aria', form)  # off by default
    saved = admin.post(f"/admin/terminos/{policy}", {"amount": "15", "unit": "business_days", "active": "1",
                                                     "third_party_pauses": "1"})
    assert saved.status_code == 302
    bruno = site.as_user("bruno")
    sent = bruno.post(f"/casos/{number}/tercero", {
        "version": str(site.pqrs.case(number).version), "accion": "enviar", "tercero_correo": VENDOR,
        "tercero_nombre": "Mind", "tercero_mensaje": "Revisen"})
    assert sent.status_code == 302
    page = _text(bruno.get(f"/casos/{number}"))
    assert "Su política de términos detiene el término mientras tanto." in page
    assert "Terminar la suspensión" not in page  # it ends with «Retomar»
    assert site.pqrs.case(number).pauses[-1].cause == "con_tercero"

    clock.advance(days=7)  # a whole week with the vendor: five business days
    bruno = site.as_user("bruno")  # a new session: the old one ended while idle
    back = bruno.post(f"/casos/{number}/tercero/retomar", {"version": str(site.pqrs.case(number).version)})
    assert back.status_code == 302 and back.headers["Location"].endswith("#tercero")
    after = site.pqrs.case(number)
    calendar = site.pqrs.catalog().calendar
    assert after.resolution_due is not None and calendar is not None
    moved = calendar.add_business_days(calendar.local_date(due), 5)
    assert calendar.local_date(after.resolution_due) == moved

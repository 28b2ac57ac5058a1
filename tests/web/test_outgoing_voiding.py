"""Voiding an outgoing number on the web: the administrator asks from the case page's «Radicados de
salida» block, a supervisor hears it from the bell and approves it on /admin/anulaciones; the number is
then shown as voided, with its record, on the case page, in the portal, at /consultar and in the
inbox's search by it, and the series goes on after it."""

from __future__ import annotations

import html
import re

from pqrs_core.domain import commands as c
from pqrs_core.domain.outgoing import numbers_in

from .conftest import Site, Visitor
from .test_inbox import flashes
from .test_letters import _in_progress, _respond
from .test_notifications import bell

REASON = "La respuesta se numeró dos veces"


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def block(visitor: Visitor, number: str) -> str:
    return text(visitor.page(f"/casos/{number}")).split('id="radicados-salida"')[1].split("</section>")[0]


def ask(visitor: Visitor, number: str, sent: str, reason: str = REASON) -> tuple[int, str]:
    response = visitor.post(f"/casos/{number}/radicados-salida/anular",
                            {"radicado_salida": sent, "motivo_salida": reason}, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_an_outgoing_number_voided_from_the_case_page_shows_as_voided_everywhere(site: Site) -> None:
    case = _in_progress(site)
    number = str(case.filing_number)
    assert _respond(site, case, "enviar").status_code == 302
    [sent] = numbers_in(site.pqrs.history(number), number)
    admin, sofia = site.as_user("admin"), site.as_user("sofia")
    assert "Pedir la anulación de un radicado de salida" in block(admin, number)
    assert "Pedir la anulación" not in block(site.as_user("ana"), number)  # asking is for administrators

    status, page = ask(admin, number, sent.number)
    assert status == 200
    assert flashes(page) == [f"Se pidió anular el radicado de salida {sent.number}: otra persona con un rol "
                             "distinto debe aprobarlo."]
    pending = block(admin, number)
    assert "Anulación pendiente de aprobación" in pending and "Pedir la anulación" not in pending
    history = text(admin.page(f"/casos/{number}"))
    assert f"Pidió anular el radicado de salida {sent.number}: {REASON}" in history

    assert bell(sofia) == 1
    assert (f"admin pidió anular el radicado de salida {sent.number} del caso {number}: espera su decisión"
            in text(sofia.page("/notificaciones")))
    listing = text(sofia.page("/admin/anulaciones"))
    assert "Radicado de salida" in listing and sent.number in listing and REASON in listing
    assert f"¿Aprobar la anulación del radicado de salida {sent.number}? Queda marcado" in listing
    [voiding] = site.pqrs.voidings(site.actor("admin"))
    own = admin.post(f"/admin/anulaciones/{voiding.id}/aprobar", {}, follow_redirects=True)
    assert flashes(own.get_data(as_text=True)) == [
        "Quien solicitó la anulación no puede decidirla: debe hacerlo otra persona."]
    done = sofia.post(f"/admin/anulaciones/{voiding.id}/aprobar", {}, follow_redirects=True)
    year = site.today().year
    record = f"AN-{year}-000001"
    assert flashes(done.get_data(as_text=True)) == [
        f"Anulación aprobada: {sent.number} queda anulado con el registro {record}."]

    shown = block(admin, number)
    assert f"<del>{sent.number}</del>" in shown and f"Anulado (registro {record})" in shown
    assert "Pedir la anulación" not in shown
    staff_page = text(admin.page(f"/casos/{number}"))
    history = staff_page.split('id="historia"')[1]
    assert f"Radicado de salida <strong>{sent.number}</strong> <span class=\"badge voided\">anulado, " \
           f"registro {record}</span>" in history
    assert (f"Aprobó la anulación pedida por admin: el radicado de salida {sent.number} queda anulado con "
            f"el registro {record}") in history
    assert "ANULADO" not in staff_page  # the case itself goes on

    voided_mark = f"anulado, registro {record}"
    portal = text(site.as_user("juan").page(f"/portal/casos/{number}"))
    assert f"Radicado de salida <strong>{sent.number}</strong>" in portal and voided_mark in portal
    lookup = text(site.as_user(None).post("/consultar", {"radicado": number, "documento": "43123456"})
                  .get_data(as_text=True))
    assert f"Radicado de salida <strong>{sent.number}</strong>" in lookup and voided_mark in lookup

    found = text(admin.page(f"/bandeja?q={sent.number.lower()}"))
    assert f"/casos/{number}" in found
    assert (f"El radicado de salida {sent.number} está anulado (registro de anulación {record})"
            in found)

    # The number stays used: the next communication takes the next one.
    other = _in_progress(site)
    site.pqrs.handle(c.RespondCase(filing_number=str(other.filing_number), text="Respuesta"),
                     site.actor("ana"))
    [following] = numbers_in(site.pqrs.history(str(other.filing_number)), str(other.filing_number))
    assert following.number == sent.number.replace("000001", "000002")
    assert "está anulado" not in text(admin.page(f"/bandeja?q={following.number}"))


def test_a_request_without_reason_or_for_another_case_number_is_refused(site: Site) -> None:
    case, other = _in_progress(site), _in_progress(site)
    for answered in (case, other):
        site.pqrs.handle(c.RespondCase(filing_number=str(answered.filing_number), text="Respuesta"),
                         site.actor("ana"))
    number = str(case.filing_number)
    [mine] = numbers_in(site.pqrs.history(number), number)
    [theirs] = numbers_in(site.pqrs.history(str(other.filing_number)), str(other.filing_number))
    admin = site.as_user("admin")

    status, page = ask(admin, number, mine.number, reason="  ")
    assert status == 422 and 'id="error-motivo_salida"' in page
    status, page = ask(admin, number, theirs.number)
    assert status == 422
    assert "Elija uno de los radicados de salida de este caso." in text(page)
    assert admin.post(f"/casos/{number}/radicados-salida/anular",
                      {"radicado_salida": mine.number, "motivo_salida": REASON}).status_code == 302
    forbidden = site.as_user("ana").post(f"/casos/{number}/radicados-salida/anular",
                                         {"radicado_salida": mine.number, "motivo_salida": REASON})
    assert forbidden.status_code == 403
    assert [v.target for v in site.pqrs.voidings(site.actor("admin"))] == [mine.number]

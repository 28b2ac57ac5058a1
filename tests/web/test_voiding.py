"""Voiding on the web: the administrator asks from the inbox, the approvers hear it from the bell and
decide on /admin/anulaciones; an approved voiding takes the case out of the inbox, the board and the
reports, and leaves it readable by auditors under an «ANULADO» banner."""

from __future__ import annotations

import html
import re

from pqrs_core.domain import commands as c
from pqrs_core.domain.voiding import VoidingStatus

from .conftest import Site, Visitor
from .test_board import board_columns
from .test_inbox import flashes, listed, select
from .test_notifications import bell


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def approve_button(visitor: Visitor, voiding_id: str, **form: str) -> str:
    response = visitor.post(f"/admin/anulaciones/{voiding_id}/aprobar", form, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_voiding_asked_by_the_admin_and_approved_by_a_supervisor(site: Site) -> None:
    gone = site.file(subject="Radicado dos veces")
    kept = site.file(subject="El bueno")
    admin, sofia, ana = site.as_user("admin"), site.as_user("sofia"), site.as_user("ana")
    before = board_columns(ana.page("/tablero"))
    select(admin, [gone], "anular", motivo="Duplicado del otro radicado")
    [pending] = site.pqrs.voidings(site.actor("admin"))

    # The supervisors hear of it; the bell's link leads to the list where they decide.
    assert bell(sofia) == 1
    listing = text(sofia.page("/notificaciones"))
    assert f"admin pidió anular el caso {gone.filing_number}: espera su decisión" in listing
    link = re.search(r'<a href="(/notificaciones/\d+)">', listing)
    assert link is not None and sofia.get(link.group(1)).headers["Location"].endswith("/admin/anulaciones")
    # In her menu, without the rest of the administration.
    assert 'href="/admin/anulaciones"' in sofia.page("/bandeja")
    page = text(sofia.page("/admin/anulaciones"))
    assert "Duplicado del otro radicado" in page and "Pendiente" in page
    assert "La decide otra persona, con un rol distinto al suyo." in text(admin.page("/admin/anulaciones"))

    done = text(approve_button(sofia, pending.id))

    year = gone.filing_number.year
    assert f"Anulación aprobada: {gone.filing_number} queda anulado con el registro AN-{year}-000001." in done
    for visitor in (admin, ana, sofia):
        assert listed(visitor.page("/bandeja")) == [str(kept.filing_number)]
    after = board_columns(ana.page("/tablero"))
    assert after["todo"][0] == before["todo"][0] - 1
    assert str(gone.filing_number) not in after["todo"][1]
    assert site.pqrs.summary().total == 1
    # The auditors read it, marked; anyone else finds no such case.
    banner = text(sofia.page(f"/casos/{gone.filing_number}"))
    assert "ANULADO" in banner and f"Registro de anulación AN-{year}-000001" in banner
    assert "Duplicado del otro radicado" in banner and "Aprobó la anulación pedida por admin" in banner
    assert "ANULADO" in admin.page(f"/casos/{gone.filing_number}")
    ana.page(f"/casos/{gone.filing_number}", status=404)
    assert f"AN-{year}-000001" in sofia.page("/admin/anulaciones?estado=aprobadas")


def test_the_requester_cannot_approve_and_a_rejection_keeps_the_case(site: Site) -> None:
    case = site.file(subject="Queja por demora")
    admin, sofia = site.as_user("admin"), site.as_user("sofia")
    pending = site.pqrs.handle(c.RequestVoiding(target=str(case.filing_number), reason="Prueba"),
                               site.actor("admin"))

    refused = flashes(approve_button(admin, pending.id))
    assert refused == ["Quien solicitó la anulación no puede decidirla: debe hacerlo otra persona."]
    assert site.as_user("ana").post(f"/admin/anulaciones/{pending.id}/aprobar").status_code == 403
    response = sofia.post(f"/admin/anulaciones/{pending.id}/rechazar", {"nota": "Es un caso real"},
                          follow_redirects=True)
    assert flashes(response.get_data(as_text=True)) == [
        f"Anulación rechazada: {case.filing_number} sigue como estaba."]

    [rejected] = site.pqrs.voidings(site.actor("sofia"))
    assert (rejected.status, rejected.decided_by, rejected.note) == (VoidingStatus.REJECTED, "sofia",
                                                                     "Es un caso real")
    assert listed(admin.page("/bandeja")) == [str(case.filing_number)]
    case_page = text(sofia.page(f"/casos/{case.filing_number}"))
    assert "Rechazó la anulación del caso: Es un caso real" in case_page
    assert "Es un caso real" in text(sofia.page("/admin/anulaciones?estado=rechazadas"))
    assert flashes(approve_button(sofia, "no-existe")) == ["Esa solicitud de anulación no existe."]

"""The root cause and corrective action on the case page, and the setting that makes a queja or a reclamo
wait for its cause before it closes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pqrs_adapters.config import LetterSettings
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case

from .conftest import Site, serve_site
from .test_case_page import _post, _text, _url


def in_progress(site: Site, kind: str = "peticion") -> Case:
    case = site.file("ana", kind=kind, subject="Pedido incompleto")
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("sofia"))
    started: Case = site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"),
                                     site.actor("ana"))
    return started


def current(site: Site, case: Case) -> Case:
    found: Case = site.pqrs.case(str(case.filing_number))
    return found


def test_a_resolved_case_gets_its_cause_and_the_action_is_completed(site: Site) -> None:
    case = in_progress(site)
    ana = site.as_user("ana")
    assert "Causa raíz" not in _text(ana.get(_url(case)))  # open: nothing to attribute yet
    _post(ana, case, "respuesta", {"respuesta_texto": "Enviamos lo faltante.", "accion": "enviar_y_cerrar"})

    page = _text(ana.get(_url(case)))
    assert "Registrar la causa raíz" in page and "Mano de obra" in page
    saved = _post(ana, case, "causa", {"causa_raiz": "MATERIAL", "causa_area": "back_office",
                                       "causa_accion": "Reforzar el empaque", "causa_responsable": "bruno",
                                       "causa_fecha": "2026-12-31"})
    assert saved.status_code == 302
    stored = current(site, case)
    assert (stored.root_cause, stored.cause_area, stored.corrective_action, stored.action_owner) == (
        "MATERIAL", "back_office", "Reforzar el empaque", "bruno")
    page = _text(ana.get(_url(case)))
    assert "Registró la causa raíz: Material" in page and "Abierta" in page

    _post(ana, case, "accion-correctiva", {"accion_nota": "Nuevo empaque desde enero"})
    assert current(site, case).action_done_at is not None
    assert "Completó la acción correctiva: Nuevo empaque desde enero" in _text(ana.get(_url(case)))


def test_a_refused_cause_keeps_what_was_typed(site: Site) -> None:
    case = in_progress(site)
    ana = site.as_user("ana")
    _post(ana, case, "respuesta", {"respuesta_texto": "Listo.", "accion": "enviar_y_cerrar"})

    refused = _post(ana, case, "causa", {"causa_raiz": "MATERIAL", "causa_accion": "Capacitar al equipo"})
    bad_date = _post(ana, case, "causa", {"causa_raiz": "MATERIAL", "causa_fecha": "31/12/2026",
                                          "causa_accion": "Capacitar al equipo"})

    assert refused.status_code == 422 and bad_date.status_code == 422
    page = _text(refused)
    assert "Capacitar al equipo" in page and 'aria-invalid="true"' in page
    assert "aaaa-mm-dd" in _text(bad_date)
    assert current(site, case).root_cause is None


def test_a_queja_closes_once_its_cause_is_recorded(site: Site) -> None:
    case = in_progress(site, kind="queja")
    ana = site.as_user("ana")

    sent = _post(ana, case, "respuesta",
                 {"respuesta_texto": "Le ofrecemos disculpas.", "accion": "enviar_y_cerrar"})
    assert sent.status_code == 302
    responded = current(site, case)
    assert responded.responded_at is not None and responded.closed_at is None
    refused = _post(ana, case, "transicion", {"transicion": "close"})
    assert refused.status_code == 422 and "Registre la causa raíz" in _text(refused)

    _post(ana, case, "causa", {"causa_raiz": "MANO_DE_OBRA"})
    assert _post(ana, case, "transicion", {"transicion": "close"}).status_code == 302
    assert current(site, case).closed_at is not None


@pytest.fixture()
def approving_site(tmp_path: Path) -> Iterator[Site]:
    """The site of an organisation whose response letters a second person approves."""
    yield from serve_site(tmp_path, letters=LetterSettings(approval=True, nit="900.123.456-7"))


def test_a_queja_sent_to_approval_says_that_its_closing_waits_for_the_cause(approving_site: Site) -> None:
    site = approving_site
    case = in_progress(site, kind="queja")
    ana = site.as_user("ana")

    sent = _post(ana, case, "respuesta", {"respuesta_texto": "Le ofrecemos disculpas.",
                                          "accion": "enviar_y_cerrar"})

    assert sent.status_code == 302
    assert current(site, case).pending_response is not None
    page = _text(ana.get(_url(case)))
    assert "Respuesta enviada a aprobación" in page
    assert "Registre la causa raíz para cerrar el caso." in page


def test_the_board_and_the_bulk_close_wait_for_the_cause_too(site: Site) -> None:
    quejas = [in_progress(site, kind="queja") for _ in range(2)]
    ana = site.as_user("ana")
    for case in quejas:
        _post(ana, case, "respuesta", {"respuesta_texto": "Disculpas.", "accion": "enviar"})
    first, second = (current(site, case) for case in quejas)

    moved = ana.post("/tablero/mover", {"radicado": str(first.filing_number), "transicion": "close",
                                        "version": str(first.version)})
    board = ana.page(moved.headers["Location"])
    sofia = site.as_user("sofia")
    bulk = sofia.post("/bandeja/acciones", {
        "casos": [str(first.filing_number), str(second.filing_number)], "accion": "mover",
        "transicion": "close", "volver": "/bandeja"})
    landing = sofia.page(bulk.headers["Location"])

    assert "registre la causa raíz" in board.lower()
    assert landing.lower().count("registre la causa raíz") >= 1
    assert current(site, first).closed_at is None and current(site, second).closed_at is None
    _post(ana, first, "causa", {"causa_raiz": "METODO"})
    again = current(site, first)
    ana.post("/tablero/mover", {"radicado": str(first.filing_number), "transicion": "close",
                                "version": str(again.version)})
    assert current(site, first).closed_at is not None

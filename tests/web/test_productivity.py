"""Handling times measured by the forms (signed «opened at»), and the productivity report counted by hand."""

from __future__ import annotations

import csv
import io
import re

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev

from .conftest import Site, Visitor
from .test_case_cause import in_progress
from .test_case_page import _post, _url
from .test_filing import NEW, number_in, open_form

OPENED = re.compile(r'name="abierto" value="([^"]+)"')


def opened(page: str) -> str:
    found = OPENED.search(page)
    assert found
    return found.group(1)


def file_in(site: Site, visitor: Visitor, clock: FrozenClock, seconds: int,
            refused_first: bool = False) -> str:
    form = open_form(visitor)
    form["abierto"] = opened(visitor.page(NEW))
    clock.advance(seconds=seconds // 2)
    if refused_first:  # refused and shown again, the form keeps the instant it was first opened
        again = visitor.post(NEW, {**form, "kind": "reclamo", "subject": "", "description": ""})
        assert again.status_code == 422 and opened(again.get_data(as_text=True)) == form["abierto"]
    clock.advance(seconds=seconds - seconds // 2)
    response = visitor.post(NEW, {**form, "kind": "reclamo", "subject": "Devolución no aplicada",
                                  "description": "Devolvió 3 cajas."})
    assert response.status_code == 303
    return number_in(response.headers["Location"])


def test_the_filing_and_the_response_keep_their_handling_time(site: Site, clock: FrozenClock) -> None:
    ana = site.as_user("ana")
    number = file_in(site, ana, clock, 95, refused_first=True)
    filed = site.pqrs.history(number)[0]
    assert isinstance(filed, ev.CaseFiled) and filed.handling_seconds == 95

    case = in_progress(site)
    token = opened(ana.page(_url(case)))
    clock.advance(seconds=200)
    preview = _post(ana, case, "respuesta", {"respuesta_texto": "Listo.", "accion": "vista_previa",
                                              "abierto": token})
    assert opened(preview.get_data(as_text=True)) == token
    clock.advance(seconds=70)
    _post(ana, case, "respuesta", {"respuesta_texto": "Listo.", "accion": "enviar", "abierto": token})
    responded = [e for e in site.pqrs.history(str(case.filing_number)) if isinstance(e, ev.CaseResponded)]
    assert [e.handling_seconds for e in responded] == [270]


def test_a_tampered_or_missing_instant_measures_nothing(site: Site, clock: FrozenClock) -> None:
    ana = site.as_user("ana")
    case = in_progress(site)
    token = opened(ana.page(_url(case)))
    tampered = token[:-2] + "xx"
    _post(ana, case, "respuesta", {"respuesta_texto": "Listo.", "accion": "enviar", "abierto": tampered})
    other = in_progress(site)
    _post(ana, other, "respuesta", {"respuesta_texto": "Listo.", "accion": "enviar"})
    for number in (case.filing_number, other.filing_number):
        [responded] = [e for e in site.pqrs.history(str(number)) if isinstance(e, ev.CaseResponded)]
        assert responded.handling_seconds is None


def test_the_report_counts_what_was_counted_by_hand(site: Site, clock: FrozenClock) -> None:
    """ana files three cases (60 s, 150 s, 100 s: two of three within 2 min) and answers two (200 s,
    300 s: one of two within 4 min 30 s) and closes one; bruno files one without a measured time."""
    ana, bruno = site.actor("ana"), site.actor("bruno")
    numbers = []
    for seconds in (60, 150, 100):
        case = site.pqrs.handle(
            c.FileCase(kind="peticion", subject="S", description="D", handling_seconds=seconds), ana)
        numbers.append(str(case.filing_number))
    site.pqrs.handle(c.FileCase(kind="peticion", subject="S", description="D", queue="back_office"), bruno)
    for number, seconds, close in ((numbers[0], 200, True), (numbers[1], 300, False)):
        site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
        site.pqrs.handle(c.RespondCase(filing_number=number, text="Listo.", close=close,
                                       handling_seconds=seconds), ana)

    visitor = site.as_user("sofia")
    page = visitor.page("/reportes/productividad")
    table = list(csv.reader(io.StringIO(visitor.get("/reportes/productividad?tabla=personas&formato=csv")
                                        .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))

    assert "<svg" in page
    rows = {r[0]: r[1:] for r in table[1:]}
    # filed, typified, answered, closed, days, per day, days on target,
    # filing median and share on target, response median and share on target
    assert rows["ana"] == ["3", "0", "2", "1", "1", "2,0", "0", "1 min 40 s", "67 %", "4 min 10 s", "50 %"]
    assert rows["bruno"] == ["1", "0", "0", "0", "0", "—", "0", "—", "—", "—", "—"]
    teams = (visitor.get("/reportes/productividad?tabla=equipos&formato=csv&agrupar=equipo")
             .get_data(as_text=True))
    assert "Primer nivel;3;0;2;1" in teams and "Back office (segundo nivel);1;0;0;0" in teams
    assert site.as_user("ana").get("/reportes/productividad").status_code == 403

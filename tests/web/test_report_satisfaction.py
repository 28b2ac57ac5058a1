"""The satisfaction report page: figures over what the reader may see, the filters, the downloads."""

from __future__ import annotations

import csv
import io

from pqrs_adapters.sqlalchemy.satisfaction import record_answer
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c

from .conftest import Site
from .test_survey import responded_case


def answered(site: Site, by: str, score: int, comment: str = "", **fields: object) -> str:
    case = site.file("ana", **fields)
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee=by), site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), site.actor(by))
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Listo.", close=True), site.actor(by))
    assert record_answer(site.engine, case.id, score, None, comment, site.now())
    return number


def test_the_page_shows_the_figures_by_person_and_the_comments(site: Site, clock: FrozenClock) -> None:
    answered(site, "ana", 5, "Muy amables", kind="peticion")
    answered(site, "ana", 2, kind="queja")
    answered(site, "bruno", 4, kind="queja")

    html = site.as_user("sofia").page("/reportes/satisfaccion?agrupar=persona")

    assert "<svg" in html and "cdn" not in html.lower()
    assert "Muy amables" in html
    # Three answers, average 11 / 3 = 3,7, two of three satisfied (67 %).
    assert "<dd>3" in html and "3,7 / 5" in html and "67 %" in html
    rows = site.as_user("sofia").get("/reportes/satisfaccion?agrupar=persona&tabla=grupos&formato=csv")
    assert rows.status_code == 200 and rows.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(rows.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert table[0][:4] == ["Grupo", "Respuestas", "Promedio (1 a 5)", "Satisfechos (4 y 5)"]
    by_name = {row[0]: row[1:4] for row in table[1:]}
    assert by_name == {"ana": ["2", "3,5", "50 %"], "bruno": ["1", "4,0", "100 %"]}


def test_filters_narrow_the_figures_and_bad_values_are_named(site: Site, clock: FrozenClock) -> None:
    answered(site, "ana", 5, kind="peticion")
    answered(site, "bruno", 1, kind="queja")
    visitor = site.as_user("sofia")

    quejas = (visitor.get("/reportes/satisfaccion?tipo=queja&tabla=grupos&formato=csv&agrupar=tipo")
              .get_data(as_text=True))
    assert "Queja;1;1,0;0 %" in quejas and "Petición" not in quejas

    refused = visitor.page("/reportes/satisfaccion?desde=ayer&tipo=nada&agrupar=color")
    assert "Elija una opción de la lista." in refused and "Valor desconocido: nada." in refused
    assert "aaaa-mm-dd" in refused
    later = site.today().replace(year=site.today().year + 1).isoformat()
    empty = visitor.page(f"/reportes/satisfaccion?desde={later}&hasta={later}")
    assert "<dd>0" in empty and "No hay casos con estos filtros." in empty


def test_agents_cannot_read_it_and_the_excel_download_opens(site: Site, clock: FrozenClock) -> None:
    responded_case(site)
    assert site.as_user("ana").get("/reportes/satisfaccion").status_code == 403
    workbook = site.as_user("carlos").get("/reportes/satisfaccion?tabla=grupos&formato=xlsx")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"

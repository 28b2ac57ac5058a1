"""``/reportes``: the list of reports in the menu for those who may read them, each report with its
filters, charts (inline SVG, no script) followed by their tables, downloads in CSV and Excel, and the
reader's visibility (a consultant counts her network's cases only)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c

from .conftest import Site

REPORTS = ("/reportes/volumen", "/reportes/oportunidad", "/reportes/niveles", "/reportes/regulatorio")


@pytest.fixture()
def filed(site: Site, clock: FrozenClock) -> Site:
    """Three cases today: two by ana (one answered), one by eva (in diana's network)."""
    first = site.file("ana", queue="primer_nivel")
    site.file("ana", kind="queja", channel="email", subject="=HYPERLINK(\"http://x\")")
    site.file("eva", kind="sugerencia")
    number = str(first.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), site.actor("ana"))
    clock.advance(hours=2)
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Adjuntamos el certificado."),
                     site.actor("ana"))
    return site


def test_the_menu_shows_reports_to_supervisors_and_consultants_only(site: Site) -> None:
    assert 'href="/reportes/"' in site.as_user("sofia").page("/bandeja")
    assert 'href="/reportes/" aria-current="page"' in site.as_user("diana").page("/reportes/")
    assert 'href="/reportes/"' not in site.as_user("ana").page("/bandeja")
    site.as_user("ana").page("/reportes/volumen", status=403)
    index = site.as_user("sofia").page("/reportes/")
    for path in REPORTS:
        assert f'href="{path}"' in index


def test_every_report_draws_accessible_charts_with_their_tables(filed: Site) -> None:
    visitor = filed.as_user("sofia")
    for path in REPORTS:
        html = visitor.page(path)
        assert "<script type" not in html.split("<main", 1)[1], path  # pygal's inline script removed
        if path != "/reportes/regulatorio":
            assert re.search(r'<svg role="img" aria-label="[^"]+"', html), path
        assert "<table" in html and "Descargar:" in html, path
    volume = visitor.page("/reportes/volumen?periodo=dia")
    today = filed.today().isoformat()
    assert re.search(rf'<th scope="row">{today}</th><td class="num">3</td>', volume)
    levels = visitor.page("/reportes/niveles")
    assert re.search(r'<th scope="row">Primera línea</th><td class="num">1</td>', levels)


def test_a_consultant_sees_her_networks_figures_only(filed: Site) -> None:
    html = filed.as_user("diana").page("/reportes/volumen?periodo=dia")
    today = filed.today().isoformat()
    assert re.search(rf'<th scope="row">{today}</th><td class="num">1</td>', html)
    assert "Sugerencia" in html and "Queja" not in html.split("Por tipo", 1)[1].split("</table>", 1)[0]


def test_wrong_filters_are_marked_and_kept(filed: Site) -> None:
    html = filed.as_user("sofia").page("/reportes/volumen?desde=2026-13-01&tipo=nada&periodo=siglo")
    assert "Escriba la fecha como aaaa-mm-dd." in html
    assert 'value="2026-13-01"' in html
    assert "Valor desconocido: nada." in html
    assert "<svg" not in html
    later = (filed.today() + timedelta(days=5)).isoformat()
    today = filed.today().isoformat()
    html = filed.as_user("sofia").page(f"/reportes/oportunidad?desde={later}&hasta={today}")
    assert "La fecha final es anterior a la inicial." in html
    html = filed.as_user("sofia").page("/reportes/regulatorio?periodo=dia")
    assert "Debe ser uno de: trimestre, semestre." in html


def test_a_table_downloads_as_csv_and_excel_with_safe_cells(filed: Site) -> None:
    visitor = filed.as_user("sofia")
    response = visitor.get("/reportes/regulatorio?tabla=solicitudes&formato=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Radicado;Periodo;Tipo;Radicado el")
    assert len(text.strip().splitlines()) == 4
    response = visitor.get("/reportes/volumen?tabla=kind&formato=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    rows = list(book["Reporte"].iter_rows(values_only=True))
    assert rows[0] == ("Tipo", "Casos", "Periodo anterior", "Variación")
    assert {r[0]: r[1] for r in rows[1:]} == {"Petición": 1, "Queja": 1, "Sugerencia": 1}
    assert visitor.get("/reportes/volumen?tabla=nada&formato=csv").status_code == 400
    assert visitor.get("/reportes/volumen?tabla=kind&formato=pdf").status_code == 400


def test_the_regulatory_report_prints(filed: Site) -> None:
    html = filed.as_user("sofia").page("/reportes/regulatorio")
    assert "Ley 1712 de 2014" in html and "Ley 1474 de 2011" in html
    assert 'class="report printable"' in html and "js-print" in html
    assert re.search(r'<th scope="row">Total</th><td></td><td class="num">3</td>', html)
    assert "3 solicitudes: el detalle de cada una se descarga en CSV o Excel." in html
    # The page lists no request; its download lists every one, in the order they were filed.
    download = filed.as_user("sofia").get("/reportes/regulatorio?tabla=solicitudes&formato=csv")
    assert download.status_code == 200
    lines = [line for line in download.get_data(as_text=True).splitlines() if line.startswith("PQRS-")]
    assert len(lines) == 3


def test_a_response_that_denies_access_counts_in_the_regulatory_report(site: Site,
                                                                       clock: FrozenClock) -> None:
    case = site.file("ana")
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), site.actor("ana"))
    ana = site.as_user("ana")
    page = ana.page(f"/casos/{number}")
    assert 'name="respuesta_acceso_negado"' in page
    version = str(site.pqrs.case(number).version)
    preview = ana.post(f"/casos/{number}/respuesta", {
        "version": version, "respuesta_texto": "La información es reservada (art. 19).",
        "respuesta_acceso_negado": "1", "accion": "vista_previa"}).get_data(as_text=True)
    assert 'name="respuesta_acceso_negado" value="1"' in preview  # kept through the preview
    ana.post(f"/casos/{number}/respuesta", {
        "version": version, "respuesta_texto": "La información es reservada (art. 19).",
        "respuesta_acceso_negado": "1", "accion": "enviar"})
    assert site.pqrs.case(number).responded_at is not None
    html = site.as_user("sofia").page("/reportes/regulatorio")
    assert re.search(r'<dt>Acceso a la información negado</dt><dd>1', html)


def test_dates_outside_the_years_a_report_reads_are_marked(filed: Site) -> None:
    visitor = filed.as_user("sofia")
    for page in ("volumen", "oportunidad", "niveles", "regulatorio"):
        html = visitor.page(f"/reportes/{page}?desde=0001-01-01&hasta=0001-01-02")
        assert "El año debe estar entre 1900 y 2999." in html and 'name="desde"' in html
        html = visitor.page(f"/reportes/{page}?hasta=9999-12-31")
        assert "El año debe estar entre 1900 y 2999." in html

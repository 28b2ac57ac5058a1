"""The optional characterisation section of the filing forms, its consent, the export option kept for
administrators, and the «Caracterización» report with small cells hidden."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from pqrs_adapters.sqlalchemy import characterisation as store
from pqrs_adapters.sqlalchemy.tables import requester_characterisation
from pqrs_core.clock import FrozenClock
from pqrs_core.domain.characterisation import PURPOSE_VERSION, Characterisation
from pqrs_core.ports import CaseQuery

from .conftest import Site
from .test_filing import NEW, open_form
from .test_public import filing

ANSWERS = {"caract_age_range": "29_59", "caract_sex": "mujer", "caract_ethnic_group": "no_responde",
           "caract_stratum": "3"}


def stored(site: Site) -> list[dict[str, Any]]:
    with site.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(requester_characterisation)).mappings()]


def only_case(site: Site) -> Any:
    [case] = site.pqrs.cases(CaseQuery(limit=10)).cases
    return case


def test_the_public_form_offers_the_optional_section_with_its_purpose(site: Site) -> None:
    page = html.unescape(site.as_user(None).page("/radicar"))
    assert '<details class="characterisation" id="caracterizacion">' in page  # closed: nothing to answer
    assert "¿Quién nos escribe? Caracterización (opcional)" in page
    assert "El grupo étnico y la discapacidad son datos sensibles" in page
    assert f"Versión de la finalidad: {PURPOSE_VERSION}" in page
    assert "Prefiero no responder" in page and "Palenquero(a) de San Basilio" in page
    # Never ticked beforehand (silence is not consent).
    assert re.search(r'name="caract_autorizacion" type="checkbox" value="1"(?! checked)', page)


def test_filing_from_the_public_form_without_the_section_stores_nothing(site: Site) -> None:
    response = site.as_user(None).post("/radicar", filing(site.app))
    assert response.status_code == 302
    assert only_case(site) and stored(site) == []


def test_filing_with_answers_and_consent_keeps_them_apart(site: Site, clock: FrozenClock) -> None:
    form = {**filing(site.app), **ANSWERS, "caract_autorizacion": "1"}
    response = site.as_user(None).post("/radicar", form)
    assert response.status_code == 302
    [row] = stored(site)
    assert row["case_id"] == only_case(site).id and row["channel"] == "web_form"
    assert (row["age_range"], row["sex"], row["ethnic_group"], row["stratum"], row["disability"]) == (
        "29_59", "mujer", "no_responde", "3", None)
    assert row["purpose_version"] == PURPOSE_VERSION and row["consented_at"] == clock.now()


def test_answers_without_consent_are_not_stored_and_the_person_is_told(site: Site) -> None:
    visitor = site.as_user(None)
    response = visitor.post("/radicar", {**filing(site.app), **ANSWERS})
    assert response.status_code == 302  # the petition is filed all the same
    assert only_case(site) and stored(site) == []
    receipt = html.unescape(visitor.page("/radicar/recibido"))
    assert "no se guardaron porque no se marcó la autorización para ese fin" in receipt


def test_an_answer_outside_the_options_is_explained_and_what_was_typed_kept(site: Site) -> None:
    response = site.as_user(None).post("/radicar", {**filing(site.app), "caract_stratum": "9",
                                                    "caract_sex": "mujer", "caract_autorizacion": "1"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Elija una de las opciones de la lista." in page
    assert '<details class="characterisation" id="caracterizacion" open>' in page
    assert '<option value="mujer" selected>' in page


def test_the_portal_form_has_the_section_too(site: Site) -> None:
    assert "caract_autorizacion" in site.as_user("juan").page("/portal/nuevo")


def test_an_agent_records_the_answers_of_a_phone_call_with_the_requesters_consent(site: Site) -> None:
    ana = site.as_user("ana")
    form = {**open_form(ana), "kind": "peticion", "subject": "Certificado", "description": "Lo pide.",
            "requester.full_name": "Rosa Díaz", **ANSWERS, "caract_autorizacion": "1"}
    assert "El peticionario conoce la finalidad y autoriza" in html.unescape(ana.page(NEW))
    assert ana.post(NEW, form).status_code == 303
    [row] = stored(site)
    assert row["channel"] == "phone" and row["sex"] == "mujer"


def characterised_case(site: Site) -> str:
    case = site.file()
    answers = {"sex": "hombre", "disability": "visual"}
    store.record(site.engine, case.id, Characterisation(answers, site.now()))
    return str(case.filing_number)


def test_exports_leave_the_characterisation_out_unless_asked(site: Site) -> None:
    characterised_case(site)
    plain = site.as_user("admin").get("/bandeja/exportar?formato=csv&columnas=completas")
    assert plain.status_code == 200
    text = plain.get_data(as_text=True)
    assert "Caracterización" not in text and "Visual" not in text

    asked = site.as_user("admin").get("/bandeja/exportar?formato=csv&columnas=basicas&caracterizacion=1")
    assert asked.status_code == 200
    header, row = asked.get_data(as_text=True).lstrip("\ufeff").splitlines()[:2]
    assert "Caracterización: Sexo (al nacer)" in header and "Caracterización: Discapacidad" in header
    assert ";Hombre;" in row and ";Visual;" in row


def test_only_administrators_may_add_the_characterisation_to_an_export(site: Site) -> None:
    characterised_case(site)
    sofia = site.as_user("sofia")  # a supervisor exports cases, not who the requesters are
    assert sofia.get("/bandeja/exportar?formato=csv").status_code == 200
    assert sofia.get("/bandeja/exportar?formato=csv&caracterizacion=1").status_code == 403
    assert "caracterizacion" not in sofia.page("/bandeja")
    assert 'name="caracterizacion"' in site.as_user("admin").page("/bandeja")
    workbook = site.as_user("admin").get("/bandeja/exportar?formato=xlsx&caracterizacion=1")
    sheet = load_workbook(io.BytesIO(workbook.data)).worksheets[0]
    assert "Caracterización: Sexo (al nacer)" in [c.value for c in sheet[1]]


def test_the_report_counts_by_period_and_hides_cells_under_five(site: Site) -> None:
    answers = [{"sex": "mujer", "stratum": "2"}] * 7 + [{"sex": "hombre", "stratum": "2"}] * 2
    for given in answers:
        store.record(site.engine, site.file().id, Characterisation(given, site.now()))
    site.file()  # without characterisation
    sofia = site.as_user("sofia")
    day = site.today().isoformat()
    page = html.unescape(sofia.page(f"/reportes/caracterizacion?desde={day}&hasta={day}&periodo=dia"))
    assert "Caracterización de los peticionarios" in page and "menos de 5 personas" in page
    assert "Con caracterización" in page and "90 % de los casos" in page

    csv = sofia.get(f"/reportes/caracterizacion?desde={day}&hasta={day}&periodo=dia&tabla=sex&formato=csv")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Periodo;Hombre;Mujer;Intersexual;Prefiero no responder;Total"
    # 2 men would stand out: hidden, and so is the next smallest cell (7 women), the total shown.
    assert lines[1] == f"{day};<5;<5;0;0;9"
    stratum = sofia.get(f"/reportes/caracterizacion?desde={day}&hasta={day}&periodo=dia&tabla=stratum"
                        "&formato=csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert stratum[1] == f"{day};0;9;0;0;0;0;0;9"
    assert site.as_user("juan").get("/reportes/caracterizacion").status_code == 403

"""The custom fields studio (``/admin/campos``): an administrator defines a field from the web, staff
file a case with it and see it on the case page (with what the next actions still need), its options
are renamed keeping their codes, it is deactivated; the public form shows only the public fields."""

from __future__ import annotations

import csv
import html
import io
import re

import openpyxl

from pqrs_core.domain import commands as c
from pqrs_core.domain.events import FieldChanged
from pqrs_core.domain.fields import FieldType

from .conftest import Site
from .test_filing import NEW, number_in, open_form
from .test_inbox import listed
from .test_public import filing, text_of
from .test_two_tabs import _edit_form

FIELDS = "/admin/campos"


def define(site: Site, **form: str | list[str]) -> None:
    response = site.as_user("admin").post(FIELDS, form)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))[:3000]


def test_an_administrator_defines_a_field_and_an_agent_files_a_case_with_it(site: Site) -> None:
    admin = site.as_user("admin")
    assert "Campos adicionales" in admin.page("/admin")
    define(site, label="Zonas afectadas", type="multi_choice", options="Zona norte\nsur = Zona sur\ncentro",
           kinds=["reclamo"], transitions=["start"], help="Dónde ocurrió el daño.")
    definition = next(f for f in site.pqrs.catalog().fields if f.code == "zonas_afectadas")
    assert definition.type is FieldType.MULTI_CHOICE
    assert definition.options() == (("zona_norte", "Zona norte"), ("sur", "Zona sur"), ("centro", "centro"))
    assert definition.kinds == ("reclamo",) and definition.required_for_transitions == ("start",)
    listing = text_of(admin.page(FIELDS))
    assert "Zonas afectadas zona_norte" not in listing and "Selección múltiple" in listing

    ana = site.as_user("ana")
    page = ana.page(NEW)
    assert 'id="custom_fields.zonas_afectadas" name="custom_fields.zonas_afectadas" multiple' in page
    response = ana.post(NEW, {**open_form(ana), "kind": "reclamo", "subject": "Daño en la red",
                              "description": "Se cayó un poste.",
                              "custom_fields.zonas_afectadas": ["sur", "zona_norte"]})
    assert response.status_code == 303, text_of(response.get_data(as_text=True))[:2000]
    number = number_in(response.headers["Location"])
    assert site.pqrs.case(number).custom_fields == {"zonas_afectadas": ["zona_norte", "sur"]}
    assert "Zonas afectadas Zona norte, Zona sur" in text_of(ana.page(f"/casos/{number}"))

    # Renaming an option keeps its code: the case shows the new label and keeps its value.
    response = admin.post(f"{FIELDS}/zonas_afectadas", {
        "label": "Zonas afectadas", "options": "zona_norte = Norte\nsur = Zona sur\ncentro",
        "kinds": ["reclamo"], "transitions": ["start"]})
    assert response.status_code == 302, text_of(response.get_data(as_text=True))[:3000]
    assert site.pqrs.case(number).custom_fields == {"zonas_afectadas": ["zona_norte", "sur"]}
    assert "Zonas afectadas Norte, Zona sur" in text_of(ana.page(f"/casos/{number}"))
    changes = [c for c in site.pqrs.catalog_admin.changes() if c["what"] == "fields.put"]
    assert [c["data"]["choice_labels"]["zona_norte"] for c in changes] == ["Norte", "Zona norte"]


def test_the_case_page_says_which_fields_an_action_needs(site: Site) -> None:
    define(site, label="Número de medidor", type="text", pattern="M-[0-9]+",
           pattern_message="debe ser M- seguido de dígitos", transitions=["start"])
    case = site.file()
    page = text_of(site.as_user("bruno").page(f"/casos/{case.filing_number}"))
    assert "Antes de «Iniciar gestión» diligencie: Número de medidor." in page


def test_a_field_form_with_mistakes_names_each(site: Site) -> None:
    response = site.as_user("admin").post(FIELDS, {"label": "Valor", "type": "decimal", "minimum": "10",
                                                   "maximum": "dos"})
    assert response.status_code == 422
    assert re.search(r'id="error-maximum" class="field-error">Escriba un número',
                     response.get_data(as_text=True))
    response = site.as_user("admin").post(FIELDS, {"label": "Lista", "type": "choice", "options": ""})
    assert response.status_code == 422
    assert 'id="error-options" class="field-error">Una lista de opciones necesita al menos una opción.' in \
        response.get_data(as_text=True)
    assert site.as_user("ana").post(FIELDS, {"label": "X", "type": "text"}).status_code == 403


def test_a_deactivated_field_is_no_longer_offered(site: Site) -> None:
    define(site, label="Lote", type="text")
    admin = site.as_user("admin")
    assert admin.post(f"{FIELDS}/lote/activo", {"active": "0"}).status_code == 302
    assert not next(f for f in site.pqrs.catalog().fields if f.code == "lote").active
    assert 'id="custom_fields.lote"' not in site.as_user("ana").page(NEW)


def test_the_public_form_shows_only_the_public_fields(site: Site) -> None:
    define(site, label="Número de contrato", type="text", public="1", required="1", pattern="[0-9]{9}",
           pattern_message="debe tener nueve dígitos")
    define(site, label="Nota interna", type="long_text")
    visitor = site.as_user(None)
    page = visitor.page("/radicar")
    assert 'id="custom_fields.numero_de_contrato"' in page
    assert "Nota interna" not in page
    refused = visitor.post("/radicar", filing(site.app, **{"custom_fields.numero_de_contrato": "12"}))
    assert refused.status_code == 422
    assert "Debe tener nueve dígitos." in refused.get_data(as_text=True)
    contract = {"custom_fields.numero_de_contrato": "123456789"}
    response = visitor.post("/radicar", filing(site.app, **contract))
    assert response.status_code == 302, text_of(response.get_data(as_text=True))[:2000]
    filed = [x for x in site.pqrs.cases().cases if x.custom_fields]
    assert [x.custom_fields for x in filed] == [{"numero_de_contrato": "123456789"}]
    # The requester sees the public fields of their case when they look it up.
    site.pqrs.handle(c.ChangeFields(filing_number=str(filed[0].filing_number),
                                    changes={"custom_fields": {"nota_interna": "Cliente difícil"}}),
                     site.actor("ana"))
    found = visitor.post("/consultar", {"radicado": str(filed[0].filing_number), "documento": "43123456"})
    assert found.status_code == 200
    text = text_of(found.get_data(as_text=True))
    assert "Número de contrato 123456789" in text and "Cliente difícil" not in text


def test_the_inbox_filters_by_a_field_and_its_exports_hold_it(site: Site) -> None:
    define(site, label="Servicio", type="choice", options="agua = Acueducto\nluz = Energía")
    define(site, label="Unidades", type="integer", minimum="1", maximum="500")
    water = site.file(custom_fields={"servicio": "agua", "unidades": "12"})
    power = site.file(custom_fields={"servicio": "luz"})
    site.file()
    sofia = site.as_user("sofia")
    page = sofia.page("/bandeja?vista=todos&cf.servicio=agua")
    assert listed(page) == [str(water.filing_number)]
    assert "Servicio: Acueducto" in text_of(page)  # the chip, with the option's label
    assert listed(sofia.page("/bandeja?vista=todos&cf.unidades=12.0")) == [str(water.filing_number)]
    assert listed(sofia.page("/bandeja?vista=todos&cf.servicio=luz")) == [str(power.filing_number)]
    wrong = sofia.get("/bandeja?vista=todos&cf.color=rojo")
    assert wrong.status_code == 400
    assert "«color» no es un campo adicional" in html.unescape(wrong.get_data(as_text=True))

    response = sofia.get("/bandeja/exportar?formato=csv&columnas=completas&vista=todos&cf.servicio=agua")
    assert response.status_code == 200
    header, *body = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert header[-2:] == ["Servicio", "Unidades"]
    assert [(r[0], r[-2], r[-1]) for r in body] == [(str(water.filing_number), "Acueducto", "12")]
    response = sofia.get("/bandeja/exportar?formato=xlsx&columnas=basicas&vista=todos")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["Servicio", "Unidades"]
    assert [row[-2:] for row in values[1:]] == [[None, None], ["Energía", None], ["Acueducto", 12]]


def test_staff_edit_a_multiple_choice_on_the_case_page_and_the_history_records_it(site: Site) -> None:
    define(site, label="Zonas", type="multi_choice", options="norte = Zona norte\nsur = Zona sur")
    case = site.file(custom_fields={"zonas": ["norte"]})
    ana = site.as_user("ana")
    both: dict[str, object] = {**_edit_form(ana, case), "campo_extra_zonas": ["norte", "sur"]}
    assert ana.post(f"/casos/{case.filing_number}/campos", both).status_code == 302
    assert site.pqrs.case(str(case.filing_number)).custom_fields == {"zonas": ["norte", "sur"]}
    form = _edit_form(ana, site.pqrs.case(str(case.filing_number)))
    del form["campo_extra_zonas"]  # nothing selected: the browser sends nothing
    assert ana.post(f"/casos/{case.filing_number}/campos", form).status_code == 302
    assert site.pqrs.case(str(case.filing_number)).custom_fields == {}
    changes = [(e.before, e.after) for e in site.pqrs.history(str(case.filing_number))
               if isinstance(e, FieldChanged)]
    assert changes == [({"zonas": ["norte"]}, {"zonas": ["norte", "sur"]}), ({"zonas": ["norte", "sur"]}, {})]

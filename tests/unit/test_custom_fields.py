"""Custom fields defined at run time: each type's validation, patterns, ranges, options, where a field
is required (kind, typification, before a transition), and filtering cases by a field's value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.answers import answer_context
from pqrs_core.domain.errors import PermissionDenied, ValidationError
from pqrs_core.domain.fields import FieldDefinition, FieldType, check_definition, field_to_plain
from pqrs_core.field_search import indexed_values, matches
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import ADMIN, AGENT, BACK_OFFICE, REQUESTER, file, number

CONTRACT = FieldDefinition("contrato", "Número de contrato", FieldType.TEXT, pattern=r"\d{9}",
                           pattern_message="debe tener nueve dígitos", public=True)
NOTES = FieldDefinition("notas", "Notas del técnico", FieldType.LONG_TEXT, max_length=4000)
UNITS = FieldDefinition("unidades", "Unidades", FieldType.INTEGER, minimum=1, maximum=99)
AMOUNT = FieldDefinition("monto", "Monto", FieldType.DECIMAL, minimum=Decimal("0.01"))
CHANNELS = FieldDefinition("zonas", "Zonas afectadas", FieldType.MULTI_CHOICE,
                           choices=("norte", "sur", "centro"),
                           choice_labels={"norte": "Zona norte", "sur": "Zona sur"})
SERVICE = FieldDefinition("servicio", "Servicio", FieldType.CHOICE, choices=("agua", "luz"),
                          choice_labels={"agua": "Acueducto"})


@pytest.fixture
def pqrs() -> Pqrs:
    service = in_memory_pqrs()
    for definition in (CONTRACT, NOTES, UNITS, AMOUNT, CHANNELS, SERVICE):
        service.catalog_admin.put_field(definition, ADMIN)
    return service


@pytest.mark.parametrize(("definition", "value", "stored"), [
    (CONTRACT, "123456789", "123456789"),
    (NOTES, "Primera línea\nsegunda línea", "Primera línea\nsegunda línea"),
    (UNITS, "7", 7),
    (UNITS, 99, 99),
    (AMOUNT, "12,5", "12.5"),
    (CHANNELS, ["sur", "norte", "sur"], ["norte", "sur"]),
    (SERVICE, "agua", "agua"),
    (FieldDefinition("visita", "Fecha de visita", FieldType.DATE), "2026-03-02", "2026-03-02"),
    (FieldDefinition("acepta", "Acepta", FieldType.BOOLEAN), True, True),
])
def test_each_type_stores_its_canonical_value(definition: FieldDefinition, value: Any, stored: Any) -> None:
    assert definition.clean(value) == stored


@pytest.mark.parametrize(("definition", "value", "message"), [
    (CONTRACT, "12345", "debe tener nueve dígitos"),
    (CONTRACT, "1234567890", "debe tener nueve dígitos"),
    (FieldDefinition("placa", "Placa", pattern="[A-Z]{3}[0-9]{3}"), "abc123", "no tiene el formato esperado"),
    (FieldDefinition("corto", "Corto", max_length=50), "línea\notra", "salto"),
    (UNITS, "0", "entre 1 y 99"),
    (UNITS, 100, "entre 1 y 99"),
    (UNITS, "2.5", "número entero"),
    (AMOUNT, "0", "mayor o igual a 0.01"),
    (AMOUNT, "mucho", "debe ser un número"),
    (CHANNELS, "norte", "lista de opciones"),
    (CHANNELS, ["oeste"], "«oeste» no es una opción"),
    (SERVICE, "gas", "debe ser uno de: agua, luz"),
])
def test_invalid_values_are_refused_in_spanish(definition: FieldDefinition, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        definition.clean(value)


def test_options_read_as_their_labels_and_keep_their_codes() -> None:
    assert CHANNELS.options() == (("norte", "Zona norte"), ("sur", "Zona sur"), ("centro", "centro"))
    assert CHANNELS.shown(["norte", "centro"]) == "Zona norte, centro"
    assert SERVICE.shown("agua") == "Acueducto"
    assert FieldDefinition("x", "X", FieldType.BOOLEAN).shown(False) == "No"


@pytest.mark.parametrize(("definition", "field"), [
    (FieldDefinition("lista", "Lista", FieldType.CHOICE), "choices"),
    (FieldDefinition("lista", "Lista", FieldType.MULTI_CHOICE, choices=("a", "a")), "choices"),
    (FieldDefinition("lista", "Lista", FieldType.CHOICE, choices=("con espacio",)), "choices"),
    (FieldDefinition("lista", "Lista", FieldType.CHOICE, choices=("a",), choice_labels={"b": "B"}),
     "choice_labels"),
    (FieldDefinition("texto", "Texto", pattern="[a-"), "pattern"),
    (FieldDefinition("numero", "Número", FieldType.INTEGER, pattern="\\d+"), "pattern"),
    (FieldDefinition("numero", "Número", FieldType.INTEGER, minimum=5, maximum=1), "maximum"),
    (FieldDefinition("texto", "Texto", minimum=1), "minimum"),
    (FieldDefinition("texto", "Texto", max_length=0), "max_length"),
    (FieldDefinition("con espacio", "Texto"), "code"),
])
def test_a_definition_that_cannot_work_is_refused(definition: FieldDefinition, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_definition(definition)
    assert field in raised.value.errors


def test_an_administrator_defines_a_field_and_its_versions_are_logged(pqrs: Pqrs) -> None:
    renamed = FieldDefinition("servicio", "Servicio", FieldType.CHOICE, choices=("agua", "luz"),
                              choice_labels={"agua": "Agua potable"})
    pqrs.catalog_admin.put_field(renamed, ADMIN)
    definition = next(f for f in pqrs.catalog().fields if f.code == "servicio")
    assert definition.options() == (("agua", "Agua potable"), ("luz", "luz"))
    logged = [ch["data"] for ch in pqrs.catalog_admin.changes()
              if ch["what"] == "fields.put" and ch["data"]["code"] == "servicio"]
    assert logged[0] == field_to_plain(renamed)
    assert logged[-1]["choice_labels"] == {"agua": "Acueducto"}
    with pytest.raises(PermissionDenied):
        pqrs.catalog_admin.put_field(renamed, AGENT)


def test_a_field_names_only_kinds_typifications_and_transitions_that_exist(pqrs: Pqrs) -> None:
    with pytest.raises(ValidationError) as raised:
        pqrs.catalog_admin.put_field(FieldDefinition("x", "X", kinds=("nada",), typifications=("NADA",),
                                                     required_for_transitions=("volar",)), ADMIN)
    assert set(raised.value.errors) == {"kinds", "typifications", "required_for_transitions"}


def test_filing_validates_custom_fields_naming_each(pqrs: Pqrs) -> None:
    with pytest.raises(ValidationError) as raised:
        file(pqrs, custom_fields={"contrato": "12", "unidades": 500, "zonas": ["oeste"]})
    assert raised.value.errors == {
        "custom_fields.contrato": "debe tener nueve dígitos",
        "custom_fields.unidades": "debe estar entre 1 y 99",
        "custom_fields.zonas": "«oeste» no es una opción; las opciones son: norte, sur, centro"}
    case = file(pqrs, custom_fields={"contrato": "123456789", "zonas": ["sur", "norte"], "unidades": "3"})
    assert case.custom_fields == {"contrato": "123456789", "zonas": ["norte", "sur"], "unidades": 3}


def test_a_field_required_for_a_typification_only_binds_its_cases(pqrs: Pqrs) -> None:
    tree = pqrs.catalog().typifications
    root = next(iter(tree.roots())).code
    leaf = next((n.code for n in tree if n.parent == root), root)
    pqrs.catalog_admin.put_field(FieldDefinition("medidor", "Número de medidor", required=True,
                                                 typifications=(root,)), ADMIN)
    file(pqrs)  # not typified: not required
    with pytest.raises(ValidationError) as raised:
        file(pqrs, typification=leaf)
    assert raised.value.errors == {"custom_fields.medidor": "es obligatorio"}
    assert file(pqrs, typification=leaf, custom_fields={"medidor": "M-1"}).custom_fields == {"medidor": "M-1"}


def test_a_field_required_before_a_transition_stops_it_naming_the_field(pqrs: Pqrs) -> None:
    pqrs.catalog_admin.put_field(FieldDefinition("medidor", "Número de medidor",
                                                 required_for_transitions=("start",)), ADMIN)
    n = number(file(pqrs))
    start = pqrs.catalog().workflow("generic").transition("start")
    assert start is not None
    assert [d.code for d in pqrs.catalog().missing_before(start, "queja", {})] == ["medidor"]
    with pytest.raises(ValidationError) as raised:
        pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    assert raised.value.errors == {"custom_fields.medidor": "es obligatorio antes de «Iniciar gestión»"}
    pqrs.handle(c.ChangeFields(filing_number=n, changes={"custom_fields": {"medidor": "M-9"}}), AGENT)
    case = pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    assert case.state == "in_progress"


def test_cases_are_filtered_by_a_field_value(pqrs: Pqrs) -> None:
    a = number(file(pqrs, custom_fields={"servicio": "agua", "zonas": ["norte", "sur"], "monto": "10.50"}))
    b = number(file(pqrs, custom_fields={"servicio": "luz", "zonas": ["sur"], "contrato": "123456789"}))

    def found(*pairs: tuple[str, str]) -> list[str]:
        return sorted(str(x.filing_number) for x in pqrs.cases(CaseQuery(custom_fields=pairs)).cases)

    assert found(("servicio", "agua")) == [a]
    assert found(("zonas", "sur")) == sorted([a, b])
    assert found(("zonas", "sur"), ("servicio", "LUZ")) == [b]
    assert found(("monto", "10.5")) == [a]
    assert found(("contrato", "123456789")) == [b]
    assert found(("servicio", "gas")) == []


def test_indexed_values_fold_text_and_read_numbers_and_dates() -> None:
    rows = indexed_values({"a": "Ñandú Grande", "b": ["x", "y"], "c": True, "d": "2026-03-02", "e": 5,
                           "f": ""})
    assert [(r.field, r.text, r.number, r.day and r.day.isoformat()) for r in rows] == [
        ("a", "nandu grande", None, None), ("b", "x", None, None), ("b", "y", None, None),
        ("c", "si", None, None), ("d", "2026-03-02", None, "2026-03-02"), ("e", "5", 5.0, None)]
    assert matches({"c": True}, "c", "sí") and matches({"c": False}, "c", "false")


def test_canned_answers_read_custom_fields_as_people_do(pqrs: Pqrs) -> None:
    case = file(pqrs, custom_fields={"servicio": "agua", "zonas": ["norte", "centro"]})
    context = answer_context(case, pqrs.catalog(), now=pqrs.deps.clock.now(),
                             zone=ZoneInfo("America/Bogota"), agent_name="Beto", organisation="X")
    assert context["campos"]["servicio"] == "Acueducto"
    assert context["campos"]["zonas"] == "Zona norte, centro"
    assert context["campos"]["contrato"] == ""


def test_a_requester_filing_gives_and_is_asked_only_the_public_fields(pqrs: Pqrs) -> None:
    pqrs.catalog_admin.put_field(FieldDefinition("medidor", "Medidor", required=True), ADMIN)
    with pytest.raises(ValidationError) as raised:
        file(pqrs, REQUESTER, custom_fields={"notas": "interna"})
    assert raised.value.errors == {"custom_fields.notas": "no es un campo definido para este tipo de caso"}
    case = file(pqrs, REQUESTER, custom_fields={"contrato": "123456789"})  # «medidor» is not asked of them
    assert case.custom_fields == {"contrato": "123456789"}
    with pytest.raises(ValidationError) as raised:
        file(pqrs, AGENT)
    assert raised.value.errors == {"custom_fields.medidor": "es obligatorio"}

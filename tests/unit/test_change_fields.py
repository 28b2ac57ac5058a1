"""Editing a case: every change is recorded before → after (traceability, seed 004); non-editable
fields and closed cases are protected; custom fields registered by a plugin are validated."""

from __future__ import annotations

from typing import Any

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.events import FieldChanged
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, COMPLETE_PERSON, LogisticsFields, file, number


@pytest.fixture
def plugged() -> Pqrs:
    return in_memory_pqrs(plugins=[LogisticsFields])


def changes_of(pqrs: Pqrs, n: str) -> list[tuple[str, Any, Any, str]]:
    return [(e.field, e.before, e.after, e.actor) for e in pqrs.history(n) if isinstance(e, FieldChanged)]


def change(pqrs: Pqrs, n: str, **changes: Any) -> Any:
    return pqrs.handle(c.ChangeFields(filing_number=n, changes=changes), AGENT)


def test_each_change_is_recorded_with_before_and_after(pqrs: Pqrs) -> None:
    n = number(file(pqrs, subject="Pedido incompleto", priority="baja", channel="phone"))
    case = change(pqrs, n, subject="Pedido incompleto: faltan 2 unidades", priority="alta", channel="email",
                  reason="PEDIDO_INCOMPLETO")
    assert (case.subject, case.priority, case.channel, case.reason) == (
        "Pedido incompleto: faltan 2 unidades", "alta", "email", "PEDIDO_INCOMPLETO")
    assert sorted(changes_of(pqrs, n)) == sorted([
        ("subject", "Pedido incompleto", "Pedido incompleto: faltan 2 unidades", "ana"),
        ("priority", "baja", "alta", "ana"),
        ("channel", "phone", "email", "ana"),
        ("reason", None, "PEDIDO_INCOMPLETO", "ana"),
    ])
    assert pqrs.case(n) == case


def test_unchanged_values_are_not_recorded(pqrs: Pqrs) -> None:
    n = number(file(pqrs, subject="Igual"))
    case = change(pqrs, n, subject="Igual")
    assert changes_of(pqrs, n) == []
    assert case.version == 1


def test_requester_change_is_recorded_as_plain_data(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    change(pqrs, n, requester={"kind": "person", "full_name": "Carla Gómez de Ruiz",
                               "document_type": "CC", "document_number": "1020304050",
                               "email": "carla.ruiz@example.com"})
    [(field, before, after, _)] = changes_of(pqrs, n)
    assert field == "requester"
    assert before["email"] == COMPLETE_PERSON.email
    assert after["email"] == "carla.ruiz@example.com"
    assert pqrs.case(n).requester.full_name == "Carla Gómez de Ruiz"


def test_requester_change_is_validated(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    with pytest.raises(ValidationError) as excinfo:
        change(pqrs, n, requester={"email": "no-es-correo", "document_type": "CC", "document_number": "1"})
    assert {"requester.email", "requester.document_number"} <= set(excinfo.value.errors)
    assert changes_of(pqrs, n) == []


def test_references_and_missing_information_are_editable(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    case = change(pqrs, n, references=[{"kind": "invoice", "number": "FE-1001"}],
                  missing_information=["copia de la cédula"])
    assert [(r.kind.value, r.number) for r in case.references] == [("invoice", "FE-1001")]
    assert case.missing_information == ("copia de la cédula",)


@pytest.mark.parametrize("field", ["state", "filing_number", "assignee", "filed_by", "closed_at",
                                   "first_contact_resolution", "version", "no_such_field"])
def test_non_editable_and_unknown_fields_are_rejected(pqrs: Pqrs, field: str) -> None:
    n = number(file(pqrs))
    with pytest.raises(ValidationError) as excinfo:
        change(pqrs, n, **{field: "x", "subject": "Cambio válido que no debe aplicarse"})
    assert field in excinfo.value.errors
    assert "subject" not in excinfo.value.errors
    case = pqrs.case(n)
    assert case.subject == "Pedido llegó incompleto"  # all or nothing
    assert case.version == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"subject": ""}, "subject"),
    ({"subject": "x" * 251}, "subject"),
    ({"description": "  "}, "description"),
    ({"subject": 42}, "subject"),
    ({"kind": "consulta"}, "kind"),
    ({"kind": None}, "kind"),
    ({"priority": "urgentisima"}, "priority"),
    ({"channel": "fax"}, "channel"),
    ({"verbal": "sí"}, "verbal"),
    ({"references": [{"kind": "remision", "number": "1"}]}, "references.0.kind"),
    ({"missing_information": "todo"}, "missing_information"),
])
def test_invalid_values_are_rejected(pqrs: Pqrs, changes: dict[str, Any], field: str) -> None:
    n = number(file(pqrs))
    before = pqrs.history(n)
    with pytest.raises(ValidationError) as excinfo:
        change(pqrs, n, **changes)
    assert field in excinfo.value.errors
    assert pqrs.history(n) == before


def test_closed_cases_are_not_editable(pqrs: Pqrs) -> None:
    n = number(file(pqrs, resolved_at_first_contact=True, solution="Resuelto"))
    with pytest.raises(ValidationError) as excinfo:
        change(pqrs, n, subject="Otro asunto")
    assert "state" in excinfo.value.errors
    assert pqrs.case(n).subject == "Pedido llegó incompleto"


def test_optional_text_can_be_cleared(pqrs: Pqrs) -> None:
    n = number(file(pqrs, non_crm_contact="Luis, jefe de compras"))
    case = change(pqrs, n, non_crm_contact="")
    assert case.non_crm_contact is None
    assert changes_of(pqrs, n) == [("non_crm_contact", "Luis, jefe de compras", None, "ana")]


# --- custom fields (plugin-registered FieldDefinitions) ----------------------------------------


def test_custom_fields_are_stored_in_canonical_form(plugged: Pqrs) -> None:
    case = file(plugged, custom_fields={"lote": "L-77", "unidades": "3", "monto": 12500.5,
                                        "fecha_entrega": "2026-02-20", "recurrente": True,
                                        "transportadora": "servientrega"})
    assert case.custom_fields == {"lote": "L-77", "unidades": 3, "monto": "12500.5",
                                  "fecha_entrega": "2026-02-20", "recurrente": True,
                                  "transportadora": "servientrega"}


@pytest.mark.parametrize(("values", "field"), [
    ({"lote": 77}, "lote"),
    ({"lote": "L" * 11}, "lote"),
    ({"unidades": "tres"}, "unidades"),
    ({"unidades": 2.5}, "unidades"),
    ({"unidades": True}, "unidades"),
    ({"monto": "mucho"}, "monto"),
    ({"monto": "NaN"}, "monto"),
    ({"fecha_entrega": "2026-02-30"}, "fecha_entrega"),
    ({"recurrente": "sí"}, "recurrente"),
    ({"transportadora": "dhl"}, "transportadora"),
    ({"color": "rojo"}, "color"),
])
def test_custom_field_values_are_validated_at_filing(plugged: Pqrs, values: dict[str, Any],
                                                      field: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        file(plugged, custom_fields=values)
    assert f"custom_fields.{field}" in excinfo.value.errors
    assert plugged.count() == 0


def test_required_custom_field_applies_only_to_its_kind(plugged: Pqrs) -> None:
    with pytest.raises(ValidationError) as excinfo:
        file(plugged, kind="reclamo")
    assert "custom_fields.numero_guia" in excinfo.value.errors
    assert file(plugged, kind="reclamo", custom_fields={"numero_guia": "G-1"}).custom_fields == {
        "numero_guia": "G-1"}
    # A queja has no such field: giving it is an unknown field, not giving it is fine.
    assert file(plugged, kind="queja").custom_fields == {}
    with pytest.raises(ValidationError) as excinfo:
        file(plugged, kind="queja", custom_fields={"numero_guia": "G-1"})
    assert "custom_fields.numero_guia" in excinfo.value.errors


def test_custom_fields_are_validated_when_edited(plugged: Pqrs) -> None:
    n = number(file(plugged, kind="reclamo", custom_fields={"numero_guia": "G-1", "unidades": 2}))

    case = change(plugged, n, custom_fields={"unidades": "5", "transportadora": "propia"})
    assert case.custom_fields == {"numero_guia": "G-1", "unidades": 5, "transportadora": "propia"}
    [(field, before, after, _)] = changes_of(plugged, n)
    assert field == "custom_fields"
    assert before == {"numero_guia": "G-1", "unidades": 2}
    assert after == case.custom_fields

    for values, key in [({"unidades": "muchas"}, "unidades"), ({"numero_guia": None}, "numero_guia"),
                        ({"desconocido": 1}, "desconocido"), ({"transportadora": "dhl"}, "transportadora")]:
        with pytest.raises(ValidationError) as excinfo:
            change(plugged, n, custom_fields=values)
        assert f"custom_fields.{key}" in excinfo.value.errors
    assert plugged.case(n).custom_fields == case.custom_fields


def test_changing_the_kind_requires_the_new_kinds_required_fields(plugged: Pqrs) -> None:
    n = number(file(plugged, kind="queja"))
    with pytest.raises(ValidationError) as excinfo:
        change(plugged, n, kind="reclamo")
    assert "custom_fields.numero_guia" in excinfo.value.errors
    assert plugged.case(n).kind == "queja"
    case = change(plugged, n, kind="reclamo", custom_fields={"numero_guia": "G-9"})
    assert (case.kind, case.custom_fields) == ("reclamo", {"numero_guia": "G-9"})


def test_clearing_an_optional_custom_field_removes_it(plugged: Pqrs) -> None:
    n = number(file(plugged, custom_fields={"lote": "L-1"}))
    assert change(plugged, n, custom_fields={"lote": ""}).custom_fields == {}


def test_without_the_plugin_custom_fields_are_unknown(pqrs: Pqrs) -> None:
    with pytest.raises(ValidationError) as excinfo:
        file(pqrs, custom_fields={"lote": "L-1"})
    assert "custom_fields.lote" in excinfo.value.errors

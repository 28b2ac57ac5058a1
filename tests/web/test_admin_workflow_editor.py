"""The workflow editor and term policies in the administration, and kinds with their own workflow and
custom fields filed from the public form."""

from __future__ import annotations

import html
import re

from pqrs_core.domain.catalog import FieldDefinition
from pqrs_core.ports import CaseQuery

from .conftest import Site
from .test_portal import new_case_form
from .test_public import filing


def _state_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {"estado_nombre": "En revisión jurídica", "estado_categoria": "doing",
                               "estado_desde": ["filed", "assigned"], "entrada_nombre": "Enviar a revisión"}
    form.update(overrides)
    return form


def test_an_administrator_adds_a_state_and_a_transition_and_a_case_moves_through_them(site: Site) -> None:
    admin = site.as_user("admin")
    assert "Editar el flujo" in admin.page("/admin/flujos")
    old = site.file("ana", subject="Radicado antes del cambio")

    response = admin.post("/admin/flujos/generic/estados", _state_form())
    assert response.status_code == 302
    page = admin.page("/admin/flujos/generic")
    assert "Se agregó el estado «En revisión jurídica»." in page and "Es la versión 2 del flujo" in page
    response = admin.post("/admin/flujos/generic/transiciones", {
        "nombre": "Aprobar revisión", "desde": "en_revision_juridica", "hacia": "in_progress",
        "roles": ["back_office"]})
    assert response.status_code == 302
    workflow = site.pqrs.catalog().workflow("generic")
    assert workflow.version == 3
    approve = workflow.transition("aprobar_revision")
    assert approve is not None and approve.roles == frozenset({"back_office"})

    case = site.file("ana", subject="Radicado después del cambio")
    assert case.workflow_version == 3
    bruno = site.as_user("bruno")
    bruno.post(f"/casos/{case.filing_number}/transicion", {"transicion": "enviar_a_revision"})
    assert site.pqrs.case(str(case.filing_number)).state == "en_revision_juridica"
    page = bruno.page(f"/casos/{case.filing_number}")
    assert "En revisión jurídica" in page and 'value="aprobar_revision"' in page
    bruno.post(f"/casos/{case.filing_number}/transicion", {"transicion": "aprobar_revision"})
    assert site.pqrs.case(str(case.filing_number)).state == "in_progress"

    # The case filed before follows the version it was filed under: the new action is not offered.
    assert 'value="enviar_a_revision"' not in bruno.page(f"/casos/{old.filing_number}")
    response = bruno.post(f"/casos/{old.filing_number}/transicion", {"transicion": "enviar_a_revision"})
    assert response.status_code == 409
    assert site.pqrs.case(str(old.filing_number)).state == "filed"
    whats = [c["what"] for c in site.pqrs.catalog_admin.changes(limit=2)]
    assert whats == ["workflows.add_transition", "workflows.add_state"]
    history = admin.page("/admin/historial")
    assert ("Agregó el estado en_revision_juridica al flujo generic, con la transición enviar_a_revision "
            "que lleva a él (versión 2).") in history


def test_a_refused_state_or_transition_is_explained_next_to_its_field(site: Site) -> None:
    admin = site.as_user("admin")
    response = admin.post("/admin/flujos/generic/estados", _state_form(estado_desde=[]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Elija al menos un estado de origen." in page
    assert re.search(r'id="estado_desde" name="estado_desde" multiple required aria-invalid="true"', page)

    response = admin.post("/admin/flujos/generic/transiciones", {
        "nombre": "Cerrar rápido", "desde": "filed", "hacia": "nada"})
    assert response.status_code == 422
    assert "«nada» no es un estado del flujo." in response.get_data(as_text=True)
    assert site.pqrs.catalog().workflow("generic").version == 1


def test_a_new_workflow_bound_to_a_new_kind_is_filed_from_the_public_form(site: Site) -> None:
    admin = site.as_user("admin")
    assert admin.post("/admin/listas/tipos", {"label": "Garantía"}).status_code == 302
    kind = next(k.code for k in site.pqrs.catalog().kinds if k.label == "Garantía")
    site.pqrs.catalog_admin.put_field(
        FieldDefinition("serial", "Número de serie", required=True, kinds=(kind,), public=True),
        site.actor("admin"))
    response = admin.post("/admin/flujos/nuevo", {"label": "Garantías", "copy_of": "generic"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/flujos/garantias")
    admin.post("/admin/flujos/garantias/estados", _state_form(
        estado_nombre="En taller", estado_desde="in_progress", entrada_nombre="Enviar al taller"))
    assert admin.post("/admin/flujos/garantias/tipos", {"tipos": kind}).status_code == 302
    assert site.pqrs.catalog().kind_workflows[kind] == "garantias"

    visitor = site.as_user(None)
    form = visitor.page("/radicar")
    assert f'<option value="{kind}"' in form and 'name="custom_fields.serial"' in form
    response = visitor.post("/radicar", filing(site.app, tipo=kind))
    assert response.status_code == 422
    assert '<small id="error-custom_fields.serial" class="field-error">Es obligatorio.</small>' in (
        response.get_data(as_text=True))

    response = visitor.post("/radicar", filing(site.app, tipo=kind, **{"custom_fields.serial": "SN-4411"}))
    assert response.status_code == 302
    [case] = site.pqrs.cases(CaseQuery(limit=10)).cases
    assert (case.kind, case.workflow, case.workflow_version) == (kind, "garantias", 2)
    assert case.custom_fields == {"serial": "SN-4411"}
    assert case.channel == "web_form"

    # The portal offers it too, with the same fields.
    juan = site.as_user("juan")
    assert 'name="custom_fields.serial"' in juan.page("/portal/nuevo")
    response = juan.post("/portal/nuevo", new_case_form(tipo=kind, **{"custom_fields.serial": "SN-9"}))
    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[-1]
    filed = site.pqrs.case(number)
    assert (filed.workflow, filed.custom_fields, filed.channel) == ("garantias", {"serial": "SN-9"}, "portal")


def test_a_term_policy_created_in_the_administration_sets_a_new_cases_deadline(site: Site) -> None:
    admin = site.as_user("admin")
    form = {"label": "Quejas por teléfono", "kinds": "queja", "channels": "phone", "amount": "3",
            "unit": "business_days"}
    response = admin.post("/admin/terminos/nueva", form)
    assert response.status_code == 302
    policy = next(p for p in site.pqrs.catalog().term_policies if p.label == "Quejas por teléfono")
    assert policy.resolution[0].extension is not None and not policy.resolution[0].extension.allowed
    case = site.file("ana", kind="queja", channel="phone")
    assert case.term_policy == policy.code
    calendar = site.pqrs.catalog().calendar
    assert calendar is not None
    assert case.resolution_due == policy.resolution[0].term.deadline(case.received_at, calendar)
    assert "Quejas por teléfono" in admin.page("/admin/terminos")
    change = site.pqrs.catalog_admin.changes(limit=1)[0]
    assert (change["what"], change["data"]["kinds"], change["data"]["channels"]) == (
        "term_policies.put", ["queja"], ["phone"])

    again = admin.post("/admin/terminos/nueva", {**form, "label": "Otra", "amount": "0"})
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "Debe estar entre 1 y 999." in page
    again = admin.post("/admin/terminos/nueva", {**form, "label": "Otra"})
    assert again.status_code == 422
    assert "ya cubre exactamente esos casos" in again.get_data(as_text=True)


def test_the_scope_and_extension_of_a_policy_are_edited_on_its_page(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/terminos/nueva", {"label": "Reclamos urgentes", "kinds": "reclamo", "amount": "5",
                                         "unit": "business_hours", "extension": "1"})
    policy = next(p for p in site.pqrs.catalog().term_policies if p.label == "Reclamos urgentes")
    page = admin.page(f"/admin/terminos/{policy.code}")
    assert re.search(r'<input id="extension" name="extension" type="checkbox" value="1" checked', page)
    assert '<option value="reclamo" selected>' in page

    response = admin.post(f"/admin/terminos/{policy.code}", {
        "amount": "8", "unit": "business_hours", "active": "1", "con_alcance": "1",
        "kinds": ["reclamo", "queja"], "priorities": "alta"})
    assert response.status_code == 302
    edited = next(p for p in site.pqrs.catalog().term_policies if p.code == policy.code)
    assert (edited.kinds, edited.priorities, edited.channels) == (("reclamo", "queja"), ("alta",), ())
    rule = edited.resolution[0]
    assert rule.term.amount == 8 and rule.extension is not None and not rule.extension.allowed
    case = site.file("ana", kind="queja", priority="alta")
    assert case.term_policy == policy.code


def test_a_transition_that_needs_a_custom_field_says_so_on_the_case_page(site: Site) -> None:
    site.pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote de fabricación"), site.actor("admin"))
    response = site.as_user("admin").post("/admin/flujos/generic/transiciones", {
        "nombre": "Despachar", "desde": "filed", "hacia": "in_progress", "campos": "lote"})
    assert response.status_code == 302
    case = site.file("ana")
    bruno = site.as_user("bruno")

    response = bruno.post(f"/casos/{case.filing_number}/transicion", {"transicion": "despachar"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Datos inválidos. Lote de fabricación: es obligatorio antes de «Despachar»." in page
    assert "(lote)" not in page  # the field by the label people read, not by its code
    assert site.pqrs.case(str(case.filing_number)).state == "filed"
    filled = site.file("ana", custom_fields={"lote": "L-3"})
    bruno.post(f"/casos/{filled.filing_number}/transicion", {"transicion": "despachar"})
    assert site.pqrs.case(str(filled.filing_number)).state == "in_progress"


def test_the_case_page_warns_by_the_workflow_version_the_case_follows(site: Site) -> None:
    site.pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote"), site.actor("admin"))
    older = site.file("ana")
    response = site.as_user("admin").post("/admin/flujos/generic/transiciones", {
        "nombre": "Despachar", "desde": "filed", "hacia": "in_progress", "campos": "lote"})
    assert response.status_code == 302
    newer = site.file("ana")
    assert newer.workflow_version > older.workflow_version

    warning = "Antes de «Despachar» diligencie: Lote."
    assert warning in site.as_user("admin").page(f"/casos/{newer.filing_number}")
    assert "Despachar" not in site.as_user("admin").page(f"/casos/{older.filing_number}")


def test_a_field_required_before_assigning_does_not_stop_the_filing(site: Site) -> None:
    site.pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote", required_for_transitions=("assign",)),
                                      site.actor("admin"))
    site.pqrs.assignment_admin.set_policy("back_office", "round_robin", None, site.actor("admin"))
    case = site.file("ana", queue="back_office")
    assert (case.assignee, case.state) == ("bruno", "filed")  # assigned; the move waits for the field
    page = site.as_user("admin").page(f"/casos/{case.filing_number}")
    assert "Antes de «Asignar» diligencie: Lote." in page

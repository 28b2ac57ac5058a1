"""Workflows edited by the administration: refused when a case could not follow them, saved as new
versions that only new cases take, and transitions that need custom fields filled first."""

from __future__ import annotations

import attrs
import pytest

from pqrs_core.defaults_data import generic_workflow as default_workflow
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import CatalogEntry
from pqrs_core.domain.errors import InvalidTransition, ValidationError
from pqrs_core.domain.fields import FieldDefinition
from pqrs_core.domain.workflow import State, StateCategory, Transition, Workflow, structure_problems
from pqrs_core.domain.workflow_editing import add_state, add_transition, copy_workflow
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.memory import MemoryStore
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import ADMIN, BACK_OFFICE, SUPERVISOR, LogisticsFields, clock_of, file, number


def move(pqrs: Pqrs, case: Case, transition: str) -> None:
    pqrs.handle(c.TransitionCase(filing_number=number(case), transition=transition), BACK_OFFICE)


TODO, DOING, DONE = StateCategory.TODO, StateCategory.DOING, StateCategory.DONE


def _flow(states: tuple[State, ...], transitions: tuple[Transition, ...]) -> Workflow:
    return Workflow("prueba", "Prueba", "nuevo", states, transitions)


def _errors(workflow: Workflow) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        structure_problems(workflow).raise_if_any()
    return refused.value.errors


def test_a_workflow_without_a_done_state_is_refused() -> None:
    flow = _flow((State("nuevo", "Nuevo", TODO), State("trabajo", "En trabajo", DOING)),
                 (Transition("empezar", "Empezar", ("nuevo",), "trabajo"),))
    assert _errors(flow) == {"states": "el flujo necesita al menos un estado de la categoría «terminado»"}


def test_a_state_no_transition_reaches_is_refused_by_its_name() -> None:
    flow = _flow((State("nuevo", "Nuevo", TODO), State("cerrado", "Cerrado", DONE),
                  State("olvidado", "Olvidado", DOING)),
                 (Transition("cerrar", "Cerrar", ("nuevo",), "cerrado"),
                  Transition("volver", "Volver", ("olvidado",), "nuevo")))  # leaves it, never enters
    assert _errors(flow) == {
        "states.olvidado": "ninguna transición lleva al estado «Olvidado» desde el estado inicial"}


def test_a_complete_workflow_passes() -> None:
    flow = _flow((State("nuevo", "Nuevo", TODO), State("cerrado", "Cerrado", DONE)),
                 (Transition("cerrar", "Cerrar", ("nuevo",), "cerrado"),))
    structure_problems(flow).raise_if_any()


def test_editing_refuses_repeated_codes_and_states_that_do_not_exist(pqrs: Pqrs) -> None:
    generic = pqrs.catalog().workflow("generic")
    with pytest.raises(ValidationError) as refused:
        add_state(generic, State("filed", "Otro", TODO), Transition("x", "X", ("filed",), "filed"))
    assert refused.value.errors["state.code"] == "el flujo ya tiene el estado «filed»"
    with pytest.raises(ValidationError) as refused:
        add_transition(generic, Transition("revisar", "Revisar", ("nada",), "closed"))
    assert refused.value.errors == {"transition.sources": "«nada» no es un estado del flujo"}
    with pytest.raises(ValidationError) as refused:
        add_transition(generic, Transition("respond", "Responder", ("filed",), "closed"))
    assert "transition.name" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        copy_workflow(generic, "Con Espacios", "Copia")
    assert set(refused.value.errors) == {"code"}


def test_the_service_refuses_an_unreachable_state_naming_it(pqrs: Pqrs) -> None:
    def orphan(workflow: Workflow) -> Workflow:
        return attrs.evolve(workflow, states=(*workflow.states, State("archivado", "Archivado", DONE)))

    with pytest.raises(ValidationError) as refused:
        pqrs.catalog_admin.edit_workflow("generic", orphan, ADMIN, "edit", {})
    assert refused.value.errors == {
        "states.archivado": "ninguna transición lleva al estado «Archivado» desde el estado inicial"}
    assert pqrs.catalog().workflow("generic").version == 1


def _with_review(workflow: Workflow) -> Workflow:
    return add_state(workflow, State("en_revision", "En revisión jurídica", DOING),
                     Transition("revisar", "Enviar a revisión jurídica", ("filed", "assigned"),
                                "en_revision"))


def test_a_case_keeps_the_version_it_was_filed_under() -> None:
    pqrs = in_memory_pqrs()
    before = file(pqrs)
    version = pqrs.catalog_admin.edit_workflow("generic", _with_review, ADMIN, "add_state",
                                               {"state": "en_revision"})
    assert version == 2
    after = file(pqrs)

    kept = pqrs.case(number(before))
    assert (kept.workflow_version, after.workflow_version) == (1, 2)
    with pytest.raises(InvalidTransition):  # version 1 has no such transition
        move(pqrs, before, "revisar")
    move(pqrs, after, "revisar")
    move(pqrs, before, "start")  # v1 still moves by v1
    assert pqrs.case(number(after)).state == "en_revision"
    assert pqrs.case(number(before)).state == "in_progress"
    change = pqrs.catalog_admin.changes(limit=1)[0]
    assert (change["what"], change["data"]) == (
        "workflows.add_state", {"workflow": "generic", "state": "en_revision", "version": 2})


def test_saving_an_unchanged_workflow_keeps_its_version(pqrs: Pqrs) -> None:
    assert pqrs.catalog_admin.edit_workflow("generic", lambda w: w, ADMIN, "edit", {}) == 1


def test_a_transition_refuses_to_fire_until_its_required_fields_are_filled() -> None:
    pqrs = in_memory_pqrs(plugins=[LogisticsFields])
    require = Transition("despachar", "Despachar", ("filed",), "in_progress", required_fields=("lote",))
    pqrs.catalog_admin.edit_workflow("generic", lambda w: add_transition(w, require), ADMIN, "edit", {})
    case = file(pqrs)
    with pytest.raises(ValidationError) as refused:
        move(pqrs, case, "despachar")
    assert refused.value.errors == {"custom_fields.lote": "es obligatorio antes de «Despachar»"}
    filled = file(pqrs, custom_fields={"lote": "L-7"})
    move(pqrs, filled, "despachar")
    assert pqrs.case(number(filled)).state == "in_progress"


def test_a_transition_may_only_require_fields_and_roles_the_catalog_has(pqrs: Pqrs) -> None:
    bad = Transition("despachar", "Despachar", ("filed",), "in_progress", roles=frozenset({"nadie"}),
                     required_fields=("lote",))
    with pytest.raises(ValidationError) as refused:
        pqrs.catalog_admin.edit_workflow("generic", lambda w: add_transition(w, bad), ADMIN, "edit", {})
    assert refused.value.errors == {
        "transitions.despachar.roles": "roles desconocidos: nadie",
        "transitions.despachar.required_fields": "campos personalizados desconocidos: lote"}


def test_a_new_workflow_copies_one_and_takes_the_kinds_bound_to_it(pqrs: Pqrs) -> None:
    admin = pqrs.catalog_admin
    admin.create_workflow("garantias", "Garantías", "generic", ADMIN)
    admin.edit_workflow("garantias", _with_review, ADMIN, "add_state", {"state": "en_revision"})
    admin.bind_kinds("garantias", ["reclamo"], ADMIN)
    case = file(pqrs, kind="reclamo")
    assert (case.workflow, case.workflow_version, case.state) == ("garantias", 2, "filed")
    move(pqrs, case, "revisar")
    assert pqrs.case(number(case)).state == "en_revision"
    assert file(pqrs, kind="queja").workflow == "generic"
    with pytest.raises(ValidationError) as refused:
        admin.create_workflow("garantias", "Otra", "generic", ADMIN)
    assert refused.value.errors == {"code": "ya existe un flujo con el código «garantias»"}
    with pytest.raises(ValidationError) as refused:
        admin.bind_kinds("garantias", ["no_existe"], ADMIN)
    assert refused.value.errors == {"kinds": "tipos de caso desconocidos: no_existe"}


class Warranty:
    """A plugin with its own workflow for a kind of its own."""

    @hookimpl
    def pqrs_register_case_kinds(register: Register) -> None:
        register(CatalogEntry("garantia", "Garantía"))

    @hookimpl
    def pqrs_register_workflows(register: Register) -> None:
        register(copy_workflow(default_workflow(), "garantia", "Garantía"), kinds=["garantia"])


def test_a_kind_the_administrator_moves_from_a_plugins_workflow_stays_moved() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(plugins=[Warranty], store=store)
    assert file(pqrs, kind="garantia").workflow == "garantia"
    pqrs.catalog_admin.bind_kinds("generic", ["garantia"], ADMIN)

    restarted = in_memory_pqrs(plugins=[Warranty], store=store)  # the plugins are synced again
    assert restarted.catalog().kind_workflows["garantia"] == "generic"
    assert file(restarted, kind="garantia").workflow == "generic"


def _require_lote(pqrs: Pqrs, transition: Transition) -> None:
    pqrs.catalog_admin.edit_workflow("generic", lambda w: add_transition(w, transition), ADMIN, "edit", {})


def test_a_field_no_longer_active_or_not_of_the_kind_stops_no_transition() -> None:
    pqrs = in_memory_pqrs()
    pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote"), ADMIN)
    _require_lote(pqrs, Transition("despachar", "Despachar", ("filed",), "in_progress",
                                   required_fields=("lote",)))
    waiting = file(pqrs)
    with pytest.raises(ValidationError):
        move(pqrs, waiting, "despachar")

    pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote", kinds=("reclamo",)), ADMIN)
    move(pqrs, waiting, "despachar")  # the case is a «queja»: the field is not one of its fields
    assert pqrs.case(number(waiting)).state == "in_progress"
    pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote", active=False), ADMIN)
    other = file(pqrs)
    move(pqrs, other, "despachar")
    assert pqrs.case(number(other)).state == "in_progress"


def test_a_draft_missing_a_field_required_before_responding_is_refused_when_written() -> None:
    pqrs = in_memory_pqrs()
    pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote", required_for_transitions=("respond",)),
                                 ADMIN)
    case = file(pqrs)
    move(pqrs, case, "start")
    started = pqrs.case(number(case))
    with pytest.raises(ValidationError) as refused:
        started.draft_response("Le enviamos el certificado.", catalog=pqrs.catalog(), actor=BACK_OFFICE,
                               now=clock_of(pqrs).now())
    assert refused.value.errors == {"custom_fields.lote": "es obligatorio antes de «Responder»"}
    assert started.pending_response is None


@pytest.mark.parametrize("rule", ["workflow", "field"])
def test_a_field_required_before_assigning_leaves_the_assigned_case_where_it_is(rule: str) -> None:
    pqrs = in_memory_pqrs()
    pqrs.catalog_admin.put_field(FieldDefinition(
        "lote", "Lote", required_for_transitions=("assign",) if rule == "field" else ()), ADMIN)
    if rule == "workflow":
        pqrs.catalog_admin.edit_workflow("generic", lambda w: attrs.evolve(w, transitions=tuple(
            attrs.evolve(t, required_fields=("lote",)) if t.name == "assign" else t for t in w.transitions)),
            ADMIN, "edit", {})
    n = number(file(pqrs))
    case = pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    assert (case.assignee, case.state) == ("beto", "filed")
    filled = number(file(pqrs, custom_fields={"lote": "L-1"}))
    case = pqrs.handle(c.AssignCase(filing_number=filled, assignee="beto"), SUPERVISOR)
    assert (case.assignee, case.state) == ("beto", "assigned")

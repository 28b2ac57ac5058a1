"""The first-party plugin ``pqrs-commercial-workflows``, installed for real and found through its
entry point: the special workflows of seed 003 (7.2.3.1) walked end to end."""

from __future__ import annotations

from importlib.metadata import entry_points

import attrs
import pytest
from hook_coverage import exercises

from pqrs_core.bootstrap import bootstrap
from pqrs_core.domain.catalog import CatalogEntry, FieldType
from pqrs_core.domain.commands import (
    AssignCase,
    ChangeFields,
    FileCase,
    RecordRequesterReply,
    RequestInformation,
    TransitionCase,
    TypifyCase,
)
from pqrs_core.domain.errors import DuplicateRegistration, TransitionNotPermitted, ValidationError
from pqrs_core.domain.events import CaseTransitioned
from pqrs_core.domain.values import DocumentReference, ReferenceKind, Requester, RequesterKind
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.hookspecs import hookimpl
from pqrs_core.memory import MemoryStore
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import CaseQuery
from pqrs_core.testing import in_memory_pqrs, staff

AGENT = staff("ana", "agent")
BACK_OFFICE = staff("beatriz", "back_office")
SUPERVISOR = staff("sergio", "supervisor")
CUSTOMER = Requester(kind=RequesterKind.CUSTOMER, customer_id="C-001", email="compras@ferreteria.co")
INSTALL_HINT = "install it with: .venv/bin/pip install -e plugins/pqrs_commercial"


def _commercial_entry_point():
    found = [ep for ep in entry_points(group="pqrs") if ep.name == "commercial"]
    if not found:
        pytest.fail(f"the plugin pqrs-commercial-workflows is not installed; {INSTALL_HINT}")
    return found[0]


@pytest.fixture
def pqrs():
    _commercial_entry_point()
    return in_memory_pqrs(load_entry_points=True)


def _file_note(pqrs, **overrides):
    data = {
        "kind": "nota_credito", "subject": "Nota crédito por devolución",
        "description": "El cliente devolvió 3 cajas de tornillos en mal estado.", "requester": CUSTOMER,
        "channel": "phone",
        "custom_fields": {"valor": "150000.50", "motivo_nota": "Devolución de mercancía"},
    }
    data.update(overrides)
    return pqrs.handle(FileCase(**data), AGENT)


def _fire(pqrs, case, transition, actor):
    return pqrs.handle(TransitionCase(filing_number=str(case.filing_number), transition=transition), actor)


# --- installed and discovered -------------------------------------------------------------------------


def test_the_distribution_declares_the_commercial_entry_point():
    ep = _commercial_entry_point()
    assert ep.value == "pqrs_commercial.plugin"
    assert ep.dist is not None and ep.dist.name == "pqrs-commercial-workflows"


def test_get_plugin_manager_loads_it_from_the_entry_point():
    _commercial_entry_point()
    import pqrs_commercial.plugin

    pm = get_plugin_manager()
    assert pm.get_plugin("commercial") is pqrs_commercial.plugin
    for hook in ("pqrs_register_case_kinds", "pqrs_register_workflows", "pqrs_register_guards",
                 "pqrs_register_field_definitions", "pqrs_register_typifications"):
        names = [impl.plugin_name for impl in getattr(pm.hook, hook).get_hookimpls()]
        assert "commercial" in names, hook


def test_without_entry_points_the_plugin_is_not_loaded():
    pqrs = in_memory_pqrs()
    assert "nota_credito" not in pqrs.catalog().active_codes("kinds")


@exercises("pqrs_register_case_kinds", "pqrs_register_workflows", "pqrs_register_field_definitions",
           "pqrs_register_typifications", "pqrs_register_guards")
def test_a_pqrs_with_entry_points_has_the_kinds_workflows_fields_and_typifications(pqrs):
    catalog = pqrs.catalog()
    kinds = {e.code: e.label for e in catalog.kinds if e.active}
    assert kinds["nota_credito"] == "Solicitud de nota crédito/débito"
    assert kinds["backorder"] == "Solicitud de backorder"
    assert kinds["credito"] == "Solicitud de crédito"
    assert "queja" in kinds  # the built-in kinds are still there

    assert catalog.workflow_for("nota_credito").code == "credit_note"
    assert catalog.workflow_for("backorder").code == "backorder"
    assert catalog.workflow_for("credito").code == "credit_request"
    assert catalog.workflow_for("queja").code == "generic"
    credit = catalog.workflow("credit_request")
    assert {s.code: s.category for s in credit.states} == {
        "data_review": StateCategory.TODO, "missing_data": StateCategory.WAITING,
        "credit_decision": StateCategory.DOING, "accepted": StateCategory.DONE,
        "denied": StateCategory.DONE,
    }
    assert [s.label for s in credit.states] == [
        "Revisión de datos", "Datos faltantes", "Decisión del crédito", "Crédito aceptado",
        "Crédito denegado"]
    assert catalog.workflow("credit_note").transition("accept_note").guard == "has_invoice_reference"

    fields = {f.code: f for f in catalog.fields}
    assert fields["motivo_nota"].type is FieldType.CHOICE
    assert "Devolución de mercancía" in fields["motivo_nota"].choices
    assert fields["valor"].type is FieldType.DECIMAL and fields["valor"].required
    assert fields["numero_factura"].type is FieldType.TEXT
    commercial = [fields[code] for code in ("motivo_nota", "valor", "numero_factura")]
    assert all(f.applies_to("nota_credito") and not f.applies_to("queja") for f in commercial)

    assert str(catalog.typifications.classify("NOTA_CREDITO")) == "Notas › Nota crédito"
    assert str(catalog.typifications.classify("NOTA_DEBITO")) == "Notas › Nota débito"

    assert "has_invoice_reference" in catalog.guards
    registrations = pqrs.registrations
    assert registrations.entries["kinds"]["nota_credito"][1] == "commercial"
    assert registrations.workflows["credit_note"][1:] == (("nota_credito",), "commercial")


# --- credit note -----------------------------------------------------------------------------------


def test_a_credit_note_walks_its_workflow_end_to_end(pqrs):
    case = _file_note(pqrs, custom_fields={"valor": "150000.50", "motivo_nota": "Devolución de mercancía",
                                           "numero_factura": "FE-1001"})
    number = str(case.filing_number)
    assert (case.workflow, case.state, case.state_category) == ("credit_note", "review", StateCategory.TODO)
    assert case.custom_fields == {"valor": "150000.50", "motivo_nota": "Devolución de mercancía",
                                  "numero_factura": "FE-1001"}

    pqrs.handle(TypifyCase(filing_number=number, typification="NOTA_CREDITO"), AGENT)
    pqrs.handle(AssignCase(filing_number=number, assignee="beatriz", queue="back_office"), SUPERVISOR)
    case = _fire(pqrs, case, "accept_note", BACK_OFFICE)

    assert (case.state, case.state_category, case.is_open) == ("accepted", StateCategory.DONE, False)
    assert case.assignee == "beatriz" and case.typification.path == ("Notas", "Nota crédito")
    moves = [(e.transition, e.state_after, e.actor) for e in pqrs.history(number)
             if isinstance(e, CaseTransitioned)]
    assert moves == [("accept_note", "accepted", "beatriz")]


def test_every_commercial_kind_gets_the_default_term_when_no_policy_is_more_specific(pqrs):
    note = _file_note(pqrs)
    backorder = pqrs.handle(FileCase(kind="backorder", subject="Backorder de tornillos",
                                     description="Sin existencias", requester=CUSTOMER), AGENT)
    credit = pqrs.handle(FileCase(kind="credito", subject="Cupo de crédito", description="Estudio",
                                  requester=CUSTOMER), AGENT)
    for case in (note, backorder, credit):
        assert case.term_policy == "por_defecto" and case.resolution_due is not None
        assert case.alarms and case.next_alarm_at is not None


def test_accepting_a_note_ends_its_term_closes_it_and_tells_the_requester():
    from datetime import timedelta

    from pqrs_core.domain.case_terms import reading
    from pqrs_core.domain.sla import TermStatus

    _commercial_entry_point()
    store = MemoryStore()
    pqrs = in_memory_pqrs(load_entry_points=True, store=store)
    clock = pqrs.deps.clock
    case = _file_note(pqrs, custom_fields={"valor": "10", "numero_factura": "FE-1001"})
    number = str(case.filing_number)
    clock.advance(days=1)
    case = _fire(pqrs, case, "accept_note", BACK_OFFICE)

    assert case.term_ended_at == clock.now() and case.closed_at == clock.now()
    assert case.next_alarm_at is None
    clock.advance(days=90)  # long after the deadline, the term still reads as met
    current = reading(pqrs.case(number), pqrs.catalog(), clock.now())
    assert current is not None and current.status is TermStatus.MET
    assert pqrs.sweep().alarms == 0
    closed = pqrs.cases(attrs.evolve(CaseQuery(), closed_from=clock.now() - timedelta(days=91)))
    assert [str(c.filing_number) for c in closed.cases] == [number]
    with store.unit_of_work() as uow:
        told = [(n.template, n.context.get("state_label")) for n in uow.outbox.pending()
                if n.recipient == "requester"]
    assert ("concluded", "Nota aceptada") in told


def test_a_credit_note_can_be_rejected_without_an_invoice(pqrs):
    case = _fire(pqrs, _file_note(pqrs), "reject_note", SUPERVISOR)
    assert (case.state, case.state_category) == ("rejected", StateCategory.DONE)


def test_the_guard_refuses_acceptance_without_an_invoice_and_allows_it_with_one(pqrs):
    case = _file_note(pqrs)
    number = str(case.filing_number)

    with pytest.raises(TransitionNotPermitted) as refused:
        _fire(pqrs, case, "accept_note", BACK_OFFICE)
    assert "falta la factura de referencia" in str(refused.value)
    assert pqrs.case(number).state == "review"
    assert [e.name for e in pqrs.history(number)] == ["CaseFiled", "TermStarted"]  # nothing more

    pqrs.handle(ChangeFields(filing_number=number, changes={"custom_fields": {"numero_factura": "FE-1001"}}),
                BACK_OFFICE)
    assert _fire(pqrs, case, "accept_note", BACK_OFFICE).state == "accepted"


def test_an_invoice_reference_also_satisfies_the_guard(pqrs):
    order_only = _file_note(pqrs, references=(DocumentReference(ReferenceKind.ORDER, "PED-77"),))
    with pytest.raises(TransitionNotPermitted):
        _fire(pqrs, order_only, "accept_note", BACK_OFFICE)

    with_invoice = _file_note(pqrs, references=(DocumentReference(ReferenceKind.INVOICE, "FE-1001"),))
    assert _fire(pqrs, with_invoice, "accept_note", BACK_OFFICE).state == "accepted"


def test_only_back_office_and_supervisors_decide_a_note(pqrs):
    case = _file_note(pqrs, custom_fields={"valor": "10", "numero_factura": "FE-1"})
    with pytest.raises(TransitionNotPermitted) as refused:
        _fire(pqrs, case, "accept_note", AGENT)
    assert "back_office" in str(refused.value)


def test_a_note_needs_its_value_and_a_known_reason(pqrs):
    with pytest.raises(ValidationError) as missing:
        _file_note(pqrs, custom_fields={"motivo_nota": "Devolución de mercancía"})
    assert missing.value.errors == {"custom_fields.valor": "es obligatorio"}

    with pytest.raises(ValidationError) as wrong:
        _file_note(pqrs, custom_fields={"valor": "diez", "motivo_nota": "Porque sí"})
    assert set(wrong.value.errors) == {"custom_fields.valor", "custom_fields.motivo_nota"}

    with pytest.raises(ValidationError) as elsewhere:
        pqrs.handle(FileCase(kind="queja", subject="Demora", description="No llegó",
                             custom_fields={"numero_factura": "FE-1"}), AGENT)
    assert "custom_fields.numero_factura" in elsewhere.value.errors


# --- backorder and credit request ---------------------------------------------------------------------


def test_a_backorder_is_accepted_or_rejected(pqrs):
    def file():
        return pqrs.handle(FileCase(kind="backorder", subject="Backorder de 20 taladros",
                                    description="Sin existencias en bodega", requester=CUSTOMER), AGENT)

    first = file()
    assert (first.workflow, first.state) == ("backorder", "review")
    assert _fire(pqrs, first, "accept_backorder", AGENT).state == "accepted"
    assert _fire(pqrs, file(), "reject_backorder", BACK_OFFICE).state == "rejected"


def test_a_credit_request_waits_for_missing_data_and_is_decided(pqrs):
    case = pqrs.handle(FileCase(kind="credito", subject="Estudio de crédito", requester=CUSTOMER,
                                description="Solicita un cupo de 5.000.000"), AGENT)
    number = str(case.filing_number)
    assert (case.workflow, case.state, case.state_category) == (
        "credit_request", "data_review", StateCategory.TODO)

    case = pqrs.handle(RequestInformation(filing_number=number, message="Envíe el RUT y los estados "
                                          "financieros", missing=("RUT", "Estados financieros")), BACK_OFFICE)
    assert (case.state, case.state_category) == ("missing_data", StateCategory.WAITING)
    case = pqrs.handle(RecordRequesterReply(filing_number=number, message="Adjunto el RUT y los estados"),
                       AGENT)
    assert case.state == "data_review"

    case = _fire(pqrs, case, "data_complete", BACK_OFFICE)
    assert (case.state, case.state_category) == ("credit_decision", StateCategory.DOING)
    with pytest.raises(TransitionNotPermitted):
        _fire(pqrs, case, "approve_credit", BACK_OFFICE)
    case = _fire(pqrs, case, "approve_credit", SUPERVISOR)
    assert (case.state, case.state_category) == ("accepted", StateCategory.DONE)

    other = pqrs.handle(FileCase(kind="credito", subject="Otro crédito", description="Cupo adicional",
                                 requester=CUSTOMER), AGENT)
    other = _fire(pqrs, _fire(pqrs, other, "data_complete", BACK_OFFICE), "deny_credit", SUPERVISOR)
    assert other.state == "denied"


# --- disabling, conflicts ------------------------------------------------------------------------------


def test_disabling_the_plugin_removes_it():
    _commercial_entry_point()
    pm = get_plugin_manager(disabled=["commercial"])
    assert pm.get_plugin("commercial") is None and pm.is_blocked("commercial")

    pqrs = bootstrap(uow_factory=MemoryStore().unit_of_work, plugin_manager=pm)
    catalog = pqrs.catalog()
    assert not {"nota_credito", "backorder", "credito"} & catalog.active_codes("kinds")
    assert not {"credit_note", "backorder", "credit_request"} & {w.code for w in catalog.workflows}
    assert "has_invoice_reference" not in catalog.guards
    with pytest.raises(ValidationError) as refused:
        _file_note(pqrs)
    assert "kind" in refused.value.errors


def test_disabling_it_later_deactivates_its_kinds_and_the_guard_fails_closed():
    _commercial_entry_point()
    store = MemoryStore()
    with_plugin = bootstrap(uow_factory=store.unit_of_work, plugin_manager=get_plugin_manager())
    case = _file_note(with_plugin, custom_fields={"valor": "1", "numero_factura": "FE-9"})

    without = bootstrap(uow_factory=store.unit_of_work,
                        plugin_manager=get_plugin_manager(disabled=["commercial"]))
    assert "nota_credito" not in without.catalog().active_codes("kinds")
    assert without.case(str(case.filing_number)).state == "review"  # past cases keep their meaning
    with pytest.raises(TransitionNotPermitted) as refused:
        _fire(without, case, "accept_note", BACK_OFFICE)
    assert "no está registrada" in str(refused.value)


def test_enabling_it_again_reactivates_its_kinds_and_fields():
    _commercial_entry_point()
    store = MemoryStore()
    for disabled in ((), ("commercial",), ()):
        pqrs = bootstrap(uow_factory=store.unit_of_work, plugin_manager=get_plugin_manager(disabled=disabled))
    catalog = pqrs.catalog()
    assert "nota_credito" in catalog.active_codes("kinds")
    assert {f.code for f in catalog.fields if f.active} >= {"valor", "motivo_nota", "numero_factura"}


class _SecondCreditNote:
    @hookimpl
    def pqrs_register_case_kinds(self, register):
        register(CatalogEntry("nota_credito", "Nota crédito (otra)"))


@exercises("pqrs_register_case_kinds")
def test_another_plugin_registering_the_same_kind_is_rejected_naming_the_plugins():
    _commercial_entry_point()
    with pytest.raises(DuplicateRegistration) as duplicate:
        in_memory_pqrs(load_entry_points=True, plugins=[_SecondCreditNote()])
    assert "«nota_credito»" in str(duplicate.value) and "«commercial»" in str(duplicate.value)

"""The hooks the commercial plugin does not implement, each exercised by a small plugin class
registered for one test only with ``in_memory_pqrs(plugins=[...])``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hook_coverage import exercises

from pqrs_core.domain.access import Role
from pqrs_core.domain.catalog import CatalogEntry, Priority, Queue
from pqrs_core.domain.commands import AssignCase, FileCase, RecordRootCause
from pqrs_core.domain.errors import NotFound, PermissionDenied, ValidationError
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.domain.typification import TypificationNode
from pqrs_core.domain.values import Requester
from pqrs_core.hookspecs import hookimpl
from pqrs_core.ports_integration import Customer, Invoice, InvoiceLine
from pqrs_core.testing import in_memory_pqrs, staff

AGENT = staff("ana", "agent")
SUPERVISOR = staff("sergio", "supervisor")


def _complaint(**fields):
    return FileCase(kind="queja", subject="Pedido incompleto", description="Faltaron dos cajas", **fields)


class ReasonsPlugin:
    @hookimpl
    def pqrs_register_reasons(self, register):
        register(CatalogEntry("PRODUCTO_VENCIDO", "Producto vencido"))


@exercises("pqrs_register_reasons")
def test_a_plugin_adds_a_reason_a_case_can_be_filed_with():
    pqrs = in_memory_pqrs(plugins=[ReasonsPlugin()])
    case = pqrs.handle(_complaint(reason="PRODUCTO_VENCIDO"), AGENT)
    assert case.reason == "PRODUCTO_VENCIDO"
    assert pqrs.registrations.entries["reasons"]["PRODUCTO_VENCIDO"][0].label == "Producto vencido"

    with pytest.raises(ValidationError) as refused:
        in_memory_pqrs().handle(_complaint(reason="PRODUCTO_VENCIDO"), AGENT)
    assert "reason" in refused.value.errors  # registered for that one instance only


class ChannelsPlugin:
    @hookimpl
    def pqrs_register_channels(self, register):
        register(CatalogEntry("whatsapp", "WhatsApp"))


@exercises("pqrs_register_channels")
def test_a_plugin_adds_a_reception_channel():
    pqrs = in_memory_pqrs(plugins=[ChannelsPlugin()])
    assert pqrs.handle(_complaint(channel="whatsapp"), AGENT).channel == "whatsapp"
    assert {"whatsapp", "phone", "email"} <= pqrs.catalog().active_codes("channels")

    with pytest.raises(ValidationError) as refused:
        in_memory_pqrs().handle(_complaint(channel="whatsapp"), AGENT)
    assert "channel" in refused.value.errors


class DocumentTypesPlugin:
    @hookimpl
    def pqrs_register_document_types(self, register):
        register(CatalogEntry("RC", "Registro civil"))


@exercises("pqrs_register_document_types")
def test_a_plugin_adds_an_identity_document_type():
    minor = Requester(full_name="Lucía Gómez", document_type="RC", document_number="1012345678")
    pqrs = in_memory_pqrs(plugins=[DocumentTypesPlugin()])
    assert pqrs.handle(_complaint(requester=minor), AGENT).requester.document_type == "RC"

    with pytest.raises(ValidationError) as refused:
        in_memory_pqrs().handle(_complaint(requester=minor), AGENT)
    assert refused.value.errors == {"requester.document_type": "«RC» no es un tipo de documento conocido"}


class PrioritiesPlugin:
    @hookimpl
    def pqrs_register_priorities(self, register):
        register(Priority("inmediata", "Inmediata", rank=0))


@exercises("pqrs_register_priorities")
def test_a_plugin_adds_a_priority_ranked_before_the_defaults():
    pqrs = in_memory_pqrs(plugins=[PrioritiesPlugin()])
    assert pqrs.handle(_complaint(priority="inmediata"), AGENT).priority == "inmediata"
    priorities = pqrs.catalog().priorities
    assert [p.code for p in priorities][:2] == ["inmediata", "bloqueante"]
    # it has no cell in the Eisenhower matrix, so deriving a priority still gives the default one
    assert pqrs.catalog().derive_priority(important=True, urgent=True).code == "bloqueante"


class QueuesPlugin:
    @hookimpl
    def pqrs_register_queues(self, register):
        register(Queue("juridica", "Jurídica", tier=4, description="Derechos de petición y tutelas"))


@exercises("pqrs_register_queues")
def test_a_plugin_adds_a_queue_that_cases_are_routed_and_escalated_to():
    pqrs = in_memory_pqrs(plugins=[QueuesPlugin()])
    case = pqrs.handle(_complaint(), AGENT)
    case = pqrs.handle(AssignCase(filing_number=str(case.filing_number), assignee="julia", queue="juridica"),
                       SUPERVISOR)
    assert case.queue == "juridica"
    assert pqrs.catalog().next_queue("especialistas").code == "juridica"


class BranchTypificationPlugin:
    @hookimpl
    def pqrs_register_typifications(self, register):
        # A child of a built-in category: the default plugin registers its parents first.
        register(TypificationNode("PEDIDO_DUPLICADO", "Pedido duplicado", parent="OPERACIONES"))


@exercises("pqrs_register_typifications")
def test_a_plugin_adds_a_typification_under_a_built_in_category():
    pqrs = in_memory_pqrs(plugins=[BranchTypificationPlugin()])
    case = pqrs.handle(_complaint(typification="PEDIDO_DUPLICADO"), AGENT)
    assert str(case.typification) == "Operaciones › Pedido duplicado"


class FakeErp:
    """An ``InvoiceSource`` over a dict, as an ERP plugin would provide."""

    name = "erp_de_prueba"

    def __init__(self) -> None:
        self._invoices = {"FE-1001": Invoice("FE-1001", "C-001", date(2026, 2, 20), order_number="PED-77",
                                             lines=(InvoiceLine("TOR-10", Decimal("3"), "Tornillos"),))}

    def invoices_for(self, customer_id):
        return [i for i in self._invoices.values() if i.customer_id == customer_id]

    def invoice(self, number):
        return self._invoices.get(number)


class ErpPlugin:
    def __init__(self, source) -> None:
        self.source = source

    @hookimpl
    def pqrs_invoice_sources(self, register):
        register(self.source)


@exercises("pqrs_invoice_sources")
def test_a_plugin_provides_an_invoice_source_that_reaches_the_registrations():
    erp = FakeErp()
    pqrs = in_memory_pqrs(plugins=[ErpPlugin(erp)])
    assert pqrs.registrations.invoice_sources == [erp]
    source = pqrs.registrations.invoice_sources[0]
    assert source.invoice("FE-1001").order_number == "PED-77"
    assert [i.number for i in source.invoices_for("C-001")] == ["FE-1001"]
    assert in_memory_pqrs().registrations.invoice_sources == []


class FakeCrm:
    """A ``CustomerDirectory`` over a list, as a CRM plugin would provide."""

    name = "crm_de_prueba"

    def __init__(self) -> None:
        self._customers = [Customer("C-001", "Ferretería El Tornillo", "NIT", "900123456",
                                    email="compras@ferreteria.co", branches=("Centro", "Norte"))]

    def find(self, text, limit=20):
        text = text.casefold()
        return [c for c in self._customers
                if text in c.name.casefold() or text == c.document_number][:limit]

    def get(self, customer_id):
        return next((c for c in self._customers if c.customer_id == customer_id), None)


class CrmPlugin:
    @hookimpl
    def pqrs_customer_directories(self, register):
        register(FakeCrm())


@exercises("pqrs_customer_directories")
def test_a_plugin_provides_a_customer_directory_that_reaches_the_registrations():
    pqrs = in_memory_pqrs(plugins=[CrmPlugin()])
    (directory,) = pqrs.registrations.customer_directories
    assert directory.name == "crm_de_prueba"
    assert [c.customer_id for c in directory.find("tornillo")] == ["C-001"]
    assert directory.get("C-001").branches == ("Centro", "Norte")
    assert in_memory_pqrs().registrations.customer_directories == []


class WrongTypePlugin:
    @hookimpl
    def pqrs_register_channels(self, register):
        register("telegram")


@exercises("pqrs_register_channels")
def test_registering_something_of_the_wrong_type_is_rejected():
    with pytest.raises(ValidationError) as refused:
        in_memory_pqrs(plugins=[WrongTypePlugin()])
    assert "no es un CatalogEntry" in str(refused.value)


class LegalRolePlugin:
    @hookimpl
    def pqrs_register_roles(self, register):
        register(Role("juridica", "Área jurídica", permissions=frozenset({"case.work", "case.note"}),
                      scopes=frozenset({"assigned", "role_match"}), kinds=("denuncia",)))


@exercises("pqrs_register_roles")
def test_a_plugin_role_sees_only_the_kinds_it_is_given():
    pqrs = in_memory_pqrs(plugins=[LegalRolePlugin()])
    lawyer = staff("laura", "juridica")
    complaint = pqrs.handle(_complaint(), AGENT)
    bribe = FileCase(kind="denuncia", subject="Soborno", description="Un funcionario pidió dinero")
    report = pqrs.handle(bribe, AGENT)
    visible = [str(c.filing_number) for c in pqrs.cases(actor=lawyer).cases]
    assert visible == [str(report.filing_number)]
    assert pqrs.case(str(report.filing_number), lawyer).kind == "denuncia"
    with pytest.raises(NotFound):
        pqrs.case(str(complaint.filing_number), lawyer)
    with pytest.raises(PermissionDenied):  # the role grants no filing
        pqrs.handle(_complaint(), lawyer)
    assert pqrs.registrations.roles["juridica"][1].endswith("LegalRolePlugin")


class ComplaintTerms:
    @hookimpl
    def pqrs_register_term_policies(self, register):
        register(TermPolicy("quejas", "Quejas", (TermRule(Term(10), source="Política interna"),),
                            kinds=("queja",)))


@exercises("pqrs_register_term_policies")
def test_a_plugin_term_policy_gives_the_case_its_deadline():
    pqrs = in_memory_pqrs(plugins=[ComplaintTerms()])  # the clock stands on Monday 2 March 2026
    case = pqrs.handle(_complaint(), AGENT)
    # 10 business days from the day after reception: Tuesday 3 … Monday 16 March 2026.
    assert case.term_policy == "quejas" and case.term == Term(10)
    assert case.resolution_due == pqrs.catalog().calendar.end_of_day(date(2026, 3, 16))
    started = [e for e in pqrs.history(str(case.filing_number)) if e.name == "TermStarted"]
    assert [(e.policy, e.source) for e in started] == [("quejas", "Política interna")]

    certificate = FileCase(kind="peticion", subject="Certificado", description="Pido un certificado")
    petition = pqrs.handle(certificate, AGENT)
    assert petition.term_policy == "por_defecto"  # no plugin policy covers petitions: the core's default


class RulesPlugin:
    def __init__(self, priority: str = "bloqueante") -> None:
        self.priority = priority

    @hookimpl
    def pqrs_register_rules(self, register):
        from pqrs_core.domain.rules import Action, ActionKind, Condition, Operator, Rule, Trigger

        register(Rule(code="QUEJAS_URGENTES", name="Quejas urgentes", trigger=Trigger.FILED,
                      conditions=(Condition("kind", Operator.IS, "queja"),),
                      actions=(Action(ActionKind.SET_PRIORITY, self.priority),), enabled=True))


@exercises("pqrs_register_rules")
def test_a_plugin_registers_a_rule_that_routes_filed_cases_and_changes_make_versions():
    from pqrs_core.memory import MemoryStore

    store = MemoryStore()
    pqrs = in_memory_pqrs(plugins=[RulesPlugin()], store=store)
    (rule,) = pqrs.catalog().rules
    assert (rule.code, rule.version, rule.enabled) == ("QUEJAS_URGENTES", 1, True)
    case = pqrs.handle(_complaint(requester=Requester(full_name="Ana")), AGENT)
    assert pqrs.case(str(case.filing_number)).priority == "bloqueante"
    again = in_memory_pqrs(plugins=[RulesPlugin("alta")], store=store)
    (rule,) = again.catalog().rules
    assert (rule.version, rule.actions[0].value) == (2, "alta")
    gone = in_memory_pqrs(store=store)
    (rule,) = gone.catalog().rules
    assert not rule.enabled and "complemento" in rule.disabled_reason


class RootCausesPlugin:
    @hookimpl
    def pqrs_register_root_causes(self, register):
        register(CatalogEntry("PROVEEDOR", "Proveedor externo"))


@exercises("pqrs_register_root_causes")
def test_a_plugin_adds_a_root_cause_a_closed_case_can_be_attributed_to():
    pqrs = in_memory_pqrs(plugins=[RootCausesPlugin()])
    case = pqrs.handle(_complaint(resolved_at_first_contact=True, solution="Se explicó la factura"), AGENT)
    recorded = pqrs.handle(RecordRootCause(filing_number=str(case.filing_number), cause="PROVEEDOR"), AGENT)
    assert recorded.root_cause == "PROVEEDOR"
    assert "PROVEEDOR" in {e.code for e in pqrs.catalog().root_causes}
    assert "METODO" in pqrs.catalog().active_codes("root_causes")  # beside the built-in 5M

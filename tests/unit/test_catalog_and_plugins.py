"""The default catalog comes from the seeds and arrives through the same plugin hooks a third party
uses; duplicates are refused naming both plugins; blocking the default plugin leaves nothing."""

from __future__ import annotations

import pytest

from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain.catalog import CatalogEntry, Priority
from pqrs_core.domain.errors import DuplicateRegistration, PermissionDenied, ValidationError
from pqrs_core.domain.typification import TypificationNode
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.memory import MemoryStore
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import ADMIN, file

# Seed 003, 7.2.3.1: (CASO, CATEGORÍA) for the 22 rows of the table.
SEED_003_TABLE = {
    "Cambio y devolución sin aplicar": "Cambios y devoluciones",
    "Solicitud de cambios y devoluciones": "Cambios y devoluciones",
    "Derecho de petición": "Legales",
    "Error en liquidación de la factura": "Sistema",
    "Fraude suplantación de identidad": "Comercial",
    "Mayor flete cobrado": "Sistema",
    "Cliente no hizo pedido": "Comercial",
    "Pago sin identificar": "Financiera",
    "Pedido no recibido": "Operaciones",
    "Pedido recibido sin solicitarlo": "Operaciones",
    "Productos recibidos diferente a lo solicitado": "Operaciones",
    "Queja de calidad": "Servicio al cliente",
    "Queja de entrega de pedidos": "Operaciones",
    "Queja de funcionario de agencia de cobranza": "Financiera",
    "Queja de funcionario de la compañía": "Operaciones",
    "Reclamo producto facturado y no enviado": "Operaciones",
    "Reclamo proceso de facturación": "Operaciones",
    "Solicitud actualización de datos": "Servicio al cliente",
    "Solicitud paz y salvo y referencia comerciales": "Servicio al cliente",
    "Solicitud posible nuevo cliente": "Comercial",
    "Dificultades con pedidos": "Servicio al cliente",
    "Sugerencia y/o felicitaciones": "Servicio al cliente",
}

# Seed 000, «Motivo», verbatim.
SEED_000_REASONS = [
    "Calidad Producto Importado", "Calidad Producto Naciones", "Pedido no entregado", "Pedido incompleto",
    "Servicio del ejecutivo", "Entrega no coincide con lo pedido",
]


def test_seed_003_typification_table_is_loaded(pqrs: Pqrs) -> None:
    tree = pqrs.catalog().typifications
    leaves = [n for n in tree if n.parent is not None]
    roots = tree.roots()
    assert len(leaves) == 22
    assert len(roots) == 7
    assert {r.label for r in roots} == set(SEED_003_TABLE.values())
    assert {tree.classify(n.code).path for n in leaves} == {
        (category, case) for case, category in SEED_003_TABLE.items()}
    assert all(n.description for n in leaves)


def test_seed_000_reasons_are_loaded_in_order(pqrs: Pqrs) -> None:
    reasons = pqrs.catalog().reasons
    assert [r.label for r in reasons] == SEED_000_REASONS
    assert len({r.code for r in reasons}) == 6


def test_priorities_kinds_channels_and_queues(pqrs: Pqrs) -> None:
    catalog = pqrs.catalog()
    assert [(p.code, p.rank) for p in catalog.priorities] == [
        ("bloqueante", 1), ("alta", 2), ("media", 3), ("baja", 4)]
    assert {k.code for k in catalog.kinds} == {
        "peticion", "queja", "reclamo", "sugerencia", "denuncia", "felicitacion"}
    assert {ch.code for ch in catalog.channels} == {
        "email", "web_form", "phone", "chat", "in_person", "physical_document", "api", "portal"}
    assert [(q.code, q.tier) for q in catalog.queues] == [
        ("primer_nivel", 1), ("back_office", 2), ("especialistas", 3)]
    assert catalog.next_queue("primer_nivel") is not None
    assert catalog.next_queue("primer_nivel").code == "back_office"  # type: ignore[union-attr]
    assert catalog.next_queue("especialistas") is None
    assert {d.code for d in catalog.document_types} >= {"CC", "CE", "TI", "PA", "NIT"}


def test_every_kind_has_a_workflow(pqrs: Pqrs) -> None:
    catalog = pqrs.catalog()
    for kind in catalog.kinds:
        workflow = catalog.workflow_for(kind.code)
        assert workflow.code == "generic"
        assert workflow.has_state(workflow.initial_state)


def test_the_defaults_come_from_a_plugin(pqrs: Pqrs) -> None:
    assert pqrs.registrations is not None
    sources = {plugin for _entry, plugin in pqrs.registrations.entries["kinds"].values()}
    assert sources == {"pqrs_core.default_plugin"}


# --- third-party plugins -------------------------------------------------------------------------


class Tutela:
    @hookimpl
    def pqrs_register_case_kinds(register: Register) -> None:
        register(CatalogEntry("tutela", "Acción de tutela"))

    @hookimpl
    def pqrs_register_channels(register: Register) -> None:
        register(CatalogEntry("whatsapp", "WhatsApp"))

    @hookimpl
    def pqrs_register_typifications(register: Register) -> None:
        register(TypificationNode("TRANSPORTE", "Transporte"))
        register(TypificationNode("ORDEN_NO_LLEGO", "La orden no llegó", parent="TRANSPORTE"))


class DuplicateKind:
    @hookimpl
    def pqrs_register_case_kinds(register: Register) -> None:
        register(CatalogEntry("queja", "Queja (mi versión)"))


class DuplicatePriority:
    @hookimpl
    def pqrs_register_priorities(register: Register) -> None:
        register(Priority("alta", "Alta", rank=9))


class DuplicateTypification:
    @hookimpl
    def pqrs_register_typifications(register: Register) -> None:
        register(TypificationNode("LEGALES", "Legales"))


class OrphanTypification:
    @hookimpl
    def pqrs_register_typifications(register: Register) -> None:
        register(TypificationNode("HIJO", "Hijo", parent="PADRE_QUE_NO_EXISTE"))


class WrongType:
    @hookimpl
    def pqrs_register_reasons(register: Register) -> None:
        register("MOTIVO_COMO_TEXTO")


def test_a_plugin_extends_the_catalog_for_one_instance() -> None:
    pqrs = in_memory_pqrs(plugins=[Tutela])
    case = file(pqrs, kind="tutela", channel="whatsapp", typification="ORDEN_NO_LLEGO")
    assert case.typification is not None
    assert case.typification.path == ("Transporte", "La orden no llegó")
    # Another instance without the plugin does not know it.
    with pytest.raises(ValidationError):
        file(in_memory_pqrs(), kind="tutela")


@pytest.mark.parametrize(("plugin", "code"), [
    (DuplicateKind, "queja"), (DuplicatePriority, "alta"), (DuplicateTypification, "LEGALES")])
def test_duplicate_codes_are_refused_naming_both_plugins(plugin: type, code: str) -> None:
    with pytest.raises(DuplicateRegistration) as excinfo:
        in_memory_pqrs(plugins=[plugin])
    message = str(excinfo.value)
    assert plugin.__name__ in message
    assert "pqrs_core.default_plugin" in message
    assert code in message


def test_two_third_party_plugins_clash_too() -> None:
    class AlsoTutela:
        @hookimpl
        def pqrs_register_case_kinds(register: Register) -> None:
            register(CatalogEntry("tutela", "Tutela"))

    with pytest.raises(DuplicateRegistration) as excinfo:
        in_memory_pqrs(plugins=[Tutela, AlsoTutela])
    assert "Tutela" in str(excinfo.value) and "AlsoTutela" in str(excinfo.value)


def test_child_registered_before_its_parent_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        in_memory_pqrs(plugins=[OrphanTypification])
    assert "typification.parent" in excinfo.value.errors


def test_registering_the_wrong_type_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        in_memory_pqrs(plugins=[WrongType])
    assert "WrongType" in excinfo.value.errors["plugin"]


def test_blocking_the_default_plugin_leaves_the_catalog_empty() -> None:
    pm = get_plugin_manager(disabled=["pqrs_core.default_plugin"], load_entry_points=False)
    pqrs = bootstrap(uow_factory=MemoryStore().unit_of_work, clock=FrozenClock(), plugin_manager=pm)
    catalog = pqrs.catalog()
    assert catalog.kinds == catalog.reasons == catalog.channels == catalog.document_types == ()
    assert catalog.priorities == catalog.queues == catalog.workflows == ()
    assert len(catalog.typifications) == 0
    assert pqrs.deps.guards == {}
    assert catalog.roles == ()
    with pytest.raises(PermissionDenied):  # no role grants anything: only the admin may act
        file(pqrs, channel=None)
    with pytest.raises(ValidationError) as excinfo:
        file(pqrs, ADMIN, channel=None)
    assert "kind" in excinfo.value.errors


def test_blocking_the_default_plugin_lets_another_provide_everything() -> None:
    pm = get_plugin_manager(disabled=["pqrs_core.default_plugin"], load_entry_points=False, extra=[Tutela])
    pqrs = bootstrap(uow_factory=MemoryStore().unit_of_work, clock=FrozenClock(), plugin_manager=pm)
    assert [k.code for k in pqrs.catalog().kinds] == ["tutela"]


def test_importing_the_core_creates_no_plugin_manager() -> None:
    # Two instances never share registrations: each has its own plugin manager.
    a, b = in_memory_pqrs(plugins=[Tutela]), in_memory_pqrs()
    assert a.plugin_manager is not b.plugin_manager
    assert "tutela" in {k.code for k in a.catalog().kinds}
    assert "tutela" not in {k.code for k in b.catalog().kinds}


def test_catalog_sync_never_overwrites_an_administrators_edit() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store)
    with pqrs.uow_factory() as uow:
        uow.catalog.put_entry("kinds", CatalogEntry("queja", "Queja formal", position=2), "admin")
        uow.commit()
    again = in_memory_pqrs(store=store)  # the application restarts; plugins sync again
    assert next(k for k in again.catalog().kinds if k.code == "queja").label == "Queja formal"


def test_entries_of_an_uninstalled_plugin_are_deactivated_not_deleted() -> None:
    store = MemoryStore()
    with_plugin = in_memory_pqrs(store=store, plugins=[Tutela])
    file(with_plugin, kind="tutela")
    without = in_memory_pqrs(store=store)
    tutela = next(k for k in without.catalog().kinds if k.code == "tutela")
    assert tutela.active is False
    with pytest.raises(ValidationError):
        file(without, kind="tutela")
    assert without.case("PQRS-2026-000001").kind == "tutela"  # the past case keeps its meaning


def test_plugin_instances_are_named_after_their_class_in_errors() -> None:
    class InstanceDuplicate:
        @hookimpl
        def pqrs_register_reasons(self, register: Register) -> None:
            register(CatalogEntry("PEDIDO_INCOMPLETO", "Pedido incompleto"))

    with pytest.raises(DuplicateRegistration) as excinfo:
        in_memory_pqrs(plugins=[InstanceDuplicate()])
    assert "InstanceDuplicate" in str(excinfo.value)
    assert "pqrs_core.default_plugin" in str(excinfo.value)

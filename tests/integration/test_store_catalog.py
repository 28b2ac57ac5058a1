"""The catalog store contract over every store: plugin sync, administrator edits, typification versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import pytest

from pqrs_core import defaults_data
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission, Role, Scope
from pqrs_core.domain.catalog import Catalog, CatalogEntry, FieldDefinition, FieldType, Queue
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import Actor
from pqrs_core.hookspecs import hookimpl
from pqrs_core.ports import CaseQuery
from pqrs_core.services.catalog_sync import sync_catalog

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT = Actor("ana", frozenset({"agent"}))
LEAF = "PEDIDO_NO_RECIBIDO"


class Warranty:
    """A small plugin: one kind, one queue and one field."""

    @hookimpl
    def pqrs_register_case_kinds(self, register: Any) -> None:
        register(CatalogEntry("garantia", "Garantía", "Solicitud de garantía", position=10))

    @hookimpl
    def pqrs_register_queues(self, register: Any) -> None:
        register(Queue("garantias", "Garantías", tier=2))

    @hookimpl
    def pqrs_register_field_definitions(self, register: Any) -> None:
        register(FieldDefinition("serial", "Serial", FieldType.TEXT, kinds=("garantia",)))
        register(FieldDefinition("months", "Meses de uso", FieldType.INTEGER))


def view(catalog: Catalog) -> dict[str, Any]:
    """Everything the store holds of a catalog, comparable with ``==``."""
    return {name: getattr(catalog, name) for name in (
        "kinds", "reasons", "channels", "document_types", "priorities", "queues", "fields", "workflows",
        "kind_workflows", "default_workflow", "roles")} | {"typifications": sorted(catalog.typifications,
                                                                          key=lambda n: n.code)}


def test_the_catalog_plugins_register_is_stored_as_registered(store: StoreUnderTest) -> None:
    catalog = store.app(plugins=[Warranty()]).catalog()
    assert catalog.kinds[:6] == tuple(defaults_data.default_kinds())
    assert catalog.kinds[-1] == CatalogEntry("garantia", "Garantía", "Solicitud de garantía", position=10)
    assert catalog.priorities == tuple(defaults_data.default_priorities())
    assert set(catalog.queues) == {*defaults_data.default_queues(), Queue("garantias", "Garantías", tier=2)}
    assert [f.code for f in catalog.fields] == ["serial", "months"]
    assert catalog.fields[0] == FieldDefinition("serial", "Serial", FieldType.TEXT, kinds=("garantia",))
    assert catalog.workflows == (defaults_data.generic_workflow(),)
    assert sorted(catalog.typifications, key=lambda n: n.code) == sorted(
        defaults_data.default_typifications(), key=lambda n: n.code)


def test_catalog_sync_is_idempotent(store: StoreUnderTest) -> None:
    app = store.app(plugins=[Warranty()])
    first = view(app.catalog())
    assert app.registrations is not None
    with store.uow_factory() as uow:
        assert sync_catalog(uow, app.registrations, actor="system", now=app.deps.clock.now()) == []
        uow.commit()
    again = store.app(plugins=[Warranty()])
    assert view(again.catalog()) == first
    with store.uow_factory() as uow:
        changes = uow.catalog.changes()
    assert [change["what"] for change in changes] == ["catalog.sync"]
    assert "kinds:garantia" in changes[0]["data"]["changed"]
    assert changes[0]["at"] == app.deps.clock.now() and changes[0]["actor"] == "system"


def test_sync_keeps_what_an_administrator_renamed(store: StoreUnderTest) -> None:
    app = store.app()
    now = app.deps.clock.now()
    with store.uow_factory() as uow:
        catalog = uow.catalog.load()
        queja = next(e for e in catalog.kinds if e.code == "queja")
        uow.catalog.put_entry("kinds", attrs.evolve(queja, label="Queja formal"), "admin")
        uow.catalog.put_priority(attrs.evolve(catalog.priority("alta"), label="Alta (24 h)"), "admin")
        uow.catalog.put_queue(attrs.evolve(catalog.queue("back_office"), label="Segundo nivel"), "admin")
        uow.catalog.record_change("sofia", now, "kinds.update", {"code": "queja", "label": "Queja formal"})
        uow.commit()

    catalog = store.app().catalog()  # bootstrapping syncs the catalog again
    assert next(e for e in catalog.kinds if e.code == "queja").label == "Queja formal"
    assert catalog.priority("alta").label == "Alta (24 h)"
    assert catalog.queue("back_office").label == "Segundo nivel"
    with store.uow_factory() as uow:
        sources = uow.catalog.sources()
        changes = uow.catalog.changes(limit=1)
    assert sources[("kinds", "queja")] == "admin"
    assert sources[("kinds", "reclamo")] == "pqrs_core.default_plugin"
    assert changes == [{"actor": "sofia", "at": now, "what": "kinds.update",
                        "data": {"code": "queja", "label": "Queja formal"}}]


def test_entries_of_an_uninstalled_plugin_are_deactivated_not_deleted(store: StoreUnderTest) -> None:
    app = store.app(plugins=[Warranty()])
    case = app.handle(c.FileCase(kind="garantia", subject="No enciende", description="Falla",
                                 custom_fields={"serial": "SN-1", "months": 4}), AGENT)

    without = store.app()
    catalog = without.catalog()
    garantia = next(e for e in catalog.kinds if e.code == "garantia")
    assert not garantia.active
    assert not catalog.queue("garantias").active
    assert [f.active for f in catalog.fields] == [False, False]
    with pytest.raises(ValidationError):
        without.handle(c.FileCase(kind="garantia", subject="Otra", description="Falla"), AGENT)
    assert without.case(str(case.filing_number)) == case
    with store.uow_factory() as uow:
        assert uow.catalog.sources()[("kinds", "garantia")] not in ("admin", "pqrs_core.default_plugin")
        assert "deactivated kinds:garantia" in uow.catalog.changes(limit=1)[0]["data"]["changed"]


def test_a_typification_rename_is_a_new_version_and_old_cases_keep_theirs(store: StoreUnderTest) -> None:
    app = store.app()
    old = app.handle(c.FileCase(kind="reclamo", subject="No llegó", description="Nada", typification=LEAF),
                     AGENT)
    assert old.typification is not None and old.typification.version == 1

    with store.uow_factory() as uow:
        tree = uow.catalog.load().typifications
        renamed = tree.rename(LEAF, "Pedido nunca recibido")
        uow.catalog.put_typification(renamed, "admin", "sofia", app.deps.clock.now())
        uow.commit()

    catalog = store.app().catalog()  # a new sync does not bring the old label back
    node = catalog.typifications.get(LEAF)
    assert (node.version, node.label) == (2, "Pedido nunca recibido")
    seeded = next(n for n in defaults_data.default_typifications() if n.code == LEAF)
    assert node.description == seeded.description
    new = app.handle(c.FileCase(kind="reclamo", subject="Tampoco", description="Nada", typification=LEAF),
                     AGENT)
    assert new.typification is not None
    assert (new.typification.version, new.typification.path) == (2, ("Operaciones", "Pedido nunca recibido"))

    kept = app.case(str(old.filing_number))
    assert kept.typification == old.typification
    assert str(kept.typification) == "Operaciones › Pedido no recibido"
    listed = app.cases(CaseQuery(typification=LEAF)).cases
    assert [x.typification.version for x in listed if x.typification] == [2, 1]
    with store.uow_factory() as uow:
        assert uow.catalog.sources()[("typifications", LEAF)] == "admin"


def test_roles_are_stored_sorted_by_code_and_an_admin_edit_survives_a_sync(store: StoreUnderTest) -> None:
    app = store.app()
    catalog = app.catalog()
    assert catalog.roles == tuple(sorted(defaults_data.default_roles(), key=lambda r: r.code))

    claims = Role("claims", "Reclamos de operaciones", frozenset({Permission.NOTE, Permission.WORK}),
                  frozenset({Scope.ROLE_MATCH, Scope.ASSIGNED}), kinds=("reclamo", "queja"),
                  typifications=("OPERACIONES",))
    app.catalog_admin.put_role(claims, Actor("root", frozenset({"admin"})))
    app.catalog_admin.put_role(attrs.evolve(catalog.role("agent"), label="Asesor", active=False),
                               Actor("root", frozenset({"admin"})))

    catalog = store.app().catalog()  # bootstrapping syncs again: the admin's edits stay
    assert catalog.role("claims") == claims
    assert catalog.role("agent").label == "Asesor" and not catalog.role("agent").active
    assert [r.code for r in catalog.roles] == sorted(r.code for r in catalog.roles)
    with store.uow_factory() as uow:
        sources = uow.catalog.sources()
    assert sources[("roles", "claims")] == sources[("roles", "agent")] == "admin"
    assert sources[("roles", "supervisor")] == "pqrs_core.default_plugin"


def test_a_priority_rank_change_reorders_existing_cases(store: StoreUnderTest) -> None:
    app = store.app()
    low = app.handle(c.FileCase(kind="queja", subject="Baja", description="x", priority="baja"), AGENT)
    high = app.handle(c.FileCase(kind="queja", subject="Alta", description="x", priority="alta"), AGENT)
    order = [x.subject for x in app.cases(CaseQuery(sort="priority")).cases]
    assert order == ["Alta", "Baja"]

    with store.uow_factory() as uow:
        catalog = uow.catalog.load()
        uow.catalog.put_priority(attrs.evolve(catalog.priority("baja"), rank=0), "admin")
        uow.commit()
    order = [x.subject for x in app.cases(CaseQuery(sort="priority")).cases]
    assert order == ["Baja", "Alta"], (low.filing_number, high.filing_number)


def test_a_relabelled_workflow_state_is_stored_recorded_and_survives_a_sync(store: StoreUnderTest) -> None:
    app = store.app()
    root = Actor("root", frozenset({"admin"}))
    case = app.handle(c.FileCase(kind="queja", subject="Demora", description="x"), AGENT)
    kinds = dict(app.catalog().kind_workflows)

    app.catalog_admin.relabel_state(case.workflow, "filed", "Recibido", root)
    app.catalog_admin.relabel_transition(case.workflow, "start", "Empezar a atender", root)

    catalog = store.app().catalog()  # bootstrapping syncs the plugins' catalog again
    workflow = catalog.workflow(case.workflow)
    assert workflow.state("filed").label == "Recibido"
    assert workflow.transition("start") is not None
    assert workflow.transition("start").label == "Empezar a atender"  # type: ignore[union-attr]
    assert dict(catalog.kind_workflows) == kinds
    assert app.case(str(case.filing_number)).state == "filed"
    with store.uow_factory() as uow:
        assert uow.catalog.sources()[("workflows", case.workflow)] == "admin"
        recorded = uow.catalog.changes(limit=2)
    assert [(x["actor"], x["what"]) for x in recorded] == [
        ("root", "workflows.relabel_transition"), ("root", "workflows.relabel_state")]
    assert recorded[1]["data"] == {"workflow": case.workflow, "state": "filed", "label": "Recibido"}


def test_a_change_made_by_another_process_is_seen_at_once_and_a_cached_tree_is_never_shared(
        sql_store: StoreUnderTest) -> None:
    from pqrs_adapters.config import Config
    from pqrs_adapters.sqlalchemy import make_engine
    from pqrs_adapters.wiring import build_pqrs

    assert sql_store.url is not None
    this = sql_store.app()
    root = Actor("root", frozenset({"admin"}))
    before = this.catalog()  # loaded, then kept by this process
    assert this.catalog() == before
    other_engine = make_engine(sql_store.url)  # another process: its own engine, its own cache
    try:
        other = build_pqrs(Config(database_url=sql_store.url, files_dir=__import__("pathlib").Path("/tmp")),
                           engine=other_engine, sync=False)
        other.catalog_admin.put_entry("reasons", CatalogEntry(code="EMPAQUE", label="Empaque dañado"), root)
    finally:
        other_engine.dispose()

    after = this.catalog()
    assert "EMPAQUE" in [r.code for r in after.reasons] and "EMPAQUE" not in [r.code for r in before.reasons]
    # Administration edits the typification tree of a loaded catalog: the next load is not affected.
    edited = this.catalog()
    edited.typifications.rename(next(iter(edited.typifications)).code, "Otro nombre")
    assert this.catalog().typifications.get(next(iter(edited.typifications)).code).label != "Otro nombre"


def test_a_unit_of_work_reads_the_revision_once_and_keeps_its_catalog(sql_store: StoreUnderTest) -> None:
    """A list by deadline loads the catalog twice in a request: the second load reads no revision
    again and gives the unit of work's first catalog, with a tree of its own. On PostgreSQL, where
    another process can write meanwhile, a change made between the two loads is seen by the next unit
    of work (SQLite's writer waits for the reader)."""
    from pqrs_adapters.config import Config
    from pqrs_adapters.sqlalchemy import make_engine
    from pqrs_adapters.wiring import build_pqrs
    from sql_statements import recorded_statements

    assert sql_store.url is not None and sql_store.engine is not None
    this = sql_store.app()
    this.catalog()  # in the process's cache
    concurrent = sql_store.engine.dialect.name == "postgresql"
    with this.read_uow_factory() as uow, recorded_statements(sql_store.engine) as seen:
        first = uow.catalog.load()
        if concurrent:
            other_engine = make_engine(sql_store.url)
            try:
                other = build_pqrs(Config(database_url=sql_store.url,
                                          files_dir=__import__("pathlib").Path("/tmp")),
                                   engine=other_engine, sync=False)
                other.catalog_admin.put_entry("reasons", CatalogEntry(code="EMPAQUE", label="Empaque dañado"),
                                              Actor("root", frozenset({"admin"})))
            finally:
                other_engine.dispose()
        second = uow.catalog.load()
    assert len([sql for sql, _ in seen if "catalog_revision" in sql]) == 1
    assert view(second) == view(first) and second.typifications is not first.typifications
    assert ("EMPAQUE" in [r.code for r in this.catalog().reasons]) is concurrent

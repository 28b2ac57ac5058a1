"""Catalog administration as a use case: who may change what, and relabelling workflow states and
transitions (recorded, kept across plugin syncs, shown on every case)."""

from __future__ import annotations

import attrs
import pytest

from pqrs_core.domain.catalog import CatalogEntry
from pqrs_core.domain.errors import NotFound, PermissionDenied, ValidationError
from pqrs_core.memory import MemoryStore
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import ADMIN, AGENT, QUALITY, SUPERVISOR, file


def test_only_people_whose_role_grants_catalog_admin_change_the_catalog(pqrs: Pqrs) -> None:
    admin = pqrs.catalog_admin
    with pytest.raises(PermissionDenied) as refused:
        admin.put_entry("reasons", CatalogEntry("GARANTIA", "Garantía"), SUPERVISOR)
    assert refused.value.permission == "catalog.admin"

    quality = pqrs.catalog().role("quality")
    admin.put_role(attrs.evolve(quality, permissions=quality.permissions | {"catalog.admin"}), ADMIN)
    admin.put_entry("reasons", CatalogEntry("GARANTIA", "Garantía"), QUALITY)

    assert "GARANTIA" in pqrs.catalog().active_codes("reasons")
    assert pqrs.catalog_admin.changes(limit=1)[0]["actor"] == "quinn"


def test_roles_are_changed_by_whoever_administers_users(pqrs: Pqrs) -> None:
    admin = pqrs.catalog_admin
    quality = pqrs.catalog().role("quality")
    admin.put_role(attrs.evolve(quality, permissions=quality.permissions | {"catalog.admin"}), ADMIN)
    with pytest.raises(PermissionDenied) as refused:  # the catalog is not the users
        admin.put_role(attrs.evolve(quality, label="Calidad"), QUALITY)
    assert refused.value.permission == "users.admin"


def test_a_relabelled_state_shows_on_cases_and_is_recorded(pqrs: Pqrs) -> None:
    case = file(pqrs)
    workflow = pqrs.catalog().workflow(case.workflow)

    pqrs.catalog_admin.relabel_state(case.workflow, case.state, "  Recibido  ", ADMIN)
    pqrs.catalog_admin.relabel_transition(case.workflow, "start", "Empezar a atender", ADMIN)

    changed = pqrs.catalog().workflow(case.workflow)
    assert changed.state(case.state).label == "Recibido"
    assert changed.transition("start") is not None
    assert changed.transition("start").label == "Empezar a atender"  # type: ignore[union-attr]
    # Only the labels changed: codes, categories, sources and targets are as they were.
    assert [(s.code, s.category) for s in changed.states] == [(s.code, s.category) for s in workflow.states]
    assert [attrs.evolve(t, label="") for t in changed.transitions] == [
        attrs.evolve(t, label="") for t in workflow.transitions]
    assert pqrs.case(str(case.filing_number)).state == case.state
    changes = pqrs.catalog_admin.changes(limit=2)
    assert [(x["actor"], x["what"], x["data"]) for x in changes] == [
        ("root", "workflows.relabel_transition",
         {"workflow": case.workflow, "transition": "start", "label": "Empezar a atender"}),
        ("root", "workflows.relabel_state", {"workflow": case.workflow, "state": case.state,
                                             "label": "Recibido"}),
    ]


def test_relabelling_checks_the_label_the_workflow_and_the_state(pqrs: Pqrs) -> None:
    admin = pqrs.catalog_admin
    with pytest.raises(ValidationError) as empty:
        admin.relabel_state("generic", "filed", "   ", ADMIN)
    assert "label" in empty.value.errors
    with pytest.raises(ValidationError) as unknown:
        admin.relabel_state("generic", "no_such_state", "Algo", ADMIN)
    assert "state" in unknown.value.errors
    with pytest.raises(ValidationError) as unknown_transition:
        admin.relabel_transition("generic", "no_such_transition", "Algo", ADMIN)
    assert "transition" in unknown_transition.value.errors
    with pytest.raises(NotFound):
        admin.relabel_state("no_such_workflow", "filed", "Algo", ADMIN)
    with pytest.raises(PermissionDenied):
        admin.relabel_state("generic", "filed", "Algo", AGENT)
    assert [x["what"] for x in pqrs.catalog_admin.changes()] == ["catalog.sync"]


def test_a_relabelled_workflow_survives_the_plugins_sync() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store)
    pqrs.catalog_admin.relabel_state("generic", "filed", "Recibido", ADMIN)
    kinds = sorted(k for k, w in pqrs.catalog().kind_workflows.items() if w == "generic")

    again = in_memory_pqrs(store=store)  # the application restarts; plugins sync again

    assert again.catalog().workflow("generic").state("filed").label == "Recibido"
    assert sorted(k for k, w in again.catalog().kind_workflows.items() if w == "generic") == kinds
    assert again.catalog_admin.sources()[("workflows", "generic")] == "admin"

"""Retention-table rules over every store (memory, SQLite, PostgreSQL): each change a new version kept
with who made it and when, the newest in force in the catalog, a removal a version of its own; a
case takes the rule of the nearest typification node up its path, else its kind's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.retention import Disposition, RetentionRule, retention_for
from pqrs_core.domain.values import Actor, Requester

if TYPE_CHECKING:
    from conftest import StoreUnderTest

ADMIN = Actor("root", frozenset({"admin"}))
PQRSD = RetentionRule(trd_code="200.15.02", series="PQRSD", management_years=2, central_years=8,
                      disposition=Disposition.SELECT)


def test_retention_rules_are_versioned_and_resolved_by_typification_then_kind(store: StoreUnderTest) -> None:
    pqrs = store.app()
    admin = pqrs.catalog_admin
    admin.set_retention("kind", "peticion", PQRSD, ADMIN)
    admin.set_retention("kind", "peticion", RetentionRule(trd_code="200.15.02", central_years=10,
                                                          disposition=Disposition.KEEP), ADMIN)
    leaf = next(n for n in pqrs.catalog().typifications if n.parent is not None)
    assert leaf.parent is not None
    admin.set_retention("typification", leaf.parent, RetentionRule(trd_code="300.01"), ADMIN)

    catalog = pqrs.catalog()
    kind_rule = catalog.retention["kind:peticion"]
    assert (kind_rule.version, kind_rule.central_years, kind_rule.disposition) == (2, 10, Disposition.KEEP)
    versions = admin.retention_versions("kind", "peticion")
    assert [(v, r.central_years if r else None, who) for v, r, who, at in versions] == [
        (2, 10, "root"), (1, 8, "root")]
    assert all(at.tzinfo is not None for *_rest, at in versions)

    filed = pqrs.handle(c.FileCase(kind="peticion", subject="Certificado", description="Solicito.",
                                   requester=Requester(full_name="Carla Gómez"), typification=leaf.code),
                        ADMIN)
    found = retention_for(catalog, filed)
    assert found is not None and found.rule.trd_code == "300.01"
    assert found.scope == f"typification:{leaf.parent}"

    admin.set_retention("typification", leaf.parent, None, ADMIN)
    catalog = pqrs.catalog()
    assert f"typification:{leaf.parent}" not in catalog.retention
    found = retention_for(catalog, filed)
    assert found is not None and found.scope == "kind:peticion" and found.rule.version == 2
    assert [v for v, r, *_ in admin.retention_versions("typification", leaf.parent)] == [2, 1]
    assert [c["what"] for c in admin.changes()][:4] == ["retention.put"] * 4


def test_a_wrong_rule_names_its_field_and_an_unknown_scope_is_refused(store: StoreUnderTest) -> None:
    admin = store.app().catalog_admin
    with pytest.raises(ValidationError) as refused:
        admin.set_retention("kind", "peticion", RetentionRule(trd_code="", management_years=-1), ADMIN)
    assert set(refused.value.errors) == {"trd_code", "management_years"}
    with pytest.raises(NotFound):
        admin.set_retention("kind", "no_existe", PQRSD, ADMIN)
    assert store.app().catalog().retention == {}

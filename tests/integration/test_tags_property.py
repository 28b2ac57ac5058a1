"""Tag filtering reads the ``case_tags`` index on SQL stores and the cases' own tags in memory: for
any cases and tags, both list the same cases (tags compared without capitals or accents)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade
from pqrs_adapters.sqlalchemy.tables import case_events, case_tags, cases, filing_sequences
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.memory import MemoryFileStore
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

ADMIN = Actor("root", frozenset({"admin"}))
SPELLINGS = ("VIP", "vip", "Urgente", "urgente", "Facturación", "facturacion", "Cobro doble")
tag_sets = st.lists(st.lists(st.sampled_from(SPELLINGS), max_size=3), min_size=1, max_size=6)
queries = st.lists(st.sampled_from(SPELLINGS), min_size=1, max_size=2)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("tags") / "pqrs.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _file_all(pqrs: Pqrs, tags: list[list[str]]) -> None:
    for i, these in enumerate(tags):
        case = pqrs.handle(c.FileCase(kind="peticion", subject=f"Caso {i}", description="Texto",
                                      requester=Requester(full_name="Ana")), ADMIN)
        if these:
            pqrs.handle(c.TagCase(filing_number=str(case.filing_number), add=tuple(these)), ADMIN)


def _listed(pqrs: Pqrs, wanted: list[str]) -> list[str]:
    return [str(x.filing_number) for x in pqrs.cases(CaseQuery(tags=tuple(wanted), limit=100), ADMIN).cases]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tags=tag_sets, wanted=queries)
def test_sql_and_memory_list_the_same_cases_for_a_tag(engine: Engine, tags: list[list[str]],
                                                       wanted: list[str]) -> None:
    with engine.begin() as conn:
        for table in (case_tags, case_events, cases, filing_sequences):
            conn.execute(delete(table))
    memory = in_memory_pqrs()
    sql = bootstrap(uow_factory=sql_uow_factory(engine), clock=FrozenClock(), files=MemoryFileStore())
    _file_all(memory, tags)
    _file_all(sql, tags)
    assert _listed(sql, wanted) == _listed(memory, wanted)

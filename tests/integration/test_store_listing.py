"""Listing cases over every store: each ``CaseQuery`` filter, keyset pages without duplicates or gaps."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.query_filters import matches_query
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT = Actor("ana", frozenset({"agent"}))
BACK_OFFICE = Actor("bruno", frozenset({"back_office"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
LEAF = "PEDIDO_NO_RECIBIDO"  # under OPERACIONES
OTHER_LEAF = "ERROR_EN_LIQUIDACION_DE_LA_FACTURA"  # under SISTEMA


def simple_filing(**overrides: object) -> c.FileCase:
    values: dict[str, object] = dict(kind="queja", subject="Demora", description="No me han respondido")
    values.update(overrides)
    return c.FileCase(**values)  # type: ignore[arg-type]


def _seed_listing(app: Pqrs) -> list[Case]:
    kinds, queues = ("peticion", "queja", "reclamo"), ("primer_nivel", "back_office", None)
    priorities = ("alta", "media", "baja", None)
    leaves = (LEAF, OTHER_LEAF, "QUEJA_DE_ENTREGA_DE_PEDIDOS", None)
    documents = ("52123456", "1020304050", None)
    emails = ("marta@example.com", None, "Marta@Example.COM", "otra@example.com", None)
    for i in range(13):
        doc = documents[i % 3]
        case: Case = app.handle(simple_filing(
            kind=kinds[i % 3], queue=queues[i % 3], priority=priorities[i % 4], typification=leaves[i % 4],
            requester=Requester(full_name=f"Persona {i}", document_type="CC" if doc else None,
                                document_number=doc, email=emails[i % 5])), AGENT)
        number = str(case.filing_number)
        if i % 4 == 1:
            app.handle(c.AssignCase(filing_number=number, assignee="bruno"), SUPERVISOR)
            app.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
        if i % 5 == 2:
            if i % 4 != 1:
                app.handle(c.TransitionCase(filing_number=number, transition="start"), AGENT)
            app.handle(c.RespondCase(filing_number=number, text="Listo", close=True), AGENT)
    all_cases = [app.case(str(x.filing_number)) for x in app.cases(CaseQuery(limit=1000)).cases]
    assert len(all_cases) == 13
    return all_cases


LISTING_QUERIES = [
    CaseQuery(),
    CaseQuery(state_categories=(StateCategory.TODO,)),
    CaseQuery(state_categories=(StateCategory.DOING, StateCategory.DONE)),
    CaseQuery(states=("in_progress",)),
    CaseQuery(kinds=("queja", "reclamo")),
    CaseQuery(queues=("back_office",)),
    CaseQuery(priorities=("alta", "baja")),
    CaseQuery(assignee="bruno"),
    CaseQuery(typification="OPERACIONES"),
    CaseQuery(typification=LEAF),
    CaseQuery(typification="SISTEMA"),
    CaseQuery(typification="PEDIDO_%"),  # a LIKE wildcard matches nothing
    CaseQuery(requester_document="52123456"),
    CaseQuery(requester_email="MARTA@example.com"),  # capitals do not matter
    CaseQuery(requester_email="nadie@example.com"),
    CaseQuery(kinds=("peticion",), state_categories=(StateCategory.TODO,), queues=("primer_nivel",)),
    CaseQuery(kinds=("no_existe",)),
]


@pytest.mark.parametrize("limit", [1, 4, 50])
def test_list_filters_and_pages_without_duplicates_or_gaps(store: StoreUnderTest, limit: int) -> None:
    app = store.app()
    all_cases = _seed_listing(app)
    assert [x.filing_number for x in all_cases] == sorted((x.filing_number for x in all_cases), reverse=True)
    for query in LISTING_QUERIES:
        expected = [x for x in all_cases if matches_query(x, query)]
        seen: list[Case] = []
        cursor: str | None = None
        for _ in range(len(all_cases) + 2):
            page = app.cases(attrs.evolve(query, limit=limit, after=cursor))
            assert len(page.cases) <= limit
            seen.extend(page.cases)
            cursor = page.next_cursor
            if cursor is None:
                break
            assert cursor == str(page.cases[-1].filing_number)
        assert seen == expected, query
        assert app.count(query) == len(expected), query  # the total a list shows above its pages
    assert app.cases(CaseQuery(typification="OPERACIONES")).cases  # the filters do select something
    assert len(app.cases(CaseQuery(requester_email="marta@example.com")).cases) == 6


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("limit", [3, 25])
@pytest.mark.parametrize("text", [None, "caso"])
def test_a_large_network_pages_like_the_reference_store(store: StoreUnderTest, sort: str, limit: int,
                                                        text: str | None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A consultant whose network is large (its names travel as one parameter), searching or not: the
    SQL stores first look at the first cases in the order (here 5, then 10, so every path is taken:
    a page found in the first probe, in the second, and the full query)."""
    from pqrs_adapters.sqlalchemy import case_queries

    monkeypatch.setattr(case_queries, "PROBE_ROWS", (5, 10))
    app = store.app()
    network = frozenset(f"red.{i:03d}" for i in range(150))
    for i in range(40):
        who = f"red.{i * 3:03d}" if i % 4 else f"fuera.{i}"
        app.handle(simple_filing(subject=f"Caso {i}" if i % 5 else f"Otro {i}",
                                 requester=Requester(full_name=who, user=who)),
                   Actor(who, frozenset({"requester"})))
    consultant = Actor("lider", frozenset({"consultant"}), network=network)
    everything = app.cases(CaseQuery(limit=1000, sort=sort)).cases
    expected = [str(x.filing_number) for x in everything if x.requester.user in network
                and (text is None or x.subject.startswith("Caso"))]

    found: list[str] = []
    cursor = None
    while True:
        page = app.cases(CaseQuery(limit=limit, sort=sort, after=cursor, text=text), consultant)
        found += [str(x.filing_number) for x in page.cases]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert found == expected and len(expected) == (30 if text is None else 24)


@pytest.mark.parametrize("odd", ["x\x1fy", 'co"mi\\lla'])
def test_a_long_set_with_any_value_selects_what_it_names(sql_store: StoreUnderTest, odd: str) -> None:
    """Long sets travel as one parameter (joined, or as an array literal); a value that holds the
    separator or needs quoting still means itself."""
    from sqlalchemy import select

    from pqrs_adapters.sqlalchemy.tables import cases
    from pqrs_adapters.sqlalchemy.visibility_sql import in_set

    app = sql_store.app()
    app.handle(simple_filing(kind="queja"), AGENT)
    app.handle(simple_filing(kind="reclamo"), AGENT)
    values = {"queja", odd, *(f"otro_{i}" for i in range(150))}
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        for semi_join in (False, True):
            found = conn.execute(select(cases.c.kind).where(
                in_set(cases.c.kind, values, conn.dialect.name, semi_join=semi_join))).scalars().all()
            assert found == ["queja"]

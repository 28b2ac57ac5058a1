"""Sorting, keyset pages, channel and date filters, visibility and report summaries over every store:
each store gives what ``pqrs_core.query_filters`` (``matches_query``, ``sort_key``, ``summarize``) gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs
import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import (
    AllOf,
    AnyOf,
    AssignedTo,
    FiledBy,
    KindIn,
    Nothing,
    QueueIn,
    RequesterUser,
    StateCategoryIn,
    TypificationUnder,
)
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import SORTS, CaseQuery
from pqrs_core.query_filters import matches_query, sort_key, summarize
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
AGENT = Actor("ana", frozenset({"agent"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))


def _seed(app: Pqrs, clock: FrozenClock) -> list[Case]:
    channels = ("email", "phone", None, "web_form")
    priorities = ("alta", None, "baja", "media", "bloqueante")
    leaves = ("PEDIDO_NO_RECIBIDO", None, "ERROR_EN_LIQUIDACION_DE_LA_FACTURA")
    for i in range(14):
        clock.set(START + timedelta(hours=3 * i))
        self_filed = i % 3 == 0  # requesters file for themselves; routing is the service team's
        filer = Actor(f"persona{i % 4}", frozenset({"requester"})) if self_filed else AGENT
        user = (filer.username if self_filed else f"cliente{i % 3}") if i % 2 else None
        app.handle(c.FileCase(
            kind=("peticion", "queja", "reclamo")[i % 3], subject=f"Caso {i}", description="Sin respuesta",
            channel=channels[i % 4], priority=None if self_filed else priorities[i % 5],
            typification=leaves[i % 3],
            queue=None if self_filed else ("primer_nivel", "back_office")[i % 2],
            requester=Requester(full_name=f"Persona {i}", user=user)), filer)
    numbers = [str(x.filing_number) for x in app.cases(CaseQuery(sort="oldest", limit=100)).cases]
    # Later changes to some older cases, so that "updated" differs from the filing order.
    for n, i in enumerate((5, 1, 9, 2)):
        clock.set(START + timedelta(days=3, hours=n))
        app.handle(c.AssignCase(filing_number=numbers[i], assignee="bruno"), SUPERVISOR)
    clock.set(START + timedelta(days=4))
    app.handle(c.TransitionCase(filing_number=numbers[3], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[3], text="Listo", close=True), AGENT)
    return [app.case(n) for n in numbers]


QUERIES = [
    CaseQuery(),
    CaseQuery(channels=("email", "phone")),
    CaseQuery(filed_from=START + timedelta(hours=9)),  # inclusive: the case filed at that instant is in
    CaseQuery(filed_to=START + timedelta(hours=9)),  # exclusive
    CaseQuery(filed_from=START + timedelta(hours=6), filed_to=START + timedelta(hours=21), kinds=("queja",)),
    CaseQuery(visible=FiledBy(frozenset({"persona0", "persona3"}))),
    CaseQuery(visible=AnyOf((RequesterUser(frozenset({"cliente1"})), AssignedTo("bruno")))),
    CaseQuery(visible=AllOf((QueueIn(frozenset({"back_office"})), KindIn(frozenset({"queja", "reclamo"}))))),
    CaseQuery(visible=TypificationUnder(frozenset({"OPERACIONES", "NO_SUCH_CODE"}))),
    CaseQuery(visible=StateCategoryIn(frozenset({StateCategory.DONE, StateCategory.DOING}))),
    CaseQuery(visible=Nothing()),
    CaseQuery(visible=AnyOf(())),
    CaseQuery(visible=AllOf(())),
    CaseQuery(priorities=("alta", "baja"), channels=("web_form", "email", "phone")),
    CaseQuery(closed=True),
    CaseQuery(closed=False, kinds=("queja",)),
]


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_pages_like_the_reference_order(store: StoreUnderTest, sort: str) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock)
    cases = _seed(app, clock)
    ranks = {p.code: p.rank for p in app.catalog().priorities}
    for query in QUERIES:
        selected = [x for x in cases if matches_query(x, query)]
        expected = sorted(selected, key=lambda x: sort_key(x, sort, ranks))
        for limit in (1, 5, 100):
            seen: list[Case] = []
            cursor: str | None = None
            for _ in range(len(cases) + 2):
                page = app.cases(attrs.evolve(query, sort=sort, limit=limit, after=cursor))
                seen.extend(page.cases)
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert [str(x.filing_number) for x in seen] == [str(x.filing_number) for x in expected], query
    assert len({x.updated_at for x in cases}) > 1 and len({x.channel for x in cases}) == 4


def test_summary_counts_what_the_reference_counts(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock)
    cases = _seed(app, clock)
    for query in QUERIES:
        assert app.summary(query) == summarize(x for x in cases if matches_query(x, query)), query
    summary = app.summary()
    assert summary.total == 14 and summary.by_priority[""] > 0 and summary.by_category["OPERACIONES"] > 0


def test_an_unknown_sort_or_cursor_is_a_validation_error_naming_the_field(store: StoreUnderTest) -> None:
    app = store.app()
    app.handle(c.FileCase(kind="queja", subject="Demora", description="Sin respuesta"), AGENT)
    with pytest.raises(ValidationError) as raised:
        app.cases(CaseQuery(sort="alphabetical"))
    assert raised.value.fields == ["sort"]
    for cursor in ("PQRS-2020-999999", "not a filing number"):
        with pytest.raises(ValidationError) as raised:
            app.cases(CaseQuery(after=cursor))
        assert raised.value.fields == ["after"]


def test_a_network_of_ten_thousand_people_is_one_query(store: StoreUnderTest) -> None:
    """A consultant with a very large network: more names than SQLite's parameter limit allows."""
    app = store.app()
    seller = Actor("diana", frozenset({"consultant"}),
                   network=frozenset({f"persona{i:05d}" for i in range(10_000)}))
    for name in ("persona00042", "persona09999", "alguien.mas"):
        app.handle(c.FileCase(kind="queja", subject=f"De {name}", description="x"),
                   Actor(name, frozenset({"requester"})))
    app.handle(c.FileCase(kind="queja", subject="Para persona07777", description="x",
                          requester=Requester(full_name="Siete", user="persona07777")), AGENT)
    visible = {x.subject for x in app.cases(CaseQuery(limit=100), seller).cases}
    assert visible == {"De persona00042", "De persona09999", "Para persona07777"}
    assert app.summary(actor=seller).total == 3

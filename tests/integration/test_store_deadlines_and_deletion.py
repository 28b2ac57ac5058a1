"""The inbox's queries over every store (memory, SQLite, PostgreSQL): the resolution-deadline range, the
"deadline" sort (soonest first, cases without a deadline last) with keyset pages, and voided cases,
which no listing, search, report or count includes but the store keeps with their history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs
import pytest
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR, simple_filing

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import NotFound, PermissionDenied, ValidationError
from pqrs_core.domain.events import CaseVoided
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.hookspecs import hookimpl
from pqrs_core.ports import CaseQuery
from pqrs_core.query_filters import UNRANKED, matches_query, sort_key
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import switch_off_default_term, void_case

if TYPE_CHECKING:
    from conftest import StoreUnderTest

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # Monday, 8:00 in Bogotá
ADMIN = Actor("root", frozenset({"admin"}))


class Terms:
    """Complaints and claims have a term; petitions have none (their deadline is empty)."""

    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        register(TermPolicy("quejas", "Quejas y reclamos", (TermRule(Term(15)),), kinds=("queja", "reclamo")))
        register(TermPolicy("urgente", "Urgente", (TermRule(Term(2)),), kinds=("queja", "reclamo"),
                            priorities=("bloqueante",)))


def _seed(app: Pqrs, clock: FrozenClock) -> list[Case]:
    """Fourteen cases filed 7 hours apart: several share a deadline (the end of the same business
    day), four have none (the administrator switched the catch-all term off, as for cases stored
    before every case had a term), one is closed and one is deleted."""
    switch_off_default_term(app)
    for i in range(14):
        clock.set(START + timedelta(hours=7 * i))
        app.handle(simple_filing(kind=("queja", "peticion", "reclamo", "queja")[i % 4],
                                 subject=f"Caso {i}", priority="bloqueante" if i % 5 == 4 else None), AGENT)
    numbers = [str(x.filing_number) for x in app.cases(CaseQuery(sort="oldest", limit=100)).cases]
    clock.set(START + timedelta(days=5))
    app.handle(c.TransitionCase(filing_number=numbers[2], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[2], text="Listo", close=True), AGENT)
    void_case(app, numbers[6], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    return [app.case(n, include_deleted=True) for n in numbers]


def _pages(app: Pqrs, query: CaseQuery, limit: int) -> list[str]:
    seen: list[str] = []
    cursor = query.after
    for _ in range(30):
        page = app.cases(attrs.evolve(query, limit=limit, after=cursor))
        seen.extend(str(x.filing_number) for x in page.cases)
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


def test_the_deadline_sort_pages_soonest_first_and_cases_without_a_deadline_last(
        store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock, plugins=[Terms()])
    cases = _seed(app, clock)
    dues = [x.resolution_due for x in cases if x.deleted_at is None]
    assert dues.count(None) == 4 and len(set(dues)) < len(dues) - 3  # empty ones and shared ones

    ranks = {p.code: p.rank for p in app.catalog().priorities}
    cut = sorted({d for d in dues if d is not None})[2]
    queries = [CaseQuery(), CaseQuery(due_from=cut), CaseQuery(due_to=cut),
               CaseQuery(due_from=cut, due_to=cut + timedelta(days=10), kinds=("queja",)),
               CaseQuery(state_categories=(StateCategory.TODO,)), CaseQuery(text="caso")]
    for query in queries:
        expected = [str(x.filing_number) for x in sorted(
            (x for x in cases if matches_query(x, query)), key=lambda x: sort_key(x, "deadline", ranks))]
        for limit in (1, 3, 100):
            assert _pages(app, attrs.evolve(query, sort="deadline"), limit) == expected, (query, limit)

    listed = app.cases(CaseQuery(sort="deadline", limit=100)).cases
    with_due = [x.resolution_due for x in listed if x.resolution_due is not None]
    assert with_due == sorted(with_due) and all(x.resolution_due is None for x in listed[len(with_due):])
    ties = [x for x in listed if x.resolution_due == listed[0].resolution_due]
    def rank_then_oldest(x: Case) -> tuple[int, object]:
        return ranks.get(x.priority or "", UNRANKED), x.filing_number

    assert ties == sorted(ties, key=rank_then_oldest)  # the higher priority, then the oldest filed
    undated_cases = [x for x in listed if x.resolution_due is None]
    assert undated_cases == sorted(undated_cases, key=rank_then_oldest) and len(undated_cases) == 4
    undated = [x.filing_number for x in undated_cases]
    # A cursor on a case without a deadline continues with the next one without a deadline.
    assert _pages(app, CaseQuery(sort="deadline", after=str(undated[0])), 2) == [str(n) for n in undated[1:]]


def test_the_due_range_includes_its_start_and_excludes_its_end(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock, plugins=[Terms()])
    cases = [x for x in _seed(app, clock) if x.deleted_at is None]
    due = sorted({x.resolution_due for x in cases if x.resolution_due is not None})[1]
    on_that_day = {str(x.filing_number) for x in cases if x.resolution_due == due}

    def numbers(query: CaseQuery) -> set[str]:
        return {str(x.filing_number) for x in app.cases(attrs.evolve(query, limit=100)).cases}

    assert numbers(CaseQuery(due_from=due, due_to=due + timedelta(microseconds=1))) == on_that_day
    assert not numbers(CaseQuery(due_from=due, due_to=due)) and on_that_day
    assert numbers(CaseQuery(due_to=due)) == {str(x.filing_number) for x in cases
                                              if x.resolution_due is not None and x.resolution_due < due}
    assert app.summary(CaseQuery(due_from=due)).total == sum(
        1 for x in cases if x.resolution_due is not None and x.resolution_due >= due)


def test_a_voided_case_leaves_every_listing_but_stays_with_its_history(store: StoreUnderTest) -> None:
    clock = FrozenClock(START)
    app = store.app(clock=clock, plugins=[Terms()])
    kept, gone = (str(app.handle(simple_filing(subject=s), AGENT).filing_number)
                  for s in ("Factura repetida", "Factura duplicada"))
    app.handle(c.AssignCase(filing_number=gone, assignee="bruno"), SUPERVISOR)

    with pytest.raises(PermissionDenied):  # only a permission admins hold
        app.handle(c.RequestVoiding(target=gone, reason="Duplicado"), SUPERVISOR)
    with pytest.raises(ValidationError):
        app.handle(c.RequestVoiding(target=gone, reason="  "), ADMIN)
    assert [e.name for e in app.history(gone)] == ["CaseFiled", "TermStarted", "CaseAssigned",
                                                    "CaseTransitioned"]

    clock.advance(hours=2)
    record = void_case(app, gone, "Radicado dos veces", requested_by=ADMIN, approved_by=SUPERVISOR)

    for who in (None, ADMIN, BACK_OFFICE):
        with pytest.raises(NotFound):
            app.case(gone, who)
        with pytest.raises(NotFound):
            app.history(gone, who)
        assert [str(x.filing_number) for x in app.cases(CaseQuery(text="factura"), who).cases] == [kept]
        assert app.summary(actor=who).total == 1
    assert app.count() == 1
    assert not app.cases(CaseQuery(assignee="bruno")).cases
    for command in (c.AddNote(filing_number=gone, text="¿sigue ahí?"),
                    c.RequestVoiding(target=gone, reason="otra vez")):
        with pytest.raises(NotFound):
            app.handle(command, ADMIN)
    with store.uow_factory() as uow:
        assert list(uow.cases.due_for_alarm(START + timedelta(days=365), 10)) == [kept]

    audited = app.case(gone, include_deleted=True)
    assert audited.deleted_at == START + timedelta(hours=2) and audited.version == 4
    last = app.history(gone, include_deleted=True)[-1]
    assert isinstance(last, CaseVoided) and (last.actor, last.reason, last.record) == (
        "sofia", "Radicado dos veces", record)
    replays_to_snapshot(app, gone)
    # The filing number is never handed out again.
    assert str(app.handle(simple_filing(), AGENT).filing_number) == "PQRS-2026-000003"


def replays_to_snapshot(app: Pqrs, number: str) -> None:
    stored = app.case(number, include_deleted=True)
    replayed = Case.replay(app.history(number, include_deleted=True), app.catalog().workflow(stored.workflow))
    assert attrs.evolve(replayed, version=stored.version) == stored


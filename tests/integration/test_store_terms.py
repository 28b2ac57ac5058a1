"""The term clock stored and read back on every store: deadlines, pauses, the extension and the
events that explain them survive the round trip and replay to the same snapshot."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR, simple_filing

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Extension, Term, TermRule, TermStart, TermUnit
from pqrs_core.domain.values import Actor
from pqrs_core.hookspecs import hookimpl

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")


class Terms:
    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        register(TermPolicy("general", "General",
                            (TermRule(Term(15), source="Ley 1755 de 2015 art. 14"),)))
        register(TermPolicy("bloqueante", "Bloqueante", (TermRule(Term(5), extension=Extension(3)),),
                            first_response=(TermRule(Term(8, TermUnit.BUSINESS_HOURS)),),
                            priorities=("bloqueante",)))


def test_deadlines_pauses_and_the_extension_are_stored_and_replayed(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))  # Monday
    app = store.app(clock=clock, plugins=[Terms()])
    calendar = app.catalog().calendar
    assert calendar is not None
    case: Case = app.handle(simple_filing(), AGENT)
    n = str(case.filing_number)
    # 15 business days from Tuesday 3 March: San José (Monday 23) is skipped → Tuesday 24 March.
    assert case.resolution_due == calendar.end_of_day(date(2026, 3, 24)) and case.term_policy == "general"

    steps: list[tuple[object, Actor]] = [
        (c.AssignCase(filing_number=n, assignee="bruno", queue="back_office"), SUPERVISOR),
        (c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE),
        (c.RequestInformation(filing_number=n, message="Envíe la factura"), BACK_OFFICE),  # Thu 5
    ]
    for command, actor in steps:
        clock.advance(days=1)
        app.handle(command, actor)
    clock.set(datetime(2026, 3, 9, 16, 0, tzinfo=BOGOTA))  # Monday 9: Friday 6 and Monday 9 paused
    app.handle(c.RecordRequesterReply(filing_number=n, message="Adjunta"), BACK_OFFICE)
    resumed = app.case(n)
    assert resumed.resolution_due == calendar.end_of_day(date(2026, 3, 26))
    assert len(resumed.pauses) == 1 and resumed.pauses[0].end is not None

    clock.advance(days=1)
    app.handle(c.ChangeFields(filing_number=n, changes={"priority": "bloqueante"}), BACK_OFFICE)
    urgent = app.case(n)
    assert urgent.term_policy == "bloqueante" and urgent.term == Term(5)
    assert urgent.first_response_due is not None

    clock.advance(hours=1)
    extended = app.handle(c.ExtendTerm(filing_number=n, reason="Se consulta a la transportadora"),
                          BACK_OFFICE)
    assert extended.extended_by == 3
    assert extended.resolution_due is not None and urgent.resolution_due is not None
    assert extended.resolution_due > urgent.resolution_due

    stored = app.case(n)
    history = app.history(n)
    names = [e.name for e in history]
    assert {"TermStarted", "TermPaused", "TermResumed", "TermExtended"} <= set(names)
    replayed = Case.replay(history, app.catalog().workflow(stored.workflow))
    assert attrs.evolve(replayed, version=stored.version) == stored


def test_the_sweep_reads_the_indexed_alarm_column_and_escalates(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    app = store.app(clock=clock, plugins=[Terms()])
    numbers = [str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(5)]
    answered = numbers.pop()
    app.handle(c.AssignCase(filing_number=answered, assignee="bruno"), SUPERVISOR)
    app.handle(c.RespondCase(filing_number=answered, text="Resuelto"), BACK_OFFICE)
    with store.uow_factory() as uow:
        assert list(uow.cases.due_for_alarm(clock.now(), 100)) == []

    clock.set(datetime(2026, 3, 30, 9, 0, tzinfo=BOGOTA))  # after the 24 March deadline
    with store.uow_factory() as uow:
        assert sorted(uow.cases.due_for_alarm(clock.now(), 100)) == sorted(numbers)
    report = app.sweep()
    assert (report.cases, report.alarms, report.escalations) == (4, 12, 4)
    for n in numbers:
        case = app.case(n)
        assert case.alarms_raised == (0.5, 0.8, 1.0) and case.queue == "back_office"
        assert case.next_alarm_at is None
    assert app.case(answered).alarms_raised == ()
    assert app.sweep().cases == 0


def test_incomplete_petitions_and_transfers_are_stored_and_replayed(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    app = store.app(clock=clock, plugins=[Terms()])
    completed, moved = (str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(2))
    app.handle(c.AssignCase(filing_number=completed, assignee="bruno"), SUPERVISOR)
    app.handle(c.RequestCompletion(filing_number=completed, message="Falta la factura"), BACK_OFFICE)
    clock.advance(days=3)
    extended = app.handle(c.ExtendCompletionTime(filing_number=completed), BACK_OFFICE)
    assert extended.completion_extended and app.case(completed).completion_due == extended.completion_due
    clock.advance(days=3)
    done = app.handle(c.RecordRequesterReply(filing_number=completed, message="Adjunta"), BACK_OFFICE)
    # Art. 17: the term resumes (the policy's default); the finished pause is stored with the case.
    assert app.case(completed).pauses == done.pauses and done.pauses[-1].end == clock.now()
    assert app.case(completed).resolution_due == done.resolution_due
    app.handle(c.TransferCase(filing_number=moved, entity="SIC", reason="Competencia"), AGENT)
    for n in (completed, moved):
        stored = app.case(n)
        replayed = Case.replay(app.history(n), app.catalog().workflow(stored.workflow))
        assert attrs.evolve(replayed, version=stored.version) == stored
    assert app.case(moved).state == "transferred"


def test_a_closure_day_is_data_and_recomputing_moves_open_deadlines(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    app = store.app(clock=clock, plugins=[Terms()])
    n = str(app.handle(simple_filing(), AGENT).filing_number)
    before = app.case(n).resolution_due
    admin = Actor("root", frozenset({"admin"}))
    app.catalog_admin.add_closure(date(2026, 3, 13), "Inventario anual", admin)
    assert app.catalog().closures == (date(2026, 3, 13),)
    assert app.case(n).resolution_due == before  # nothing moves by itself
    assert app.recompute_terms("Cierre por inventario el 13 de marzo") == 1
    after = app.case(n)
    assert after.resolution_due is not None and before is not None
    assert after.resolution_due.date() > before.date()  # one business day later
    started = [e for e in app.history(n) if e.name == "TermStarted"]
    assert started[-1].reason == "Cierre por inventario el 13 de marzo"
    assert app.recompute_terms("otra vez") == 0
    app.catalog_admin.remove_closure(date(2026, 3, 13), admin)
    assert app.catalog().closures == ()


class ReceiptDayTerms:
    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        register(TermPolicy("consulta_datos", "Consulta de datos",
                            (TermRule(Term(10, start=TermStart.RECEPTION_DAY), extension=Extension(5),
                                      source="Ley 1581 de 2012 art. 14"),)))


def test_a_term_counted_from_the_day_of_receipt_keeps_its_start_in_the_store(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 25, 15, 0, tzinfo=BOGOTA))  # Wednesday
    app = store.app(clock=clock, plugins=[ReceiptDayTerms()])
    calendar = app.catalog().calendar
    assert calendar is not None
    n = str(app.handle(simple_filing(), AGENT).filing_number)
    stored = app.case(n)
    # Wednesday 25 March = day 1, 26 27 (3), 30 31 1 (6), Holy Thursday and Good Friday skipped,
    # 6 7 8 9 (10) → Thursday 9 April 2026.
    assert stored.term == Term(10, start=TermStart.RECEPTION_DAY)
    assert stored.resolution_due == calendar.end_of_day(date(2026, 4, 9))
    extended = app.handle(c.ExtendTerm(filing_number=n, reason="Búsqueda en el archivo"), BACK_OFFICE)
    # 5 more business days: 10 13 14 15 16 → Thursday 16 April 2026.
    assert extended.resolution_due == calendar.end_of_day(date(2026, 4, 16))
    history = app.history(n)
    replayed = Case.replay(history, app.catalog().workflow(stored.workflow))
    assert attrs.evolve(replayed, version=app.case(n).version) == app.case(n)


class SuspendableTerms:
    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        register(TermPolicy("utilities", "Servicios públicos",
                            (TermRule(Term(15), source="Decreto-Ley 2150 de 1995 art. 123"),),
                            suspension_causes=("practica_pruebas",),
                            suspension_source="Decreto-Ley 2150 de 1995 art. 123"))


def test_a_suspension_by_staff_is_stored_with_its_cause_and_replayed(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))  # Monday
    app = store.app(clock=clock, plugins=[SuspendableTerms()])
    n = str(app.handle(simple_filing(), AGENT).filing_number)
    app.handle(c.SuspendTerm(filing_number=n, cause="practica_pruebas", reason="Visita técnica"), BACK_OFFICE)
    suspended = app.case(n)
    assert suspended.pauses[-1].cause == "practica_pruebas" and suspended.next_alarm_at is None
    clock.advance(days=3)  # Thursday 5: Tuesday 3 to Thursday 5 did not run
    app.handle(c.EndTermSuspension(filing_number=n), BACK_OFFICE)
    stored = app.case(n)
    # 15 business days from Tuesday 3 March end Tuesday 24 (San José, Monday 23, skipped); three more
    # business days (3, 4, 5 March did not run): 25, 26, 27 → Friday 27 March 2026.
    calendar = app.catalog().calendar
    assert calendar is not None and stored.resolution_due == calendar.end_of_day(date(2026, 3, 27))
    assert stored.pauses[-1].cause == "practica_pruebas" and stored.pauses[-1].end == clock.now()
    replayed = Case.replay(app.history(n), app.catalog().workflow(stored.workflow))
    assert attrs.evolve(replayed, version=stored.version) == stored


def test_the_organisations_working_days_are_stored_and_count_on_every_store(store: StoreUnderTest) -> None:
    from pqrs_core.domain.working_days import WORKING_DAYS

    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))  # Monday
    app = store.app(clock=clock, plugins=[Terms()])
    assert app.catalog().working_weekdays is None  # not chosen yet: the settings' calendar decides
    app.catalog_admin.set_working_weekdays(WORKING_DAYS["mon-sat"], Actor("root", frozenset({"admin"})))

    # Another process reads the choice from the store.
    again = store.app(clock=clock, plugins=[Terms()])
    assert again.catalog().working_weekdays == WORKING_DAYS["mon-sat"]
    calendar = again.catalog().calendar
    assert calendar is not None and calendar.is_business_day(date(2026, 3, 7))  # a Saturday
    case: Case = again.handle(simple_filing(), AGENT)
    # 15 business days from Tuesday 3 March, Saturdays counted: 3–7 (5), 9–14 (11), 16, 17, 18, 19 (15)
    # → Thursday 19 March (Monday to Friday it would be Tuesday 24, counted in the first test).
    assert case.resolution_due == calendar.end_of_day(date(2026, 3, 19))
    assert [c["what"] for c in again.catalog_admin.changes()][:1] == ["calendar.working_weekdays"]

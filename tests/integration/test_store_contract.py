"""The repository / unit-of-work contract, run over every store (memory, SQLite file, PostgreSQL).

Each test drives the application as its users do (``Pqrs.handle``) and checks what the store gives
back: the same case, its whole history, filing numbers without gaps, and no lost update.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs
import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import FieldDefinition, FieldType
from pqrs_core.domain.errors import ConcurrencyConflict, InvalidTransition, NotFound, ValidationError
from pqrs_core.domain.events import CaseFiled
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.domain.values import (
    Actor,
    DataConsent,
    DocumentReference,
    ReferenceKind,
    Requester,
    RequesterKind,
)
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.hookspecs import hookimpl
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import switch_off_default_term

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
AGENT = Actor("ana", frozenset({"agent"}))
BACK_OFFICE = Actor("bruno", frozenset({"back_office"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
LEAF = "PEDIDO_NO_RECIBIDO"  # under OPERACIONES
OTHER_LEAF = "ERROR_EN_LIQUIDACION_DE_LA_FACTURA"  # under SISTEMA


class CustomFields:
    """A plugin with one custom field of every type, so that JSON round trips are exercised."""

    @hookimpl
    def pqrs_register_field_definitions(self, register: object) -> None:
        assert callable(register)
        register(FieldDefinition("order_total", "Total del pedido", FieldType.DECIMAL))
        register(FieldDefinition("units", "Unidades", FieldType.INTEGER))
        register(FieldDefinition("delivered_on", "Fecha de entrega", FieldType.DATE))
        register(FieldDefinition("gift", "Es regalo", FieldType.BOOLEAN))
        register(FieldDefinition("carrier", "Transportadora", FieldType.CHOICE,
                                 choices=("envia", "servientrega")))
        register(FieldDefinition("lot", "Lote", FieldType.TEXT, kinds=("reclamo",)))


def full_filing(**overrides: object) -> c.FileCase:
    values: dict[str, object] = dict(
        kind="reclamo", subject="Pedido incompleto", description="Llegaron 3 de 5 cajas — ¿y el resto?",
        requester=Requester(kind=RequesterKind.PERSON, full_name="María Pérez", document_type="CC",
                            document_number="52123456", address="Calle 1 # 2-3", email="maria@example.com",
                            phone="+57 300 123 4567"),
        channel="email", reason="PEDIDO_INCOMPLETO", typification=LEAF, priority="alta", queue="primer_nivel",
        non_crm_contact="Llamar después de las 5 p. m.",
        references=(DocumentReference(ReferenceKind.INVOICE, "FV-1001"),
                    DocumentReference(ReferenceKind.ORDER, "PED-77")),
        custom_fields={"order_total": "150000.50", "units": "3", "delivered_on": "2026-02-27", "gift": False,
                       "carrier": "envia", "lot": "L-9"},
        received_at=datetime(2026, 3, 2, 8, 15, 30, 123456, tzinfo=BOGOTA), received_by="ana",
        missing_information=("copia de la factura",),
    )
    values.update(overrides)
    return c.FileCase(**values)  # type: ignore[arg-type]


def simple_filing(**overrides: object) -> c.FileCase:
    values: dict[str, object] = dict(kind="queja", subject="Demora", description="No me han respondido")
    values.update(overrides)
    return c.FileCase(**values)  # type: ignore[arg-type]


def replays_to_snapshot(app: Pqrs, number: str) -> None:
    stored = app.case(number)
    workflow = app.catalog().workflow(stored.workflow)
    replayed = Case.replay(app.history(number), workflow)
    assert attrs.evolve(replayed, version=stored.version) == stored


def test_a_filed_case_reads_back_equal(store: StoreUnderTest) -> None:
    app = store.app(plugins=[CustomFields()])
    filed: Case = app.handle(full_filing(), AGENT)
    number = str(filed.filing_number)

    stored = app.case(number)
    assert stored == filed
    assert stored.version == filed.version == 1
    assert stored.typification is not None
    assert stored.typification.path == ("Operaciones", "Pedido no recibido")
    assert stored.custom_fields == {"order_total": "150000.50", "units": 3, "delivered_on": "2026-02-27",
                                    "gift": False, "carrier": "envia", "lot": "L-9"}
    assert stored.received_at.utcoffset() is not None
    assert app.case(f"  {number.lower()} ") == filed
    assert app.cases().cases == [filed]
    assert app.count() == 1
    event, started = app.history(number)
    assert started.name == "TermStarted"
    assert event.name == "CaseFiled" and event.case_id == filed.id and event.actor == "ana"
    replays_to_snapshot(app, number)


def test_the_consent_to_data_processing_is_stored_and_read_back(store: StoreUnderTest) -> None:
    # Ley 1581 de 2012 art. 17 b: the proof of the authorisation is kept with the case.
    given = datetime(2026, 3, 2, 8, 59, 12, 345678, tzinfo=BOGOTA)
    consent = DataConsent(given_at=given, notice_version="2026-03", notice_digest="ab" * 32,
                          channel="web_form")
    app = store.app(at=datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    filed: Case = app.handle(simple_filing(channel="web_form", consent=consent), AGENT)
    number = str(filed.filing_number)

    stored = app.case(number)
    assert stored == filed
    assert stored.consent == attrs.evolve(consent, given_at=given.astimezone(UTC))
    assert stored.consent.given_at.utcoffset() is not None
    [event, *_] = app.history(number)
    assert isinstance(event, CaseFiled) and event.consent == stored.consent
    replays_to_snapshot(app, number)
    assert app.case(str(app.handle(simple_filing(), AGENT).filing_number)).consent is None


def test_a_case_resolved_at_first_contact_stores_all_its_events(store: StoreUnderTest) -> None:
    app = store.app()
    case: Case = app.handle(simple_filing(resolved_at_first_contact=True, solution="Se explicó el trámite"),
                            AGENT)
    number = str(case.filing_number)
    assert app.case(number) == case
    assert case.state == "closed" and case.first_contact_resolution
    assert [e.name for e in app.history(number)] == [
        "CaseFiled", "TermStarted", "CaseTransitioned", "TermEnded", "CaseResponded", "CaseClosed"]
    replays_to_snapshot(app, number)


def test_every_command_persists_and_the_history_replays_to_the_snapshot(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=BOGOTA))
    app = store.app(clock=clock, plugins=[CustomFields()])
    case: Case = app.handle(full_filing(), AGENT)
    number = str(case.filing_number)
    steps: list[tuple[object, Actor]] = [
        (c.TypifyCase(filing_number=number, typification=OTHER_LEAF), AGENT),
        (c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR),
        (c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE),
        (c.AddNote(filing_number=number, text="Se consultó a bodega", public=True), BACK_OFFICE),
        (c.RequestInformation(filing_number=number, message="Envíe la factura", missing=("factura",)),
         BACK_OFFICE),
        (c.RecordRequesterReply(filing_number=number, message="Adjunto la factura"), BACK_OFFICE),
        (c.ChangeFields(filing_number=number, changes={
            "subject": "Pedido incompleto (5 cajas)", "priority": "bloqueante", "channel": "phone",
            "verbal": True, "missing_information": [],
            "requester": {"kind": "customer", "customer_id": "C-001", "full_name": "Distribuidora S.A.S.",
                          "document_type": "NIT", "document_number": "900123456-7"},
            "references": [{"kind": "purchase_order", "number": "OC-5"}],
            "custom_fields": {"units": 5, "gift": True, "carrier": None}}), BACK_OFFICE),
        (c.AddAttachment(filing_number=number, filename="factura.pdf", content_type="application/pdf",
                         content=b"%PDF-1.4 factura"), BACK_OFFICE),
        (c.ReturnForRetypification(filing_number=number, reason="No es de sistema"), BACK_OFFICE),
        (c.TransitionCase(filing_number=number, transition="resubmit"), AGENT),
        (c.AssignCase(filing_number=number, assignee="bruno"), SUPERVISOR),
        (c.RespondCase(filing_number=number, text="Enviamos las 2 cajas", close=True), BACK_OFFICE),
        (c.RecordRequesterReply(filing_number=number, message="Solo llegó una"), AGENT),
        (c.RespondCase(filing_number=number, text="Enviamos la caja restante"), BACK_OFFICE),
        (c.CloseCase(filing_number=number), BACK_OFFICE),
        (c.ReopenCase(filing_number=number, reason="El cliente llamó de nuevo"), AGENT),
    ]
    for version, (command, actor) in enumerate(steps, start=2):
        clock.advance(minutes=7)
        case = app.handle(command, actor)
        assert case.version == version, type(command).__name__
        assert app.case(number) == case, type(command).__name__

    stored = app.case(number)
    assert stored.state == "in_progress" and stored.closed_at is None
    assert stored.requester.customer_id == "C-001" and stored.attachments[0].filename == "factura.pdf"
    assert stored.custom_fields == {"order_total": "150000.50", "units": 5, "delivered_on": "2026-02-27",
                                    "gift": True, "lot": "L-9"}
    names = [e.name for e in app.history(number)]
    assert names[0] == "CaseFiled" and {"FieldChanged", "AttachmentAdded", "CaseReopened",
                                        "CaseReturnedForRetypification", "RequesterReplied"} <= set(names)
    replays_to_snapshot(app, number)


def _responding_with_macro(app: Pqrs, transition: str) -> tuple[Case, c.RespondWithMacro]:
    """A case in progress, and a response to it with a macro that changes its priority and queue and
    then runs ``transition`` ("close" or a workflow transition)."""
    case: Case = app.handle(simple_filing(typification=LEAF), AGENT)
    number = str(case.filing_number)
    app.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR)
    started: Case = app.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
    return started, c.RespondWithMacro(
        filing_number=number, response=c.RespondCase(filing_number=number, text="Enviamos las cajas"),
        changes=(c.ChangeFields(filing_number=number, changes={"priority": "alta"}),
                 c.AssignCase(filing_number=number, assignee="bruno", queue="primer_nivel")),
        transition=c.CloseCase(filing_number=number) if transition == "close"
        else c.TransitionCase(filing_number=number, transition=transition),
        expected_version=started.version)


def test_a_response_with_a_macro_stores_every_command_in_one_transaction(store: StoreUnderTest) -> None:
    app = store.app(at=datetime(2026, 3, 2, 14, 0, tzinfo=BOGOTA))
    started, command = _responding_with_macro(app, "close")
    number = str(started.filing_number)
    before = len(app.history(number))

    done: Case = app.handle(command, BACK_OFFICE)

    assert app.case(number) == done and done.version == started.version + 4
    assert (done.state, done.priority, done.queue) == ("closed", "alta", "primer_nivel")
    names = [e.name for e in app.history(number)]
    added = names[before:]
    assert added.index("FieldChanged") < added.index("CaseAssigned") < added.index("CaseResponded") \
        < added.index("CaseClosed")
    replays_to_snapshot(app, number)


def test_a_refused_step_of_a_macro_leaves_the_case_as_it_was(store: StoreUnderTest) -> None:
    app = store.app(at=datetime(2026, 3, 2, 14, 0, tzinfo=BOGOTA))
    # Starting again is no transition of a responded case: the whole command is refused.
    started, command = _responding_with_macro(app, "start")
    number = str(started.filing_number)
    history = app.history(number)

    with pytest.raises(InvalidTransition):
        app.handle(command, BACK_OFFICE)

    assert app.case(number) == started
    assert app.history(number) == history


def test_filing_numbers_are_sequential_per_local_year(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 12, 31, 23, 30, tzinfo=BOGOTA))  # already 2027 in UTC
    app = store.app(clock=clock)
    numbers = [str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(3)]
    assert numbers == ["PQRS-2026-000001", "PQRS-2026-000002", "PQRS-2026-000003"]

    clock.set(datetime(2027, 1, 1, 0, 30, tzinfo=BOGOTA))
    assert str(app.handle(simple_filing(), AGENT).filing_number) == "PQRS-2027-000001"
    assert str(app.handle(simple_filing(), AGENT).filing_number) == "PQRS-2027-000002"
    listed = [str(x.filing_number) for x in app.cases().cases]
    assert listed == ["PQRS-2027-000002", "PQRS-2027-000001", *reversed(numbers)]


def test_a_stale_expected_version_is_refused_and_writes_nothing(store: StoreUnderTest) -> None:
    app = store.app()
    number = str(app.handle(simple_filing(), AGENT).filing_number)
    app.handle(c.AddNote(filing_number=number, text="primera nota", expected_version=1), AGENT)
    before, history = app.case(number), app.history(number)

    with pytest.raises(ConcurrencyConflict) as raised:
        app.handle(c.AddNote(filing_number=number, text="nota sobre datos viejos", expected_version=1), AGENT)
    assert (raised.value.expected, raised.value.actual) == (1, 2)
    assert app.case(number) == before and app.case(number).version == 2
    assert app.history(number) == history


def test_saving_a_case_loaded_before_someone_else_saved_it_conflicts(store: StoreUnderTest) -> None:
    """Two requests load the case, each in its own unit of work; both save later: the second loses."""
    app = store.app()
    number = str(app.handle(simple_filing(), AGENT).filing_number)
    catalog = app.catalog()
    with store.uow_factory() as uow:
        first = uow.cases.get(number)
    with store.uow_factory() as uow:
        second = uow.cases.get(number)

    first.add_note("gana", public=False, actor=AGENT, now=app.deps.clock.now())
    with store.uow_factory() as uow:
        uow.cases.save(first)
        uow.commit()
    second.assign("bruno", queue=None, catalog=catalog, actor=SUPERVISOR, now=app.deps.clock.now())
    with store.uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.cases.save(second)

    stored = app.case(number)
    assert stored.version == 2 and stored.assignee is None
    assert [e.name for e in app.history(number)] == ["CaseFiled", "TermStarted", "NoteAdded"]


def test_two_open_units_of_work_saving_the_same_case_second_conflicts(
        store: StoreUnderTest, request: pytest.FixtureRequest) -> None:
    """Both units of work are open at once (read snapshots on SQLite, where write units of work
    would queue up instead): the one that saves second raises and writes nothing."""
    app = store.app()
    number = str(app.handle(simple_filing(), AGENT).filing_number)
    now = app.deps.clock.now()
    with store.read_uow_factory() as first_uow, store.read_uow_factory() as second_uow:
        first = first_uow.cases.get(number)
        second = second_uow.cases.get(number)
        first.add_note("primera", public=False, actor=AGENT, now=now)
        first_uow.cases.save(first)
        first_uow.commit()
        second.add_note("segunda", public=False, actor=BACK_OFFICE, now=now)
        with pytest.raises(ConcurrencyConflict):
            second_uow.cases.save(second)
        second_uow.commit()
    assert [(e.name, e.actor) for e in app.history(number)] == [("CaseFiled", "ana"), ("TermStarted", "ana"),
                                                                ("NoteAdded", "ana")]
    assert app.case(number).version == 2


def test_a_rejected_filing_leaves_nothing_and_keeps_its_number(store: StoreUnderTest) -> None:
    app = store.app()
    with pytest.raises(ValidationError) as raised:
        app.handle(simple_filing(kind="no_existe", priority="urgentísima"), AGENT)
    assert {"kind", "priority"} <= set(raised.value.errors)
    assert app.count() == 0
    assert app.cases().cases == []
    with pytest.raises(NotFound):
        app.history("PQRS-2026-000001")
    assert str(app.handle(simple_filing(), AGENT).filing_number) == "PQRS-2026-000001"
    assert [e.name for e in app.history("PQRS-2026-000001")] == ["CaseFiled", "TermStarted"]


def test_unknown_cases_are_not_found(store: StoreUnderTest) -> None:
    app = store.app()
    with pytest.raises(NotFound):
        app.case("PQRS-2026-000042")
    with store.uow_factory() as uow, pytest.raises(NotFound):
        uow.cases.get("PQRS-2026-000042")


# --------------------------------------------------------------------------------- distribution, quality
class TermsByKind:
    """Complaints in 5 business days, claims in 10, petitions in 15; congratulations without a term."""

    @hookimpl
    def pqrs_register_term_policies(self, register: object) -> None:
        assert callable(register)
        for code, days in (("queja", 5), ("reclamo", 10), ("peticion", 15)):
            register(TermPolicy(code, f"Término de {code}", (TermRule(Term(days)),), kinds=(code,)))


def numbers(page_cases: object) -> list[str]:
    return [str(x.filing_number) for x in page_cases]  # type: ignore[attr-defined]


def test_the_most_urgent_come_first_unassigned_and_overdue_filters(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    app = store.app(clock=clock, plugins=[TermsByKind()])
    switch_off_default_term(app)  # congratulations stay without a term
    filed = {name: str(app.handle(simple_filing(kind=kind, priority=priority), AGENT).filing_number)
             for name, kind, priority in (
                 ("petition", "peticion", None), ("no_term", "felicitacion", "bloqueante"),
                 ("claim", "reclamo", "media"), ("slow_complaint", "queja", "baja"),
                 ("urgent_complaint", "queja", "bloqueante"), ("plain_complaint", "queja", "baja"))}
    app.handle(c.AssignCase(filing_number=filed["claim"], assignee="bruno"), SUPERVISOR)
    due = {name: app.case(n).resolution_due for name, n in filed.items()}
    assert due["no_term"] is None and due["slow_complaint"] == due["urgent_complaint"] < due["claim"]

    # Deadline soonest first; on the same deadline the higher priority, then the oldest; no deadline last.
    expected = [filed[name] for name in ("urgent_complaint", "slow_complaint", "plain_complaint", "claim",
                                         "petition", "no_term")]
    assert numbers(app.cases(CaseQuery(sort="deadline")).cases) == expected
    paged: list[str] = []
    cursor = None
    while True:  # the keyset cursor walks the same order two by two
        page = app.cases(CaseQuery(sort="deadline", limit=2, after=cursor))
        paged += numbers(page.cases)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert paged == expected

    unassigned = app.cases(CaseQuery(unassigned=True, sort="oldest")).cases
    assert filed["claim"] not in numbers(unassigned) and len(unassigned) == 5
    assert app.summary(CaseQuery(unassigned=True)).total == 5

    before_claim = CaseQuery(due_to=due["claim"])
    assert sorted(numbers(app.cases(before_claim).cases)) == sorted(
        filed[n] for n in ("urgent_complaint", "plain_complaint", "slow_complaint"))
    assert app.summary(attrs.evolve(before_claim, unassigned=True)).total == 3
    assert app.summary(CaseQuery(due_to=due["petition"], assignee="bruno")).total == 1


def test_quality_reviews_persist_and_closed_cases_filter_by_review_and_closing_date(
        store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    app = store.app(clock=clock)
    quality = Actor("carlos", frozenset({"quality"}))
    first, second, still_open = (str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(3))
    for n in (first, second):
        clock.advance(days=1)
        app.handle(c.AssignCase(filing_number=n, assignee="bruno"), SUPERVISOR)
        app.handle(c.RespondCase(filing_number=n, text="Respondido", close=True), BACK_OFFICE)
    first_closed = app.case(first).closed_at
    assert first_closed is not None

    clock.advance(hours=1)
    reviewed: Case = app.handle(c.RecordQualityReview(
        filing_number=first, score=3, checklist={"on_time": True}, notes="Sin saludo"), quality)

    stored = app.case(first)
    assert stored == reviewed and stored.quality_reviewed_at == clock.now() and stored.quality_score == 3
    review = app.history(first)[-1]
    assert review.name == "QualityReviewed" and review.actor == "carlos"
    assert review.checklist["on_time"] and not review.checklist["courteous"]  # type: ignore[attr-defined]
    replays_to_snapshot(app, first)

    closed = CaseQuery(state_categories=(StateCategory.DONE,))
    assert numbers(app.cases(attrs.evolve(closed, quality_reviewed=False)).cases) == [second]
    assert numbers(app.cases(attrs.evolve(closed, quality_reviewed=True)).cases) == [first]
    assert app.summary(attrs.evolve(closed, quality_reviewed=False)).total == 1
    assert still_open in numbers(app.cases(CaseQuery(quality_reviewed=False)).cases)
    assert numbers(app.cases(CaseQuery(closed_from=first_closed, closed_to=first_closed
                                       + timedelta(hours=1))).cases) == [first]
    assert numbers(app.cases(CaseQuery(closed_from=first_closed + timedelta(seconds=1))).cases) == [second]
    assert app.cases(CaseQuery(closed_to=first_closed)).cases == []  # open cases have no closing date

    app.handle(c.ReopenCase(filing_number=first, reason="El cliente llamó de nuevo"), AGENT)
    assert app.case(first).quality_reviewed_at is None
    assert app.cases(attrs.evolve(closed, quality_reviewed=True)).cases == []

"""Properties that must hold whatever people do, in whatever order.

(a) random commands by random actors keep every case in a state of its workflow, with the matching
    category, and a refused command changes nothing (neither the aggregate nor the store);
(b) replaying a case's stored history rebuilds the stored snapshot;
(c) filing numbers are consecutive and never repeat, with refused filings interleaved;
(d) a radicado prints and parses back to itself.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import DomainError, ValidationError
from pqrs_core.domain.events import DomainEvent
from pqrs_core.domain.values import Actor, AttachmentInfo, FilingNumber
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, clock_of, file_command, number

FAST = settings(max_examples=60, deadline=None)

USERS = ("ana", "beto", "sol", "carla")
ROLES = ("agent", "back_office", "supervisor", "quality", "requester", "admin")
TRANSITIONS = ("assign", "start", "request_information", "requester_replied", "respond", "close",
               "return_for_retypification", "resubmit", "reopen", "resolve_at_first_contact", "teleport")
TYPIFICATIONS = ("DERECHO_DE_PETICION", "PEDIDO_NO_RECIBIDO", "LEGALES", "NO_EXISTE")

actors = st.builds(Actor, st.sampled_from(USERS),
                   st.frozensets(st.sampled_from(ROLES), max_size=2).filter(lambda r: "admin" not in r)
                   | st.just(frozenset({"admin"})))

# One step: (operation, argument). The argument's meaning depends on the operation.
steps = st.one_of(
    st.tuples(st.just("transition"), st.sampled_from(TRANSITIONS)),
    st.tuples(st.just("assign"), st.tuples(st.sampled_from((*USERS, None)),
                                           st.sampled_from((None, "primer_nivel", "back_office", "nope")))),
    st.tuples(st.just("request_information"), st.sampled_from(("¿Número de factura?", ""))),
    st.tuples(st.just("reply"), st.sampled_from(("Adjunto la factura", " "))),
    st.tuples(st.just("respond"), st.booleans()),
    st.tuples(st.just("close"), st.none()),
    st.tuples(st.just("reopen"), st.sampled_from(("Insiste el cliente", ""))),
    st.tuples(st.just("return"), st.sampled_from(("Mal tipificado", ""))),
    st.tuples(st.just("note"), st.sampled_from(("Llamé al cliente", ""))),
    st.tuples(st.just("typify"), st.sampled_from(TYPIFICATIONS)),
    st.tuples(st.just("change"), st.sampled_from((
        {"subject": "Nuevo asunto"}, {"priority": "alta"}, {"priority": "nope"}, {"kind": "reclamo"},
        {"state": "closed"}, {"missing_information": ["cédula"]}, {"subject": ""},
        {"requester": {"kind": "anonymous"}}))),
    st.tuples(st.just("attach"), st.none()),
    st.tuples(st.just("wait"), st.sampled_from((1, 24, 60, 80, 24 * 5))),  # hours
)
scenarios = st.lists(st.tuples(steps, actors), max_size=25)


def service_command(n: str, op: str, arg: Any) -> object | None:
    match op:
        case "transition":
            return c.TransitionCase(filing_number=n, transition=arg)
        case "assign":
            return c.AssignCase(filing_number=n, assignee=arg[0], queue=arg[1])
        case "request_information":
            return c.RequestInformation(filing_number=n, message=arg)
        case "reply":
            return c.RecordRequesterReply(filing_number=n, message=arg)
        case "respond":
            return c.RespondCase(filing_number=n, text="Respuesta", close=arg)
        case "close":
            return c.CloseCase(filing_number=n)
        case "reopen":
            return c.ReopenCase(filing_number=n, reason=arg)
        case "return":
            return c.ReturnForRetypification(filing_number=n, reason=arg)
        case "note":
            return c.AddNote(filing_number=n, text=arg)
        case "typify":
            return c.TypifyCase(filing_number=n, typification=arg)
        case "change":
            return c.ChangeFields(filing_number=n, changes=arg)
        case "attach":
            return c.AddAttachment(filing_number=n, filename="f.txt", content_type="text/plain", content=b"x")
    return None


def apply_to_aggregate(case: Case, op: str, arg: Any, catalog: Catalog, actor: Actor, now: datetime) -> None:
    guard_settings = Settings().as_guard_settings()
    match op:
        case "transition":
            case.apply_transition(arg, catalog=catalog, actor=actor, now=now, settings=guard_settings)
        case "assign":
            case.assign(arg[0], queue=arg[1], catalog=catalog, actor=actor, now=now)
        case "request_information":
            case.request_information(arg, catalog=catalog, actor=actor, now=now)
        case "reply":
            case.record_requester_reply(arg, catalog=catalog, actor=actor, now=now, settings=guard_settings)
        case "respond":
            case.respond("Respuesta", catalog=catalog, actor=actor, now=now)
            if arg:
                case.close(catalog=catalog, actor=actor, now=now)
        case "close":
            case.close(catalog=catalog, actor=actor, now=now)
        case "reopen":
            case.reopen(arg, catalog=catalog, actor=actor, now=now, settings=guard_settings)
        case "return":
            case.return_for_retypification(arg, catalog=catalog, actor=actor, now=now)
        case "note":
            case.add_note(arg, public=False, actor=actor, now=now)
        case "typify":
            case.typify(arg, catalog=catalog, actor=actor, now=now)
        case "change":
            case.change_fields(arg, catalog=catalog, actor=actor, now=now)
        case "attach":
            case.add_attachment(AttachmentInfo("a", "f.txt", "text/plain", 1, "0" * 64, "k"), actor=actor,
                                now=now)


def assert_state_is_consistent(case: Case, catalog: Catalog) -> None:
    workflow = catalog.workflow(case.workflow)
    assert workflow.has_state(case.state), case.state
    assert case.state_category is workflow.state(case.state).category
    if case.state == "closed":
        assert case.closed_at is not None
    if case.is_open:
        assert case.closed_at is None
        assert not case.first_contact_resolution  # only a closed case was resolved at first contact
    if case.state in ("responded", "closed"):
        assert case.responded_at is not None and case.solution


def read(pqrs: Pqrs, n: str) -> tuple[Case, list[DomainEvent]]:
    """The stored snapshot and history, read in one unit of work."""
    with pqrs.uow_factory() as uow:
        return uow.cases.get(n), uow.cases.history(n)


def run_through_service(pqrs: Pqrs, n: str, scenario: list[tuple[tuple[str, Any], Actor]], *,
                        check: bool = True) -> None:
    """Runs the scenario through ``Pqrs.handle``; with ``check``, verifies every step."""
    catalog = pqrs.catalog()
    before, before_history = read(pqrs, n) if check else (None, [])
    for (op, arg), actor in scenario:
        if op == "wait":
            clock_of(pqrs).advance(hours=arg)
            continue
        refused = False
        try:
            pqrs.handle(service_command(n, op, arg), actor)
        except DomainError:
            refused = True
        if not check:
            continue
        assert before is not None
        after, history = read(pqrs, n)
        assert_state_is_consistent(after, catalog)
        if refused:
            assert after == before
            assert after.version == before.version
            assert history == before_history
        elif len(history) == len(before_history):  # accepted but nothing to record
            assert after == before
        else:
            assert history[: len(before_history)] == before_history  # append-only
            assert after.version == before.version + 1
        before, before_history = after, history


@FAST
@given(scenario=scenarios)
def test_random_commands_keep_the_case_in_its_workflow_and_refusals_change_nothing(
        scenario: list[tuple[tuple[str, Any], Actor]]) -> None:
    pqrs = in_memory_pqrs()
    n = number(pqrs.handle(file_command(), AGENT))
    run_through_service(pqrs, n, scenario)


@FAST
@given(scenario=scenarios)
def test_refused_commands_leave_the_aggregate_itself_unchanged(
        scenario: list[tuple[tuple[str, Any], Actor]]) -> None:
    pqrs = in_memory_pqrs()
    catalog = pqrs.catalog()
    now = clock_of(pqrs).now()
    case = Case.file(file_command(), catalog=catalog, case_id="id", number=FilingNumber("PQRS", 2026, 1),
                     actor=AGENT, now=now)
    for (op, arg), actor in scenario:
        if op == "wait":
            now += timedelta(hours=arg)
            continue
        snapshot, events = copy.deepcopy(case), list(case.events)
        try:
            apply_to_aggregate(case, op, arg, catalog, actor, now)
        except DomainError:
            assert case == snapshot
            assert case.events == events
        assert_state_is_consistent(case, catalog)
    replayed = Case.replay(case.events, catalog.workflow(case.workflow))
    assert replayed == case


@FAST
@given(first_contact=st.booleans(), scenario=scenarios)
def test_replaying_the_stored_history_rebuilds_the_stored_case(
        first_contact: bool, scenario: list[tuple[tuple[str, Any], Actor]]) -> None:
    pqrs = in_memory_pqrs()
    filing = file_command(important=True, urgent=True, typification="PEDIDO_NO_RECIBIDO",
                          resolved_at_first_contact=first_contact, solution="Resuelto en la llamada")
    n = number(pqrs.handle(filing, AGENT))
    run_through_service(pqrs, n, scenario, check=False)
    stored, history = read(pqrs, n)
    replayed = Case.replay(history, pqrs.catalog().workflow(stored.workflow))
    replayed.version = stored.version
    assert replayed == stored


INVALID_FILINGS = st.sampled_from([
    {"subject": ""}, {"description": " "}, {"kind": "nope"}, {"channel": "fax"}, {"priority": "x"},
    {"typification": "NO_EXISTE"}, {"subject": "x" * 251},
])


@FAST
@given(attempts=st.lists(st.one_of(st.just(None), INVALID_FILINGS), min_size=1, max_size=20),
       year_change_at=st.integers(0, 25))
def test_filing_numbers_are_consecutive_and_never_repeat(
        attempts: list[dict[str, str] | None], year_change_at: int) -> None:
    pqrs = in_memory_pqrs(at=datetime.fromisoformat("2026-12-31T20:00:00-05:00"))
    issued: list[FilingNumber] = []
    for i, invalid in enumerate(attempts):
        if i == year_change_at:
            clock_of(pqrs).advance(hours=5)  # midnight in Bogotá: a new year of radicados
        if invalid is None:
            issued.append(pqrs.handle(file_command(), AGENT).filing_number)
        else:
            try:
                pqrs.handle(file_command(**invalid), AGENT)
            except ValidationError:
                continue
            raise AssertionError(f"{invalid} was accepted")
    assert len(set(issued)) == len(issued)
    assert issued == sorted(issued)
    for year in {f.year for f in issued}:
        assert [f.sequence for f in issued if f.year == year] == list(
            range(1, sum(f.year == year for f in issued) + 1))
    assert pqrs.count() == len(issued)
    listed = pqrs.cases(CaseQuery(limit=100)).cases
    assert sorted(str(case.filing_number) for case in listed) == sorted(map(str, issued))


@settings(max_examples=100, deadline=None)
@given(prefix=st.from_regex(r"[A-Z][A-Z0-9]{0,15}", fullmatch=True), year=st.integers(0, 9999),
       sequence=st.integers(0, 10**9))
def test_filing_number_prints_and_parses_back(prefix: str, year: int, sequence: int) -> None:
    filing = FilingNumber(prefix, year, sequence)
    text = str(filing)
    assert FilingNumber.parse(text) == filing
    assert FilingNumber.parse(f"  {text.lower()} ") == filing
    assert str(FilingNumber.parse(text)) == text


@FAST
@given(text=st.text(max_size=30))
def test_parse_refuses_or_round_trips_any_text(text: str) -> None:
    try:
        parsed = FilingNumber.parse(text)
    except ValidationError as exc:
        assert "filing_number" in exc.errors
    else:
        assert FilingNumber.parse(str(parsed)) == parsed

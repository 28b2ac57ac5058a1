"""The generic workflow of seed 002: the agent files, the supervisor hands cases out, the back office
checks the typification, asks for information, answers; the requester may counter-respond."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import (
    DomainError,
    InvalidOperation,
    InvalidTransition,
    NotTheRequester,
    PermissionDenied,
    TransitionNotPermitted,
    ValidationError,
)
from pqrs_core.domain.events import CaseReturnedForRetypification, CaseTransitioned, RequesterReplied
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs

from .support import (
    ADMIN,
    AGENT,
    BACK_OFFICE,
    OTHER_AGENT,
    QUALITY,
    REQUESTER,
    SUPERVISOR,
    event_names,
    file,
    number,
)


def assert_unchanged(pqrs: Pqrs, n: str, before_version: int, before_events: int) -> None:
    assert pqrs.case(n).version == before_version
    assert len(pqrs.history(n)) == before_events


def responded_case(pqrs: Pqrs) -> str:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.RespondCase(filing_number=n, text="Le enviamos las dos unidades faltantes."), BACK_OFFICE)
    return n


def test_generic_workflow_end_to_end(pqrs: Pqrs, clock: FrozenClock) -> None:
    case = file(pqrs, typification="QUEJA_DE_ENTREGA_DE_PEDIDOS")
    n = number(case)
    assert (case.state, case.state_category) == ("filed", StateCategory.TODO)

    clock.advance(minutes=30)
    case = pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    assert (case.state, case.assignee, case.queue) == ("assigned", "beto", "back_office")
    assert case.state_category is StateCategory.TODO

    case = pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    assert (case.state, case.state_category) == ("in_progress", StateCategory.DOING)

    case = pqrs.handle(c.RequestInformation(filing_number=n, message="Envíe foto de la factura",
                                            missing=("foto de la factura",)), BACK_OFFICE)
    assert case.state == "waiting_requester"
    assert case.state_category is StateCategory.WAITING
    waiting = pqrs.catalog().workflow("generic").state(case.state)
    assert waiting.is_open and waiting.pauses_clock  # the term stops while the requester owes us

    clock.advance(days=1)
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Adjunto la factura"), REQUESTER)
    assert (case.state, case.state_category) == ("in_progress", StateCategory.DOING)

    clock.advance(hours=2)
    case = pqrs.handle(c.RespondCase(filing_number=n, text="Le enviamos las unidades faltantes.",
                                     solution="Reenvío de 2 unidades"), BACK_OFFICE)
    assert case.state == "responded"
    assert case.state_category is StateCategory.DONE
    assert case.solution == "Reenvío de 2 unidades"
    assert case.responded_at == clock.now()

    clock.advance(days=4)
    case = pqrs.handle(c.CloseCase(filing_number=n), BACK_OFFICE)
    assert (case.state, case.state_category) == ("closed", StateCategory.DONE)
    assert case.closed_at == clock.now()
    assert case.first_contact_resolution is False

    assert event_names(pqrs, n) == [
        "CaseFiled", "TermStarted", "CaseAssigned", "CaseTransitioned", "CaseTransitioned",
        "CaseTransitioned", "TermPaused", "InformationRequested", "CaseTransitioned", "TermResumed",
        "RequesterReplied", "CaseTransitioned", "TermEnded", "CaseResponded", "CaseTransitioned",
        "CaseClosed",
    ]
    transitions = [(e.transition, e.actor) for e in pqrs.history(n) if isinstance(e, CaseTransitioned)]
    assert transitions == [("assign", "system"), ("start", "beto"), ("request_information", "beto"),
                           ("requester_replied", "carla"), ("respond", "beto"), ("close", "beto")]


def test_respond_and_close_in_one_command(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), AGENT)
    case = pqrs.handle(c.RespondCase(filing_number=n, text="Resuelto", close=True), AGENT)
    assert case.state == "closed"
    assert case.solution == "Resuelto"


# --- assignment --------------------------------------------------------------------------------


def test_only_a_supervisor_assigns_cases_to_other_people(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    for actor in (AGENT, BACK_OFFICE, QUALITY, REQUESTER):
        with pytest.raises(PermissionDenied):
            pqrs.handle(c.AssignCase(filing_number=n, assignee="andres"), actor)
        assert_unchanged(pqrs, n, 1, 2)
    case = pqrs.handle(c.AssignCase(filing_number=n, assignee="andres"), SUPERVISOR)
    assert case.assignee == "andres"


def test_admin_may_assign(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    assert pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), ADMIN).assignee == "beto"


def test_staff_can_take_a_case_for_themselves(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    case = pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), BACK_OFFICE)
    assert (case.assignee, case.state) == ("beto", "assigned")


def test_a_requester_cannot_take_a_case(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    with pytest.raises(PermissionDenied):
        pqrs.handle(c.AssignCase(filing_number=n, assignee="carla"), REQUESTER)
    assert pqrs.case(n).assignee is None


def test_an_agent_cannot_unassign_a_colleague(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="andres"), SUPERVISOR)
    with pytest.raises(PermissionDenied):
        pqrs.handle(c.AssignCase(filing_number=n, assignee=None), AGENT)
    assert pqrs.case(n).assignee == "andres"


def test_reassignment_keeps_the_state_and_records_before_and_after(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="andres", queue="primer_nivel"), SUPERVISOR)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), OTHER_AGENT)
    case = pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    assert (case.state, case.assignee, case.queue) == ("in_progress", "beto", "back_office")
    last = pqrs.history(n)[-1]
    assert last.name == "CaseAssigned"
    assert (last.assignee_before, last.assignee_after) == ("andres", "beto")  # type: ignore[attr-defined]
    assert (last.queue_before, last.queue_after) == ("primer_nivel", "back_office")  # type: ignore[attr-defined]


def test_assigning_to_an_unknown_queue_is_refused(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    with pytest.raises(ValidationError) as excinfo:
        pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="gerencia"), SUPERVISOR)
    assert "queue" in excinfo.value.errors
    assert_unchanged(pqrs, n, 1, 2)


def test_assigning_the_same_person_again_records_nothing(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    before = len(pqrs.history(n))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    assert len(pqrs.history(n)) == before


# --- return for re-typification (seed 002) -----------------------------------------------------


def test_back_office_returns_a_mistyped_case_to_the_agent_who_filed_it(pqrs: Pqrs) -> None:
    n = number(file(pqrs, AGENT, typification="PEDIDO_NO_RECIBIDO"))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    case = pqrs.handle(c.ReturnForRetypification(filing_number=n, reason="Es un reclamo de facturación"),
                       BACK_OFFICE)
    assert case.state == "returned"
    assert case.assignee == "ana"
    returned = pqrs.history(n)[-1]
    assert isinstance(returned, CaseReturnedForRetypification)
    assert (returned.returned_to, returned.reason, returned.actor) == (
        "ana", "Es un reclamo de facturación", "beto")

    # The agent re-typifies and resubmits; the case goes back to the supervisor's pile.
    case = pqrs.handle(c.TypifyCase(filing_number=n, typification="RECLAMO_PROCESO_DE_FACTURACION"), AGENT)
    assert case.typification is not None
    assert case.typification.path == ("Operaciones", "Reclamo proceso de facturación")
    with pytest.raises(TransitionNotPermitted):
        pqrs.handle(c.TransitionCase(filing_number=n, transition="resubmit"), BACK_OFFICE)
    case = pqrs.handle(c.TransitionCase(filing_number=n, transition="resubmit"), AGENT)
    assert (case.state, case.state_category) == ("filed", StateCategory.TODO)


def test_a_case_the_requester_filed_is_returned_unassigned_not_to_the_requester(pqrs: Pqrs) -> None:
    n = number(file(pqrs, REQUESTER, channel="web_form"))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    case = pqrs.handle(c.ReturnForRetypification(filing_number=n, reason="Falta tipificar"), BACK_OFFICE)
    assert case.state == "returned"
    assert case.assignee is None
    assert pqrs.history(n)[-1].returned_to is None


def test_an_agent_cannot_return_a_case_for_retypification(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="andres"), SUPERVISOR)
    with pytest.raises(TransitionNotPermitted):
        pqrs.handle(c.ReturnForRetypification(filing_number=n, reason="x"), OTHER_AGENT)
    assert pqrs.case(n).state == "assigned"


def test_return_needs_a_reason(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    with pytest.raises(ValidationError) as excinfo:
        pqrs.handle(c.ReturnForRetypification(filing_number=n, reason="  "), BACK_OFFICE)
    assert "reason" in excinfo.value.errors


# --- counter-response (contrarrespuesta): 3 days in seed 002 ------------------------------------


@pytest.mark.parametrize("days", [0, 1, 2.9, 3])
def test_counter_response_within_three_days_reopens(pqrs: Pqrs, clock: FrozenClock, days: float) -> None:
    n = responded_case(pqrs)
    clock.advance(days=days)
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No me llegó nada"), REQUESTER)
    assert (case.state, case.state_category) == ("in_progress", StateCategory.DOING)
    assert event_names(pqrs, n)[-4:] == ["RequesterReplied", "CaseTransitioned", "CaseReopened",
                                         "TermStarted"]
    reply = next(e for e in pqrs.history(n) if isinstance(e, RequesterReplied))
    assert reply.counter_response and reply.reopens


def test_counter_response_after_closing_within_the_window_reopens(pqrs: Pqrs, clock: FrozenClock) -> None:
    n = responded_case(pqrs)
    pqrs.handle(c.CloseCase(filing_number=n), BACK_OFFICE)
    clock.advance(days=2)
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Sigue sin llegar"), REQUESTER)
    assert case.state == "in_progress"
    assert case.closed_at is None


@pytest.mark.parametrize("delta", [{"days": 3, "minutes": 1}, {"days": 10}])
def test_counter_response_after_three_days_is_recorded_without_reopening(
        pqrs: Pqrs, clock: FrozenClock, delta: dict[str, float]) -> None:
    n = responded_case(pqrs)
    clock.advance(**delta)
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Tarde pero insisto"), REQUESTER)
    assert case.state == "responded"
    last = pqrs.history(n)[-1]
    assert isinstance(last, RequesterReplied)
    assert last.counter_response and not last.reopens
    assert last.message == "Tarde pero insisto"


def test_counter_response_window_is_a_setting() -> None:
    pqrs = in_memory_pqrs(settings=Settings(counter_response_window_days=1))
    n = responded_case(pqrs)
    clock = pqrs.deps.clock
    assert isinstance(clock, FrozenClock)
    clock.advance(days=2)
    assert pqrs.handle(c.RecordRequesterReply(filing_number=n, message="x"), REQUESTER).state == "responded"


def test_staff_reopening_outside_the_window_is_refused(pqrs: Pqrs, clock: FrozenClock) -> None:
    n = responded_case(pqrs)
    clock.advance(days=5)
    with pytest.raises(TransitionNotPermitted):
        pqrs.handle(c.ReopenCase(filing_number=n, reason="Revisión"), SUPERVISOR)
    clock.set(clock.now() - timedelta(days=4))
    case = pqrs.handle(c.ReopenCase(filing_number=n, reason="Revisión"), SUPERVISOR)
    assert case.state == "in_progress"


def test_a_second_message_after_reopening_is_recorded_without_changing_state(
        pqrs: Pqrs, clock: FrozenClock) -> None:
    n = responded_case(pqrs)
    clock.advance(days=1)
    pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No me llegó nada"), REQUESTER)
    clock.advance(hours=1)
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Y además vino roto"), REQUESTER)
    assert case.state == "in_progress"
    last = pqrs.history(n)[-1]
    assert isinstance(last, RequesterReplied)
    assert last.message == "Y además vino roto" and not last.reopens


def test_a_message_while_the_case_is_worked_on_is_recorded_and_changes_nothing_else(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    before = pqrs.case(n)
    after = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Hola, ¿cómo va?"), REQUESTER)
    assert (after.state, after.assignee, after.version) == (before.state, before.assignee, 2)
    last = pqrs.history(n)[-1]
    assert last.name == "RequesterReplied" and last.message == "Hola, ¿cómo va?"
    assert not last.counter_response and not last.reopens


# --- first-contact resolution (seed 002: the agent resolves it at once) -------------------------


def test_first_contact_resolution_files_and_closes_in_one_step(pqrs: Pqrs) -> None:
    case = file(pqrs, kind="peticion", resolved_at_first_contact=True,
                solution="Se informó el estado del pedido en la llamada")
    assert case.state == "closed"
    assert case.state_category is StateCategory.DONE
    assert case.first_contact_resolution is True
    assert case.solution == "Se informó el estado del pedido en la llamada"
    assert case.closed_at == case.filed_at == case.responded_at
    assert event_names(pqrs, number(case)) == ["CaseFiled", "TermStarted", "CaseTransitioned",
                                               "TermEnded", "CaseResponded", "CaseClosed"]


def test_first_contact_resolutions_are_counted(pqrs: Pqrs) -> None:
    file(pqrs, resolved_at_first_contact=True, solution="Resuelto en la llamada")
    file(pqrs, resolved_at_first_contact=True, solution="Resuelto en el chat", channel="chat")
    n = responded_case(pqrs)
    pqrs.handle(c.CloseCase(filing_number=n), BACK_OFFICE)
    file(pqrs)  # still open

    done = pqrs.cases(CaseQuery(state_categories=(StateCategory.DONE,))).cases
    assert len(done) == 3
    assert sum(case.first_contact_resolution for case in done) == 2
    assert sum(case.first_contact_resolution for case in pqrs.cases().cases) == 2


def test_a_reopened_first_contact_resolution_no_longer_counts(pqrs: Pqrs, clock: FrozenClock) -> None:
    n = number(file(pqrs, resolved_at_first_contact=True, solution="Resuelto en la llamada"))
    clock.advance(days=1)
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No quedó resuelto"), REQUESTER)
    assert case.state == "in_progress"
    assert case.first_contact_resolution is False
    assert sum(x.first_contact_resolution for x in pqrs.cases().cases) == 0


def test_only_staff_resolve_at_first_contact(pqrs: Pqrs) -> None:
    with pytest.raises(TransitionNotPermitted):
        file(pqrs, REQUESTER, resolved_at_first_contact=True, solution="Me lo resolví yo")
    assert pqrs.count() == 0
    assert number(file(pqrs)) == "PQRS-2026-000001"


# --- invalid transitions and role violations ---------------------------------------------------


def test_invalid_transition_names_the_allowed_ones(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    pqrs.handle(c.RequestInformation(filing_number=n, message="¿Número de pedido?"), BACK_OFFICE)
    with pytest.raises(InvalidTransition) as excinfo:
        pqrs.handle(c.RespondCase(filing_number=n, text="Respuesta"), BACK_OFFICE)
    assert excinfo.value.state == "waiting_requester"
    assert excinfo.value.allowed == ("requester_replied", "withdraw")
    assert "requester_replied" in str(excinfo.value)
    assert_unchanged(pqrs, n, 4, 8)


def test_close_before_responding_is_an_invalid_transition(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    with pytest.raises(InvalidTransition) as excinfo:
        pqrs.handle(c.CloseCase(filing_number=n), AGENT)
    assert excinfo.value.transition == "close"
    assert "start" in excinfo.value.allowed
    assert "close" not in excinfo.value.allowed
    assert "assign" not in excinfo.value.allowed  # an agent may not fire it
    assert_unchanged(pqrs, n, 1, 2)


def test_allowed_transitions_depend_on_the_roles(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    with pytest.raises(InvalidTransition) as excinfo:
        pqrs.handle(c.TransitionCase(filing_number=n, transition="resubmit"), SUPERVISOR)
    assert {"assign", "start"} <= set(excinfo.value.allowed)


def test_unknown_transition_is_invalid(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    with pytest.raises(InvalidTransition):
        pqrs.handle(c.TransitionCase(filing_number=n, transition="teleport"), ADMIN)


def test_transitions_with_their_own_command_cannot_be_fired_by_name(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), AGENT)
    # Responding without a text would skip what the response records.
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.TransitionCase(filing_number=n, transition="respond"), AGENT)
    assert pqrs.case(n).state == "in_progress"


@pytest.mark.parametrize(("actor", "transition"), [
    (REQUESTER, "start"),
    (QUALITY, "start"),
    (Actor("nadie"), "start"),
])
def test_role_violations_are_refused(pqrs: Pqrs, actor: Actor, transition: str) -> None:
    """Roles without the permission to work cases are refused before the workflow is consulted."""
    n = number(file(pqrs))
    with pytest.raises(PermissionDenied) as excinfo:
        pqrs.handle(c.TransitionCase(filing_number=n, transition=transition), actor)
    assert excinfo.value.permission == "case.work"
    assert_unchanged(pqrs, n, 1, 2)


def test_a_role_with_the_permission_still_needs_the_transition_role(pqrs: Pqrs) -> None:
    """Quality may work cases in a custom role set-up, but the workflow's own roles still apply."""
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.catalog_admin.put_role(attrs.evolve(pqrs.catalog().role("quality"),
                                             permissions=frozenset({"case.work"}),
                                             scopes=frozenset({"all"})), ADMIN)
    with pytest.raises(TransitionNotPermitted) as excinfo:
        pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), QUALITY)
    assert "agent" in excinfo.value.reason
    assert_unchanged(pqrs, n, 2, 4)


def test_requester_cannot_respond_to_their_own_case(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), AGENT)
    with pytest.raises(PermissionDenied):
        pqrs.handle(c.RespondCase(filing_number=n, text="Yo mismo respondo"), REQUESTER)


def test_responding_needs_a_text(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), AGENT)
    with pytest.raises(ValidationError) as excinfo:
        pqrs.handle(c.RespondCase(filing_number=n, text=" "), AGENT)
    assert "text" in excinfo.value.errors


def test_closed_cases_cannot_be_typified_or_assigned(pqrs: Pqrs) -> None:
    n = number(file(pqrs, resolved_at_first_contact=True, solution="ok"))
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.TypifyCase(filing_number=n, typification="QUEJA_DE_CALIDAD"), AGENT)
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)


def test_every_domain_error_is_a_domain_error(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    for command, actor in [
        (c.CloseCase(filing_number=n), AGENT),
        (c.TransitionCase(filing_number=n, transition="start"), REQUESTER),
        (c.AddNote(filing_number=n, text=""), AGENT),
        (c.CloseCase(filing_number="PQRS-2026-999999"), AGENT),
    ]:
        with pytest.raises(DomainError):
            pqrs.handle(command, actor)


# --- who writes as the requester ----------------------------------------------------------------
# A consultant of the sales network sees the cases of the people below her (carla), not as them.
CONSULTANT = Actor("diana", frozenset({"consultant"}), network=frozenset({"carla"}))


def waiting_case(pqrs: Pqrs, actor: Actor = AGENT, **fields: object) -> str:
    n = number(file(pqrs, actor, **fields))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.RequestInformation(filing_number=n, message="Envíe la factura"), BACK_OFFICE)
    return n


def test_a_consultant_cannot_answer_for_a_requester_of_her_network(pqrs: Pqrs, clock: FrozenClock) -> None:
    n = waiting_case(pqrs)
    clock.advance(days=1)
    before = pqrs.case(n, CONSULTANT)  # she sees it: carla is in her network
    assert before.state_category is StateCategory.WAITING

    with pytest.raises(NotTheRequester) as refused:
        pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Le envío la factura"), CONSULTANT)
    with pytest.raises(NotTheRequester):
        pqrs.handle(c.ExtendCompletionTime(filing_number=n), CONSULTANT)

    assert "Carla Gómez" in str(refused.value)
    after = pqrs.case(n)
    assert (after.state, after.version, after.resolution_due) == (
        "waiting_requester", before.version, before.resolution_due)  # the term stays paused
    assert "RequesterReplied" not in event_names(pqrs, n)
    replied = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Adjunto la factura"), REQUESTER)
    assert replied.state == "in_progress"


def test_a_consultant_cannot_reopen_a_network_case_with_a_counter_response(pqrs: Pqrs) -> None:
    n = responded_case(pqrs)

    with pytest.raises(NotTheRequester):
        pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No está de acuerdo"), CONSULTANT)

    assert pqrs.case(n).state == "responded"


def test_a_consultant_counter_responds_on_a_case_she_filed_for_herself(pqrs: Pqrs) -> None:
    own = Requester(full_name="Diana Ruiz", email="diana@example.com", user="diana")
    n = number(file(pqrs, CONSULTANT, requester=own, channel="portal"))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.RespondCase(filing_number=n, text="Le enviamos las dos unidades."), BACK_OFFICE)

    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No llegaron"), CONSULTANT)

    assert case.state == "in_progress"

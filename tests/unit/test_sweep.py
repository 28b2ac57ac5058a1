"""Alarms at fractions of the term, each once, and escalation of missed terms (``pqrs sweep``)."""

from __future__ import annotations

from datetime import UTC, datetime

from pqrs_core.domain import commands as c
from pqrs_core.domain.events import CaseEscalated, TermAlarmRaised
from pqrs_core.memory import MemoryStore
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, BACK_OFFICE, SUPERVISOR, GeneralTerms, clock_of, file, number

MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 in Bogotá; 15 business days → 24 March


def alarms_of(pqrs, n: str) -> list[float]:  # type: ignore[no-untyped-def]
    return [e.fraction for e in pqrs.history(n) if isinstance(e, TermAlarmRaised)]


def test_alarms_fire_at_half_four_fifths_and_the_deadline_each_once() -> None:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY)
    clock = clock_of(pqrs)
    case = file(pqrs)
    n = number(case)
    assert [a.fraction for a in case.alarms] == [0.5, 0.8, 1.0]
    assert case.next_alarm_at == case.alarms[0].at
    assert pqrs.sweep().alarms == 0

    clock.set(case.alarms[0].at)
    first = pqrs.sweep()
    assert (first.cases, first.alarms, first.escalations) == (1, 1, 0)
    assert pqrs.sweep().alarms == 0  # once per case
    clock.set(case.alarms[1].at)
    pqrs.sweep()
    assert alarms_of(pqrs, n) == [0.5, 0.8]


def test_a_missed_term_escalates_to_the_next_tier_unassigned_and_tells_the_supervisors() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY, store=store)
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    clock_of(pqrs).set(datetime(2026, 3, 26, 15, 0, tzinfo=UTC))  # two days after the deadline
    report = pqrs.sweep()
    assert (report.alarms, report.escalations) == (3, 1)
    case = pqrs.case(n)
    assert (case.queue, case.assignee) == ("especialistas", None)
    escalated = [e for e in pqrs.history(n) if isinstance(e, CaseEscalated)]
    assert [(e.queue_before, e.queue_after) for e in escalated] == [("back_office", "especialistas")]
    with store.unit_of_work() as uow:
        sent = [(x.template, x.recipient) for x in uow.outbox.pending()]
    assert ("escalation", "queue:especialistas") in sent and ("escalation", "role:supervisor") in sent
    assert pqrs.sweep().cases == 0


def test_at_the_top_tier_the_case_stays_and_the_supervisors_are_told() -> None:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY)
    n = number(file(pqrs, queue="especialistas"))
    clock_of(pqrs).set(datetime(2026, 4, 30, 15, 0, tzinfo=UTC))
    pqrs.sweep()
    escalated = [e for e in pqrs.history(n) if isinstance(e, CaseEscalated)]
    assert [(e.queue_before, e.queue_after) for e in escalated] == [("especialistas", "especialistas")]
    assert pqrs.case(n).queue == "especialistas"


def test_no_alarm_while_the_requester_owes_information_or_once_answered() -> None:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY)
    waiting, answered = number(file(pqrs)), number(file(pqrs))
    for n in (waiting, answered):
        pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
        pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    pqrs.handle(c.RequestInformation(filing_number=waiting, message="Envíe la factura"), BACK_OFFICE)
    pqrs.handle(c.RespondCase(filing_number=answered, text="Listo"), BACK_OFFICE)
    assert pqrs.case(waiting).next_alarm_at is None and pqrs.case(answered).next_alarm_at is None
    clock_of(pqrs).set(datetime(2026, 4, 30, 15, 0, tzinfo=UTC))
    assert pqrs.sweep().cases == 0
    # Once the requester answers, the term runs again with its deadline pushed back.
    resumed = pqrs.handle(c.RecordRequesterReply(filing_number=waiting, message="Adjunta"), AGENT)
    assert resumed.next_alarm_at is not None
    assert pqrs.sweep().alarms >= 1


def test_a_reopened_case_gets_a_new_term_from_the_reopening_and_no_alarm_on_the_old_deadline() -> None:
    from pqrs_core.domain.case_terms import reading
    from pqrs_core.domain.sla import TermStatus

    from .support import REQUESTER

    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY)
    clock = clock_of(pqrs)
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    pqrs.handle(c.RespondCase(filing_number=n, text="Enviamos las unidades"), BACK_OFFICE)
    clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))  # Wednesday 4 March, 10:00 in Bogotá
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="No llegaron"), REQUESTER)

    # 15 business days from Thursday 5 March, skipping San José (Monday 23): Thursday 26 March.
    calendar = pqrs.catalog().calendar
    assert calendar is not None
    assert case.state == "in_progress" and case.term_from == clock.now()
    assert calendar.local_date(case.resolution_due) == datetime(2026, 3, 26).date()
    current = reading(case, pqrs.catalog(), clock.now())
    assert current is not None and current.status is TermStatus.ON_TIME

    clock.set(datetime(2026, 3, 25, 15, 0, tzinfo=UTC))  # the first term ended on the 24th
    pqrs.sweep()
    case = pqrs.case(n)
    assert not any(isinstance(e, CaseEscalated) for e in pqrs.history(n))
    assert (case.queue, case.assignee) == ("back_office", "beto")
    assert alarms_of(pqrs, n) == [0.5, 0.8]  # the new term's, at its own half and four fifths

    clock.set(datetime(2026, 3, 27, 15, 0, tzinfo=UTC))  # the new term is missed: now it escalates
    pqrs.sweep()
    assert pqrs.case(n).queue == "especialistas"

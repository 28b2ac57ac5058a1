"""Incomplete petitions and transfers (Ley 1755 de 2015 arts. 17 and 21) on real dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import InvalidOperation
from pqrs_core.domain.events import CaseTransferred, CompletionRequested
from pqrs_core.domain.sla import CompletionRestart, TermPolicy
from pqrs_core.domain.term_explanation import explain_term
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.memory import MemoryStore
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .scenarios import legal_cases
from .support import AGENT, BACK_OFFICE, REQUESTER, SUPERVISOR, GeneralTerms, clock_of, file, number

MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 in Bogotá


def bogota(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h + 5, tzinfo=UTC)


def setup(store: MemoryStore | None = None) -> tuple[Pqrs, str]:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY, store=store)
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    return pqrs, n


def end_of(pqrs: Pqrs, day: date) -> datetime:
    calendar = pqrs.catalog().calendar
    assert calendar is not None
    return calendar.end_of_day(day)


def test_asking_to_complete_stops_the_term_and_gives_the_requester_one_month() -> None:
    pqrs, n = setup()
    case = pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura", missing=("factura",)),
                       BACK_OFFICE)
    assert case.state == "waiting_requester" and case.next_alarm_at is None
    # One calendar month from Monday 2 March 2026: Thursday 2 April is Holy Thursday, a holiday, and
    # Friday 3 Good Friday, so the month runs to Monday 6 April (Ley 4 de 1913 art. 62).
    assert case.completion_due == end_of(pqrs, date(2026, 4, 6))
    asked = [e for e in pqrs.history(n) if isinstance(e, CompletionRequested)]
    assert [e.late for e in asked] == [False] and "factura" in case.missing_information


def test_asking_after_ten_days_is_recorded_as_late() -> None:
    pqrs, n = setup()
    clock_of(pqrs).set(bogota(2026, 3, 17))  # the 10 business days after filing ended Monday 16
    pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura"), BACK_OFFICE)
    asked = [e for e in pqrs.history(n) if isinstance(e, CompletionRequested)]
    assert [e.late for e in asked] == [True]


class FullTermOnCompletion:
    """The general term, under a policy that reads art. 17 as a whole new term."""

    @hookimpl
    def pqrs_register_term_policies(register: Register) -> None:
        register(TermPolicy("general", "Petición general", (TermRule(Term(15), source="Ley 1755 art. 14"),),
                            completion_restart=CompletionRestart.FULL_TERM))


def _completed_on_the_14th(plugin: object) -> tuple[Pqrs, str]:
    """Received Wed 1 Apr 2026; found incomplete Wed 8 Apr; completed Tue 14 Apr."""
    pqrs = in_memory_pqrs(plugins=[plugin], at=bogota(2026, 4, 1))
    n = number(file(pqrs))
    clock_of(pqrs).set(bogota(2026, 4, 8))
    pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura"), BACK_OFFICE)
    clock_of(pqrs).set(bogota(2026, 4, 14))
    pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Adjunto la factura"), REQUESTER)
    return pqrs, n


def test_a_completed_petition_resumes_the_days_it_had_left_by_default() -> None:
    pqrs, n = _completed_on_the_14th(GeneralTerms)
    case = pqrs.case(n)
    # Received Wed 1 Apr 2026; Holy Thursday 2 and Good Friday 3 are holidays, so day 1 is Mon 6 Apr.
    # Found incomplete on Wed 8 (day 3: 6, 7, 8 used, 12 left). Completed Tue 14: the days in between
    # (Thu 9, Fri 10, Mon 13, Tue 14) do not count, so the 12 left run from Wed 15: 15, 16, 17 (3),
    # 20–24 (8), 27, 28, 29, 30 (12) → Thursday 30 April 2026.
    assert case.resolution_due == end_of(pqrs, date(2026, 4, 30))
    assert case.state == "in_progress" and case.completion_due is None
    text = "\n".join(explain_term(pqrs.history(n), ZoneInfo("America/Bogota")))
    assert "se reanuda con los días hábiles que le quedaban" in text
    assert "«se reactivará»" in text and "lectura más segura" in text


def test_a_policy_may_read_art_17_as_a_whole_new_term() -> None:
    pqrs, n = _completed_on_the_14th(FullTermOnCompletion)
    case = pqrs.case(n)
    # The whole 15 days again from the day after Tue 14 Apr 2026: 15, 16, 17 (3), 20–24 (8),
    # 27–30 (12), Fri 1 May is Labour Day, Mon 4 (13), Tue 5 (14), Wed 6 (15) → Wednesday 6 May 2026.
    assert case.resolution_due == end_of(pqrs, date(2026, 5, 6))
    assert case.term_from == bogota(2026, 4, 14) and case.pauses == ()
    text = "\n".join(explain_term(pqrs.history(n), ZoneInfo("America/Bogota")))
    assert "el término se reinicia completo" in text


def test_the_term_starts_again_the_day_after_the_items_arrive() -> None:
    pqrs = in_memory_pqrs(plugins=[FullTermOnCompletion], at=MONDAY)
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura"), BACK_OFFICE)
    clock_of(pqrs).set(bogota(2026, 3, 13))  # Friday 13 March
    case = pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Adjunto la factura"), REQUESTER)
    # 15 business days from Monday 16 March, skipping San José (23) and Holy Thursday/Friday (2–3
    # April): 16–20 (5), 24–27 (9), 30, 31, 1 (12), 6, 7, 8 (15) → Wednesday 8 April.
    assert case.resolution_due == end_of(pqrs, date(2026, 4, 8))
    assert case.term_from == bogota(2026, 3, 13) and case.pauses == () and case.completion_due is None
    assert case.missing_information == () and case.state == "in_progress"


def test_the_requester_may_extend_their_month_once_and_only_before_it_ends() -> None:
    pqrs, n = setup()
    pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura"), BACK_OFFICE)
    case = pqrs.handle(c.ExtendCompletionTime(filing_number=n), REQUESTER)
    assert case.completion_extended and case.completion_due == end_of(pqrs, date(2026, 5, 6))
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.ExtendCompletionTime(filing_number=n), REQUESTER)

    other, m = setup()
    other.handle(c.RequestCompletion(filing_number=m, message="Falta la factura"), BACK_OFFICE)
    clock_of(other).set(bogota(2026, 4, 8))
    with pytest.raises(InvalidOperation):
        other.handle(c.ExtendCompletionTime(filing_number=m), REQUESTER)


def test_withdrawal_is_declared_only_after_the_requester_let_the_time_pass() -> None:
    store = MemoryStore()
    pqrs, n = setup(store)
    pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura"), BACK_OFFICE)
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.DeclareWithdrawal(filing_number=n, reason="No completó"), BACK_OFFICE)
    clock_of(pqrs).set(bogota(2026, 4, 7))
    case = pqrs.handle(c.DeclareWithdrawal(filing_number=n, reason="No completó en el mes"), BACK_OFFICE)
    assert (case.state, case.is_open, case.solution) == ("withdrawn", False, "No completó en el mes")
    with store.unit_of_work() as uow:
        assert ("withdrawal", "requester") in [(x.template, x.recipient) for x in uow.outbox.pending()]


def test_a_transfer_closes_the_case_here_and_copies_the_requester_late_after_five_days() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY, store=store)
    on_time, late = number(file(pqrs)), number(file(pqrs))
    pqrs.handle(c.TransferCase(filing_number=on_time, entity="SIC", reason="Protección al consumidor"), AGENT)
    clock_of(pqrs).set(bogota(2026, 3, 10))  # the 5 business days ended Monday 9
    pqrs.handle(c.TransferCase(filing_number=late, entity="SIC", reason="Protección al consumidor"), AGENT)
    flags = [e.late for n in (on_time, late) for e in pqrs.history(n) if isinstance(e, CaseTransferred)]
    assert flags == [False, True]
    assert pqrs.case(on_time).state == "transferred"
    with store.unit_of_work() as uow:
        copies = [x for x in uow.outbox.pending() if x.template == "transfer"]
    assert [x.context["entity"] for x in copies] == ["SIC", "SIC"]


def test_the_legal_scenario_replays() -> None:
    pqrs, numbers = legal_cases()
    assert [pqrs.case(n).state for n in numbers] == ["in_progress", "withdrawn", "transferred"]


def test_the_deadline_is_explained_from_the_history_for_a_regulator() -> None:
    from zoneinfo import ZoneInfo

    from pqrs_core.domain.case_terms import reading
    from pqrs_core.domain.term_explanation import explain_term

    pqrs, numbers = legal_cases()
    completed = numbers[0]
    case = pqrs.case(completed)
    lines = explain_term(pqrs.history(completed), ZoneInfo("America/Bogota"),
                         reading(case, pqrs.catalog(), clock_of(pqrs).now()))
    text = "\n".join(lines)
    assert "término «Petición general» de 15 días hábiles (Ley 1755 de 2015 art. 14)" in text
    assert "se pidió completar la petición" in text and "pidió más plazo" in text
    assert "completó la petición; el término se reanuda" in text
    assert lines[-1].startswith("Estado del término: ")
    # Dates as a person in Colombia writes them (dd/mm/aaaa hh:mm), in the organisation's time zone,
    # like every page of the application shows them.
    due = case.resolution_due.astimezone(ZoneInfo("America/Bogota"))
    assert lines[-1].endswith(f"vence el {due:%d/%m/%Y %H:%M}.")
    assert all(re.match(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}: ", line) for line in lines[:-1])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_a_case_waiting_for_the_requester_is_paused_not_overdue_while_its_old_deadline_passes() -> None:
    from pqrs_core.domain.case_terms import reading
    from pqrs_core.domain.sla import TermStatus

    pqrs, n = setup()
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    clock_of(pqrs).set(bogota(2026, 3, 4))
    case = pqrs.handle(c.RequestInformation(filing_number=n, message="Envíe la factura"), BACK_OFFICE)
    due = case.resolution_due
    assert due is not None
    at_the_pause = reading(case, pqrs.catalog(), bogota(2026, 3, 4))
    assert at_the_pause is not None

    clock_of(pqrs).set(due + timedelta(days=20))  # the requester has not answered yet
    later = reading(case, pqrs.catalog(), due + timedelta(days=20))

    assert later is not None and later.status is TermStatus.PAUSED
    assert later.remaining == at_the_pause.remaining > timedelta(0)  # the clock stopped with the case
    assert later.elapsed_fraction == at_the_pause.elapsed_fraction


def test_completion_may_be_requested_right_after_filing_before_anyone_starts() -> None:
    # Ley 1755 de 2015 art. 17: within 10 days of filing, whatever the case's progress.
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], at=MONDAY)
    n = number(file(pqrs))
    case = pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la factura"), BACK_OFFICE)
    assert case.state == "waiting_requester" and case.completion_due is not None
    assert case.next_alarm_at is None

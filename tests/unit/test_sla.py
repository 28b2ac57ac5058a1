"""Term policies and the term clock, on real Colombian dates (holidays from the ``holidays`` package)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.sla import Pause, TermPolicy, TermStatus, read_term, select_policy, shifted_deadline
from pqrs_core.domain.terms import Term, TermRule, TermUnit
from pqrs_core.services.messagebus import Pqrs

from .support import file

CAL = BusinessCalendar()


def bogota(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, h + 5, minute, tzinfo=UTC)  # Bogotá is UTC-5 all year


def end_of(y: int, m: int, d: int) -> datetime:
    return CAL.end_of_day(date(y, m, d))


GENERAL = TermPolicy("general", "Petición general (Ley 1755 art. 14)", (TermRule(Term(15)),))
COMPLAINT = TermPolicy("queja", "Quejas", (TermRule(Term(10)),), kinds=("queja",))
URGENT_COMPLAINT = TermPolicy("queja_alta", "Quejas de prioridad alta", (TermRule(Term(5)),),
                              kinds=("queja",), priorities=("alta",))
COVID = TermPolicy("general_2020", "Decreto 491 de 2020 art. 5",
                   (TermRule(Term(30), valid_from=date(2020, 3, 28), valid_to=date(2022, 5, 17)),))


def test_the_most_specific_matching_policy_wins(pqrs: Pqrs) -> None:
    complaint = file(pqrs, kind="queja", priority="alta")
    petition = file(pqrs, kind="peticion", priority="alta")
    policies = [GENERAL, COMPLAINT, URGENT_COMPLAINT]
    assert select_policy(policies, complaint, date(2026, 3, 2))[0].code == "queja_alta"
    assert select_policy(policies, petition, date(2026, 3, 2))[0].code == "general"
    assert select_policy([COMPLAINT], petition, date(2026, 3, 2)) is None


def test_a_temporary_rule_applies_only_while_it_was_in_force(pqrs: Pqrs) -> None:
    case = file(pqrs, kind="peticion")
    in_2020 = select_policy([GENERAL, COVID], case, date(2020, 5, 4))
    in_2023 = select_policy([GENERAL, COVID], case, date(2023, 1, 10))
    assert in_2020 is not None and in_2020[1].term == Term(30)
    assert in_2023 is not None and in_2023[1].term == Term(15)


def test_a_typification_policy_covers_the_whole_sub_tree(pqrs: Pqrs) -> None:
    legal = TermPolicy("legales", "Legales", (TermRule(Term(10)),), typifications=("LEGALES",))
    case = file(pqrs, typification="DERECHO_DE_PETICION")
    other = file(pqrs, typification="PEDIDO_NO_RECIBIDO")
    assert select_policy([GENERAL, legal], case, date(2026, 3, 2))[0].code == "legales"
    assert select_policy([GENERAL, legal], other, date(2026, 3, 2))[0].code == "general"


def test_a_policy_needs_a_resolution_term() -> None:
    with pytest.raises(ValidationError):
        TermPolicy("x", "X", ())


def test_a_pause_pushes_a_day_term_back_by_the_business_days_it_covered() -> None:
    received = bogota(2026, 3, 2)  # Monday: 15 business days end Monday 24 March (23 is San José)
    assert shifted_deadline(Term(15), received, CAL, []) == end_of(2026, 3, 24)
    # Paused from Wednesday 4 to Monday 9 March: Thu, Fri, Mon = 3 business days.
    pause = Pause(bogota(2026, 3, 4, 9), bogota(2026, 3, 9, 16))
    assert shifted_deadline(Term(15), received, CAL, [pause]) == end_of(2026, 3, 27)
    # The same day costs nothing, an open pause is not counted yet.
    same_day = Pause(bogota(2026, 3, 4, 9), bogota(2026, 3, 4, 15))
    still_open = Pause(bogota(2026, 3, 5))
    assert shifted_deadline(Term(15), received, CAL, [same_day, still_open]) == end_of(2026, 3, 24)


def test_pausing_never_shortens_a_term() -> None:
    received = bogota(2026, 3, 20, 17, 30)
    base = shifted_deadline(Term(15), received, CAL, [])
    for days in range(0, 20):
        pause = Pause(bogota(2026, 3, 25), bogota(2026, 3, 25) + timedelta(days=days))
        assert shifted_deadline(Term(15), received, CAL, [pause]) >= base


def test_an_extension_lengthens_the_same_term_from_the_same_reception() -> None:
    received = bogota(2026, 3, 2)
    assert shifted_deadline(Term(15), received, CAL, [], extra=15) == Term(30).deadline(received, CAL)


def test_clock_hour_terms_are_pushed_back_by_the_clock_time_paused() -> None:
    received = bogota(2026, 4, 1, 8)
    pause = Pause(bogota(2026, 4, 1, 9), bogota(2026, 4, 1, 12))
    due = shifted_deadline(Term(48, TermUnit.CLOCK_HOURS), received, CAL, [pause])
    assert due == received + timedelta(hours=51)


def test_reading_a_term_gives_on_time_at_risk_overdue_and_the_answer_status() -> None:
    start, due = bogota(2026, 3, 2, 8), end_of(2026, 3, 24)
    early = read_term(start=start, due=due, now=bogota(2026, 3, 3), calendar=CAL)
    late = read_term(start=start, due=due, now=bogota(2026, 3, 20), calendar=CAL)
    overdue = read_term(start=start, due=due, now=bogota(2026, 3, 26), calendar=CAL)
    paused = read_term(start=start, due=due, now=bogota(2026, 3, 3), calendar=CAL, paused=True)
    met = read_term(start=start, due=due, now=bogota(2026, 3, 26), calendar=CAL,
                    answered_at=bogota(2026, 3, 10))
    missed = read_term(start=start, due=due, now=bogota(2026, 3, 30), calendar=CAL,
                       answered_at=bogota(2026, 3, 26))
    assert early.status is TermStatus.ON_TIME and early.remaining > timedelta(hours=100)
    assert late.status is TermStatus.AT_RISK and 0.8 <= late.elapsed_fraction < 1
    assert overdue.status is TermStatus.OVERDUE and overdue.remaining < timedelta(0)
    assert paused.status is TermStatus.PAUSED
    assert (met.status, missed.status) == (TermStatus.MET, TermStatus.MISSED)
    with pytest.raises(ValidationError):
        read_term(start=start, due=due, now=start, calendar=CAL, risk_threshold=1.5)
